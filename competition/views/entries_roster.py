"""The roster of an event: list, reveal one ID number, add one contestant, disqualify, export."""
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..i18n import as_text
from ..forms.entries import DisqualifyForm, EntryForm
from ..forms.filters import RosterFilters
from ..forms.users import enterprise_choices
from ..models import ENTRY_STATUS_LABELS, Enterprise, Event, Role
from ..permissions import (can_disqualify, can_export_roster, can_reveal_id_number, can_view_entries, require,
                           require_enrolment, sees_identities)
from ..rules.events import check_enrolment_window
from ..services.events import entries as entry_service
from ..services.events.entry_extras import reveal_id_number
from ..jobs.exports import roster_params
from ..services.events.entry_queries import RosterFilter, employers_in, roster_query, status_counts
from ..rules.messages import Message
from .common import page_filters, paginate, render_failed, render_invalid, saving
from .blueprints import entries as bp
from .entries_common import is_htmx, load_entry, load_event, shows_contact, viewer_scope
from .jobs import offer_export

STATUS_TEXTS = [_l("已报名"), _l("到场"), _l("缺考"), _l("退赛"), _l("取消资格")]  # ENTRY_STATUS_LABELS, for the catalog


def enrolment_closed(event: Event) -> str | None:
    """Why the event takes no enrolments today, or None while registration is open."""
    return check_enrolment_window(event.status.value, event.registration_deadline, date.today())


def roster_page(event: Event, *, error: str | None = None, status: int = 200, form=None, failed_entry=None):
    """The roster as the current user may see it, filtered and paged; an action's error on top."""
    scope = viewer_scope(event)
    typed = page_filters(RosterFilters)
    wanted = RosterFilter(typed.q or "", typed.status.value if typed.status else "", typed.employer)
    page = paginate(roster_query(event, scope, wanted))
    return render_template(
        "entries/index.html", event=event, page=page, scope=scope, counts=status_counts(event, scope),
        employers=employers_in(event, scope), contact=shows_contact(), status_labels=ENTRY_STATUS_LABELS,
        closed_reason=enrolment_closed(event), error=error, disqualify_form=form or DisqualifyForm(formdata=None),
        failed_entry=failed_entry), status


@bp.get("/<int:event_id>/entries")
@login_required
def index(event_id: int):
    """The roster: numbers after the draw, names and masked contacts for those who may see them."""
    event = load_event(event_id)
    require(can_view_entries(current_user, event), Message("您没有权限查看本赛项的报名名单。"))
    return roster_page(event)


@bp.post("/<int:event_id>/entries/<int:entry_id>/reveal")
@login_required
def reveal(event_id: int, entry_id: int):
    """Show one whole ID number to an organiser; the reveal is written to the audit log."""
    event = load_event(event_id)
    entry = load_entry(event, entry_id)
    require(can_reveal_id_number(current_user), Message("只有组委会和系统管理员可以查看完整身份证号码。"))
    id_number = reveal_id_number(current_actor(), entry)
    db.session.commit()
    template = "entries/_revealed.html" if is_htmx() else "entries/revealed.html"
    return render_template(template, event=event, entry=entry, id_number=id_number)


def _employer_choices(form: EntryForm) -> None:
    """Staff choose any enterprise (or none); enterprise users enrol for their own only."""
    enterprises = db.session.scalars(db.select(Enterprise).order_by(Enterprise.name)).all()
    form.employer_id.choices = enterprise_choices(enterprises)


def _entry_data(form: EntryForm) -> entry_service.EntryData:
    """The typed contestant; an enterprise user's employer is always their own enterprise."""
    user = current_user._get_current_object()
    employer = user.enterprise_id if user.role is Role.ENTERPRISE else form.employer_id.data
    return entry_service.EntryData(form.name.data or "", form.id_number.data or "", form.phone.data or None,
                                   employer)


@bp.route("/<int:event_id>/entries/new", methods=["GET", "POST"])
@login_required
def new(event_id: int):
    """Enrol one contestant; the service's messages appear under the fields, the typing is kept."""
    event = load_event(event_id)
    require_enrolment(current_user, event, Message("您没有权限为本赛项报名。"))
    form = EntryForm()
    _employer_choices(form)
    context = {"event": event, "closed_reason": enrolment_closed(event)}
    if not form.validate_on_submit():
        return render_invalid("entries/new.html", form, **context)
    with saving() as saved:
        entry = entry_service.enrol(current_actor(), event, _entry_data(form))
    if (error := saved.error) is not None:
        return render_failed("entries/new.html", form, error, **context)
    flash(_("已为%(name)s报名。", name=entry.person.name), "success")
    if form.again.data:  # 保存并继续添加
        return redirect(url_for("entries.new", event_id=event.id))
    return redirect(url_for("entries.index", event_id=event.id))


def _who(entry) -> str:
    """How a flash names an entry: by number for a blind judge, else by name."""
    if sees_identities(current_user, entry.event):
        return entry.person.name
    return _("%(number)s号", number=entry.number or "—")


@bp.post("/<int:event_id>/entries/<int:entry_id>/disqualify")
@login_required
def disqualify(event_id: int, entry_id: int):
    """Disqualify a present entry with a written reason (organisers and the chief judge)."""
    event = load_event(event_id)
    entry = load_entry(event, entry_id)
    require(can_disqualify(current_user, event), Message("只有组委会和本赛项裁判长可以取消选手资格。"))
    form = DisqualifyForm()
    if not form.validate_on_submit():
        message = next(iter(form.reason.errors), _("请填写取消资格的原因。"))
        return _refused(event, AppError(as_text(message)), form, entry, status=400)
    with saving() as saved:
        entry_service.disqualify(current_actor(), entry, form.reason.data)
    if (error := saved.error) is not None:
        return _refused(event, error, form, entry)
    flash(_("已取消%(who)s的参赛资格。", who=_who(entry)), "success")
    return redirect(url_for("entries.index", event_id=event.id))


def _refused(event: Event, error: AppError, form, entry, status: int | None = None):
    """Show a refused disqualification on the roster, or as an error page to one who cannot see it."""
    if not can_view_entries(current_user, event):
        raise error
    return roster_page(event, error=error.message, status=status or error.status, form=form, failed_entry=entry.id)


@bp.route("/<int:event_id>/entries.xlsx", methods=["GET", "POST"])
@login_required
def export(event_id: int):
    """The roster as a workbook (ID numbers and mobiles masked), the viewer's scope; a large one (GET: the offer,
    POST: the job) is built in the background."""
    event = load_event(event_id)
    require(can_export_roster(current_user, event), Message("您没有权限导出本赛项的报名名单。"))
    scope = viewer_scope(event)
    params = roster_params(event, scope.employer_id, numbered_only=scope.numbered_only)
    return offer_export("roster", params, back=url_for("entries.index", event_id=event.id))
