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

This is the league's busiest write (every judge, every cell, as it is left), so it is written as a
few set-based Core statements rather than through the ORM's unit of work: one locked read of the
event (status and whether it was signed off before), the criteria, the entries, the stored cells
(locked), then one INSERT … ON CONFLICT DO NOTHING for the new cells, one UPDATE (executed for
every changed cell at once) and one INSERT of their history: the same seven statements, audit row
included, for one cell or a whole grid. A cell someone else filled meanwhile is not inserted (the
unique cell decides) and refuses the batch as stale; the caller then rolls back, as every caller
of a failing service does, so nothing of the batch stays.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sqlalchemy.dialects import postgresql, sqlite

from ...errors import Invalid, InvalidState, NotAllowed
from ...extensions import db
from ...models import (
    MEASUREMENT_KEY,
    Entry,
    Event,
    EventStatus,
    Mark,
    MarkChange,
    PanelMember,
    ResultSnapshot,
    User,
    utcnow,
)
from ...permissions import can_enter_measurements, can_oversee_scoring, is_panel_judge
from ...rules.messages import Message, listing
from ...rules.text import ascii_int, identifier_text
from ..audit import Actor, record
from .facts import CriterionFact, Facts, load_criteria, load_facts, lock_event, mark_keys

MARKABLE = ("present", "disqualified")
CENT = Decimal("0.01")
MARKS, CHANGES, ENTRIES, EVENTS = Mark.__table__, MarkChange.__table__, Entry.__table__, Event.__table__
CELL_COLUMNS = ("entry_id", "criterion_id", "judge_key")


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


class _Stored(NamedTuple):
    """A stored cell as read (locked) before the write, and who last entered it."""

    id: int
    value: Decimal
    version: int
    entered_by_id: int | None = None


@dataclass(frozen=True)
class _Target:
    """A checked item: where it goes and what it holds."""

    index: int
    entry_id: int
    number: str
    criterion: CriterionFact
    key: int
    value: Decimal
    expected: Decimal | None

    @property
    def cell(self) -> tuple[int, int, int]:
        """The unique cell: entry, criterion, judge key."""
        return (self.entry_id, self.criterion.id, self.key)

    def where(self) -> str:
        """'参赛号 003「工艺质量」' for messages."""
        return Message("参赛号 %(number)s「%(criterion)s」", number=self.number, criterion=self.criterion.name)


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


def save_marks(actor: Actor, event, items, *, reason: str | None = None, judge=None) -> list[Cell]:
    """Save a batch of marks all-or-nothing: stale, conflicted or invalid cells refuse the whole batch."""
    # Competition numbers are identifiers: a full-width "００３" is the number 003 (rules/text.py).
    items = [MarkItem(identifier_text(str(item[0])), *item[1:]) for item in items]
    if not items:
        raise Invalid(Message("没有要保存的评分。"),
                      details=[{"field": "marks", "message": Message("请至少填写一项评分。")}])
    status, reopened = _lock_for_marking(event)
    if status is not EventStatus.SCORING:
        raise InvalidState(Message("赛项不在评分阶段，不能录入或修改评分。"))
    criteria = load_criteria(event)
    judge, correcting = _marking_judge(actor, event, judge, _measurements_only(items, criteria))
    reason = (reason or "").strip()[:500] or None
    if correcting and not reopened:
        raise InvalidState(Message("只有签核后重新开放评分时，裁判长或组委会才能更正裁判的评分。"))
    targets = _targets(event, items, judge, actor, criteria)
    stored = _stored(event, targets)
    _refuse_stale(targets, stored, correcting)
    if not reason:
        _refuse_others_measurements(targets, stored, actor)
    changed = [t for t in targets if t.cell in stored and stored[t.cell].value != t.value]
    if (reopened or correcting) and changed and not reason:
        raise Invalid(Message("重新开放评分后更正分数，须填写更正原因。"),
                      details=[{"field": "reason", "message": Message("请填写更正原因。")}])
    written = _write(actor, event, targets, stored, reason)
    if written:
        action = "mark.change" if any(old is not None for _, old in written) else "mark.enter"
        record(actor, action, event, message=reason,
               after={"judge_id": judge.id, "cells": [_audit_cell(t, old) for t, old in written]})
    return [_cell(t, stored.get(t.cell)) for t in targets]


def _lock_for_marking(event) -> tuple[EventStatus, bool]:
    """The event's status, read under a shared lock held until commit (as lock_event), and whether it was signed
    off before (marks are then being corrected), in one statement."""
    db.session.flush()  # Core statements do not autoflush: this transaction's pending changes count too
    signed_off_before = db.exists().where(ResultSnapshot.__table__.c.event_id == EVENTS.c.id)
    row = _run(db.select(EVENTS.c.status, signed_off_before).where(EVENTS.c.id == event.id)
               .with_for_update(read=True, of=EVENTS)).one()
    return row[0], bool(row[1])


def signed_off_before(event) -> bool:
    """Whether the event's results were signed off before: its marks are then being corrected, each change with a
    reason (the grid asks for one)."""
    return bool(db.session.scalar(db.select(db.exists().where(ResultSnapshot.event_id == event.id))))


def _run(statement, parameters=None):
    """Execute a Core statement on the session's connection, in its transaction."""
    return db.session.connection().execute(statement, parameters)


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


def _targets(event, items: list[MarkItem], judge, actor: Actor, criteria: dict[int, CriterionFact]) -> list[_Target]:
    """Check every item; conflicts of interest refuse first, then every other problem together."""
    numbers = {str(item.number) for item in items}
    entries = {e.number: e for e in _run(
        db.select(ENTRIES.c.id, ENTRIES.c.number, ENTRIES.c.status, ENTRIES.c.employer_id)
        .where(ENTRIES.c.event_id == event.id, ENTRIES.c.number.in_(numbers)))}
    _refuse_conflicts(items, entries, {judge.employer_id, getattr(actor.user, "employer_id", None)} - {None})
    targets, problems, seen = [], [], set()
    for index, item in enumerate(items):
        target = _target(index, item, entries.get(str(item.number)), _criterion(criteria, item.criterion_id), judge)
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


def _refuse_conflicts(items: list[MarkItem], entries: dict, employers: set) -> None:
    """回避: nobody marks an entry of their own employer."""
    conflicted = sorted({str(i.number) for i in items if (e := entries.get(str(i.number))) is not None
                         and e.employer_id is not None and e.employer_id in employers})
    if conflicted:
        raise NotAllowed(Message("参赛号 %(numbers)s 的选手与您（或被更正的裁判）同一工作单位，须回避，不能评分。",
                                 numbers=listing(conflicted)),
                         code="conflict_of_interest")


def _target(index: int, item: MarkItem, entry, criterion: CriterionFact | None, judge) -> "_Target | str":
    """A checked item, or the Chinese reason it is refused."""
    if entry is None:
        return Message("参赛号 %(number)s 不存在。", number=item.number)
    if entry.status.value not in MARKABLE:
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
    return _Target(index, entry.id, entry.number, criterion, key, value, expected)


def _stored(event, targets: list[_Target]) -> dict[tuple, _Stored]:
    """The stored marks of the targeted cells, fresh and (on PostgreSQL) locked until commit."""
    query = (db.select(MARKS.c.id, MARKS.c.value, MARKS.c.version, MARKS.c.entered_by_id,
                       *(MARKS.c[name] for name in CELL_COLUMNS))
             .where(MARKS.c.event_id == event.id,
                    MARKS.c.entry_id.in_({t.entry_id for t in targets}),
                    MARKS.c.criterion_id.in_({t.criterion.id for t in targets}),
                    MARKS.c.judge_key.in_({t.key for t in targets}))
             .with_for_update())
    wanted = {t.cell for t in targets}
    return {cell: _Stored(row.id, row.value, row.version, row.entered_by_id) for row in _run(query)
            if (cell := (row.entry_id, row.criterion_id, row.judge_key)) in wanted}


def _refuse_stale(targets: list[_Target], stored: dict, correcting: bool) -> None:
    """Refuse cells whose stored value is not what the client saw, and corrections of empty cells. A cell that
    already holds the value sent is fine: a tablet resending a save whose answer the network lost stores
    nothing twice."""
    problems = []
    for t in targets:
        mark = stored.get(t.cell)
        current = mark.value if mark is not None else None
        if correcting and mark is None:
            problems.append({"field": f"marks[{t.index}]",
                             "message": Message("%(cell)s 尚无评分，只能更正已有的评分。", cell=t.where())})
        elif current != t.expected and current != t.value:  # the same value again is a retry, not a clash
            message = Message("%(cell)s 已被改为 %(now)s（您看到的是 %(seen)s），请刷新后再改。",
                              cell=t.where(), now=_shown(current), seen=_shown(t.expected))
            problems.append({"field": f"marks[{t.index}]", "message": message})
    if problems:
        raise InvalidState(Message("有评分已被他人修改，未保存任何分数，请刷新后重试。"), code="stale_mark",
                           details=problems)


def _refuse_others_measurements(targets: list[_Target], stored: dict, actor: Actor) -> None:
    """A measurement value someone else entered is changed only with a reason: a 409 stale edit naming who entered
    it (RULES.md §6: one value per entry, so two judges measuring the same piece must not overwrite each other)."""
    others = [(t, mark) for t in targets if t.criterion.is_measurement and (mark := stored.get(t.cell)) is not None
              and mark.value != t.value and mark.entered_by_id not in (None, actor.user_id)]
    if not others:
        return
    names = dict(_run(db.select(User.__table__.c.id, User.__table__.c.display_name)
                      .where(User.__table__.c.id.in_({mark.entered_by_id for _, mark in others}))).all())
    problems = [{"field": f"marks[{t.index}]", "entered_by_id": mark.entered_by_id,
                 "entered_by": names.get(mark.entered_by_id),
                 "message": Message("%(cell)s 的测量值 %(value)s 由 %(who)s 录入；如需修改，请填写修改原因。",
                                    cell=t.where(), value=mark.value,
                                    who=names.get(mark.entered_by_id, Message("他人")))} for t, mark in others]
    raise InvalidState(Message("测量值由他人录入，修改须填写原因，未保存任何分数。"), code="stale_mark",
                       details=problems)


def empty_measurements(event) -> list["MissingMark"]:
    """The measurement values still empty for present entries (shown when a judge submits, and on the panel)."""
    return [m for m in missing_marks(event) if m.judge_id is None]


def _shown(value: Decimal | None) -> str:
    """A cell's value for a message: the number, or 空白."""
    return Message("空白") if value is None else str(value)


def _write(actor: Actor, event, targets: list[_Target], stored: dict, reason: str | None) -> list[tuple]:
    """Insert new cells and update changed ones (set-based), log every change; a lost race refuses as stale."""
    written = [(t, stored[t.cell].value if t.cell in stored else None) for t in targets
               if t.cell not in stored or stored[t.cell].value != t.value]
    if not written:
        return written
    now = utcnow()
    new = [t for t, old in written if old is None]
    if new:
        rows = _run(_insert_cells().returning(MARKS.c.id, *(MARKS.c[name] for name in CELL_COLUMNS)),
                    [{"event_id": event.id, "entry_id": t.entry_id, "criterion_id": t.criterion.id, "judge_key": t.key,
                      "entered_by_id": actor.user_id, "value": t.value, "version": 1, "updated_at": now} for t in new])
        inserted = {(row.entry_id, row.criterion_id, row.judge_key): row.id for row in rows}
        _refuse_lost_race([t for t in new if t.cell not in inserted])
        stored.update((t.cell, _Stored(inserted[t.cell], t.value, 1)) for t in new)
    changed = [t for t, old in written if old is not None]
    if changed:
        result = _run(db.update(MARKS)
                      .where(MARKS.c.id == db.bindparam("mark_id"), MARKS.c.version == db.bindparam("seen"))
                      .values(value=db.bindparam("new_value"), version=MARKS.c.version + 1,
                              entered_by_id=actor.user_id, updated_at=now),
                      [{"mark_id": stored[t.cell].id, "seen": stored[t.cell].version, "new_value": t.value}
                       for t in changed])
        if result.supports_sane_multi_rowcount() and result.rowcount != len(changed):
            _refuse_lost_race(changed)  # the rows are locked, so only a bug could get here
        stored.update((t.cell, _Stored(stored[t.cell].id, t.value, stored[t.cell].version + 1)) for t in changed)
    _run(CHANGES.insert(), [
        {"mark_id": stored[t.cell].id, "event_id": event.id, "entry_id": t.entry_id, "criterion_id": t.criterion.id,
         "judge_key": t.key, "old_value": old, "new_value": t.value, "changed_by_id": actor.user_id,
         "changed_at": now, "reason": reason} for t, old in written])
    return written


def _insert_cells():
    """INSERT INTO marks … ON CONFLICT (the cell) DO NOTHING, in the session's dialect."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(MARKS).on_conflict_do_nothing(index_elements=list(CELL_COLUMNS))


def _refuse_lost_race(targets: list[_Target]) -> None:
    """Cells another judge or tab saved between our read and our write: the batch is stale."""
    if targets:
        cells = [{"field": f"marks[{t.index}]", "message": Message("%(cell)s 刚被他人保存。", cell=t.where())}
                 for t in targets]
        raise InvalidState(Message("有评分刚被他人同时保存，未保存任何分数，请刷新后重试。"), code="stale_mark",
                           details=cells)


def _audit_cell(t: _Target, old: Decimal | None) -> list:
    """[number, criterion id, judge key, old, new] for the audit row."""
    return [t.number, t.criterion.id, t.key, None if old is None else str(old), str(t.value)]


def _cell(t: _Target, mark: _Stored | None) -> Cell:
    """The saved state of one target."""
    return Cell(t.entry_id, t.number, t.criterion.id, None if t.key == MEASUREMENT_KEY else t.key,
                mark.value if mark is not None else t.value, mark.version if mark is not None else 1)


def submit_marks(actor: Actor, event) -> PanelMember:
    """A judge submits their marks, which become read-only to them; every cell they must mark is needed."""
    lock_event(event, shared=True)
    if event.status is not EventStatus.SCORING:
        raise InvalidState(Message("赛项不在评分阶段，不能提交评分。"))
    user = actor.user
    if user is None or not is_panel_judge(user, event):
        raise NotAllowed(Message("只有本赛项裁判组的裁判可以提交评分。"))
    member = _member(event, user.id)
    if member.submitted_at is not None:
        raise InvalidState(Message("您已提交过评分。"), code="marks_submitted")
    missing = [m for m in missing_marks(event) if m.judge_id == user.id]
    if missing:
        raise InvalidState(Message("还有 %(count)s 项评分未录入，不能提交。", count=len(missing)),
                           code="marks_incomplete",
                           details=[m.detail() for m in missing])
    member.submitted_at = utcnow()
    db.session.flush()
    record(actor, "mark.submit", event, after={"judge_id": user.id, "submitted_at": member.submitted_at})
    return member


@dataclass(frozen=True)
class MissingMark:
    """A mark not yet entered: judge_id is None for a measurement value."""

    judge_id: int | None
    judge_name: str | None
    entry_id: int
    number: str | None
    criterion_id: int
    criterion_name: str

    def detail(self) -> dict:
        """The error detail of this missing mark."""
        if self.judge_name:
            message = Message("裁判 %(judge)s：参赛号 %(number)s「%(criterion)s」未评分",
                              judge=self.judge_name, number=self.number, criterion=self.criterion_name)
        else:
            message = Message("参赛号 %(number)s「%(criterion)s」未评分", number=self.number, criterion=self.criterion_name)
        return {"field": "marks", "message": message,
                "judge_id": self.judge_id, "number": self.number, "criterion_id": self.criterion_id}


def missing_marks(event, facts: Facts | None = None, keys: set | None = None) -> list[MissingMark]:
    """Every mark still to enter for present entries: measurements, then each judge's, by number."""
    facts = facts or load_facts(event)
    keys = mark_keys(event) if keys is None else keys
    measured, judged = facts.of_kind("measurement"), facts.of_kind("judgement")
    missing = []
    for entry in facts.present():
        missing += [MissingMark(None, None, entry.id, entry.number, c.id, c.name)
                    for c in measured if (entry.id, c.id, MEASUREMENT_KEY) not in keys]
        missing += [MissingMark(j.user_id, j.name, entry.id, entry.number, c.id, c.name)
                    for j in facts.markers(entry) for c in judged if (entry.id, c.id, j.user_id) not in keys]
    return missing
