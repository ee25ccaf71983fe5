"""What an organiser reads to review (复核) one objection, side by side: the entry's marks by judge and criterion,
the explanation of its results row, and every entry and change of its marks; and the entries an objection form
offers. Reads in a constant number of queries."""
from dataclasses import dataclass
from decimal import Decimal

from ...extensions import db
from ...models import Enterprise, Entry, EntryStatus, Mark, MarkChange, Objection, Person, User
from ..marking.facts import CriterionFact, JudgeFact, ModuleFact, load_facts
from ..marking.reports import mark_history
from .rows import result_rows


@dataclass(frozen=True)
class Review:
    """One objection with the marks, the explained row and the mark history of its entry."""

    objection: Objection
    modules: tuple[ModuleFact, ...]
    criteria: tuple[CriterionFact, ...]
    judges: tuple[JudgeFact, ...]
    conflicted: frozenset[int]  # the judges who do not mark this entry (回避)
    marks: dict[tuple[int, int], Decimal]  # (criterion id, judge key; 0 for a measurement) → value
    row: dict | None  # the entry's results row (frozen or computed now), with its explanation
    frozen: bool
    history: list[MarkChange]
    names: dict[int, str]  # user id → display name, for the judges and whoever changed a mark

    @property
    def criterion_names(self) -> dict[int, str]:
        """Criterion id → name, for the history."""
        return {c.id: c.name for c in self.criteria}

    def criteria_of(self, module: ModuleFact) -> list[CriterionFact]:
        """A module's criteria in scheme order."""
        return [c for c in self.criteria if c.module_id == module.id]


def review(objection: Objection) -> Review:
    """Everything the 复核 page shows for one objection."""
    event, entry = objection.event, objection.entry
    facts = load_facts(event)
    fact = next((e for e in facts.entries if e.id == entry.id), None)
    conflicted = frozenset(j.user_id for j in facts.judges if fact is not None and j.conflicts_with(fact))
    marks = {(c, k): v for c, k, v in db.session.execute(
        db.select(Mark.criterion_id, Mark.judge_key, Mark.value).where(Mark.entry_id == entry.id)).tuples()}
    rows, frozen = result_rows(event)
    row = next((r for r in rows if r["entry_id"] == entry.id), None)
    history = mark_history(entry)
    names = {j.user_id: j.name for j in facts.judges}
    wanted = {c.changed_by_id for c in history if c.changed_by_id is not None} - set(names)
    if wanted:
        names |= dict(db.session.execute(db.select(User.id, User.display_name).where(User.id.in_(wanted))).tuples())
    return Review(objection, facts.modules, facts.criteria, facts.judges, conflicted, marks, row, frozen, history,
                  names)


@dataclass(frozen=True)
class EntryChoice:
    """An entry an objection may name: its competition number, the contestant and the employer."""

    entry_id: int
    number: str
    name: str
    employer: str | None


def entry_choices(event, enterprise_id: int | None = None) -> list[EntryChoice]:
    """The event's numbered entries (one enterprise's employees only, when given), by number, in one query."""
    query = (db.select(Entry.id, Entry.number, Person.name, Enterprise.name.label("employer"))
             .join(Person, Person.id == Entry.person_id).outerjoin(Enterprise, Enterprise.id == Entry.employer_id)
             .where(Entry.event_id == event.id, Entry.number.is_not(None),
                    Entry.status.in_((EntryStatus.PRESENT, EntryStatus.DISQUALIFIED)))
             .order_by(Entry.number))
    if enterprise_id is not None:
        query = query.where(Entry.employer_id == enterprise_id)
    return [EntryChoice(r.id, r.number, r.name, r.employer) for r in db.session.execute(query)]
