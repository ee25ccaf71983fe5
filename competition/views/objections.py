"""Objections during the notice (异议, RULES.md §14), the filing side: an event's objections page (the form and the
objections as the user may see them), the filing itself, and the panel the results page shows during the notice.

An enterprise user objects to its own employees' results; an organiser records an objection made by phone, letter or
in person, with who objected and how to reach them. Another enterprise's entry is refused (403, audited, nothing
stored); outside the notice the page says so (409)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.filters import ObjectionFilters
from ..forms.objections import ObjectionForm
from ..models import Event, EventStatus, ObjectionChannel, Season
from ..permissions import can_decide_objections, can_object_to_entry, can_view_event, can_view_objections, is_staff, require
from ..rules.messages import Message
from ..services.marking.facts import beijing_today
from ..services.results import objections as service
from ..services.results.lifecycle import open_objections
from ..services.results.objection_review import entry_choices
from . import labels
from .blueprints import objections as bp
from .common import apply_details, page_filters, paginate, saving
from .nav import NavItem, add_nav

add_nav(NavItem(_l("异议复核"), "objections.landing", can_decide_objections, order=42))
labels.ACTION_LABELS.update({
    "objection.file": _l("提出异议"),
    "objection.uphold": _l("异议成立，退回评分"),
    "objection.dismiss": _l("异议不成立"),
})
labels.OBJECT_LABELS.setdefault("Objection", _l("异议"))
FIELD_NAMES = {"state": _l("状态"), "event_status": _l("赛项状态"), "number": _l("参赛号"), "channel": _l("受理方式"),
               "objector": _l("异议人"), "notice_ends_on": _l("公示截止日"), "event_id": _l("赛项"), "entry_id": _l("报名记录")}
labels.FIELD_LABELS.update({k: v for k, v in FIELD_NAMES.items() if k not in labels.FIELD_LABELS})


def _scope() -> int | None:
    """None for organisers (every objection), else the user's enterprise (its own employees' only)."""
    return None if is_staff(current_user) else current_user.enterprise_id


def _event(event_id: int) -> Event:
    """The event (404), for a user who may see it and follow objections (403)."""
    event = db.get_or_404(Event, event_id)
    require(can_view_objections(current_user) and can_view_event(current_user, event),
            Message("您没有权限查看该赛项的异议。"))
    return event


def _form(event: Event, form: ObjectionForm | None = None) -> ObjectionForm:
    """The objection form with the numbers the user may name: every numbered entry for organisers, else the
    enterprise's own employees'."""
    form = form or ObjectionForm(formdata=None)
    staff = is_staff(current_user)
    choices = entry_choices(event, _scope())
    form.number.choices = [("", _("请选择参赛号"))] + [
        (c.number, f"{c.number} {c.name}" + (f" · {c.employer}" if staff and c.employer else "")) for c in choices]
    return form


def objection_panel(event: Event) -> dict | None:
    """What the results page shows about objections: during the notice the form (organisers for anyone, an enterprise
    for its own employees), how many are undecided, and the user's objections; None when there is nothing to show."""
    if not can_view_objections(current_user):
        return None
    scope = _scope()
    mine = list(db.session.scalars(service.objections_query(event_id=event.id, enterprise_id=scope)))
    accepting = service.accepting_objections(event)
    if not accepting and not mine:
        return None
    form = _form(event) if accepting else None
    return {"accepting": accepting, "form": form, "has_entries": bool(form and len(form.number.choices) > 1),
            "staff": scope is None, "objections": mine, "open": open_objections(event) if scope is None else None}


def _page(event: Event, *, form: ObjectionForm | None = None, error: str | None = None, status: int = 200):
    """An event's objections as the user may see them, filtered by state and paged, with the form during the notice."""
    scope = _scope()
    typed = page_filters(ObjectionFilters)
    state = typed.state.value if typed.state else None
    accepting = service.accepting_objections(event)
    return render_template(
        "objections/event.html", event=event, staff=scope is None, accepting=accepting,
        page=paginate(service.objections_query(event_id=event.id, enterprise_id=scope, state=state)),
        counts=service.state_counts(event_id=event.id, enterprise_id=scope),
        form=_form(event, form) if accepting else None, error=error,
        notice_over=event.status is EventStatus.NOTICE and not accepting), status


@bp.get("/objections")
@login_required
def landing():
    """The organisers' queue of this year's season, else of the latest one."""
    require(can_decide_objections(current_user), Message("只有组委会可以处理异议。"))
    seasons = db.session.scalars(db.select(Season).order_by(Season.year.desc())).all()
    season = next((s for s in seasons if s.year == beijing_today().year), seasons[0] if seasons else None)
    if season is None:
        flash(_("尚未创建联赛年度。"), "warning")
        return redirect(url_for("seasons.index"))
    return redirect(url_for("objections.season_objections", season_id=season.id))


@bp.get("/events/<int:event_id>/objections")
@login_required
def event_objections(event_id: int):
    """The event's objections (organisers all, an enterprise its own employees') and, during the notice, the form."""
    return _page(_event(event_id))


@bp.post("/events/<int:event_id>/objections")
@login_required
def file_objection(event_id: int):
    """File an objection to one entry's result during the notice."""
    event = _event(event_id)
    form = _form(event, ObjectionForm())
    if not form.validate_on_submit():
        return _page(event, form=form, error=_("请检查填写的内容。"), status=400)
    try:
        service.require_notice(event)
        entry = service.entry_by_number(event, form.number.data)
    except AppError as refused:  # not in the notice, or no such number: said on the page, nothing to roll back
        return _page(event, form=form, error=refused.message, status=refused.status)
    require(can_object_to_entry(current_user, entry), Message("只能对本企业员工的成绩提出异议。"))
    staff = is_staff(current_user)
    data = service.ObjectionData(form.reason.data or "", form.objector.data if staff else None,
                                 form.contact.data if staff else None,
                                 form.channel.data if staff else ObjectionChannel.ONLINE.value)
    with saving() as saved:
        service.file_objection(current_actor(), event, entry, data)
    if (failure := saved.error) is not None:
        apply_details(form, failure)
        return _page(db.get_or_404(Event, event_id), form=form, error=failure.message, status=failure.status)
    flash(_("已提出对参赛号 %(number)s 的异议，组委会复核后会在这里给出处理结果。", number=entry.number), "success")
    return redirect(url_for("objections.event_objections", event_id=event_id))
