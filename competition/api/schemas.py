"""Request and response models of the JSON API, and the shared field types.

Bodies derive from ApiIn (strict JSON types: "2026" is not a year; unknown fields refused), query
strings from ApiQuery (text converted; empty values mean "not given"), results from ApiOut (read
from ORM attributes). Business validation stays in the services; these models fix only the types,
so the two can not drift. Money is integer yuan, dates YYYY-MM-DD, datetimes ISO 8601 with offset.
"""
from datetime import date, datetime, timezone
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, computed_field, field_validator

from ..models import ROLE_LABELS, Role
from ..models.types import BEIJING
from ..rules.league import points_from_data
from ..typed import Id, Identifier, Paragraph, SearchText, Secret, TypedInput, TypedQuery  # noqa: F401



def _iso(value: datetime) -> str:
    """An aware datetime as ISO 8601 in Beijing time, e.g. 2026-05-01T09:00:00+08:00."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(BEIJING).isoformat(timespec="seconds")


Timestamp = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2026-05-01T09:00:00+08:00"},
                   mode="serialization"),
]
Yuan = Annotated[int, Field(description="金额（元，整数）")]


class ApiIn(TypedInput):
    """A JSON request body: strict JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


class ApiQuery(TypedQuery):
    """Query-string filters of the API (see TypedQuery)."""


class ApiOut(BaseModel):
    """A response body read from a model's attributes or a dict."""

    model_config = ConfigDict(from_attributes=True)


class PrizeTierIn(ApiIn):
    """A prize tier (获奖等级, RULES.md §15): its name and either a share of the ranked entries or a fixed count."""

    name: str = Field(max_length=40, description="等级名称，如 一等奖（最多20个字符，不得重复）")
    share: int | None = Field(None, description="占取得名次人数的比例（整数百分比 0-100，各等级之和不超过100）；与 count 二选一")
    count: int | None = Field(None, description="固定人数（≥0）；与 share 二选一")


class PrizeTierOut(ApiOut):
    """A prize tier: share (whole percent) or count, the other null."""

    name: str
    share: int | None = None
    count: int | None = None


class ErrorDetail(BaseModel):
    """One problem: a field (or an import row) and what is wrong with it."""

    field: str | None = None
    row: int | None = None
    message: str


class ErrorBody(BaseModel):
    """Machine code, Chinese message, details."""

    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorOut(BaseModel):
    """Every error answer: {"error": {"code", "message", "details"}}."""

    error: ErrorBody


# Accounts and tokens

class TokenIn(ApiIn):
    """Credentials for a new API token."""

    username: str
    password: Secret


class TokenOut(ApiOut):
    """A new token, shown once, and when it expires."""

    token: str
    expires_at: Timestamp


class PasswordChangeIn(ApiIn):
    """The caller's old and new password."""

    old_password: Secret
    new_password: Secret


class PasswordResetIn(ApiIn):
    """A new password set by an administrator."""

    password: Secret


class UserIn(ApiIn):
    """A new account."""

    username: str
    password: Secret
    display_name: str
    role: Role
    enterprise_id: Id | None = Field(None, description="企业用户所属企业")
    employer_id: Id | None = Field(None, description="裁判的工作单位（用于回避）")
    town: str | None = Field(None, description="镇区人社用户所属镇（区），须为联赛镇（区）列表中的名称；其他角色不填")


class UserPatch(ApiIn):
    """Changes to an account; fields left out keep their values (the role never changes)."""

    display_name: str | None = None
    enterprise_id: Id | None = None
    employer_id: Id | None = None
    town: str | None = Field(None, description="镇区人社用户所属镇（区）")


class UserFilter(ApiQuery):
    """Search accounts."""

    q: SearchText | None = Field(None, description="按用户名或显示名称搜索")
    role: Role | None = None


class UserOut(ApiOut):
    """An account (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    enterprise_id: int | None
    employer_id: int | None
    town: str | None
    is_disabled: bool
    locked_until: Timestamp | None
    last_login_at: Timestamp | None
    created_at: Timestamp

    @computed_field
    @property
    def role_label(self) -> str:
        """The role's Chinese name."""
        return ROLE_LABELS[self.role]


# Enterprises and seasons

class EnterpriseIn(ApiIn):
    """A new enterprise."""

    name: str
    credit_code: Identifier = Field(description="18位统一社会信用代码")
    town: str | None = None


class EnterprisePatch(ApiIn):
    """Changes to an enterprise; fields left out keep their values."""

    name: str | None = None
    credit_code: Identifier | None = None
    town: str | None = None


class EnterpriseFilter(ApiQuery):
    """Search enterprises."""

    q: SearchText | None = Field(None, description="按名称或统一社会信用代码搜索")
    town: str | None = None


class EnterpriseOut(ApiOut):
    """An enterprise."""

    id: int
    name: str
    credit_code: str
    town: str | None
    created_at: Timestamp


class SeasonIn(ApiIn):
    """A new league year."""

    year: int
    name: str
    budget: Yuan


class SeasonPatch(ApiIn):
    """Changes to a season; fields left out keep their values."""

    year: int | None = None
    name: str | None = None
    budget: Yuan | None = None


class SeasonOut(ApiOut):
    """A league year."""

    id: int
    year: int
    name: str
    budget: Yuan
    created_at: Timestamp


class SeasonDetailOut(SeasonOut):
    """A league year with its committed and remaining budget."""

    committed: Yuan
    remaining: Yuan


# Audit and policy

class AuditFilter(ApiQuery):
    """Filter audit rows."""

    object_type: str | None = Field(None, description="对象类型，如 Season、Enterprise、User")
    object_id: Id | None = None
    action: str | None = Field(None, description="动作，如 season.create")
    user_id: Id | None = None


class AuditOut(ApiOut):
    """One audit row."""

    id: int
    at: Timestamp
    user_id: int | None
    username: str | None
    action: str
    object_type: str | None
    object_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    message: str | None
    client_address: str | None


class StandingPointsOut(ApiOut):
    """The standings points of a policy version."""

    prizes: list[int] = Field(description="各获奖等级的积分，按等级顺序（一等奖、二等奖、三等奖…）")
    participant: int = Field(description="每名参赛者的积分")
    hosted_event: int = Field(description="每举办一个成绩已确认的企业赛的积分")


class RewardLineOut(ApiOut):
    """One line of a reward schedule."""

    level: str = Field(description="赛事级别：city、province、national、world、association")
    prize: str
    individual: Yuan
    sending_unit: Yuan


class PolicyVersionOut(ApiOut):
    """The policy figures in force from a date."""

    id: int
    effective_from: date
    participant_threshold: int
    subsidy_amount: Yuan
    subsidies_per_enterprise_year: int
    expert_subsidy: Yuan
    nomination_quota: int
    pass_mark: int
    notice_working_days: int
    prize_tiers: list[PrizeTierOut] = Field(description="默认获奖等级：赛项未设置自己的获奖等级时采用")
    standing_points: StandingPointsOut = Field(description="联赛积分规则（RULES.md §16）")
    rewards: list[RewardLineOut] = Field(description="奖励标准：赛事级别 × 奖项 → 个人和选送单位的金额")
    note: str | None
    created_at: Timestamp

    @field_validator("standing_points", mode="before")
    @classmethod
    def _points(cls, value: Any) -> Any:
        """The stored points with the league's defaults for what is missing (prizes always as a list)."""
        return points_from_data(value).to_data() if value is None or isinstance(value, dict) else value
