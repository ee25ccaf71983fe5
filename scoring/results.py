"""compute_results: score, check and rank every entry of one event.

Contract: compute_results(scheme, entries, manual_orders=()) is a pure function of its arguments
and does not depend on the order of entries, judges or marks. An entry is ranked when it is
present (not absent, withdrawn or disqualified) and complete: every measurement criterion has a
value and every expected judge marked every judgement criterion (other judges' marks are ignored)
and no Problem stands in the way. Rows come in display order: ranked rows by rank (tied rows by
competition number), then rows without a rank: present but incomplete ('incomplete'),
disqualified, withdrawn, absent. Results lists the missing marks and problems of present entries
and, in strict mode, the ties that no manual order resolves; sign-off needs results.can_sign_off.
Raises ValueError (TypeError for floats) for malformed input: see model and completeness.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .aggregate import EntryScore, ModuleScore, score_entry
from .completeness import Missing, Problem, find_missing, find_problems, parse_marks
from .explain import Explanation, explain_row
from .model import Entry, ManualOrder, Scheme, id_key, unique_ids
from .ranking import Standing, TieNote, rank_standings

UNRANKED_ORDER = {"incomplete": 0, "disqualified": 1, "withdrawn": 2, "absent": 3}


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the results: status is 'present' when ranked, else why it has no rank."""

    entry_id: Hashable
    number: str | None
    status: str
    rank: int | None
    shared: bool
    unresolved: bool
    time_used: int | None
    score: EntryScore | None
    missing: tuple[Missing, ...]
    problems: tuple[Problem, ...]
    tie_notes: tuple[TieNote, ...]

    @property
    def total(self) -> Decimal | None:
        """Total rounded half up to 2 decimals, if scored."""
        return self.score.total if self.score else None

    @property
    def practical(self) -> Decimal | None:
        """Practical contribution rounded half up to 2 decimals, if scored."""
        return self.score.practical if self.score else None

    @property
    def modules(self) -> tuple[ModuleScore, ...]:
        """Module scores in scheme order (empty if not scored)."""
        return self.score.modules if self.score else ()

    @property
    def explanation(self) -> Explanation:
        """How this row's scores and place came about."""
        return explain_row(self)


@dataclass(frozen=True, slots=True)
class Results:
    """All rows in display order, with what blocks sign-off."""

    rows: tuple[Row, ...]
    unresolved_ties: tuple[tuple[Hashable, ...], ...]
    missing: tuple[Missing, ...]
    problems: tuple[Problem, ...]
    applied_orders: tuple[ManualOrder, ...]

    @property
    def complete(self) -> bool:
        """Every present entry is fully marked and scorable."""
        return not self.missing and not self.problems

    @property
    def can_sign_off(self) -> bool:
        """Complete, and no strict tie left unresolved (judges' submission is checked elsewhere)."""
        return self.complete and not self.unresolved_ties

    def row(self, entry_id: Hashable) -> Row:
        """The row of one entry (KeyError if unknown)."""
        for row in self.rows:
            if row.entry_id == entry_id:
                return row
        raise KeyError(entry_id)


@dataclass(frozen=True, slots=True)
class _Checked:
    """An entry with its missing marks, problems and, when complete, its score."""

    entry: Entry
    status: str
    missing: tuple[Missing, ...]
    problems: tuple[Problem, ...]
    score: EntryScore | None


def _identity(entry: Entry) -> tuple:
    """Stable order: competition number, then id."""
    return (entry.number is None, str(entry.number or ""), id_key(entry.id))


def _check_entry(scheme: Scheme, entry: Entry) -> _Checked:
    """Parse an entry's marks, find what is missing, and score it when complete."""
    if entry.status in ("absent", "withdrawn"):
        return _Checked(entry, entry.status, (), (), None)
    marks = parse_marks(scheme, entry)
    missing = find_missing(scheme, entry, marks)
    problems = find_problems(scheme, entry)
    complete = not missing and not problems
    score = score_entry(scheme, marks.measurements, marks.judgements, entry.judges) if complete else None
    status = "incomplete" if entry.status == "present" and not complete else entry.status
    return _Checked(entry, status, missing, problems, score)


def _standing(checked: _Checked) -> Standing:
    """What ranking needs of a complete present entry."""
    entry, score = checked.entry, checked.score
    if score is None:
        raise ValueError("only a complete entry is ranked")
    return Standing(entry.id, entry.number, score.total, score.practical, entry.time_used)


def _row(checked: _Checked, rank: int | None = None, shared: bool = False,
         unresolved: bool = False, notes: tuple[TieNote, ...] = ()) -> Row:
    """Build the row of a checked entry."""
    entry = checked.entry
    return Row(entry.id, entry.number, checked.status, rank, shared, unresolved, entry.time_used,
               checked.score, checked.missing, checked.problems, notes)


def compute_results(scheme: Scheme, entries: Iterable[Entry],
                    manual_orders: Sequence[ManualOrder] = ()) -> Results:
    """Score, check and rank every entry of one event."""
    entries = sorted(entries, key=_identity)
    unique_ids(entries)
    checked = {e.id: _check_entry(scheme, e) for e in entries}
    ranked = [c for c in checked.values() if c.status == "present"]
    ranking = rank_standings([_standing(c) for c in ranked], scheme.tie_breaks, scheme.strict, manual_orders)
    rows = [_row(checked[p.standing.entry_id], p.rank, p.shared, p.unresolved, p.notes)
            for p in ranking.placements]
    unranked = sorted((c for c in checked.values() if c.status != "present"),
                      key=lambda c: UNRANKED_ORDER[c.status])
    rows += [_row(c) for c in unranked]
    present = [c for c in checked.values() if c.entry.status == "present"]
    return Results(tuple(rows), ranking.unresolved,
                   tuple(m for c in present for m in c.missing),
                   tuple(p for c in present for p in c.problems),
                   ranking.applied_orders)
