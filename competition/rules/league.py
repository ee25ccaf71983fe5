"""The league (RULES.md §16): standings points, higher-level competitions and the reward schedule.

Contract: plain data in, plain data out; no Flask, no database, integers only (points and whole yuan).

- `StandingPoints`: the points a policy version gives: per prize tier by position (the first tier of an event, 一等奖
  by default, takes `prizes[0]`; a tier beyond the list takes 0), per participant, per hosted final enterprise event.
  `Tally.points(points)` is a unit's points from its counts; `rank_rows` ranks units best first, ties sharing a place
  (1, 1, 3), a tie broken for the order only by more first prizes, then the name.
- The reward schedule: lines of (level, prize) → the amount for the person and the amount for the sending unit.
  `reward_line(schedule, level, prize)` finds the line a recorded result earns (None: no reward).
- `check_standing_points` and `check_reward_schedule` list what is wrong with what was typed or sent, never raising.
"""
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .messages import Message, listing

LEVELS = {  # code: Chinese name, in the order of the forms
    "city": Message("市级"),
    "province": Message("省级"),
    "national": Message("国家级"),
    "world": Message("世界级"),
    "association": Message("行业协会"),
}
# The prizes a form offers for a delegate's result (a schedule may name others: up to PRIZE_LENGTH characters).
PRIZES = (Message("一等奖"), Message("二等奖"), Message("三等奖"), Message("优胜奖"),
          Message("金牌"), Message("银牌"), Message("铜牌"), Message("优胜奖（世界级）"))
PRIZE_LENGTH = 20
MAX_AMOUNT = 10**7
MAX_POINTS = 1000
MAX_LINES = 60
DEFAULT_PRIZE_POINTS = (10, 6, 3)


@dataclass(frozen=True)
class StandingPoints:
    """Points per prize tier (by position), per participant and per hosted final enterprise event."""

    prizes: tuple[int, ...] = DEFAULT_PRIZE_POINTS
    participant: int = 1
    hosted_event: int = 5

    def for_tier(self, tier: int) -> int:
        """The points of a prize of the tier at 1-based position `tier` (0 beyond the list)."""
        return self.prizes[tier - 1] if 1 <= tier <= len(self.prizes) else 0

    def to_data(self) -> dict:
        """As stored in the policy version's JSON."""
        return {"prizes": list(self.prizes), "participant": self.participant, "hosted_event": self.hosted_event}


DEFAULT_POINTS = StandingPoints()


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def points_from_data(data: Mapping | None) -> StandingPoints:
    """A stored (already checked) points JSON as StandingPoints; None or empty: the league's defaults."""
    if not data:
        return DEFAULT_POINTS
    prizes = data.get("prizes", DEFAULT_PRIZE_POINTS)
    if isinstance(prizes, Mapping):
        prizes = list(prizes.values())
    return StandingPoints(tuple(int(p) for p in prizes), int(data.get("participant", 1)),
                          int(data.get("hosted_event", 5)))


def check_standing_points(data) -> list[dict]:
    """Every problem of standings points as sent: {"prizes": [whole numbers] or {tier name: number}, "participant",
    "hosted_event"}, each 0..MAX_POINTS; at most six prize tiers."""
    wrong = Message("积分应为 0 至 %(max)s 之间的整数。", max=MAX_POINTS)
    if not isinstance(data, Mapping):
        return [{"field": "standing_points", "message": Message("联赛积分规则格式有误。")}]
    problems = []
    unknown = sorted(set(data) - {"prizes", "participant", "hosted_event"})
    if unknown:
        problems.append({"field": "standing_points", "message": Message("联赛积分规则含未知项：%(names)s。",
                                                                         names=listing(unknown))})
    prizes = data.get("prizes", list(DEFAULT_PRIZE_POINTS))
    values = list(prizes.values()) if isinstance(prizes, Mapping) else prizes
    if not isinstance(values, list) or not 1 <= len(values) <= 6:
        problems.append({"field": "standing_points.prizes", "message": Message("获奖积分应为1至6个等级的积分。")})
    elif not all(_whole(v, 0, MAX_POINTS) for v in values):
        problems.append({"field": "standing_points.prizes", "message": wrong})
    for name in ("participant", "hosted_event"):
        if name in data and not _whole(data[name], 0, MAX_POINTS):
            problems.append({"field": f"standing_points.{name}", "message": wrong})
    return problems


def clean_standing_points(data: Mapping) -> StandingPoints:
    """Checked points as sent, with the defaults for what was left out."""
    prizes = data.get("prizes", DEFAULT_PRIZE_POINTS)
    values = prizes.values() if isinstance(prizes, Mapping) else prizes
    return StandingPoints(tuple(values), data.get("participant", 1), data.get("hosted_event", 5))


@dataclass(frozen=True)
class RewardLine:
    """One line of the reward schedule: a result at a level earns these amounts (whole yuan)."""

    level: str
    prize: str
    individual: int
    sending_unit: int

    def to_data(self) -> dict:
        """As stored and as the API shows it."""
        return {"level": self.level, "prize": self.prize, "individual": self.individual,
                "sending_unit": self.sending_unit}


def schedule_from_data(data: Iterable[Mapping] | None) -> tuple[RewardLine, ...]:
    """A stored (already checked) schedule."""
    return tuple(RewardLine(d["level"], d["prize"], int(d["individual"]), int(d["sending_unit"])) for d in data or ())


def check_reward_schedule(data) -> list[dict]:
    """Every problem of a reward schedule as sent: a list of {level, prize, individual, sending_unit}, each level one
    of LEVELS, each prize 1..PRIZE_LENGTH characters, amounts whole yuan 0..MAX_AMOUNT, no (level, prize) twice."""
    if not isinstance(data, list) or len(data) > MAX_LINES:
        return [{"field": "rewards", "message": Message("奖励标准应为不超过 %(max)s 行的列表。", max=MAX_LINES)}]
    problems, seen = [], set()
    for index, line in enumerate(data, start=1):
        where = f"rewards[{index - 1}]"
        if not isinstance(line, Mapping):
            problems.append({"field": where, "message": Message("奖励标准第 %(n)s 行格式有误。", n=index)})
            continue
        level, prize = line.get("level"), line.get("prize")
        prize = prize.strip() if isinstance(prize, str) else prize
        if level not in LEVELS:
            problems.append({"field": f"{where}.level", "message": Message(
                "奖励标准第 %(n)s 行的赛事级别应为：%(levels)s。", n=index, levels=listing(LEVELS.values()))})
        if not isinstance(prize, str) or not 1 <= len(prize) <= PRIZE_LENGTH:
            problems.append({"field": f"{where}.prize", "message": Message(
                "奖励标准第 %(n)s 行请填写奖项（最多%(max)s个字）。", n=index, max=PRIZE_LENGTH)})
        for name in ("individual", "sending_unit"):
            if not _whole(line.get(name), 0, MAX_AMOUNT):
                problems.append({"field": f"{where}.{name}", "message": Message(
                    "奖励标准第 %(n)s 行的金额应为 0 至 %(max)s 元的整数。", n=index, max=MAX_AMOUNT)})
        if (level, prize) in seen:
            problems.append({"field": where, "message": Message(
                "奖励标准第 %(n)s 行与前面的行重复（同一级别同一奖项只能有一行）。", n=index)})
        seen.add((level, prize))
    return problems


def clean_reward_schedule(data: Sequence[Mapping]) -> tuple[RewardLine, ...]:
    """A checked schedule with its prizes trimmed, ordered by level then as sent."""
    order = list(LEVELS)
    lines = [RewardLine(d["level"], d["prize"].strip(), d["individual"], d["sending_unit"]) for d in data]
    return tuple(sorted(lines, key=lambda line: order.index(line.level)))


def reward_line(schedule: Iterable[RewardLine], level: str, prize: str | None) -> RewardLine | None:
    """The schedule's line for a result (None: no prize, or the schedule gives nothing for it)."""
    if not prize:
        return None
    return next((line for line in schedule if line.level == level and line.prize == prize.strip()), None)


@dataclass
class Tally:
    """What a unit (an enterprise or a town) did in a season's final events."""

    key: object
    name: str
    town: str | None = None  # an enterprise's town (None: not filled in)
    participants: int = 0
    hosted_events: int = 0
    prizes_by_tier: dict[int, int] = field(default_factory=dict)  # 1-based tier position → count
    points: int = 0
    rank: int = 0

    @property
    def prizes(self) -> int:
        """Prizes of every tier."""
        return sum(self.prizes_by_tier.values())

    def first_prizes(self) -> int:
        """Prizes of the first tier (the order's first tie-break)."""
        return self.prizes_by_tier.get(1, 0)


def rank_rows(rows: Iterable[Tally]) -> list[Tally]:
    """Units best first by points; equal points share a place (1, 1, 3); within a place more first-tier prizes, then
    the name, give the order only."""
    ordered = sorted(rows, key=lambda t: (-t.points, -t.first_prizes(), t.name))
    for index, row in enumerate(ordered):
        row.rank = ordered[index - 1].rank if index and ordered[index - 1].points == row.points else index + 1
    return ordered
