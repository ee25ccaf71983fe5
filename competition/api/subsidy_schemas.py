"""Request and response models of the subsidy and policy-version endpoints."""
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema

from ..models import ClaimState
from .schemas import ApiIn, ApiOut, ApiQuery, Id, PrizeTierIn, SearchText, Timestamp, Yuan


class CheckOut(ApiOut):
    """One condition of RULES.md §10: its code, pass or fail, and the reason in Chinese."""

    rule: str = Field(description="条件代码，如 participants")
    passed: bool
    message: str = Field(description="中文说明，如 参赛人数 48/50")


class SubsidyCheckOut(ApiOut):
    """The live subsidy decision for an event."""

    event_id: int
    eligible: bool
    participants: int
    threshold: int
    amount: Yuan
    policy_version_id: int
    checks: list[CheckOut]
    host_participants: int | None = Field(None, description="到场参赛者中主办企业员工的人数（区级赛为 null）")
    other_participants: int | None = Field(None, description="到场参赛者中其他单位（受邀企业等）人员的人数（区级赛为 null）")


class ClaimIn(ApiIn):
    """Claim the subsidy of one of the caller's enterprise events."""

    event_id: Id


class PaymentIn(ApiIn):
    """The payment of an approved claim."""

    paid_on: date
    voucher: str = Field(description="凭证号")


class ClaimFilter(ApiQuery):
    """Filter the claims list."""

    season_id: Id | None = None
    state: ClaimState | None = None
    enterprise_id: Id | None = None
    q: SearchText | None = Field(None, description="按赛项或企业名称搜索")


class ClaimOut(ApiOut):
    """A subsidy claim with the checks and the policy version at claim time."""

    id: int
    event_id: int
    event_name: str
    season_id: int
    host_enterprise_id: int
    host_name: str
    policy_version_id: int
    state: ClaimState
    state_label: str
    amount: Yuan
    participants: int
    checks: list[CheckOut]
    created_at: Timestamp
    decided_at: Timestamp | None
    reason: str | None
    paid_on: date | None
    voucher: str | None


PrizePoints = Annotated[Any, WithJsonSchema(dict(
    description="各获奖等级的积分（0-1000的整数，1-6个等级）：按等级顺序的数组 [10, 6, 3]，或按等级名称的对象 "
                "{\"一等奖\": 10, \"二等奖\": 6, \"三等奖\": 3}",
    oneOf=[{"type": "array", "items": {"type": "integer"}}, {"type": "object", "additionalProperties": {"type": "integer"}}],
))]


def _no_default(schema: dict) -> None:
    """An optional field that may not be null: the document shows no null default."""
    schema.pop("default", None)


class StandingPointsIn(ApiIn):
    """The league's standings points (RULES.md §16): per prize tier, per participant, per hosted final enterprise
    event; what is left out takes the league's default (10/6/3, 1, 5)."""

    prizes: PrizePoints = Field(None, json_schema_extra=_no_default)
    participant: int | None = Field(None, description="每名参赛者的积分（0-1000）")
    hosted_event: int | None = Field(None, description="每举办一个成绩已确认的企业赛的积分（0-1000）")


class RewardLineIn(ApiIn):
    """One line of the reward schedule: a result at a level earns these amounts (whole yuan)."""

    level: Literal["city", "province", "national", "world", "association"] = Field(
        description="赛事级别：city 市级、province 省级、national 国家级、world 世界级、association 行业协会")
    prize: str = Field(description="奖项，如 一等奖（最多20个字）")
    individual: Yuan = Field(description="奖励个人的金额（元）")
    sending_unit: Yuan = Field(description="奖励选送单位的金额（元）")


class PolicyVersionIn(ApiIn):
    """A policy version: the date it takes effect and every figure (a change is a new version)."""

    effective_from: date
    participant_threshold: int
    subsidy_amount: Yuan
    subsidies_per_enterprise_year: int
    expert_subsidy: Yuan
    nomination_quota: int
    pass_mark: int
    notice_working_days: int
    prize_tiers: list[PrizeTierIn] | None = Field(None, max_length=20, description=(
        "默认获奖等级（1-6个）；省略时：新增版本沿用其前一版本的获奖等级，修改时保持不变"))
    standing_points: StandingPointsIn | None = Field(None, description=(
        "联赛积分规则；省略时：新增版本沿用其前一版本的积分规则，修改时保持不变"))
    rewards: list[RewardLineIn] | None = Field(None, description=(
        "奖励标准（赛事级别 × 奖项 → 个人和选送单位的金额，最多60行）；省略时：新增版本沿用其前一版本的奖励标准，修改时保持不变"))
    note: str | None = None
    confirm_backdated: bool = Field(False, description="生效日期早于今天时须为 true：确认新版本适用于其期间内尚未确定政策版本的赛项"
                                                       "（未确认时 409 confirm_backdated，details 列出这些赛项）")
