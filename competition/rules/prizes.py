"""Prize tiers (获奖等级, RULES.md §15): which ranked entries of an event get which prize.

Contract: `decide_prizes(placings, tiers, floor)` takes an event's rows as plain `Placing`s (entry id, rank or None,
total as Decimal, Fraction or decimal text; a float is refused) and the tiers and prize floor as arguments, and returns entry id → tier
name for the entries that get a prize. `check_tiers` and `check_floor` list what is wrong with tiers or a floor as
typed (problems with a field and a Message), never raising. No Flask, no database; arithmetic is exact (integers and
Fractions, never floats).

The rule, in order:

1. Only ranked entries take part (absent, withdrawn, disqualified and incomplete ones have no rank).
2. Each tier has a size: its fixed count, or floor(ranked × share / 100) of the number of ranked entries, so a share
   that floors to 0 gives nobody that tier (10% of 9 entries: no 一等奖; the best then gets the next tier with room).
3. Cut-offs are cumulative by rank: tier k's cut-off is the sum of the sizes of tiers 1..k. An entry gets the first
   tier whose cut-off is ≥ its rank, so entries tied at a cut-off all take the higher tier (ranks 1, 2, 2, 4 with a
   cut-off of 2: both 2s get it). Ties can therefore hand out more prizes than the sizes say, never fewer.
4. No prize below the floor: an entry whose total is below it gets nothing, even inside a cut-off. The floor does not
   move the cut-offs of the others.
"""
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .messages import Message, listing

MAX_TIERS = 6
NAME_LENGTH = 20
MAX_COUNT = 10000
FIELD = "prize_tiers"


@dataclass(frozen=True)
class TierSpec:
    """One prize tier: its name and either a share (whole percent of the ranked entries) or a fixed count."""

    name: str
    share: int | None = None
    count: int | None = None

    def size(self, ranked: int) -> int:
        """How many places the tier has among `ranked` ranked entries (integer floor: exact)."""
        if self.count is not None:
            return self.count
        return ranked * (self.share or 0) // 100


DEFAULT_TIERS = (TierSpec(Message("一等奖"), share=10), TierSpec(Message("二等奖"), share=20),
                 TierSpec(Message("三等奖"), share=30))


@dataclass(frozen=True)
class Placing:
    """One results row as the rule needs it."""

    entry_id: int
    rank: int | None
    total: Decimal | Fraction | str | None


def tiers_to_data(tiers: Iterable[TierSpec]) -> list[dict]:
    """Tiers as JSON: [{"name": "一等奖", "share": 10}, {"name": "特等奖", "count": 1}]."""
    return [{"name": str(t.name), "share": t.share} if t.count is None else {"name": str(t.name), "count": t.count}
            for t in tiers]


def tiers_from_data(data: Iterable[Mapping]) -> tuple[TierSpec, ...]:
    """Tiers from their JSON form (as stored, or as sent: check them with check_tiers before use)."""
    return tuple(TierSpec(item.get("name") or "", item.get("share"), item.get("count")) for item in data)


def default_tiers_data() -> list[dict]:
    """The league's default tiers as JSON (a fresh list each time: a column default must not be shared)."""
    return tiers_to_data(DEFAULT_TIERS)


def _whole(value, low: int, high: int) -> bool:
    """A whole number (not a bool) within [low, high]."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _tier_problems(index: int, tier: TierSpec) -> list[dict]:
    """What is wrong with one tier by itself."""
    name = tier.name.strip() if isinstance(tier.name, str) else ""
    shown = name or Message("第 %(n)s 个", n=index + 1)

    def problem(message: str) -> dict:
        return {"field": FIELD, "index": index, "message": message}

    problems = []
    if not name:
        problems.append(problem(Message("第 %(n)s 个获奖等级须填写名称。", n=index + 1)))
    elif len(name) > NAME_LENGTH:
        problems.append(problem(Message("获奖等级名称「%(name)s」最多 %(length)s 个字符。", name=name,
                                        length=NAME_LENGTH)))
    if (tier.share is None) == (tier.count is None):
        problems.append(problem(Message("获奖等级「%(name)s」须填写比例或固定人数（二者选一）。", name=shown)))
    elif tier.share is not None and not _whole(tier.share, 0, 100):
        problems.append(problem(Message("获奖等级「%(name)s」的比例应为0至100之间的整数（%%）。", name=shown)))
    elif tier.count is not None and not _whole(tier.count, 0, MAX_COUNT):
        problems.append(problem(Message("获奖等级「%(name)s」的人数应为0至%(max)s之间的整数。", name=shown,
                                        max=MAX_COUNT)))
    return problems


def check_tiers(tiers: Sequence[TierSpec]) -> list[dict]:
    """Every problem of a list of tiers: 1 to MAX_TIERS of them, names non-empty and distinct, one share (0..100,
    summing to at most 100) or one count (≥ 0) each."""
    if not 1 <= len(tiers) <= MAX_TIERS:
        return [{"field": FIELD, "message": Message("获奖等级应为1至%(max)s个。", max=MAX_TIERS)}]
    problems = [p for i, tier in enumerate(tiers) for p in _tier_problems(i, tier)]
    names = [t.name.strip() for t in tiers if isinstance(t.name, str) and t.name.strip()]
    doubled = sorted({n for n in names if names.count(n) > 1}, key=names.index)
    if doubled:
        problems.append({"field": FIELD, "message": Message("获奖等级名称重复：%(names)s。", names=listing(doubled))})
    shares = [t.share for t in tiers if t.count is None and isinstance(t.share, int) and _whole(t.share, 0, 100)]
    if sum(shares) > 100:
        problems.append({"field": FIELD, "message": Message("各获奖等级比例之和为 %(total)s%%，不能超过100%%。",
                                                             total=sum(shares))})
    return problems


def clean_tiers(tiers: Sequence[TierSpec]) -> tuple[TierSpec, ...]:
    """Checked tiers with their names trimmed."""
    return tuple(TierSpec(t.name.strip(), t.share, t.count) for t in tiers)


def parse_floor(value) -> Decimal | None:
    """A prize floor as typed ("60", "72.5") as Decimal with 2 places, or None when it is not a number with at most
    2 decimals."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    exponent = number.as_tuple().exponent  # "n", "N" or "F" for NaN and infinity
    if not isinstance(exponent, int) or exponent < -2 or abs(number) >= 1000:
        return None
    return number.quantize(Decimal("0.01"))


def check_floor(value) -> list[dict]:
    """A floor, as typed or sent (text, a whole number or a Decimal), must be a score from 0 to 100 with at most 2
    decimals; None is fine (the policy's pass mark)."""
    if value is None:
        return []
    floor = None if isinstance(value, bool) else parse_floor(value)
    if floor is not None and 0 <= floor <= 100:
        return []
    return [{"field": "prize_floor", "message": Message("获奖分数线应为0至100之间的分数，最多两位小数。")}]


def cut_offs(tiers: Sequence[TierSpec], ranked: int) -> tuple[int, ...]:
    """Each tier's cumulative cut-off by rank among `ranked` ranked entries."""
    total, out = 0, []
    for tier in tiers:
        total += tier.size(ranked)
        out.append(total)
    return tuple(out)


def _exact(value) -> Decimal | Fraction | int:
    """A total or floor as an exact number: Decimal, Fraction and int as they are, decimal text as Decimal (never a
    float; comparisons between Decimal and Fraction are exact in Python)."""
    if isinstance(value, (Decimal, Fraction, int)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"not an exact number: {value!r}")


def decide_prize(placing: Placing, tiers: Sequence[TierSpec], cuts: Sequence[int], floor) -> str | None:
    """The tier one row gets with the given cut-offs, or None (unranked, below the floor, or past every cut-off)."""
    if placing.rank is None or placing.total is None or _exact(placing.total) < _exact(floor):
        return None
    for tier, cut in zip(tiers, cuts):
        if placing.rank <= cut:
            return tier.name
    return None


def decide_prizes(placings: Iterable[Placing], tiers: Sequence[TierSpec], floor) -> dict[int, str]:
    """Entry id → tier name for every row that gets a prize, in the rows' order (see the module docstring)."""
    rows = list(placings)
    cuts = cut_offs(tiers, sum(1 for p in rows if p.rank is not None))
    if not cuts or cuts[-1] == 0:
        return {}
    floor = _exact(floor)
    out = {}
    for placing in rows:
        if placing.rank is not None and placing.rank <= cuts[-1]:
            name = decide_prize(placing, tiers, cuts, floor)
            if name is not None:
                out[placing.entry_id] = name
    return out


def describe_tiers(tiers: Sequence[TierSpec], ranked: int | None = None) -> str:
    """The tiers in words ("一等奖 10%、二等奖 20%、三等奖 1 人"), with each size when `ranked` is known."""
    parts = []
    for tier in tiers:
        if tier.count is not None:
            parts.append(Message("%(name)s %(count)s 人", name=tier.name, count=tier.count))
        elif ranked is None:
            parts.append(Message("%(name)s %(share)s%%", name=tier.name, share=tier.share))
        else:
            parts.append(Message("%(name)s %(share)s%%（%(size)s 人）", name=tier.name, share=tier.share,
                                 size=tier.size(ranked)))
    return listing(parts)
