"""Reading marks back (RULES.md §8): what is missing, each judge's progress, a judge's marks, a cell's
history, and where judges disagree. Every function reads in a constant number of queries."""
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from ...extensions import db
from ...errors import Invalid
from ...models import (
    MEASUREMENT_KEY,
    Criterion,
    CriterionKind,
    Entry,
    EntryStatus,
    Event,
    EventStatus,
    Mark,
    MarkChange,
    Module,
    PanelMember,
    User,
)
from ...rules.messages import Message
from .facts import CriterionFact, Facts, load_facts, mark_keys, mark_values
from .marks import Cell, MissingMark, missing_marks, parse_mark

# A judge's home page: events planned and heading for scoring (the judge is told marking starts later), and
# every status before scoring (listed after the events in scoring, soonest first).
_AWAITING_SCORING = (EventStatus.APPROVED, EventStatus.OPEN, EventStatus.CLOSED, EventStatus.DRAWN)
_BEFORE_SCORING = (EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.REJECTED, *_AWAITING_SCORING)


@dataclass(frozen=True)
class JudgeProgress:
    """How far one judge has got: judgement cells marked of those expected, and submission."""

    judge_id: int
    name: str
    is_chief: bool
    marked: int
    expected: int
    submitted_at: object


@dataclass(frozen=True)
class Progress:
    """Per judge and for measurement values: marked of expected; and every missing mark."""

    judges: list[JudgeProgress]
    measured: int
    measurements_expected: int
    missing: list[MissingMark]

    @property
    def complete(self) -> bool:
        """Every present entry fully marked and every judge submitted."""
        return not self.missing and all(j.submitted_at is not None for j in self.judges)


def progress(event) -> Progress:
    """Each judge's marked and expected cells, the measurement values, and the missing list (five queries)."""
    facts, keys = load_facts(event), mark_keys(event)
    present, judged = facts.present(), facts.of_kind("judgement")
    missing = missing_marks(event, facts, keys)
    short = Counter(m.judge_id for m in missing)
    judges = []
    for j in facts.judges:
        expected = len(judged) * sum(1 for e in present if not j.conflicts_with(e))
        judges.append(JudgeProgress(j.user_id, j.name, j.is_chief, expected - short[j.user_id], expected,
                                    j.submitted_at))
    measurements = len(present) * len(facts.of_kind("measurement"))
    return Progress(judges, measurements - short[None], measurements, missing)


def judge_progress(event, facts: Facts, judge) -> tuple[int, int]:
    """One judge's judgement marks entered and expected — present entries, 回避 excluded, as `progress` counts
    them — in one count query (the grid sends it back with every saved cell)."""
    counted = [e.id for e in facts.present() if not judge.conflicts_with(e)]
    judged = [c.id for c in facts.of_kind("judgement")]
    if not counted or not judged:
        return 0, 0
    marked = db.session.scalar(db.select(db.func.count(Mark.id)).where(
        Mark.event_id == event.id, Mark.judge_key == judge.user_id, Mark.entry_id.in_(counted),
        Mark.criterion_id.in_(judged)))
    return marked or 0, len(counted) * len(judged)


@dataclass(frozen=True)
class Seat:
    """One of a judge's panel seats, for their home page: the event, chief or not, submitted or not, and, while
    the event is in scoring, their judgement marks entered and expected (as `progress` counts them)."""

    event: Event
    is_chief: bool
    submitted_at: object
    marked: int | None = None
    expected: int | None = None

    @property
    def scoring(self) -> bool:
        """The event is in scoring: the judge can mark now."""
        return self.event.status is EventStatus.SCORING

    @property
    def awaiting_scoring(self) -> bool:
        """The event is planned and will reach scoring once the organisers start it."""
        return self.event.status in _AWAITING_SCORING


def judge_seats(user) -> list[Seat]:
    """A judge's panel seats, events in scoring first, then those to come (soonest first), then the others (latest
    first), in four queries whatever their number: progress for every event in scoring is counted in SQL."""
    rows = db.session.execute(db.select(Event, PanelMember.is_chief, PanelMember.submitted_at)
                              .join(PanelMember, PanelMember.event_id == Event.id)
                              .where(PanelMember.user_id == user.id)).all()
    scoring = [event.id for event, _, _ in rows if event.status is EventStatus.SCORING]
    counts = _judge_counts(user, scoring)
    seats = [Seat(event, is_chief, submitted_at, *counts.get(event.id, (None, None)))
             for event, is_chief, submitted_at in rows]
    return sorted(seats, key=_seat_order)


def _seat_order(seat: Seat) -> tuple:
    """In scoring; then not yet scored, soonest first; then scored, latest first."""
    event = seat.event
    if seat.scoring:
        return 0, event.event_date.toordinal(), event.id
    if event.status in _BEFORE_SCORING:
        return 1, event.event_date.toordinal(), event.id
    return 2, -event.event_date.toordinal(), -event.id


def _judge_counts(user, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{event id: (marked, expected)} of one judge's judgement marks: present entries, 回避 excluded (three
    grouped queries for all the events together)."""
    if not event_ids:
        return {}
    counted = [Entry.status == EntryStatus.PRESENT]
    if user.employer_id is not None:
        counted.append(Entry.employer_id.is_(None) | (Entry.employer_id != user.employer_id))
    entries: dict[int, int] = dict(db.session.execute(
        db.select(Entry.event_id, db.func.count(Entry.id))
        .where(Entry.event_id.in_(event_ids), *counted).group_by(Entry.event_id)).tuples().all())
    judged: dict[int, int] = dict(db.session.execute(
        db.select(Module.event_id, db.func.count(Criterion.id)).join(Criterion, Criterion.module_id == Module.id)
        .where(Module.event_id.in_(event_ids), Criterion.kind == CriterionKind.JUDGEMENT)
        .group_by(Module.event_id)).tuples().all())
    marked: dict[int, int] = dict(db.session.execute(
        db.select(Mark.event_id, db.func.count(Mark.id)).join(Entry, Entry.id == Mark.entry_id)
        .join(Criterion, Criterion.id == Mark.criterion_id)
        .where(Mark.event_id.in_(event_ids), Mark.judge_key == user.id, *counted,
               Criterion.kind == CriterionKind.JUDGEMENT)
        .group_by(Mark.event_id)).tuples().all())
    return {event_id: (marked.get(event_id, 0), entries.get(event_id, 0) * judged.get(event_id, 0))
            for event_id in event_ids}


def marks_query(event, judge=None):
    """The select of an event's marks with their entries' numbers, by number and scheme order; for a judge, their own
    marks and the measurement values (each row becomes a Cell through `cell_of`; the API pages it in SQL)."""
    query = (db.select(Mark, Entry.number).join(Entry, Entry.id == Mark.entry_id)
             .join(Criterion, Criterion.id == Mark.criterion_id).join(Module, Module.id == Criterion.module_id)
             .where(Mark.event_id == event.id)
             .order_by(Entry.number, Module.position, Criterion.position, Criterion.id, Mark.judge_key))
    if judge is not None:
        query = query.where(Mark.judge_key.in_((MEASUREMENT_KEY, judge.id)))
    return query


def cell_of(row) -> Cell:
    """One row of marks_query as the Cell callers show."""
    mark, number = row
    return Cell(mark.entry_id, number, mark.criterion_id, mark.judge_key or None, mark.value, mark.version)


def marks_for(event, judge=None) -> list[Cell]:
    """An event's marks by number and scheme order; for a judge, their own marks and the measurement values."""
    return [cell_of(row) for row in db.session.execute(marks_query(event, judge))]


def mark_history(entry) -> list[MarkChange]:
    """Every entry and change of an entry's marks, oldest first."""
    return list(db.session.scalars(db.select(MarkChange).where(MarkChange.entry_id == entry.id)
                                   .order_by(MarkChange.id)))


@dataclass(frozen=True)
class Spread:
    """The range of the judges' marks for one entry and one judgement criterion (or module subtotal)."""

    entry_id: int
    number: str | None
    label: str
    low: Decimal
    high: Decimal
    flagged: bool

    @property
    def spread(self) -> Decimal:
        """Highest minus lowest."""
        return self.high - self.low


def spread(event, threshold) -> list[Spread]:
    """Max-min of the judges' marks per entry and judgement criterion, or per judge subtotal of a module
    (the event's aggregation level); flagged above the threshold. Needs two judges' complete marks."""
    limit = parse_mark(threshold)
    if limit is None:
        raise Invalid(Message("分差阈值应为最多两位小数的数。"),
                      details=[{"field": "threshold", "message": Message("格式有误。")}])
    facts = load_facts(event)
    marks = {(e, c, k): v for e, c, k, v in mark_values(event) if k}
    groups = _spread_groups(event, facts)
    found = []
    for entry in facts.present():
        judges = facts.markers(entry)
        for label, criteria in groups:
            values = [sum((marks[(entry.id, c.id, j.user_id)] for c in criteria), Decimal(0)) for j in judges
                      if all((entry.id, c.id, j.user_id) in marks for c in criteria)]
            if len(values) >= 2:
                low, high = min(values), max(values)
                found.append(Spread(entry.id, entry.number, label, low, high, high - low > limit))
    return found


def _spread_groups(event, facts: Facts) -> list[tuple[str, list[CriterionFact]]]:
    """What is compared: each judgement criterion, or each module's judgement subtotal."""
    judged = facts.of_kind("judgement")
    if event.aggregation_level.value == "criterion":
        return [(c.name, [c]) for c in judged]
    return [(Message("%(module)s（评价小计）", module=m.name), part) for m in facts.modules
            if (part := [c for c in judged if c.module_id == m.id])]


@dataclass(frozen=True)
class MeasurementCell:
    """One measurement value of a numbered, markable entry: its value (None: still empty) and who last entered it."""

    entry_id: int
    number: str
    criterion: CriterionFact
    value: Decimal | None
    entered_by: str | None

    @property
    def empty(self) -> bool:
        """Still to be entered: sign-off waits for it if the entry is present."""
        return self.value is None


def measurement_sheet(event) -> list[MeasurementCell]:
    """Every measurement cell of the numbered present or disqualified entries, by number and scheme order, with
    who last entered each value (three queries)."""
    facts = load_facts(event)
    measured = facts.of_kind("measurement")
    rows = sorted(((e.number, e) for e in facts.entries if e.number and e.status in ("present", "disqualified")),
                  key=lambda row: row[0])
    if not measured or not rows:
        return []
    stored = {(m.entry_id, m.criterion_id): (m.value, name) for m, name in db.session.execute(
        db.select(Mark, User.display_name).outerjoin(User, User.id == Mark.entered_by_id)
        .where(Mark.event_id == event.id, Mark.judge_key == MEASUREMENT_KEY))}
    return [MeasurementCell(e.id, number, c, *stored.get((e.id, c.id), (None, None))) for number, e in rows
            for c in measured]
