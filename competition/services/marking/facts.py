"""Facts of an event for scoring, loaded in a constant number of queries, and results computed from them.

Raw marks are the source of truth: they are read as plain tuples (not ORM objects) and handed to
scoring/. Judges appear in scoring by panel seat (裁判 1, 裁判 2, … in the order they joined the
panel), never by account. Entries never checked in count as absent.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from scoring import Criterion as ScoringCriterion
from scoring import Entry as ScoringEntry
from scoring import ManualOrder, Results, Scheme, compute_results
from scoring import Module as ScoringModule

from ...extensions import db
from ...models import Criterion, Entry, Event, Mark, Module, PanelMember, TieOrder, User
from ...models.types import beijing_today  # noqa: F401  (re-exported: services take "today" from here)

SCORING_STATUS = {"present": "present", "disqualified": "disqualified", "absent": "absent",
                  "withdrawn": "withdrawn", "registered": "absent"}


@dataclass(frozen=True)
class ModuleFact:
    """A module of the scheme."""

    id: int
    name: str
    kind: str
    weight: int


@dataclass(frozen=True)
class CriterionFact:
    """A criterion of the scheme, in scheme order."""

    id: int
    module_id: int
    name: str
    kind: str
    max_score: Decimal

    @property
    def is_measurement(self) -> bool:
        """Entered once per entry (judge key 0) rather than by every judge."""
        return self.kind == "measurement"


@dataclass(frozen=True)
class EntryFact:
    """What marking needs of an entry."""

    id: int
    number: str | None
    status: str
    employer_id: int | None
    time_used: int | None


@dataclass(frozen=True)
class JudgeFact:
    """A panel judge with their seat (1, 2, … in the order they joined the panel)."""

    user_id: int
    name: str
    employer_id: int | None
    is_chief: bool
    submitted_at: datetime | None
    seat: int

    def conflicts_with(self, entry: EntryFact) -> bool:
        """回避: the judge works for the entry's employer."""
        return self.employer_id is not None and self.employer_id == entry.employer_id


@dataclass(frozen=True)
class Facts:
    """An event's scheme, entries and panel, loaded once."""

    modules: tuple[ModuleFact, ...]
    criteria: tuple[CriterionFact, ...]
    entries: tuple[EntryFact, ...]
    judges: tuple[JudgeFact, ...]

    def present(self) -> list[EntryFact]:
        """Entries that must be fully marked (present, not disqualified)."""
        return [e for e in self.entries if e.status == "present"]

    def markers(self, entry: EntryFact) -> list[JudgeFact]:
        """The panel judges who mark this entry (no conflict of interest)."""
        return [j for j in self.judges if not j.conflicts_with(entry)]

    def of_kind(self, kind: str) -> list[CriterionFact]:
        """The measurement or judgement criteria, in scheme order."""
        return [c for c in self.criteria if c.kind == kind]


def load_criteria(event) -> dict[int, CriterionFact]:
    """The event's criteria by id, in scheme order (one query)."""
    rows = db.session.execute(
        db.select(Criterion.id, Criterion.module_id, Criterion.name, Criterion.kind, Criterion.max_score)
        .join(Module, Module.id == Criterion.module_id).where(Module.event_id == event.id)
        .order_by(Module.position, Module.id, Criterion.position, Criterion.id))
    return {r.id: CriterionFact(r.id, r.module_id, r.name, r.kind.value, r.max_score) for r in rows}


def load_facts(event) -> Facts:
    """Scheme, entries and panel in four queries."""
    modules = tuple(ModuleFact(r.id, r.name, r.kind.value, r.weight) for r in db.session.execute(
        db.select(Module.id, Module.name, Module.kind, Module.weight).where(Module.event_id == event.id)
        .order_by(Module.position, Module.id)))
    entries = tuple(EntryFact(r.id, r.number, r.status.value, r.employer_id, r.time_used_seconds)
                    for r in db.session.execute(
        db.select(Entry.id, Entry.number, Entry.status, Entry.employer_id, Entry.time_used_seconds)
        .where(Entry.event_id == event.id).order_by(Entry.number, Entry.id)))
    panel = db.session.execute(
        db.select(PanelMember.user_id, User.display_name, User.employer_id, PanelMember.is_chief,
                  PanelMember.submitted_at).join(User, User.id == PanelMember.user_id)
        .where(PanelMember.event_id == event.id).order_by(PanelMember.id))
    judges = tuple(JudgeFact(r.user_id, r.display_name, r.employer_id, r.is_chief, r.submitted_at, seat)
                   for seat, r in enumerate(panel, start=1))
    return Facts(modules, tuple(load_criteria(event).values()), entries, judges)


def mark_values(event) -> Sequence[tuple[int, int, int, Decimal]]:
    """Every raw mark of an event as (entry id, criterion id, judge key, value) tuples, in one query."""
    return db.session.execute(db.select(Mark.entry_id, Mark.criterion_id, Mark.judge_key, Mark.value)
                              .where(Mark.event_id == event.id)).tuples().all()


def mark_keys(event) -> set[tuple[int, int, int]]:
    """The filled cells of an event as (entry id, criterion id, judge key)."""
    return set(db.session.execute(db.select(Mark.entry_id, Mark.criterion_id, Mark.judge_key)
                                  .where(Mark.event_id == event.id)).tuples().all())


def lock_event(event, *, shared: bool = False) -> None:
    """Lock the event's row until commit and re-read it (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises).

    Mark saves take it shared, lifecycle steps exclusive: a sign-off never freezes results while a
    correction is being saved, and two clicks never sign off or publish twice.
    """
    db.session.execute(db.select(Event).where(Event.id == event.id).with_for_update(read=shared, of=Event)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched, or nothing is re-read


def build_scheme(event, facts: Facts) -> Scheme:
    """The event's scheme and policy as scoring needs them."""
    return Scheme(tuple(ScoringModule(m.id, m.name, m.kind, m.weight) for m in facts.modules),
                  tuple(ScoringCriterion(c.id, c.module_id, c.name, c.max_score, c.kind) for c in facts.criteria),
                  event.aggregation.value, event.aggregation_level.value, tuple(event.tie_breaks),
                  bool(event.strict_ranking))


def build_entries(facts: Facts, rows) -> list[ScoringEntry]:
    """Scoring entries from (entry, criterion, judge key, value) rows: judges by seat, measurements by key 0."""
    seat = {j.user_id: j.seat for j in facts.judges}
    measured = {c.id for c in facts.criteria if c.is_measurement}
    measurements: dict[int, dict] = {e.id: {} for e in facts.entries}
    judgements: dict[int, dict] = {e.id: {} for e in facts.entries}
    for entry_id, criterion_id, key, value in rows:
        if not key:
            if criterion_id in measured:
                measurements[entry_id][criterion_id] = value
        elif key in seat and criterion_id not in measured:
            judgements[entry_id][(seat[key], criterion_id)] = value
    return [ScoringEntry(e.id, e.number, SCORING_STATUS[e.status], e.time_used, measurements[e.id],
                         judgements[e.id], frozenset(j.seat for j in facts.markers(e)))
            for e in facts.entries]


def tie_orders(event) -> list[ManualOrder]:
    """The recorded manual orders, newest first (a newer order of the same entries wins)."""
    rows = db.session.scalars(db.select(TieOrder).where(TieOrder.event_id == event.id)
                              .order_by(TieOrder.id.desc()))
    return [ManualOrder(tuple(row.entry_ids), row.reason) for row in rows]


def evaluate(event, *, with_orders: bool = True) -> tuple[Facts, Results]:
    """Load everything once and compute the results (six queries whatever the event's size)."""
    facts = load_facts(event)
    orders = tie_orders(event) if with_orders else []
    results = compute_results(build_scheme(event, facts), build_entries(facts, mark_values(event)), orders)
    return facts, results


def compute_event_results(event) -> Results:
    """The event's results computed now from its raw marks."""
    return evaluate(event)[1]
