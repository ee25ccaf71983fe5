"""Time used (用时), recorded on a page by the panel's judges or the organisers (issue 15, m5): one row per
numbered contestant, saved one row at a time (htmx), or the whole page without JavaScript."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import InvalidState, NotFound
from ..extensions import db
from ..i18n import as_text
from ..forms.entries import TimeUsedForm
from ..models import Entry, Event
from ..permissions import can_record_time, require, sees_identities
from ..services.events.entry_extras import TIME_EVENT_STATES, record_time_used
from ..services.events.entry_queries import drawn_entries
from ..services.results.exports import time_text
from ..rules.messages import Message
from .entries_common import is_htmx
from .common import saving
from .blueprints import marking as bp


def _event(event_id: int) -> Event:
    """The event, for its panel judges and the organisers."""
    event = db.get_or_404(Event, event_id)
    require(can_record_time(current_user, event), Message("只有本赛项的裁判和组委会可以记录用时。"))
    return event


def _row(event: Event, entry: Entry, form=None, *, error: str | None = None, saved: bool = False) -> str:
    """One contestant's row."""
    return render_template("marking/_time_row.html", event=event, entry=entry, saved=saved, error=error,
                           form=form or TimeUsedForm(formdata=None, prefix=f"e{entry.id}",
                                                     data={"time_used": entry.time_used_seconds}),
                           open_for_time=event.status in TIME_EVENT_STATES,
                           names=sees_identities(current_user, event), time_text=time_text)


@bp.get("/<int:event_id>/time-used")
@login_required
def time_used(event_id: int):
    """Every numbered contestant with the time they used; present ones can be given or corrected."""
    event = _event(event_id)
    rows = [_row(event, entry) for entry in drawn_entries(event)]
    return render_template("marking/time_used.html", event=event, rows=rows,
                           open_for_time=event.status in TIME_EVENT_STATES)


@bp.post("/<int:event_id>/time-used/<int:entry_id>")
@login_required
def save_time_used(event_id: int, entry_id: int):
    """Save one contestant's time used; htmx gets the row back with ✓ or the reason."""
    event = _event(event_id)
    entry = db.get_or_404(Entry, entry_id)
    if entry.event_id != event.id:
        raise NotFound(Message("该选手不属于本赛项。"))
    if entry.number is None:
        raise InvalidState(Message("该选手还没有参赛号：抽签后才能记录用时。"))
    form = TimeUsedForm(prefix=f"e{entry.id}")
    error, status = None, 200
    if not form.validate_on_submit():
        error, status = next(iter(form.time_used.errors or form.errors.get("csrf_token", [_("请求有误。")]))), 400
    else:
        with saving() as saved:
            record_time_used(current_actor(), entry, form.time_used.data)
        if (failure := saved.error) is not None:
            error, status = failure.message, failure.status
    if is_htmx():
        return _row(event, entry, form if error else None, error=error, saved=error is None), status
    if error:
        flash(_("参赛号 %(number)s：%(error)s", number=entry.number, error=as_text(error)), "danger")
    else:
        flash(_("参赛号 %(number)s 的用时已保存。", number=entry.number), "success")
    return redirect(url_for("marking.time_used", event_id=event.id))

