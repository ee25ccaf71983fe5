"""Ranking by rounded total and the event's tie-break chain.

Contract: rank_standings orders standings by total (already rounded to 2 decimals), highest
first. Entries with equal totals are separated by the tie-break chain, in order: 'practical'
(rounded practical contribution, higher first) and 'time_used' (seconds, lower first). A key
separates a tied group only when every entry in the group has a value for it (for two entries:
"where both have one"); otherwise the next key is tried, and the skipped key is tried again on
the smaller groups that later keys produce. Entries still tied share a rank, competition style
(1, 2, 2, 4). In strict mode such a group is unresolved unless a ManualOrder names all of its
entries; the order of those entries in it then decides (manual orders are ignored otherwise).
Each placement carries notes saying which key placed it against its neighbours, as Messages
(scoring.messages) that the layer above translates. The result depends only on the values, never
on the input order; cost is O(n log n).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from .messages import Message, joined
from .model import ManualOrder, id_key

HIGHER_FIRST = {"total": True, "practical": True, "time_used": False}
# What a tie note says, as whole phrases so that each reads naturally in translation: the keys found equal (the
# total first, then the tie-breaks in the order they were applied), the key that decided, the keys not compared.
SAME = {(): Message("总分相同"), ("practical",): Message("总分、实操得分相同"), ("time_used",): Message("总分、用时相同"),
        ("practical", "time_used"): Message("总分、实操得分、用时相同"),
        ("time_used", "practical"): Message("总分、用时、实操得分相同")}
DECIDED = {("practical", "ahead"): Message("实操得分较高"), ("practical", "behind"): Message("实操得分较低"),
           ("time_used", "ahead"): Message("用时较短"), ("time_used", "behind"): Message("用时较长")}
UNRECORDED = {("practical",): Message("实操得分未全部记录，不作比较"), ("time_used",): Message("用时未全部记录，不作比较"),
              ("practical", "time_used"): Message("实操得分、用时未全部记录，不作比较"),
              ("time_used", "practical"): Message("用时、实操得分未全部记录，不作比较")}


@dataclass(frozen=True, slots=True)
class Standing:
    """What ranking needs of one complete entry."""

    entry_id: Hashable
    number: str | None
    total: Decimal
    practical: Decimal
    time_used: int | None = None


@dataclass(frozen=True, slots=True)
class TieNote:
    """A row against tied neighbours: relation 'ahead', 'behind' or 'shared', and the deciding key."""

    relation: str
    decided_by: str | None
    other_ids: tuple[Hashable, ...]
    text: Message


@dataclass(frozen=True, slots=True)
class Placement:
    """One ranked standing: rank, whether shared, whether an unresolved strict tie, notes."""

    standing: Standing
    rank: int
    shared: bool
    unresolved: bool
    notes: tuple[TieNote, ...]


@dataclass(frozen=True, slots=True)
class Ranking:
    """Placements in rank order, unresolved strict ties, and the manual orders used."""

    placements: tuple[Placement, ...]
    unresolved: tuple[tuple[Hashable, ...], ...]
    applied_orders: tuple[ManualOrder, ...]


class _Group(NamedTuple):
    """Entries sharing one place; decided_by/equal_keys relate it to the group before it."""

    decided_by: str | None
    equal_keys: tuple[str, ...]
    members: list
    applied: tuple[str, ...]
    reason: str | None = None
    unresolved: bool = False


def _identity(standing: Standing) -> tuple:
    """Stable order of tied entries: competition number, then id."""
    return (standing.number is None, str(standing.number or ""), id_key(standing.entry_id))


def _split(members: list, keys: tuple[str, ...], applied: tuple[str, ...]) -> list[_Group]:
    """Separate tied members by the first key every one of them has a value for."""
    if len(members) > 1:
        for index, key in enumerate(keys):
            if all(getattr(s, key) is not None for s in members):
                return _split_by(members, key, keys[:index] + keys[index + 1:], applied)
    return [_Group(None, (), members, applied)]


def _split_by(members: list, key: str, rest: tuple[str, ...], applied: tuple[str, ...]) -> list[_Group]:
    """Order members by one key and split them into groups of equal value."""
    ordered = sorted(members, key=attrgetter(key), reverse=HIGHER_FIRST[key])
    groups: list[_Group] = []
    for index, (_, same) in enumerate(groupby(ordered, key=attrgetter(key))):
        parts = _split(list(same), rest, applied + (key,))
        if index:
            parts[0] = parts[0]._replace(decided_by=key, equal_keys=applied)
        groups.extend(parts)
    return groups


def _order(standings: Iterable[Standing], chain: tuple[str, ...]) -> list[_Group]:
    """Order all standings by total, then split each total tie by the chain."""
    ordered = sorted(standings, key=_identity)
    ordered.sort(key=attrgetter("total"), reverse=True)
    groups: list[_Group] = []
    for _, same in groupby(ordered, key=attrgetter("total")):
        parts = _split(list(same), chain, ())
        parts[0] = parts[0]._replace(decided_by="total", equal_keys=())
        groups.extend(parts)
    return groups


def _resolve(groups: list[_Group], orders: Sequence[ManualOrder]) -> tuple[list[_Group], list]:
    """Apply manual orders to tied groups; mark the groups no order covers as unresolved."""
    indexed = [(order, set(order.entry_ids)) for order in orders]
    resolved: list[_Group] = []
    applied: list[ManualOrder] = []
    for group in groups:
        ids = {s.entry_id for s in group.members}
        order = next((o for o, names in indexed if ids <= names), None) if len(ids) > 1 else None
        if order is None:
            resolved.append(group._replace(unresolved=len(ids) > 1))
            continue
        if order not in applied:
            applied.append(order)
        resolved.extend(_manual_groups(group, order))
    return resolved, applied


def _manual_groups(group: _Group, order: ManualOrder) -> list[_Group]:
    """Split a tied group into single places in the manual order."""
    position = {entry_id: index for index, entry_id in enumerate(order.entry_ids)}
    members = sorted(group.members, key=lambda s: position[s.entry_id])
    first = group._replace(members=members[:1])
    return [first] + [_Group("manual", group.applied, [m], group.applied, order.reason)
                      for m in members[1:]]


def rank_standings(standings: Iterable[Standing], tie_breaks: Sequence[str] = ("practical", "time_used"),
                   strict: bool = False, manual_orders: Sequence[ManualOrder] = ()) -> Ranking:
    """Rank complete entries by total and tie-break chain, competition style."""
    chain = tuple(tie_breaks)
    groups = _order(standings, chain)
    applied: list[ManualOrder] = []
    if strict:
        groups, applied = _resolve(groups, tuple(manual_orders))
    placements = _place(groups, chain)
    unresolved = tuple(tuple(s.entry_id for s in g.members) for g in groups if g.unresolved)
    return Ranking(tuple(placements), unresolved, tuple(applied))


def _place(groups: list[_Group], chain: tuple[str, ...]) -> list[Placement]:
    """Give each group its competition rank and each member its notes."""
    placements: list[Placement] = []
    rank = 1
    for index, group in enumerate(groups):
        above = groups[index - 1] if index else None
        below = groups[index + 1] if index + 1 < len(groups) else None
        for standing in group.members:
            notes = _notes(standing, group, above, below, rank, chain)
            placements.append(Placement(standing, rank, len(group.members) > 1, group.unresolved, notes))
        rank += len(group.members)
    return placements


def _notes(standing: Standing, group: _Group, above: _Group | None, below: _Group | None,
           rank: int, chain: tuple[str, ...]) -> tuple[TieNote, ...]:
    """Notes against the group above, the members sharing the place, and the group below."""
    notes = []
    if above is not None and group.decided_by != "total":
        notes.append(_versus(standing, above.members[-1], above.members, group, "behind"))
    if len(group.members) > 1:
        notes.append(_shared(standing, group, rank, chain))
    if below is not None and below.decided_by != "total":
        notes.append(_versus(standing, below.members[0], below.members, below, "ahead"))
    return tuple(notes)


def _names(standings: Iterable[Standing]) -> str:
    """Competition numbers (or ids) joined for a sentence."""
    names = [str(s.number or s.entry_id) for s in standings]
    return joined(names, lambda head, tail: Message("%(head)s、%(tail)s", head=head, tail=tail))


def _show(key: str, value: object) -> str:
    """A tie-break value as written in a note."""
    return Message("%(seconds)s 秒", seconds=value) if key == "time_used" else str(value)


def _versus(standing: Standing, other: Standing, others: list, boundary: _Group, relation: str) -> TieNote:
    """Note for a row placed ahead of or behind a neighbouring group by one key."""
    key, names, same = boundary.decided_by, _names(others), SAME[boundary.equal_keys]
    if key is None:
        raise ValueError("a neighbouring group is always separated by a key")
    if key == "manual":
        if relation == "ahead":
            text = Message("与 %(names)s %(same)s，按组委会确定的顺序排在其前（理由：%(reason)s）",
                           names=names, same=same, reason=boundary.reason)
        else:
            text = Message("与 %(names)s %(same)s，按组委会确定的顺序排在其后（理由：%(reason)s）",
                           names=names, same=same, reason=boundary.reason)
    else:
        mine, theirs = getattr(standing, key), getattr(other, key)
        text = Message("与 %(names)s %(same)s，%(decided)s（%(mine)s %(sign)s %(theirs)s）", names=names, same=same,
                       decided=DECIDED[key, relation], mine=_show(key, mine), sign=">" if mine > theirs else "<",
                       theirs=_show(key, theirs))
    return TieNote(relation, key, tuple(s.entry_id for s in others), text)


def _shared(standing: Standing, group: _Group, rank: int, chain: tuple[str, ...]) -> TieNote:
    """Note for a row sharing its rank with others."""
    others = [s for s in group.members if s is not standing]
    text = Message("与 %(names)s 并列第 %(rank)s 名：%(same)s", names=_names(others), rank=rank,
                   same=SAME[group.applied])
    unknown = tuple(key for key in chain if key not in group.applied)
    if unknown:
        text = Message("%(head)s，%(tail)s", head=text, tail=UNRECORDED[unknown])
    if group.unresolved:
        text = Message("%(note)s；名次不并列，待组委会确定顺序", note=text)
    return TieNote("shared", None, tuple(s.entry_id for s in others), text)
