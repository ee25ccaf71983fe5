"""Who an event's final results nominate for 吴江区技术能手 (RULES.md §11), and why the others are not.

Contract: `select_nominees(rows, quota, pass_mark, holders, nominated_this_season)` takes an event's
final rows as plain `Candidate`s and the figures as arguments, and returns a `Selection` of the
nominated candidates and of every excluded one with a reason code and a Chinese message. It never
raises for an ordinary outcome and touches neither Flask nor the database.

Decisions, in the order they are checked (the first that applies is the reason given):

1. Only ranked rows and disqualified rows are candidates. Absent, withdrawn and incomplete entries
   never competed, so they are neither nominated nor listed.
2. `disqualified`: a disqualified entry has no rank and is never nominated.
3. `outside_quota`: the quota is cut by rank, competition style: every entry whose rank ≤ quota is
   inside, so a tie at the cut-off brings in every tied entry (quota 3, ranks 1, 2, 3, 3 → four
   inside; ranks 1, 2, 2, 4 → three inside).
4. `module_below_pass` (naming every such module), then `total_below_pass`: each module score and
   the total must reach the pass mark (≥ 60 by default).
5. `already_holder`: a person who holds the title from any year is not nominated again (the 2000
   yuan is one-time); `already_nominated`: a person gets at most one nomination per season.

Places are NOT refilled. RULES §11 makes every entry with rank ≤ quota that passes the marks a
nomination; the quota is a rank cut-off, not a number of titles to hand out. An entry inside the
quota that is excluded (below the pass mark, a holder, already nominated) leaves its place empty,
and the entry ranked just outside the quota stays `outside_quota`: the title rewards a placing,
not the chance that someone above was already honoured.
"""
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .messages import Message, listing

DISQUALIFIED = "disqualified"
OUTSIDE_QUOTA = "outside_quota"
MODULE_BELOW_PASS = "module_below_pass"
TOTAL_BELOW_PASS = "total_below_pass"
ALREADY_HOLDER = "already_holder"
ALREADY_NOMINATED = "already_nominated"
REASON_CODES = (DISQUALIFIED, OUTSIDE_QUOTA, MODULE_BELOW_PASS, TOTAL_BELOW_PASS, ALREADY_HOLDER,
                ALREADY_NOMINATED)


@dataclass(frozen=True)
class ModuleScore:
    """One module's score of a final row."""

    name: str
    score: Decimal


@dataclass(frozen=True)
class Candidate:
    """One final results row: entry, person, rank (None when unranked), total, module scores, status."""

    entry_id: int
    person_id: int
    rank: int | None
    total: Decimal | None
    modules: tuple[ModuleScore, ...] = ()
    status: str = "present"


@dataclass(frozen=True)
class Exclusion:
    """A candidate who is not nominated, with the reason code and its Chinese message."""

    candidate: Candidate
    code: str
    message: str


@dataclass(frozen=True)
class Selection:
    """The nominated candidates (best rank first) and the excluded ones with their reasons."""

    nominated: tuple[Candidate, ...] = ()
    excluded: tuple[Exclusion, ...] = field(default_factory=tuple)


def _points(value: Decimal) -> str:
    """A score as shown: two decimals."""
    return f"{Decimal(value):.2f}"


def person_reason(person_id: int, holders: Collection[int],
                  nominated_this_season: Collection[int]) -> tuple[str, str] | None:
    """Why this person can not be nominated (title held, or already nominated this season), else None."""
    if person_id in holders:
        return ALREADY_HOLDER, Message("已获得过“吴江区技术能手”称号（称号及2000元补贴只授予一次）。")
    if person_id in nominated_this_season:
        return ALREADY_NOMINATED, Message("本年度已有一项技术能手提名（每人每年度至多一项）。")
    return None


def _score_reason(row: Candidate, pass_mark: int) -> tuple[str, str] | None:
    """Why the row's scores fall short of the pass mark, naming every module below it, else None."""
    low = [m for m in row.modules if Decimal(m.score) < pass_mark]
    if low:
        names = listing(Message("「%(module)s」%(score)s 分", module=m.name, score=_points(m.score)) for m in low)
        return MODULE_BELOW_PASS, Message("模块成绩低于合格线 %(pass_mark)s 分：%(modules)s。",
                                          pass_mark=pass_mark, modules=names)
    if row.total is None or Decimal(row.total) < pass_mark:
        shown = Message("无") if row.total is None else Message("%(score)s 分", score=_points(row.total))
        return TOTAL_BELOW_PASS, Message("总成绩 %(total)s，低于合格线 %(pass_mark)s 分。",
                                         total=shown, pass_mark=pass_mark)
    return None


def _reason(row: Candidate, quota: int, pass_mark: int, holders: Collection[int],
            nominated_this_season: Collection[int]) -> tuple[str, str] | None:
    """The first reason (in the module docstring's order) that keeps a candidate out, else None."""
    if row.status == DISQUALIFIED:
        return DISQUALIFIED, Message("已取消资格，不予提名。")
    if row.rank is None:  # is_candidate() lets only disqualified rows through without a rank
        raise ValueError(f"entry {row.entry_id} is neither ranked nor disqualified")
    if row.rank > quota:
        return OUTSIDE_QUOTA, Message("名次第 %(rank)s 名，超出本赛项提名名额（前 %(quota)s 名）。",
                                      rank=row.rank, quota=quota)
    return _score_reason(row, pass_mark) or person_reason(row.person_id, holders, nominated_this_season)


def is_candidate(row: Candidate) -> bool:
    """Ranked rows and disqualified rows are considered; absent, withdrawn and incomplete ones are not."""
    return row.status == DISQUALIFIED or (row.status == "present" and row.rank is not None)


def select_nominees(rows: Iterable[Candidate], quota: int, pass_mark: int, holders: Collection[int],
                    nominated_this_season: Collection[int]) -> Selection:
    """Nominate every ranked row with rank ≤ quota that passes every module and the total, whose person is
    neither a title holder nor already nominated this season; list every other candidate with its reason."""
    nominated, excluded = [], []
    ordered = sorted((r for r in rows if is_candidate(r)),
                     key=lambda r: (r.rank is None, r.rank or 0, r.entry_id))
    for row in ordered:
        reason = _reason(row, quota, pass_mark, holders, nominated_this_season)
        if reason is None:
            nominated.append(row)
        else:
            excluded.append(Exclusion(row, *reason))
    return Selection(tuple(nominated), tuple(excluded))
