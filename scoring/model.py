"""Inputs of scoring: an event's marking scheme, its entries and manual orders.

Contract: the service layer builds these frozen dataclasses from database rows. They are checked
on construction and raise ValueError for an unknown kind, method, level, tie-break or status, for
module weights that do not sum to 100, duplicate ids, or a criterion of an unknown module. Ids are
any hashable values (ints or strings). Marks and maxima are int, decimal.Decimal or str with at
most 2 decimals, never floats. Mappings and sets given to an Entry are copied read-only.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .arithmetic import to_hundredths

METHODS = ("mean", "median", "trimmed_mean")
LEVELS = ("judge_total", "criterion")
TIE_BREAKS = ("practical", "time_used")
DEFAULT_TIE_BREAKS = ("practical", "time_used")
MODULE_KINDS = ("theory", "practical")
CRITERION_KINDS = ("measurement", "judgement")
STATUSES = ("present", "absent", "withdrawn", "disqualified")


def _require(condition: bool, message: str) -> None:
    """Raise ValueError(message) unless the condition holds."""
    if not condition:
        raise ValueError(message)


def _is_whole(value: Any) -> bool:
    """Tell whether value is a real int (bools are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def id_key(value: Hashable) -> tuple:
    """Sort key that orders ints numerically and everything else by text, ints first."""
    return (0, value, "") if _is_whole(value) else (1, 0, str(value))


@dataclass(frozen=True, slots=True)
class Module:
    """A 考核模块: theory or practical, weighted in whole percent."""

    id: Hashable
    name: str
    kind: str
    weight: int

    def __post_init__(self) -> None:
        _require(self.kind in MODULE_KINDS, f"module kind must be one of {MODULE_KINDS}: {self.kind!r}")
        _require(_is_whole(self.weight) and 0 <= self.weight <= 100,
                 f"module weight must be a whole percent 0-100: {self.weight!r}")


@dataclass(frozen=True, slots=True)
class Criterion:
    """A 评分项 of one module, with its maximum mark."""

    id: Hashable
    module_id: Hashable
    name: str
    max_score: Decimal | str | int
    kind: str
    max_hundredths: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _require(self.kind in CRITERION_KINDS,
                 f"criterion kind must be one of {CRITERION_KINDS}: {self.kind!r}")
        maximum = to_hundredths(self.max_score)
        _require(maximum > 0, f"criterion maximum must be positive: {self.max_score!r}")
        object.__setattr__(self, "max_hundredths", maximum)


@dataclass(frozen=True, slots=True)
class _Index:
    """Look-ups derived once from a scheme."""

    by_id: Mapping[Hashable, Criterion]
    measured: Mapping[Hashable, tuple[Criterion, ...]]
    judged: Mapping[Hashable, tuple[Criterion, ...]]
    all_measured: tuple[Criterion, ...]
    all_judged: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Scheme:
    """An event's marking scheme with its aggregation and ranking policy."""

    modules: tuple[Module, ...]
    criteria: tuple[Criterion, ...]
    method: str
    level: str = "judge_total"
    tie_breaks: tuple[str, ...] = DEFAULT_TIE_BREAKS
    strict: bool = False
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("modules", "criteria", "tie_breaks"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        self._check_policy()
        self._check_structure()
        object.__setattr__(self, "_index", self._build_index())

    def _check_policy(self) -> None:
        """Check method, level and tie-break chain."""
        _require(self.method in METHODS, f"method must be one of {METHODS}: {self.method!r}")
        _require(self.level in LEVELS, f"level must be one of {LEVELS}: {self.level!r}")
        _require(all(key in TIE_BREAKS for key in self.tie_breaks),
                 f"tie-breaks must be among {TIE_BREAKS}: {self.tie_breaks!r}")
        _require(len(set(self.tie_breaks)) == len(self.tie_breaks), "a tie-break is repeated")

    def _check_structure(self) -> None:
        """Check ids, weights and the module of every criterion."""
        module_ids = [m.id for m in self.modules]
        _require(bool(module_ids), "a scheme needs at least one module")
        _require(len(set(module_ids)) == len(module_ids), "module ids must be distinct")
        criterion_ids = [c.id for c in self.criteria]
        _require(len(set(criterion_ids)) == len(criterion_ids), "criterion ids must be distinct")
        _require(sum(m.weight for m in self.modules) == 100, "module weights must sum to 100")
        known = set(module_ids)
        unknown = [c.id for c in self.criteria if c.module_id not in known]
        _require(not unknown, f"criteria of unknown modules: {unknown!r}")

    def _build_index(self) -> _Index:
        """Group criteria by module and kind, in scheme order."""
        def of(module_id: Hashable, kind: str) -> tuple[Criterion, ...]:
            """A module's criteria of one kind."""
            return tuple(c for c in self.criteria if c.module_id == module_id and c.kind == kind)
        return _Index(by_id={c.id: c for c in self.criteria},
                      measured={m.id: of(m.id, "measurement") for m in self.modules},
                      judged={m.id: of(m.id, "judgement") for m in self.modules},
                      all_measured=tuple(c for c in self.criteria if c.kind == "measurement"),
                      all_judged=tuple(c for c in self.criteria if c.kind == "judgement"))

    def criterion(self, criterion_id: Hashable) -> Criterion | None:
        """Return the criterion with this id, or None."""
        return self._index.by_id.get(criterion_id)

    def measured(self, module_id: Hashable) -> tuple[Criterion, ...]:
        """Return a module's measurement criteria in scheme order."""
        return self._index.measured[module_id]

    def judged(self, module_id: Hashable) -> tuple[Criterion, ...]:
        """Return a module's judgement criteria in scheme order."""
        return self._index.judged[module_id]

    @property
    def measurement_criteria(self) -> tuple[Criterion, ...]:
        """All measurement criteria, in scheme order."""
        return self._index.all_measured

    @property
    def judgement_criteria(self) -> tuple[Criterion, ...]:
        """All judgement criteria, in scheme order."""
        return self._index.all_judged


@dataclass(frozen=True, slots=True)
class Entry:
    """One contestant's entry: status, marks, and the judges expected to mark it (no conflict)."""

    id: Hashable
    number: str | None = None
    status: str = "present"
    time_used: int | None = None
    measurements: Mapping[Hashable, Any] = field(default_factory=dict)
    judgements: Mapping[tuple[Hashable, Hashable], Any] = field(default_factory=dict)
    judges: frozenset = frozenset()

    def __post_init__(self) -> None:
        _require(self.status in STATUSES, f"status must be one of {STATUSES}: {self.status!r}")
        _require(self.time_used is None or (_is_whole(self.time_used) and self.time_used >= 0),
                 f"time used must be whole seconds or None: {self.time_used!r}")
        object.__setattr__(self, "measurements", MappingProxyType(dict(self.measurements)))
        object.__setattr__(self, "judgements", MappingProxyType(dict(self.judgements)))
        object.__setattr__(self, "judges", frozenset(self.judges))


@dataclass(frozen=True, slots=True)
class ManualOrder:
    """An organiser's order for entries the tie-break chain could not separate, with the reason."""

    entry_ids: tuple[Hashable, ...]
    reason: str

    def __post_init__(self) -> None:
        ids = tuple(self.entry_ids)
        object.__setattr__(self, "entry_ids", ids)
        _require(len(ids) >= 2, "a manual order needs at least two entries")
        _require(len(set(ids)) == len(ids), "a manual order names an entry twice")
        _require(bool(self.reason and self.reason.strip()), "a manual order needs a reason")


def unique_ids(entries: Iterable[Entry]) -> None:
    """Raise ValueError when two entries share an id."""
    seen: set = set()
    for entry in entries:
        _require(entry.id not in seen, f"entry id repeated: {entry.id!r}")
        seen.add(entry.id)
