"""The draw (抽签): present count, optional seed, confirmation; afterwards the numbers and how to replay them."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..context import current_actor
from ..i18n import as_text
from ..forms.entries import DrawForm
from ..models import ENTRY_STATUS_LABELS, Event, EventStatus
from ..permissions import can_manage_event, require
from ..rules.events import STATUS_LABELS, draw_numbers
from ..services.events import entries as entry_service
from ..services.events.entry_queries import drawn_entries, not_checked_in, present_count
from ..rules.messages import Message
from .common import saving
from .blueprints import entries as bp
from .entries_common import load_event


def replay(event: Event, entries: list) -> dict:
    """What a reviewer needs to replay the draw, and whether replaying it now gives the stored numbers."""
    ids = sorted(e.id for e in entries)
    stored = {e.id: e.number for e in entries}
    again = draw_numbers(ids, event.draw_seed) if ids and event.draw_seed else {}
    return {"ids": ids, "matches": bool(ids) and again == stored,
            "command": f"python3 -c \"import random; ids={ids}; random.Random({event.draw_seed!r}).shuffle(ids); "
                       "print({e: str(i + 1).zfill(max(3, len(str(len(ids))))) for i, e in enumerate(ids)})\""}


def draw_page(event: Event, form=None, *, error: str | None = None, status: int = 200):
    """Before the draw: the count and the form; after it: seed, numbers and the replay."""
    entries = drawn_entries(event) if event.draw_seed else []
    return render_template(
        "entries/draw.html", event=event, form=form or DrawForm(formdata=None), error=error,
        present=present_count(event), entries=entries, replay=replay(event, entries) if entries else None,
        unchecked=not_checked_in(event) if event.status is EventStatus.CLOSED else [],
        status_labels=ENTRY_STATUS_LABELS, event_status=STATUS_LABELS.get(event.status.value, event.status.value),
        can_draw=event.status is EventStatus.CLOSED), status


@bp.route("/<int:event_id>/draw", methods=["GET", "POST"])
@login_required
def draw(event_id: int):
    """Draw competition numbers for the present entries (organisers; once, after registration closes)."""
    event = load_event(event_id)
    require(can_manage_event(current_user, event), Message("只有组委会可以抽签。"))
    form = DrawForm()
    if request.method == "GET":
        return draw_page(event)
    if not form.validate_on_submit():
        message = next((as_text(e[0]) for e in form.errors.values() if e), _("请求有误，请刷新页面后重试。"))
        return draw_page(event, form, error=message, status=400)
    with saving() as saved:
        absent = len(not_checked_in(event))
        numbers = entry_service.draw(current_actor(), event, form.seed.data)
    if (error := saved.error) is not None:
        return draw_page(event, form, error=error.message, status=error.status)
    flash(_("抽签完成：%(count)s名到场选手已获得参赛号。", count=len(numbers)), "success")
    if absent:
        flash(_("%(count)s名未检录的选手已记为缺考。", count=absent), "info")
    return redirect(url_for("entries.draw", event_id=event.id))
