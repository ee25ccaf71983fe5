"""Mark entry for panel judges on a tablet (RULES.md §5-§8): the grid, one cell at a time, and submission."""
from decimal import Decimal

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import ValidationError

from ..context import current_actor
from ..errors import AppError, InvalidState, NotAllowed, NotFound
from ..extensions import db
from ..i18n import as_text
from ..forms.events import ReasonForm
from ..forms.filters import CellPost, PanelFilters
from ..models import Entry, Event, EventStatus, User
from ..permissions import can_oversee_scoring, is_panel_judge, require
from ..services.marking import marks as mark_service
from ..services.results import lifecycle as result_service
from ..handlers.error_pages import audit_refusal
from ..services.marking.reports import judge_progress, mark_history, marks_for, progress, spread
from ..services.marking.facts import load_criteria, load_facts
from ..rules.messages import Message
from .common import page_filters, saving
from .blueprints import marking as bp



def _judge_event(event_id: int) -> Event:
    """The event, for one of its panel judges only."""
    event = db.get_or_404(Event, event_id)
    require(is_panel_judge(current_user, event), Message("只有本赛项裁判组的裁判可以录入评分。"))
    return event


def _me(facts):
    """The logged-in judge's seat among the event's judges."""
    return next(j for j in facts.judges if j.user_id == current_user.id)


def _progress(event: Event, facts, me) -> dict:
    """The judge's progress line: judgement marks entered over those expected."""
    marked, expected = judge_progress(event, facts, me)
    return {"marked": marked, "expected": expected}


def _grid(event: Event) -> dict:
    """What the grid shows: modules with criteria, numbered rows, the judge's values, blocked rows, progress."""
    facts = load_facts(event)
    me = _me(facts)
    modules = [(m, [c for c in facts.criteria if c.module_id == m.id]) for m in facts.modules]
    rows = [e for e in facts.entries if e.number and e.status in mark_service.MARKABLE]
    values = {(c.number, c.criterion_id): c.value for c in marks_for(event, judge=current_user)}
    blocked = {e.number for e in rows if me.conflicts_with(e)}
    return {"modules": modules, "rows": rows, "values": values, "blocked": blocked, "me": me,
            "submitted": me.submitted_at is not None, "correcting": mark_service.signed_off_before(event),
            **_progress(event, facts, me)}


@bp.get("/<int:event_id>/marks")
@login_required
def grid(event_id: int):
    """The mark-entry grid: numbers down, criteria across, one input per cell."""
    event = _judge_event(event_id)
    scoring = event.status is EventStatus.SCORING
    return render_template("marking/grid.html", event=event, scoring=scoring, **(_grid(event) if scoring else {}))


def _criterion(event: Event, criterion_id: int | None) -> object:
    """The criterion fact for a posted id, or None."""
    return load_criteria(event).get(criterion_id) if criterion_id is not None else None


@bp.post("/<int:event_id>/marks/cell")
@login_required
def save_cell(event_id: int):
    """Save one cell as it is left; htmx gets the cell back with ✓ or the reason."""
    event = _judge_event(event_id)
    try:
        posted = CellPost.model_validate(request.form.to_dict())
    except ValidationError:
        return _not_a_cell(_("提交的参赛号、评分项或分数格式不正确，请刷新页面后重试。"))
    number, value, expected, reason = posted.number, posted.value, posted.expected, posted.reason
    criterion = _criterion(event, posted.criterion_id)
    shown, error, status = value, None, 200
    if criterion is None:
        return _not_a_cell(_("评分项不属于本赛项，请刷新页面后重试。"))
    if not value:
        error, status = _("请填写分数（0–%(max)s）。", max=format(criterion.max_score.normalize(), "f")), 400
    else:
        with saving() as saved:
            cells = mark_service.save_marks(current_actor(), event, [(number, criterion.id, value, expected)],
                                            reason=reason)
        if (failure := saved.error) is not None:
            error, status = _cell_error(event, failure, number, criterion), failure.status
        else:
            shown = expected = f"{cells[0].value}"
    cell = render_template("marking/_cell.html", event=event, number=number, criterion=criterion, value=shown,
                           expected=expected, error=error, saved=error is None, locked=False)
    facts = load_facts(event)
    progress = render_template("marking/_progress.html", oob=True, **_progress(event, facts, _me(facts)))
    return cell + progress, status


def _not_a_cell(message: str):
    """A post that names no cell of this grid: a JSON 400 the grid reports, never text pasted into a cell."""
    response = jsonify({"error": {"code": "invalid", "message": message, "details": []}})
    response.status_code = 400
    return response


def _cell_error(event: Event, failure: AppError, number: str, criterion) -> str:
    """The message a cell shows: the criterion and range, the stale value, or the refusal."""
    if isinstance(failure, NotAllowed) and failure.code == "conflict_of_interest":
        audit_refusal(failure, number=number, criterion_id=criterion.id)
        return _("回避：您与该选手同一工作单位，不能评分。")
    if isinstance(failure, InvalidState) and failure.code == "stale_mark" and failure.details \
            and failure.details[0].get("entered_by_id"):
        return _("此测量值由%(name)s录入，如需修改请填写原因：请裁判长在评分进度页更正",
                 name=failure.details[0].get("entered_by") or _("他人"))
    if isinstance(failure, InvalidState) and failure.code == "stale_mark":
        cells = {(c.number, c.criterion_id): c.value for c in marks_for(event, judge=current_user)}
        current = cells.get((number, criterion.id))
        return _("此分数已被他人修改为%(value)s，请刷新后核对", value=current if current is not None else _("空白"))
    details = getattr(failure, "details", None) or []
    return details[0]["message"] if details else failure.message


@bp.post("/<int:event_id>/marks/submit")
@login_required
def submit(event_id: int):
    """Submit the judge's marks; they become read-only."""
    event = _judge_event(event_id)
    with saving() as saved:
        mark_service.submit_marks(current_actor(), event)
    if saved.error is not None:
        flash(as_text(saved.error.message), "danger")
        return redirect(url_for("marking.grid", event_id=event.id))
    flash(_("评分已提交，不能再修改。"), "success")
    empty = mark_service.empty_measurements(event)
    if empty:
        cells = "、".join(f"{m.number}「{m.criterion_name}」" for m in empty[:20])
        flash(_("仍有 %(n)d 项测量值未录入：%(cells)s%(more)s。裁判长或组委会可在评分进度页录入。", n=len(empty),
                cells=cells, more=_("等") if len(empty) > 20 else ""), "warning")
    return redirect(url_for("marking.grid", event_id=event.id))


def _chief_event(event_id: int) -> Event:
    """The event, for its chief judge and organisers."""
    event = db.get_or_404(Event, event_id)
    require(can_oversee_scoring(current_user, event), Message("只有裁判长或组委会可以查看评分进度。"))
    return event


def _threshold() -> Decimal:
    """The spread threshold from ?threshold= (default 10)."""
    value = mark_service.parse_mark(page_filters(PanelFilters).threshold or "10")
    return value if value is not None and value >= 0 else Decimal("10")


def panel_page(event: Event, *, error: str | None = None, details=(), status: int = 200):
    """The chief judge's panel: progress, missing marks, spreads, sign-off and reopen."""
    threshold = _threshold()
    scoring = event.status is EventStatus.SCORING
    spreads = spread(event, threshold) if scoring else []
    entries = {e.number: e.id for e in load_facts(event).entries if e.number}
    return render_template("marking/panel.html", event=event, scoring=scoring, threshold=threshold,
                           progress=progress(event) if scoring else None, spreads=spreads, entries=entries,
                           error=error, details=details, can_reopen=event.status is EventStatus.SIGNED_OFF), status


@bp.get("/<int:event_id>/scoring-panel")
@login_required
def scoring_panel(event_id: int):
    """Progress per judge, the missing list and where judges disagree."""
    return panel_page(_chief_event(event_id))


@bp.post("/<int:event_id>/scoring-panel/sign-off")
@login_required
def sign_off(event_id: int):
    """Sign the results off (签核); refused with the missing marks or ties."""
    event = _chief_event(event_id)
    with saving() as saved:
        result_service.sign_off(current_actor(), event)
    if (failure := saved.error) is not None:
        return panel_page(event, error=failure.message, details=failure.details, status=failure.status)
    flash(_("成绩已签核。"), "success")
    return redirect(url_for("marking.scoring_panel", event_id=event.id))


@bp.post("/<int:event_id>/scoring-panel/reopen")
@login_required
def reopen(event_id: int):
    """Reopen scoring after sign-off, with a reason."""
    event = _chief_event(event_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        problems = [{"field": name, "message": message} for name, messages in form.errors.items()
                    for message in messages]
        return panel_page(event, error=_("重新开放评分的原因有误。"), details=problems, status=400)
    with saving() as saved:
        result_service.reopen(current_actor(), event, form.reason.data or "")
    if (failure := saved.error) is not None:
        return panel_page(event, error=failure.message, details=failure.details, status=failure.status)
    flash(_("已重新开放评分。"), "success")
    return redirect(url_for("marking.scoring_panel", event_id=event.id))


@bp.get("/<int:event_id>/entries/<int:entry_id>/marks-history")
@login_required
def marks_history(event_id: int, entry_id: int):
    """Every entry and change of one entry's marks: old, new, who, when, why (numbers only)."""
    event = _chief_event(event_id)
    entry = db.session.get(Entry, entry_id)
    if entry is None or entry.event_id != event.id:
        raise NotFound(Message("报名记录不存在。"))
    changes = mark_history(entry)
    names = {u.id: u.display_name for u in db.session.scalars(
        db.select(User).where(User.id.in_({c.changed_by_id for c in changes} | {c.judge_key for c in changes})))}
    criteria = load_criteria(event)
    return render_template("marking/history.html", event=event, number=entry.number, changes=changes,
                           names=names, criteria=criteria)

