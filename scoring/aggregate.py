"""Aggregation of judges' marks, module scores and the weighted total.

Contract: marks arrive as exact integer hundredths (arithmetic.to_hundredths). An aggregate is
the mean of the marks it uses: all of them (mean), the middle one or two (median), or all but one
lowest and one highest (trimmed_mean, which needs at least 3 marks and with 3 equals the median).
At level 'judge_total' each judge's subtotal of a module's judgement criteria is aggregated; at
level 'criterion' each criterion is aggregated across judges and the results summed.
module score = measurement values + aggregated judgement part; total = Σ module score × weight / 100;
practical = the same sum over practical modules only. Every value is kept as an exact Fraction and,
beside it, rounded half up to 2 decimals for display and ranking. Results never depend on the order
in which judges or marks are given.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter

from .arithmetic import exact_sum, round_half_up, to_hundredths
from .model import METHODS, Criterion, Module, Scheme, id_key

JudgeMark = tuple[Hashable, int]  # (judge id, mark in hundredths)


class TooFewMarks(ValueError):
    """Raised when a method needs more marks than were given."""

    def __init__(self, method: str, count: int, needed: int) -> None:
        super().__init__(f"{method} needs at least {needed} marks, got {count}")
        self.method, self.count, self.needed = method, count, needed


@dataclass(frozen=True, slots=True)
class Aggregate:
    """One aggregated set of marks: all marks (ascending), those used, those dropped, the value."""

    method: str
    marks: tuple[JudgeMark, ...]
    used: tuple[JudgeMark, ...]
    dropped: tuple[JudgeMark, ...]
    value: Fraction


@dataclass(frozen=True, slots=True)
class JudgementPart:
    """The aggregated judgement of a module: one criterion, or (criterion None) the judges' subtotals."""

    criterion: Criterion | None
    aggregate: Aggregate


@dataclass(frozen=True, slots=True)
class ModuleScore:
    """A module's score: measurement values, judgement parts, exact and displayed score."""

    module: Module
    measurements: tuple[tuple[Criterion, int], ...]
    judgement: tuple[JudgementPart, ...]
    exact: Fraction
    score: Decimal
    weighted: Fraction


@dataclass(frozen=True, slots=True)
class EntryScore:
    """A complete entry's module scores, total and practical contribution, exact and rounded."""

    modules: tuple[ModuleScore, ...]
    total_exact: Fraction
    total: Decimal
    practical_exact: Fraction
    practical: Decimal


def needed_marks(method: str) -> int:
    """Return the fewest marks a method can aggregate."""
    return 3 if method == "trimmed_mean" else 1


def _judge_key(mark: JudgeMark) -> tuple:
    """Order marks by judge, so that ties between equal marks are explained the same every time."""
    return id_key(mark[0])


def aggregate(marks: Iterable[JudgeMark], method: str) -> Aggregate:
    """Aggregate (judge id, hundredths) pairs by mean, median or trimmed_mean."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}: {method!r}")
    return _aggregate(sorted(marks, key=_judge_key), method)


def _aggregate(by_judge: list[JudgeMark], method: str) -> Aggregate:
    """Aggregate marks already in judge order (equal marks then stay in judge order)."""
    ordered = tuple(sorted(by_judge, key=itemgetter(1)))
    if len(ordered) < needed_marks(method):
        raise TooFewMarks(method, len(ordered), needed_marks(method))
    used, dropped = _select(ordered, method)
    value = Fraction(sum(map(itemgetter(1), used)), 100 * len(used))
    return Aggregate(method, ordered, used, dropped, value)


def _select(ordered: tuple[JudgeMark, ...], method: str) -> tuple[tuple, tuple]:
    """Split ascending marks into those the method averages and those it drops."""
    if method == "mean":
        return ordered, ()
    if method == "trimmed_mean":
        return ordered[1:-1], (ordered[0], ordered[-1])
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle:middle + 1], ()
    return ordered[middle - 1:middle + 1], ()


def aggregate_marks(marks: Mapping[Hashable, int | str | Decimal], method: str) -> Aggregate:
    """Aggregate judges' marks given as {judge id: mark} (int, Decimal or str)."""
    return aggregate(((judge, to_hundredths(mark)) for judge, mark in marks.items()), method)


def score_module(scheme: Scheme, module: Module, measurements: Mapping[Hashable, int],
                 judgements: Mapping[tuple[Hashable, Hashable], int],
                 judges: Iterable[Hashable]) -> ModuleScore:
    """Score one module from complete marks in hundredths (KeyError if a mark is missing)."""
    measured = tuple((c, measurements[c.id]) for c in scheme.measured(module.id))
    judges = tuple(sorted(judges, key=id_key))
    parts = _judgement_parts(scheme, scheme.judged(module.id), judgements, judges)
    base = Fraction(sum(mark for _, mark in measured), 100)
    exact = exact_sum((part.aggregate.value for part in parts), base)
    weighted = exact * module.weight / 100
    return ModuleScore(module, measured, parts, exact, round_half_up(exact), weighted)


def _judgement_parts(scheme: Scheme, judged: tuple[Criterion, ...],
                     judgements: Mapping[tuple[Hashable, Hashable], int],
                     judges: tuple[Hashable, ...]) -> tuple[JudgementPart, ...]:
    """Aggregate a module's judgement criteria at the scheme's level."""
    if not judged:
        return ()
    if scheme.level == "judge_total":
        subtotals = [(j, sum(judgements[(j, c.id)] for c in judged)) for j in judges]
        return (JudgementPart(None, _aggregate(subtotals, scheme.method)),)
    return tuple(JudgementPart(c, _aggregate([(j, judgements[(j, c.id)]) for j in judges], scheme.method))
                 for c in judged)


def score_entry(scheme: Scheme, measurements: Mapping[Hashable, int],
                judgements: Mapping[tuple[Hashable, Hashable], int],
                judges: Iterable[Hashable]) -> EntryScore:
    """Score a complete entry: every module, the weighted total and the practical contribution."""
    judges = tuple(judges)
    modules = tuple(score_module(scheme, m, measurements, judgements, judges) for m in scheme.modules)
    total = exact_sum(m.weighted for m in modules)
    practical = exact_sum(m.weighted for m in modules if m.module.kind == "practical")
    return EntryScore(modules, total, round_half_up(total), practical, round_half_up(practical))
