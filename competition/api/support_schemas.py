"""Request and response models of the technical-support and annual-plan endpoints."""
from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from ..models import SupportRequest, SupportState
from ..typed import Paragraph
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Timestamp, Yuan

Kind = Literal["judges", "question_setting", "venue"]


class SupportRequestIn(ApiIn):
    """A host's request for technical support on its approved enterprise event."""

    kinds: list[Kind] = Field(max_length=3, description="申请的支持：judges 裁判支持、question_setting 命题、venue 场地设备（至少一项）")
    judges_wanted: int | None = Field(None, ge=1, le=30, description="所需裁判人数（申请裁判支持时必填，1-30）")
    details: Paragraph = Field(description="具体需求（2-1000个字符）")


class SupportDecisionIn(ApiIn):
    """The organisers' decision on a waiting request."""

    decision: Literal["grant", "partly_grant", "refuse"] = Field(
        description="grant 全部同意、partly_grant 部分同意、refuse 不同意")
    granted_kinds: list[Kind] = Field(default_factory=list, max_length=3, description=(
        "同意的支持；全部同意时可省略（即申请的全部），部分同意时须为申请类型的真子集"))
    judge_ids: list[Id] = Field(default_factory=list, max_length=50, description=(
        "借调的裁判（裁判库中的裁判账户编号）；同意裁判支持时必填，承办企业或参赛选手所在单位的裁判须回避"))
    cost: Yuan | None = Field(None, description="费用（元，选填）：记为“技术支持”类待审批支出")
    voucher: str | None = Field(None, max_length=60, description="凭证号（选填，未填写时记为“待补”）")
    reason: Paragraph | None = Field(None, description="理由：部分同意时说明未同意的部分，不同意时必填（2-500个字符）")


class SupportFilter(ApiQuery):
    """Filter the requests list."""

    state: SupportState | None = None


class LentJudgeOut(ApiOut):
    """A judge lent from the district's pool."""

    id: int
    display_name: str
    employer_name: str | None


class SupportRequestOut(ApiOut):
    """A support request with its decision, the judges lent and the cost recorded."""

    id: int
    event_id: int
    event_name: str
    host_enterprise_id: int | None
    host_name: str | None
    kinds: list[str]
    judges_wanted: int | None
    details: str
    state: SupportState
    granted_kinds: list[str] | None
    reason: str | None
    judges: list[LentJudgeOut]
    spending_ids: list[int]
    requested_at: Timestamp
    decided_at: Timestamp | None

    @model_validator(mode="before")
    @classmethod
    def _from_request(cls, data: Any) -> Any:
        """Read a SupportRequest row (its event, host, lent judges and spending)."""
        if not isinstance(data, SupportRequest):
            return data
        from ..services.events.support import spending_of

        event = data.event
        return {
            "id": data.id, "event_id": data.event_id, "event_name": event.name,
            "host_enterprise_id": event.host_enterprise_id, "host_name": event.host.name if event.host else None,
            "kinds": list(data.kinds or []), "judges_wanted": data.judges_wanted, "details": data.details,
            "state": data.state, "granted_kinds": data.granted_kinds, "reason": data.reason,
            "judges": [{"id": j.id, "display_name": j.display_name,
                        "employer_name": j.employer.name if j.employer else None} for j in data.lent_judges],
            "spending_ids": [s.id for s in spending_of(data)],
            "requested_at": data.requested_at, "decided_at": data.decided_at,
        }


class PlanItemOut(ApiOut):
    """One row of the annual plan (no personal data)."""

    event_id: int
    name: str
    kind: Literal["district", "enterprise"]
    occupation: str
    level: int = Field(description="技能等级：5 五级/初级工 … 1 一级/高级技师")
    event_date: date
    host: str = Field(description="承办单位：企业赛为承办企业，区级赛为“区组委会”")
    venue: str
    support: list[str] = Field(description="区组委会同意提供的技术支持：judges、question_setting、venue")


class PlanOut(ApiOut):
    """A season's annual plan (年度竞赛计划), by date."""

    season_id: int
    year: int
    items: list[PlanItemOut]
