"""Request and response models for 技术能手 nominations and the title register (see schemas.py for the conventions).

A nomination carries the nominee's name (organisers, and the employer for its own employees) and
only a masked ID number (3205**********123X). Register lines never carry an ID number or a phone;
names are masked for everyone but organisers.
"""
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, model_validator

from ..models import Nomination, NominationRoute, NominationState
from ..rules.identity import mask_id_number
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Identifier, Paragraph, SearchText, Timestamp, Yuan

Score = Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json")]


class NominationIn(ApiIn):
    """An enterprise recommends one of its employees (its own enterprise is recorded as the recommender)."""

    id_number: Identifier = Field(max_length=40, description="18位居民身份证号码")
    name: str = Field(max_length=60, description="姓名")
    justification: Paragraph = Field(max_length=4000, description="推荐理由（不超过2000字）")
    season_id: Id | None = Field(None, description="联赛年度；缺省为本年度")
    confirm_employee: bool = Field(False, description="联赛中没有该人员的工作单位记录时，确认其为本企业在职员工"
                                                      "（否则 409 confirm_employee）")


class NominationFilter(ApiQuery):
    """Narrow a season's nominations."""

    state: NominationState | None = Field(None, description="proposed / approved / rejected / excluded")
    route: NominationRoute | None = Field(None, description="competition（竞赛产生）/ enterprise（企业推荐）")
    event_id: Id | None = None
    enterprise_id: Id | None = None
    q: SearchText | None = Field(None, description="按姓名搜索")


class NominationOut(ApiOut):
    """A nomination, or an excluded candidate with the reason code and message."""

    id: int
    season_id: int
    route: NominationRoute
    state: NominationState
    person_id: int
    name: str
    id_number: str = Field(description="脱敏的身份证号码")
    event_id: int | None
    event_name: str | None
    rank: int | None
    total: Score | None
    enterprise_id: int | None
    enterprise_name: str | None
    justification: str | None
    reason_code: str | None = Field(description="排除原因代码，如 already_holder、module_below_pass")
    reason: str | None = Field(description="排除原因或不予通过的理由")
    created_at: Timestamp
    decided_at: Timestamp | None

    @model_validator(mode="before")
    @classmethod
    def _from_nomination(cls, data: Any) -> Any:
        """Read the nominee, event and enterprise through the nomination's relationships."""
        if not isinstance(data, Nomination):
            return data
        fields = ("id", "season_id", "route", "state", "person_id", "event_id", "rank", "total", "enterprise_id",
                  "justification", "reason_code", "reason", "created_at", "decided_at")
        return {**{f: getattr(data, f) for f in fields}, "name": data.person.name,
                "id_number": mask_id_number(data.person.id_number),
                "event_name": data.event.name if data.event else None,
                "enterprise_name": data.enterprise.name if data.enterprise else None}


class TitleOut(ApiOut):
    """The title awarded by an approval."""

    id: int
    year: int
    subsidy: Yuan


class DecisionOut(ApiOut):
    """A decided nomination, and the title when it was approved."""

    nomination: NominationOut
    title: TitleOut | None = None


class ExpertFilter(ApiQuery):
    """Narrow the register."""

    year: int | None = Field(None, ge=2012, le=2100, description="年度")
    q: SearchText | None = Field(None, description="按姓名搜索")


class ExpertOut(ApiOut):
    """One title holder: never an ID number or a phone; the name masked for non-organisers."""

    id: int
    name: str
    gender: str
    employer: str | None
    year: int
    route: NominationRoute
    route_name: str
    event_id: int | None
    event: str | None
    occupation: str | None

