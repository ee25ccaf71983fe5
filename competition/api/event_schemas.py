"""Request and response models for events, schemes and panels (see schemas.py for the conventions).

Entries' models are in entry_schemas.py.
"""
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer, computed_field, field_validator

from ..models import (OPEN_TO_LABELS, Aggregation, AggregationLevel, CriterionKind, EventKind, EventStatus,
                      ModuleKind, OpenTo)
from ..rules.events import STATUS_LABELS
from ..rules.messages import Message
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Paragraph, PrizeTierIn, PrizeTierOut, SearchText, Timestamp

Score = Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json")]
TieBreak = Literal["practical", "time_used"]
MaxScore = Annotated[str | int | float, Field(description="满分，最多两位小数，如 \"60\" 或 60")]
Venue = Annotated[str, Field(max_length=120)]
PrizeTiers = Annotated[list[PrizeTierIn], Field(max_length=20, description=(
    "本赛项的获奖等级（1-6个，各为比例或固定人数）；null：采用政策版本的默认获奖等级（RULES.md §15）"))]
PrizeFloor = Annotated[str | int | float, Field(description="获奖分数线（总分，0-100，最多两位小数）；null：政策的合格分数线")]


# Events and schemes

class CriterionIn(ApiIn):
    """A line of the marking scheme."""

    name: str = Field(max_length=120)
    max_score: MaxScore
    kind: CriterionKind

    @field_validator("max_score")
    @classmethod
    def _not_huge(cls, value):
        """Refuse absurd maxima here: rounding them to 2 decimals would overflow (the service checks the rest)."""
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return value
        if number.is_finite() and abs(number) > 1000:
            raise ValueError(Message("满分应为大于0、不超过100、最多两位小数的数。"))
        return value


class ModuleIn(ApiIn):
    """A module (theory or practical) with its weight in whole percent and its criteria."""

    name: str = Field(max_length=60)
    kind: ModuleKind
    weight: int = Field(description="权重（整数百分比），各模块之和为100")
    criteria: list[CriterionIn]


class EventIn(ApiIn):
    """A new event with its marking scheme; enterprise users may leave out host_enterprise_id."""

    season_id: Id
    name: str
    occupation: str
    level: int = Field(description="技能等级：1 高级技师 … 5 初级工")
    kind: EventKind
    host_enterprise_id: Id | None = Field(None, description="企业赛的承办企业；企业用户默认为本企业")
    event_date: date
    registration_deadline: date
    venue: Venue | None = Field(None, description="比赛地点：必填（RULES.md §4），缺少时 400，details 指向 venue")
    min_age: int | None = None
    max_age: int | None = None
    aggregation: Aggregation = Aggregation.TRIMMED_MEAN
    aggregation_level: AggregationLevel = AggregationLevel.JUDGE_TOTAL
    tie_breaks: list[TieBreak] = ["practical", "time_used"]
    strict_ranking: bool = False
    nomination_quota: int | None = Field(None, description="技术能手推荐名额；省略时取比赛日期当天有效的政策版本的默认名额")
    modules: list[ModuleIn]
    prize_tiers: PrizeTiers | None = None
    prize_floor: PrizeFloor | None = None


class EventPatch(ApiIn):
    """Changes to an event; fields left out keep their values (modules replace the whole scheme)."""

    season_id: Id | None = None
    name: str | None = None
    occupation: str | None = None
    level: int | None = None
    kind: EventKind | None = None
    host_enterprise_id: Id | None = None
    event_date: date | None = None
    registration_deadline: date | None = None
    venue: Venue | None = None
    min_age: int | None = None
    max_age: int | None = None
    aggregation: Aggregation | None = None
    aggregation_level: AggregationLevel | None = None
    tie_breaks: list[TieBreak] | None = None
    strict_ranking: bool | None = None
    nomination_quota: int | None = None
    modules: list[ModuleIn] | None = None
    prize_tiers: PrizeTiers | None = None
    prize_floor: PrizeFloor | None = None


class EventFilter(ApiQuery):
    """Filter the events list."""

    season_id: Id | None = None
    status: EventStatus | None = None
    kind: EventKind | None = None
    occupation: str | None = None
    host_enterprise_id: Id | None = None
    q: SearchText | None = Field(None, description="按赛项名称或职业搜索")


class ReasonIn(ApiIn):
    """A written reason (reject, cancel, disqualify)."""

    reason: Paragraph


class CopySchemeIn(ApiIn):
    """The earlier event whose marking scheme is copied."""

    from_event_id: Id


class EnterpriseRefOut(ApiOut):
    """An enterprise named by an event or entry."""

    id: int
    name: str


class CriterionOut(ApiOut):
    """A criterion with its id (marks name it)."""

    id: int
    name: str
    max_score: Score
    kind: CriterionKind


class ModuleOut(ApiOut):
    """A module with its criteria."""

    id: int
    name: str
    kind: ModuleKind
    weight: int
    criteria: list[CriterionOut]


class EventOut(ApiOut):
    """An event as listed."""

    id: int
    season_id: int
    name: str
    occupation: str
    level: int
    kind: EventKind
    host: EnterpriseRefOut | None
    status: EventStatus
    event_date: date
    registration_deadline: date
    venue: str | None
    min_age: int | None
    max_age: int | None
    aggregation: Aggregation
    aggregation_level: AggregationLevel
    tie_breaks: list[str]
    strict_ranking: bool
    nomination_quota: int
    prize_tiers: list[PrizeTierOut] | None = Field(None, description="本赛项自己的获奖等级；null：采用政策版本的默认获奖等级")
    prize_floor: Score | None = Field(None, description="本赛项自己的获奖分数线；null：政策的合格分数线")
    created_at: Timestamp

    @computed_field
    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS[self.status.value]


class EntryCountsOut(ApiOut):
    """Entries per status."""

    registered: int
    present: int
    absent: int
    withdrawn: int
    disqualified: int
    total: int


class EnrolmentPolicyIn(ApiIn):
    """Who besides the host and the organisers enrols in an enterprise event (RULES.md §4)."""

    open_to: OpenTo = Field(description="host：仅主办企业（默认）；invited：主办企业和受邀企业；all：所有企业")
    invited_enterprise_ids: list[Id] = Field([], max_length=1000,
                                             description="受邀企业的 id：open_to 为 invited 时至少一家，其他方式时为空")


class EnrolmentPolicyOut(ApiOut):
    """An enterprise event's enrolment policy; entries already made stay when it narrows."""

    event_id: int
    open_to: OpenTo
    invited_enterprise_ids: list[int]
    invited_enterprises: list[EnterpriseRefOut]

    @computed_field
    @property
    def open_to_label(self) -> str:
        """The policy in Chinese."""
        return OPEN_TO_LABELS[self.open_to]


class PrizeSettingsOut(ApiOut):
    """The prize tiers and floor an event follows: its own, or its policy version's tiers and pass mark."""

    tiers: list[PrizeTierOut]
    floor: Score
    own_tiers: bool = Field(description="true：本赛项自己的获奖等级；false：政策版本的")
    own_floor: bool = Field(description="true：本赛项自己的获奖分数线；false：政策的合格分数线")


class EventDetailOut(EventOut):
    """An event with its scheme, counts, panel size, draw, warnings and (enterprise events) enrolment policy."""

    modules: list[ModuleOut]
    counts: EntryCountsOut
    panel_size: int
    draw_seed: str | None = Field(description="抽签种子（已抽签时），可用于复核抽签")
    drawn_at: Timestamp | None
    scheme_locked: bool
    warnings: list[str]
    rejection_reason: str | None
    cancel_reason: str | None
    enrolment_policy: EnrolmentPolicyOut | None = Field(
        None, description="企业赛的报名范围（区级赛为 null：各企业均可为本企业员工报名）")
    prizes: PrizeSettingsOut = Field(description="本赛项适用的获奖等级和获奖分数线（自己的，或政策版本的）")


# Draw and panel

class DrawIn(ApiIn):
    """An optional seed; left out, a random one is chosen and stored."""

    seed: str | None = None


class DrawNumberOut(ApiOut):
    """One entry's competition number."""

    entry_id: int
    number: str


class DrawOut(ApiOut):
    """The stored seed and every present entry's number."""

    seed: str
    numbers: list[DrawNumberOut]


class JudgeIn(ApiIn):
    """A judge to put on the panel."""

    user_id: Id
    is_chief: bool = False


class PanelMemberOut(ApiOut):
    """A panel member."""

    id: int
    user_id: int
    username: str
    display_name: str
    employer_id: int | None
    is_chief: bool
    submitted_at: Timestamp | None


class PanelMemberDetailOut(PanelMemberOut):
    """A panel member with the entries they must stay away from (回避)."""

    conflicts: int = Field(description="与该裁判同一工作单位的报名人数")
    conflict_numbers: list[str] = Field(description="其中已抽签的参赛号")
