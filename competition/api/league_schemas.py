"""Request and response models of the league's endpoints (RULES.md §16; see schemas.py for the conventions):
season standings, higher-level competitions and their delegates (选送), rewards.

Standings carry names of enterprises and towns and counts only. A delegate carries the person's name and a masked ID
number (3205**********123X), never the whole number.
"""
from datetime import date
from typing import Any, Literal

from pydantic import Field

from ..models import CompetitionLevel, Delegate, ExternalCompetition, Reward, RewardKind, RewardState
from ..rules.identity import mask_id_number
from ..rules.league import LEVELS
from .pagination import PageQuery
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Identifier, Paragraph, Timestamp, Yuan

LevelCode = Literal["city", "province", "national", "world", "association"]


# Standings

class PointsOut(ApiOut):
    """The points of the policy version in force for the season: per prize tier (by position), per participant, per
    hosted final enterprise event."""

    prizes: list[int] = Field(description="各获奖等级的积分（按等级顺序：一等奖、二等奖、三等奖…）")
    participant: int
    hosted_event: int


class TierCountOut(ApiOut):
    """How many prizes of one tier."""

    tier: int = Field(description="获奖等级的位次（1 为第一等级）")
    name: str = Field(description="等级名称，如 一等奖")
    count: int


class EnterpriseStandingOut(ApiOut):
    """An enterprise's row of the table."""

    rank: int
    enterprise_id: int
    name: str
    town: str | None
    points: int
    participants: int
    prizes: int = Field(description="获奖总数（各等级合计）")
    prizes_by_tier: list[TierCountOut]
    hosted_events: int


class TownStandingOut(ApiOut):
    """A town's row of the table: the sums of its enterprises."""

    rank: int
    town: str
    name: str
    points: int
    participants: int
    prizes: int = Field(description="获奖总数（各等级合计）")
    prizes_by_tier: list[TierCountOut]
    hosted_events: int
    enterprises: int = Field(description="计入积分的本镇区企业数")


class StandingsOut(ApiOut):
    """A season's standings, best first (no personal data)."""

    season_id: int
    year: int
    points: PointsOut
    enterprises: list[EnterpriseStandingOut]
    towns: list[TownStandingOut]


class EventPointsOut(ApiOut):
    """One final event in an enterprise's breakdown."""

    event_id: int
    name: str
    event_date: date
    kind: str = Field(description="district 区级赛 / enterprise 企业赛")
    hosted: bool = Field(description="是否为本企业举办的企业赛")
    participants: int
    prizes: int
    prizes_by_tier: list[TierCountOut]
    points: int


class BreakdownOut(ApiOut):
    """What each final event of the season brought an enterprise."""

    season_id: int
    enterprise_id: int
    name: str
    town: str | None
    rank: int | None = Field(description="名次（本年度尚无积分时为 null）")
    points: int
    events: list[EventPointsOut]


# Competitions and delegates

class CompetitionIn(ApiIn):
    """A competition beyond the district."""

    season_id: Id
    name: str = Field(description="赛事名称（2至120个字符）")
    level: LevelCode = Field(description="赛事级别：city 市级、province 省级、national 国家级、world 世界级、association 行业协会")
    occupation: str = Field(description="职业（工种）")
    held_on: date = Field(description="举办日期（在联赛年度内）")
    organised_by: str | None = Field(None, description="主办单位")


class CompetitionFilter(ApiQuery):
    """Narrow the competitions list."""

    season_id: Id | None = None


class ResultOut(ApiOut):
    """A delegate's recorded result (prize and rank may each be null: took part without them)."""

    prize: str | None
    rank: int | None
    recorded_at: Timestamp


class DelegateOut(ApiOut):
    """A person sent to a competition, by an enterprise, and their result there (null until recorded)."""

    id: int
    competition_id: int
    person_id: int
    name: str
    id_number: str = Field(description="脱敏的身份证号码")
    entry_id: int | None = Field(description="选送依据的联赛报名记录（按身份证号码添加时为 null）")
    sending_enterprise_id: int | None
    sending_enterprise: str | None = Field(description="选送单位名称")
    result: ResultOut | None


class CompetitionOut(ApiOut):
    """A higher-level competition with its delegates (an enterprise user: only those it sent)."""

    id: int
    season_id: int
    name: str
    level: CompetitionLevel
    level_label: str
    occupation: str
    held_on: date
    organised_by: str | None
    delegates: list[DelegateOut]


class DelegateIn(ApiIn):
    """Send a person: a league entry of a final event (`entry_id`), or a person by `id_number` and `name`."""

    entry_id: Id | None = Field(None, description="成绩已确认赛项的报名记录；与 id_number/name 二选一")
    id_number: Identifier | None = Field(None, max_length=40, description="18位居民身份证号码（与 name 一起）")
    name: str | None = Field(None, max_length=60, description="姓名（与 id_number 一起）")
    sending_enterprise_id: Id | None = Field(None, description="选送单位；缺省为报名记录的工作单位（按身份证号码添加时："
                                                               "其最近一次联赛报名的工作单位）")


class WinnersIn(ApiIn):
    """Send every prize winner of a final league event."""

    event_id: Id


class ResultIn(ApiIn):
    """A delegate's result at the competition."""

    prize: str | None = Field(None, description="奖项，如 一等奖（最多20个字）；省略或为空：未获奖")
    rank: int | None = Field(None, description="名次（正整数）")


# Rewards

class RewardOut(ApiOut):
    """A reward: to a person (individual), a sending unit (sending_unit) or an organising unit (organising_unit)."""

    id: int
    season_id: int
    kind: RewardKind
    kind_label: str
    name: str = Field(description="获奖者：个人姓名、企业名称或镇区")
    enterprise_id: int | None
    town: str | None
    person_id: int | None
    amount: Yuan
    basis: str
    state: RewardState
    state_label: str
    reason: str | None
    paid_on: date | None
    voucher: str | None
    delegate_id: int | None
    created_at: Timestamp
    decided_at: Timestamp | None


class RewardTotalsOut(ApiOut):
    """Whole yuan by state over every reward of the list (all pages)."""

    proposed: Yuan
    approved: Yuan
    rejected: Yuan
    paid: Yuan


class RewardListOut(ApiOut):
    """One page of a season's rewards, and the totals of the whole list."""

    items: list[RewardOut]
    page: int
    per_page: int
    total: int
    totals: RewardTotalsOut


class RewardFilterIn(PageQuery):
    """Narrow a season's rewards (and the page)."""

    state: RewardState | None = Field(None, description="proposed 待审批 / approved 已批准 / rejected 已驳回 / paid 已拨付")
    kind: RewardKind | None = Field(None, description="individual 成绩优异者 / sending_unit 优秀选送单位 / "
                                                      "organising_unit 组织单位")
    enterprise_id: Id | None = Field(None, description="某企业的奖励（组委会可用；企业用户总是本企业的）")


class OrganisingRewardIn(ApiIn):
    """An organiser's proposal for an organising unit: an enterprise or a town (one of the two)."""

    season_id: Id
    kind: Literal["organising_unit"] = Field("organising_unit", description="只能为 organising_unit（组织单位）；"
                                                                            "个人和选送单位的奖励由登记成绩产生")
    enterprise_id: Id | None = Field(None, description="组织单位：一家企业（与 town 二选一）")
    town: str | None = Field(None, max_length=40, description="组织单位：一个镇区（与 enterprise_id 二选一）")
    amount: Yuan
    basis: Paragraph = Field(description="奖励依据（2至500个字符）")


class DecidedResultOut(ApiOut):
    """A recorded result and the rewards it proposed (none when the schedule gives nothing for it)."""

    delegate: DelegateOut
    rewards: list[RewardOut]


def delegate_out(delegate: Delegate) -> dict[str, Any]:
    """A delegate as the API shows it: the ID number masked."""
    recorded = delegate.result_recorded_at
    return {
        "id": delegate.id, "competition_id": delegate.competition_id, "person_id": delegate.person_id,
        "name": delegate.person.name, "id_number": mask_id_number(delegate.person.id_number),
        "entry_id": delegate.entry_id, "sending_enterprise_id": delegate.sending_enterprise_id,
        "sending_enterprise": delegate.sending_enterprise.name if delegate.sending_enterprise else None,
        "result": None if recorded is None else {"prize": delegate.result_prize, "rank": delegate.result_rank,
                                                 "recorded_at": recorded},
    }


def competition_out(competition: ExternalCompetition, enterprise_id: int | None = None) -> dict[str, Any]:
    """A competition with its delegates: every one, or only those an enterprise sent."""
    delegates = [d for d in competition.delegates if enterprise_id is None or d.sending_enterprise_id == enterprise_id]
    return {
        "id": competition.id, "season_id": competition.season_id, "name": competition.name,
        "level": competition.level, "level_label": str(LEVELS[competition.level.value]),
        "occupation": competition.occupation, "held_on": competition.held_on,
        "organised_by": competition.organised_by, "delegates": [delegate_out(d) for d in delegates],
    }


def reward_out(reward: Reward) -> dict[str, Any]:
    """A reward as the API shows it."""
    fields = ("id", "season_id", "kind", "enterprise_id", "town", "person_id", "amount", "basis", "state", "reason",
              "paid_on", "voucher", "delegate_id", "created_at", "decided_at")
    return {**{f: getattr(reward, f) for f in fields}, "name": reward.name, "kind_label": str(reward.kind_label),
            "state_label": str(reward.state_label)}
