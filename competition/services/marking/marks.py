"""Judges' marks (RULES.md §5-§8): enter and correct them, submit them, and read them back.

Who saves marks, and when (the event must be in scoring):
- A panel judge enters their own judgement marks and any measurement value (one per entry, stored
  under judge key 0) until they submit; submitted marks are read-only to them. A judge never marks
  an entry of their own employer (回避): NotAllowed, code conflict_of_interest.
- After a reopen (the event has a superseded result snapshot) a change to an existing value needs a
  reason; the reopen cleared the judges' submissions, so they can correct their own marks.
- Measurement values (测量) are nobody's own: the chief judge and organisers enter and correct them
  until sign-off, whoever has submitted, so a panel that submitted with a measurement still empty can
  always complete it (issue 16). A measurement value last entered by someone else is not silently
  overwritten: changing it needs a reason (else InvalidState stale_mark naming who entered it).
- The chief judge or an organiser corrects another panel judge's existing marks (judge=that judge)
  only after a reopen and always with a reason. Nobody creates judgement marks on a judge's behalf,
  and organisers enter no judgement marks of their own.
A save is all-or-nothing. Each item carries the value its client last saw (expected; None for an
empty cell): a cell whose stored value differs, or that someone else fills or changes first, is
refused as stale (InvalidState, code stale_mark) and nothing is saved. Each saved value writes a
MarkChange; each call writes one audit row listing its cells.

This is the league's busiest write (every judge, every cell, as it is left), so it is read and
written set-based, never through the ORM's unit of work (store.py): on PostgreSQL one read (the
event locked) and one write for one cell or a whole grid, and the audit row appended already sealed
at commit (services/audit_sealed.py). A cell someone else saved meanwhile is not written (the unique
cell or the version read decides) and refuses the batch as stale; the caller then rolls back, as
every caller of a failing service does, so nothing of the batch stays. The marks API reads the event
with everything else (read_for_marking), authorises its caller against the MarkingEvent it brings (id
and panel seats), and hands both to save_marks: the event is never loaded as an object.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ...errors import Invalid, InvalidState, NotAllowed, NotFound
from ...extensions import db
from ...models import MEASUREMENT_KEY, EventStatus, Mark, PanelMember, ResultSnapshot
from ...permissions import can_enter_measurements, can_oversee_scoring, is_panel_judge
from ...rules.messages import Message
from ...rules.text import ascii_int, identifier_text
from ..audit import Actor
from .facts import CriterionFact
from .refusals import Target, refuse_conflicts, refuse_lost_race, refuse_others_measurements, refuse_stale
from .store import EntryRow, MarkingState, Stored, Write, load_state, write_cells
from .submission import MissingMark, empty_measurements, missing_marks, submit_marks  # noqa: F401  (re-exported)

MARKABLE = ("present", "disqualified")
CENT = Decimal("0.01")


class MarkItem(NamedTuple):
    """One cell to save: competition number, criterion, new value, and the value the client last saw."""

    number: str
    criterion_id: int
    value: object
    expected: object = None


@dataclass(frozen=True)
class Cell:
    """A stored mark as callers show it: judge_id is None for a measurement value."""

    entry_id: int
    number: str
    criterion_id: int
    judge_id: int | None
    value: Decimal
    version: int


def parse_mark(value) -> Decimal | None:
    """A mark as Decimal with 2 places, or None unless an int, Decimal or short str with at most 2 decimals."""
    if isinstance(value, str) and len(value) <= 20:
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None  # floats too: 0.1 has no exact binary value
    value = Decimal(value)
    # Bounded before quantize, so a hostile exponent ("1e-999999999") costs nothing.
    if not value.is_finite() or not -12 <= value.adjusted() <= 12:
        return CENT * 0 if value.is_zero() else None
    rounded = value.quantize(CENT)
    if rounded != value:
        return None
    return abs(rounded) if rounded.is_zero() else rounded  # no "-0.00"


def _criterion(criteria: dict[int, CriterionFact], value) -> CriterionFact | None:
    """The event's criterion whose id was sent (int or digits), or None."""
    criterion_id = ascii_int(value, low=1) if isinstance(value, (int, str)) else None
    return criteria.get(criterion_id) if criterion_id is not None else None


def save_marks(actor: Actor, event, items, *, reason: str | None = None, judge=None,
               state: MarkingState | None = None) -> list[Cell]:
    """Save a batch of marks all-or-nothing: stale, conflicted or invalid cells refuse the whole batch. `event` is
    an Event, or the MarkingEvent of `state` when the caller read it already (read_for_marking)."""
    items = _items(items)
    if not items:
        raise Invalid(Message("没有要保存的评分。"),
                      details=[{"field": "marks", "message": Message("请至少填写一项评分。")}])
    state = state or read_for_marking(event.id, items, actor, judge, panel=False)  # an Event brings its panel
    if state is None:
        raise NotFound(Message("您访问的数据不存在。"))
    if state.status is not EventStatus.SCORING:
        raise InvalidState(Message("赛项不在评分阶段，不能录入或修改评分。"))
    judge, correcting = _marking_judge(actor, event, judge, _measurements_only(items, state.criteria))
    reason = (reason or "").strip()[:500] or None
    if correcting and not state.reopened:
        raise InvalidState(Message("只有签核后重新开放评分时，裁判长或组委会才能更正裁判的评分。"))
    targets = _targets(state, items, judge, actor)
    stored = _stored(event, targets)
    refuse_stale(targets, stored, correcting)
    if not reason:
        refuse_others_measurements(targets, stored, actor)
    changed = [t for t in targets if t.cell in stored and stored[t.cell].value != t.value]
    if (state.reopened or correcting) and changed and not reason:
        raise Invalid(Message("重新开放评分后更正分数，须填写更正原因。"),
                      details=[{"field": "reason", "message": Message("请填写更正原因。")}])
    written = [(t, stored.get(t.cell)) for t in targets if t.cell not in stored or stored[t.cell].value != t.value]
    if written:
        action = "mark.change" if any(old is not None for _, old in written) else "mark.enter"
        lost = write_cells(actor, event.id, [Write(t.cell, t.value, old, t.index) for t, old in written], reason,
                           {"action": action,
                            "after": {"judge_id": judge.id, "cells": [_audit_cell(t, old) for t, old in written]}})
        refuse_lost_race([t for t, _ in written if t.cell in lost])
        stored.update((t.cell, Stored(old.id if old else 0, t.value, old.version + 1 if old else 1))
                      for t, old in written)
    return [_cell(t, stored.get(t.cell)) for t in targets]


def _items(items) -> list[MarkItem]:
    """The items as MarkItems; competition numbers are identifiers: a full-width "００３" is the number 003."""
    return [MarkItem(identifier_text(str(item[0])), *item[1:]) for item in items]


def read_for_marking(event_id: int, items, actor: Actor, judge=None, *, panel: bool = True) -> MarkingState | None:
    """The event as the batch finds it, under its lock, with the cells the batch may write and (`panel`) its panel
    seats as state.event (one statement on PostgreSQL: store.load_state); None when there is no such event."""
    items = _items(items)
    criteria = {ascii_int(i.criterion_id, low=1) for i in items if isinstance(i.criterion_id, (int, str))}
    keys = {MEASUREMENT_KEY, actor.user_id, getattr(judge, "id", None)}  # whose cells the batch may write
    return load_state(event_id, {str(item.number) for item in items}, {c for c in criteria if c is not None},
                      {k for k in keys if k is not None}, panel=panel)


def signed_off_before(event) -> bool:
    """Whether the event's results were signed off before: its marks are then being corrected, each change with a
    reason (the grid asks for one)."""
    return bool(db.session.scalar(db.select(db.exists().where(ResultSnapshot.event_id == event.id))))


def _measurements_only(items: list[MarkItem], criteria: dict[int, CriterionFact]) -> bool:
    """Whether every item names a measurement criterion of the event."""
    return all((c := _criterion(criteria, i.criterion_id)) is not None and c.is_measurement for i in items)


def _marking_judge(actor: Actor, event, judge, measuring: bool) -> tuple:
    """Whose marks these are, and whether this is a correction by the chief judge or an organiser."""
    user = actor.user
    if measuring and can_enter_measurements(user, event):
        return user, False  # measurement values: the chief judge and organisers, until sign-off, submitted or not
    if judge is None or (user is not None and judge.id == user.id):
        if user is None or not is_panel_judge(user, event):
            raise NotAllowed(Message("只有本赛项裁判组的裁判可以录入评分。"))
        if _member(event, user.id).submitted_at is not None:
            raise InvalidState(Message("您已提交评分，提交后不能再修改；如需更正，请联系裁判长重新开放评分"
                                       "（测量值由裁判长或组委会在评分进度页录入）。"), code="marks_submitted")
        return user, False
    if not can_oversee_scoring(user, event):
        raise NotAllowed(Message("只有裁判长或组委会可以更正其他裁判的评分。"))
    if not is_panel_judge(judge, event):
        raise Invalid(Message("被更正评分的人不是本赛项裁判组的裁判。"),
                      details=[{"field": "judge_id", "message": Message("不是本赛项的裁判。")}])
    return judge, True


def _member(event, user_id: int) -> PanelMember:
    """The panel seat of a user on an event."""
    return next(m for m in event.panel if m.user_id == user_id)


def has_marks(event) -> bool:
    """Whether any mark was entered (the scheme then stays locked: RULES.md §4)."""
    return db.session.scalar(db.select(Mark.id).where(Mark.event_id == event.id).limit(1)) is not None


def _targets(state: MarkingState, items: list[MarkItem], judge, actor: Actor) -> list[Target]:
    """Check every item; conflicts of interest refuse first, then every other problem together."""
    entries = state.entries
    refuse_conflicts(items, entries, {judge.employer_id, getattr(actor.user, "employer_id", None)} - {None})
    targets, problems, seen = [], [], set()
    for index, item in enumerate(items):
        target = _target(index, item, entries.get(str(item.number)), _criterion(state.criteria, item.criterion_id),
                         judge, state.stored)
        if isinstance(target, str):
            problems.append({"field": f"marks[{index}]", "message": target})
        elif target.cell in seen:
            problems.append({"field": f"marks[{index}]",
                             "message": Message("%(cell)s 在本次提交中重复。", cell=target.where())})
        else:
            seen.add(target.cell)
            targets.append(target)
    if problems:
        raise Invalid(Message("评分有误，未保存任何分数，请修改后重试。"), details=problems)
    return targets


def _target(index: int, item: MarkItem, entry: EntryRow | None, criterion: CriterionFact | None, judge,
            stored: dict[tuple, Stored]) -> "Target | str":
    """A checked item, or the Chinese reason it is refused."""
    if entry is None:
        return Message("参赛号 %(number)s 不存在。", number=item.number)
    if entry.status not in MARKABLE:
        return Message("参赛号 %(number)s 的选手未到场或已退赛，不能评分。", number=item.number)
    if criterion is None:
        return Message("评分项 %(id)s 不属于本赛项。", id=item.criterion_id)
    value = parse_mark(item.value)
    if value is None or not 0 <= value <= criterion.max_score:
        return Message("参赛号 %(number)s「%(criterion)s」的分数应在 0 至 %(max)s 之间，最多两位小数（收到 %(got)s）。",
                       number=item.number, criterion=criterion.name, max=format(criterion.max_score.normalize(), "f"),
                       got=str(item.value)[:20])
    expected = None if item.expected is None else parse_mark(item.expected)
    if item.expected is not None and expected is None:
        return Message("参赛号 %(number)s「%(criterion)s」的原值格式有误。", number=item.number, criterion=criterion.name)
    key = MEASUREMENT_KEY if criterion.is_measurement else judge.id
    return Target(index, entry.id, entry.number, criterion, key, value, expected,
                   stored.get((entry.id, criterion.id, key)))


def _stored(event, targets: list[Target]) -> dict[tuple, Stored]:
    """The stored marks of the targeted cells, as read with the event (the write checks that they did not change)."""
    return {t.cell: t.stored for t in targets if t.stored is not None}


def _audit_cell(t: Target, old: Stored | None) -> list:
    """[number, criterion id, judge key, old, new] for the audit row."""
    return [t.number, t.criterion.id, t.key, None if old is None else str(old.value), str(t.value)]


def _cell(t: Target, mark: Stored | None) -> Cell:
    """The saved state of one target."""
    return Cell(t.entry_id, t.number, t.criterion.id, None if t.key == MEASUREMENT_KEY else t.key,
                mark.value if mark is not None else t.value, mark.version if mark is not None else 1)
