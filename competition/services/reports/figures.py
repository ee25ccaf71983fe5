"""Season figures for the dashboard and the season report: every number is aggregated in the database,
in a fixed number of statements whatever the size of the season.

`month` (a date on the 1st) narrows a report to the events held in that month and the money decided in it,
for the monthly feedback to the towns; None is the whole year.
"""
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Row, and_, case, func, or_

from ...extensions import db
from ...models import (
    Criterion,
    CriterionKind,
    Enterprise,
    Entry,
    EntryStatus,
    Event,
    EventStatus,
    Mark,
    Module,
    PanelMember,
    Person,
    ResultSnapshot,
    Season,
    User,
)
from ...rules.messages import Message
from ..money.budget import committed, spending_history
from ..results.prizes import prize_settings_by_event, prizes_of

PRESENT = (EntryStatus.PRESENT, EntryStatus.DISQUALIFIED)  # participants (RULES.md §10)
NO_TOWN = Message("未填写镇区")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class EventFigures:
    """One event's counts: registered, participants (frozen at sign-off, else live), absent or withdrawn."""

    id: int
    name: str
    occupation: str
    status: str
    kind: str
    event_date: date
    registered: int
    participants: int
    frozen: bool


@dataclass(frozen=True)
class Progress:
    """A running event's marks entered against those expected (回避 cells excluded)."""

    id: int
    name: str
    entered: int
    expected: int

    @property
    def percent(self) -> int:
        """Whole percent, 100 when nothing is expected."""
        return 100 if not self.expected else min(100, self.entered * 100 // self.expected)


@dataclass
class SeasonFigures:
    """Everything the season dashboard and report show."""

    season: Season
    month: date | None
    events: list[EventFigures]
    by_status: dict[str, int]
    by_occupation: dict[str, int]
    by_town: dict[str, int]
    progress: list[Progress]
    budget: int
    committed: int
    spending: list[dict] = field(default_factory=list)

    @property
    def participants(self) -> int:
        """Participants over all events of the report."""
        return sum(e.participants for e in self.events)

    @property
    def registered(self) -> int:
        """Registrations over all events of the report."""
        return sum(e.registered for e in self.events)


def month_range(month: date | None, season: Season) -> tuple[date, date]:
    """The first and last day covered: the month, or the season's calendar year."""
    if month is None:
        return date(season.year, 1, 1), date(season.year, 12, 31)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return month, date.fromordinal(following.toordinal() - 1)


def season_figures(season: Season, month: date | None = None) -> SeasonFigures:
    """The season's figures, whole year or one month."""
    start, end = month_range(month, season)
    # The season's events are its own whatever their date (a January event may belong to last year's plan);
    # a month narrows them to those held in it.
    in_report = Event.season_id == season.id
    if month is not None:
        in_report = and_(in_report, Event.event_date.between(start, end))
    events = _events(in_report)
    by_status: dict[str, int] = defaultdict(int)
    by_occupation: dict[str, int] = defaultdict(int)
    for e in events:
        by_status[e.status] += 1
        by_occupation[e.occupation] += e.participants
    return SeasonFigures(
        season=season, month=month, events=events, by_status=dict(by_status),
        by_occupation=dict(sorted(by_occupation.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_town=_by_town(in_report), progress=_progress(in_report), budget=season.budget,
        committed=committed(season.id), spending=spending_by_month(season, start, end))


def _events(in_report) -> list[EventFigures]:
    """Each event with its registrations and participants, in one grouped query."""
    counted = func.count(Entry.id)
    live = func.sum(case((Entry.status.in_(PRESENT), 1), else_=0))
    rows = db.session.execute(
        db.select(Event.id, Event.name, Event.occupation, Event.status, Event.kind, Event.event_date,
                  Event.participants, counted.label("registered"), live.label("live"))
        .outerjoin(Entry, Entry.event_id == Event.id).where(in_report)
        .group_by(Event.id).order_by(Event.event_date, Event.id)).all()
    return [EventFigures(r.id, r.name, r.occupation, r.status.value, r.kind.value, r.event_date, r.registered,
                         r.participants if r.participants is not None else int(r.live or 0),
                         r.participants is not None)
            for r in rows if r.status is not EventStatus.CANCELLED]


def _by_town(in_report) -> dict[str, int]:
    """Participants by the town (镇区) of their employer."""
    rows = db.session.execute(
        db.select(Enterprise.town, func.count(Entry.id)).select_from(Entry)
        .join(Event, Event.id == Entry.event_id).outerjoin(Enterprise, Enterprise.id == Entry.employer_id)
        .where(in_report, Entry.status.in_(PRESENT), Event.status != EventStatus.CANCELLED)
        .group_by(Enterprise.town)).all()
    towns: dict[str, int] = defaultdict(int)
    for town, count in rows:
        towns[town or NO_TOWN] += count
    return dict(sorted(towns.items(), key=lambda kv: (-kv[1], kv[0])))


def _progress(in_report) -> list[Progress]:
    """Marks entered and expected for every event in scoring, in four grouped queries."""
    scoring = and_(in_report, Event.status == EventStatus.SCORING)
    events: dict[int, str] = dict(db.session.execute(
        db.select(Event.id, Event.name).where(scoring).order_by(Event.event_date)).tuples().all())
    if not events:
        return []
    ids = list(events)
    present: dict[int, int] = dict(db.session.execute(
        db.select(Entry.event_id, func.count(Entry.id)).where(Entry.event_id.in_(ids), Entry.status.in_(PRESENT))
        .group_by(Entry.event_id)).tuples().all())
    criteria = db.session.execute(
        db.select(Module.event_id, func.sum(case((Criterion.kind == CriterionKind.JUDGEMENT, 1), else_=0)),
                  func.sum(case((Criterion.kind == CriterionKind.MEASUREMENT, 1), else_=0)))
        .join(Criterion, Criterion.module_id == Module.id).where(Module.event_id.in_(ids))
        .group_by(Module.event_id)).all()
    judges: dict[int, int] = dict(db.session.execute(
        db.select(PanelMember.event_id, func.count(PanelMember.id)).where(PanelMember.event_id.in_(ids))
        .group_by(PanelMember.event_id)).tuples().all())
    conflicts: dict[int, int] = dict(db.session.execute(
        db.select(Entry.event_id, func.count()).select_from(Entry)
        .join(PanelMember, PanelMember.event_id == Entry.event_id).join(User, User.id == PanelMember.user_id)
        .where(Entry.event_id.in_(ids), Entry.status.in_(PRESENT), User.employer_id == Entry.employer_id)
        .group_by(Entry.event_id)).tuples().all())
    marks: dict[int, int] = dict(db.session.execute(
        db.select(Mark.event_id, func.count(Mark.id)).join(Entry, Entry.id == Mark.entry_id)
        .where(Mark.event_id.in_(ids), Entry.status.in_(PRESENT)).group_by(Mark.event_id)).tuples().all())
    kinds = {event_id: (int(j or 0), int(m or 0)) for event_id, j, m in criteria}
    out = []
    for event_id, name in events.items():
        judged, measured = kinds.get(event_id, (0, 0))
        entries = present.get(event_id, 0)
        expected = entries * measured + (entries * judges.get(event_id, 0) - conflicts.get(event_id, 0)) * judged
        out.append(Progress(event_id, name, marks.get(event_id, 0), expected))
    return out


def spending_by_month(season: Season, start: date, end: date) -> list[dict]:
    """Money committed per month of the season, per kind, with the running total against the budget.

    budget.spending_history gives every (kind label, day, yuan) of a season."""
    months = [date(season.year, m, 1) for m in range(1, 13)]
    per_month: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for kind, day, amount in spending_history(season.id):
        if day is not None and start <= day <= end:
            per_month[kind][date(day.year, day.month, 1)] += amount
    running, out = 0, []
    for month in months:
        spent = {kind: amounts.get(month, 0) for kind, amounts in per_month.items()}
        running += sum(spent.values())
        if start <= month <= end:
            out.append({"month": month, "by_kind": spent, "cumulative": running})
    return out


def enterprise_events(enterprise_id: int, season_id: int | None = None) -> Sequence[Row[Any]]:
    """An enterprise's hosted events and the events its employees entered, with its own entry counts (its entries
    counted by event first, through the index on the employer, not every entry of every event)."""
    own = (db.select(Entry.event_id, func.count(Entry.id).label("entries"),
                     func.sum(case((Entry.status.in_(PRESENT), 1), else_=0)).label("participants"))
           .where(Entry.employer_id == enterprise_id).group_by(Entry.event_id).subquery())
    query = (db.select(Event.id, Event.name, Event.occupation, Event.status, Event.kind, Event.event_date,
                       Event.host_enterprise_id, func.coalesce(own.c.entries, 0).label("entries"),
                       func.coalesce(own.c.participants, 0).label("participants"))
             .outerjoin(own, own.c.event_id == Event.id)
             .where(or_(Event.host_enterprise_id == enterprise_id, own.c.event_id.is_not(None)))
             .order_by(Event.event_date.desc(), Event.id.desc()))
    if season_id is not None:
        query = query.where(Event.season_id == season_id)
    return db.session.execute(query).all()


@dataclass(frozen=True)
class EmployeeResult:
    """A published result of one of the enterprise's employees."""

    event_id: int
    event_name: str
    status: str
    name: str
    number: str | None
    rank: int | None
    total: str | None
    entry_status: str
    prize: str | None = None  # 获奖等级 (RULES.md §15): published results show it to everyone


def employee_results(enterprise_id: int) -> list[EmployeeResult]:
    """Published (公示/final) results of the enterprise's employees, with their prizes, from the frozen snapshots, in
    three queries (the people, the snapshots, the policy versions the events follow for their default prize tiers)."""
    published = (EventStatus.NOTICE, EventStatus.FINAL)
    people = db.session.execute(
        db.select(Entry.id, Entry.event_id, Person.name).join(Person, Person.id == Entry.person_id)
        .join(Event, Event.id == Entry.event_id)
        .where(Entry.employer_id == enterprise_id, Event.status.in_(published))).all()
    if not people:
        return []
    names = {row.id: row.name for row in people}
    return [EmployeeResult(event.id, event.name, event.status.value, names[row["entry_id"]], row["number"],
                           row["rank"], row["total"], row["status"], prize)
            for event, row, prize in frozen_rows({row.event_id for row in people}, names)]


def frozen_rows(event_ids: set[int], entry_ids: Collection[int]) -> Iterator[tuple[Event, dict, str | None]]:
    """The rows of these entries in these events' current frozen results, each with its event and prize, latest event
    first (one query, and one for the policy versions the events follow for their default prize tiers)."""
    snapshots = db.session.execute(
        db.select(ResultSnapshot.payload, Event).join(Event, Event.id == ResultSnapshot.event_id)
        .where(ResultSnapshot.event_id.in_(event_ids), ResultSnapshot.superseded_at.is_(None))
        .order_by(Event.event_date.desc(), Event.id)).all()
    settings = prize_settings_by_event(event for _, event in snapshots)
    for payload, event in snapshots:
        prizes = prizes_of(payload["rows"], settings[event.id], entry_ids)
        for row in payload["rows"]:
            if row["entry_id"] in entry_ids:
                yield event, row, prizes.get(row["entry_id"])


@dataclass(frozen=True)
class ResultSummary:
    """A signed-off event's results in brief: ranked, unranked, highest and average total."""

    event_id: int
    name: str
    status: str
    participants: int
    ranked: int
    highest: str | None
    average: str | None


def results_summary(figures: SeasonFigures) -> list[ResultSummary]:
    """For the report's events with frozen results: counts and totals from the current snapshots (one query)."""
    ids = [e.id for e in figures.events if e.frozen]
    if not ids:
        return []
    names = {e.id: e for e in figures.events}
    rows = db.session.execute(db.select(ResultSnapshot.event_id, ResultSnapshot.payload)
                              .where(ResultSnapshot.event_id.in_(ids), ResultSnapshot.superseded_at.is_(None))).all()
    out = []
    for event_id, payload in sorted(rows, key=lambda r: (names[r[0]].event_date, r[0])):
        totals = [Decimal(r["total"]) for r in payload["rows"] if r["rank"] is not None and r["total"] is not None]
        average = (sum(totals, Decimal(0)) / len(totals)).quantize(CENT, rounding=ROUND_HALF_UP) if totals else None
        event = names[event_id]
        out.append(ResultSummary(event_id, event.name, event.status, event.participants, len(totals),
                                 str(max(totals)) if totals else None, str(average) if average is not None else None))
    return out
