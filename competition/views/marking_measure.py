"""Measurement values (测量) entered by the chief judge or the organisers (issue 16): every judge may have
submitted while a value was still empty, and sign-off waits for it, so the panel can always complete them
here until sign-off. One form for the whole sheet: the values typed are saved all-or-nothing with one reason,
and a refused form comes back with everything typed still in it."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import ValidationError

from ..context import current_actor
from ..extensions import db
from ..forms.filters import MeasurementSheetPost
from ..models import Event, EventStatus
from ..permissions import can_enter_measurements, require
from ..rules.text import ascii_int
from ..services.marking import marks as mark_service
from ..services.marking.reports import MeasurementCell, measurement_sheet
from ..rules.messages import Message
from .common import saving
from .blueprints import marking as bp

MAX_FIELD = 20  # a mark is at most 20 characters as typed (parse_mark)


def _event(event_id: int) -> Event:
    """The event, for its chief judge and the organisers."""
    event = db.get_or_404(Event, event_id)
    require(can_enter_measurements(current_user, event), Message("只有裁判长或组委会可以录入测量值。"))
    return event


def _key(cell: MeasurementCell) -> str:
    """The form field of a cell."""
    return f"m-{cell.entry_id}-{cell.criterion.id}"


def _page(event: Event, *, typed=None, errors=None, error=None, reason="", status=200):
    """The sheet: empty values first to the eye (highlighted), every value with who entered it."""
    cells = measurement_sheet(event)
    return render_template("marking/measurements.html", event=event, cells=cells, key=_key,
                           empty=sum(1 for c in cells if c.empty), typed=typed or {}, errors=errors or {},
                           error=error, reason=reason, scoring=event.status is EventStatus.SCORING), status


@bp.get("/<int:event_id>/measurements")
@login_required
def measurements(event_id: int):
    """Every measurement cell of the event, to enter or correct (with a reason when someone else entered it)."""
    return _page(_event(event_id))


@bp.post("/<int:event_id>/measurements")
@login_required
def save_measurements(event_id: int):
    """Save the values typed on the sheet, all-or-nothing."""
    event = _event(event_id)
    cells = measurement_sheet(event)
    try:
        posted = MeasurementSheetPost.model_validate(request.form.to_dict())
    except ValidationError:
        return _page(event, error=_("提交的内容含有不允许的字符，请检查后重新填写。"), status=400)
    typed = {_key(c): posted.values.get(_key(c), "")[:MAX_FIELD] for c in cells}
    reason = posted.reason[:500]
    items, where = [], {}
    for cell in cells:
        value = typed[_key(cell)]
        shown = "" if cell.value is None else str(cell.value)
        if value and value != shown:
            where[len(items)] = _key(cell)
            items.append((cell.number, cell.criterion.id, value, cell.value))
    if not items:
        return _page(event, typed=typed, reason=reason, error=_("没有新填写或修改的测量值。"), status=400)
    with saving() as saved:
        mark_service.save_marks(current_actor(), event, items, reason=reason or None)
    if (failure := saved.error) is not None:
        errors = {}
        for detail in failure.details or []:
            field = str(detail.get("field", ""))
            index = ascii_int(field[len("marks["):-1]) if field.startswith("marks[") else None
            if index in where:
                errors[where[index]] = detail.get("message")
        return _page(event, typed=typed, errors=errors, reason=reason, error=failure.message, status=failure.status)
    flash(_("已保存 %(n)d 项测量值。", n=len(items)), "success")
    return redirect(url_for("marking.measurements", event_id=event.id))
