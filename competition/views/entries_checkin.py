"""Check-in at the venue (检录): one row at a time with htmx, or many at once, and the sign-in sheet."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import Invalid
from ..i18n import as_text
from ..forms.entries import CHECK_IN_CHOICES, BulkCheckInForm, CheckInForm
from ..forms.filters import RosterFilters
from ..models import ENTRY_STATUS_LABELS, Event
from ..permissions import can_check_in, require
from ..services.events import entries as entry_service
from ..services.events.entry_queries import (
    RosterFilter,
    Scope,
    entries_by_ids,
    roster_query,
    status_counts,
)
from ..rules.messages import Message
from .common import kept_args, page_filters, paginate, saving
from .blueprints import entries as bp
from .entries_common import is_htmx, load_entry, load_event
from .jobs import offer_export

CHECK_IN_PER_PAGE = 200  # the venue scrolls one long list rather than paging
NOT_THIS_EVENT = Message("所选选手中有不属于本赛项的记录，未作任何修改。请刷新页面后重试。")


def _allowed_event(event_id: int) -> Event:
    """Load the event and check that the user does check-in."""
    event = load_event(event_id)
    require(can_check_in(current_user, event), Message("只有组委会可以检录。"))
    return event


def _open_for_check_in(event: Event) -> bool:
    """Check-in happens before the draw, while registration is open or just closed."""
    return event.status in entry_service.CHECK_IN_EVENT_STATES


def _state_label(status: str) -> str:
    """到场 / 缺考 / 退赛 for a check-in code."""
    return str(dict(CHECK_IN_CHOICES).get(status, status))


def check_in_page(event: Event, form=None, *, error: str | None = None, status: int = 200):
    """The check-in list: counts on top, a search box, buttons per row and a bulk action."""
    typed = page_filters(RosterFilters)
    wanted = RosterFilter(typed.q or "", typed.status.value if typed.status else "")
    page = paginate(roster_query(event, Scope(), wanted), per_page=CHECK_IN_PER_PAGE)
    return render_template(
        "entries/check_in.html", event=event, page=page, counts=status_counts(event, Scope()),
        form=form or BulkCheckInForm(formdata=None), error=error, open_for_check_in=_open_for_check_in(event),
        status_labels=ENTRY_STATUS_LABELS, choices=CHECK_IN_CHOICES), status


@bp.get("/<int:event_id>/check-in")
@login_required
def check_in(event_id: int):
    """The venue's check-in page."""
    return check_in_page(_allowed_event(event_id))


def _first_error(form) -> str:
    """The first field error of a form, as text."""
    for errors in form.errors.values():
        if errors:
            return as_text(errors[0])
    return _("请求有误，请刷新页面后重试。")


@bp.post("/<int:event_id>/check-in")
@login_required
def check_in_bulk(event_id: int):
    """Set the same state for every ticked entry, all or nothing."""
    event = _allowed_event(event_id)
    form = BulkCheckInForm()
    if not form.validate_on_submit():
        return check_in_page(event, form, error=_first_error(form), status=400)
    with saving() as saved:
        entries, unknown = entries_by_ids(event, form.entry_ids.data)
        if unknown:
            raise Invalid(NOT_THIS_EVENT)
        changed = entry_service.check_in(current_actor(), entries, form.status.data)
    if (error := saved.error) is not None:
        return check_in_page(event, form, error=error.message, status=error.status)
    message = _("已将%(count)s人标记为“%(state)s”。", count=len(entries), state=_state_label(form.status.data))
    if changed < len(entries):
        message += _("其中%(same)s人原已是该状态。", same=len(entries) - changed)
    flash(message, "success")
    return redirect(url_for("entries.check_in", **kept_args(event_id=event.id)))


@bp.post("/<int:event_id>/entries/<int:entry_id>/check-in")
@login_required
def check_in_one(event_id: int, entry_id: int):
    """One entry's state; htmx gets the row back (with the counts), a plain form a redirect."""
    event = _allowed_event(event_id)
    entry = load_entry(event, entry_id)
    form = CheckInForm()
    error, status = None, 200
    if not form.validate_on_submit():
        error, status = _first_error(form), 400
    else:
        with saving() as saved:
            entry_service.check_in(current_actor(), [entry], form.status.data)
        if (failure := saved.error) is not None:
            error, status = failure.message, failure.status
    if is_htmx():
        return render_template("entries/_check_in_row.html", event=event, entry=entry, error=error,
                               saved=error is None, counts=status_counts(event, Scope()), oob=True,
                               open_for_check_in=_open_for_check_in(event), status_labels=ENTRY_STATUS_LABELS,
                               choices=CHECK_IN_CHOICES), status
    if error:
        return check_in_page(event, error=error, status=status)
    flash(_("%(name)s：%(state)s，已保存。", name=entry.person.name, state=_state_label(form.status.data)), "success")
    return redirect(url_for("entries.check_in", **kept_args(event_id=event.id)))


@bp.route("/<int:event_id>/sign-in-sheet.xlsx", methods=["GET", "POST"])
@login_required
def sign_in_sheet(event_id: int):
    """The printable 签到表 (everyone except those who withdrew); a large one is built in the background."""
    event = _allowed_event(event_id)
    return offer_export("sign_in_sheet", {"event_id": event.id}, back=url_for("entries.check_in", event_id=event.id))

