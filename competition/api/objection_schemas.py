"""Request and response models for objections during the notice (see schemas.py for the conventions).

An objection names the entry by competition number. The objector's contact (a phone, an address) is given to the
organisers only; an enterprise reads its own employees' objections with their state and the decision's reason.
"""
from datetime import date
from typing import Literal

from pydantic import Field

from ..models import Objection, ObjectionChannel, ObjectionState
from .schemas import ApiIn, ApiOut, ApiQuery, Identifier, Paragraph, Timestamp

TakenBy = Literal["phone", "letter", "visit", "other"]


class ObjectionIn(ApiIn):
    """An objection to one entry's result, during the notice."""

    number: Identifier = Field(max_length=20, description="参赛号")
    reason: Paragraph = Field(max_length=4000, description="异议的内容和理由（不超过2000字）")
    objector: str | None = Field(None, max_length=120, description="异议人（组委会代为登记时填写，不超过60字）")
    contact: str | None = Field(None, max_length=200, description="异议人的联系方式（不超过100字，仅组委会可见）")
    channel: TakenBy | None = Field(None, description="受理方式（组委会代为登记时）：phone 电话、letter 来信、visit 来访、"
                                                      "other 其他；缺省为 other。企业用户在系统中提交，忽略此项")


class ObjectionFilter(ApiQuery):
    """Narrow an event's objections."""

    state: ObjectionState | None = Field(None, description="received 待处理 / upheld 异议成立 / dismissed 异议不成立")


class ObjectionOut(ApiOut):
    """One objection with its state and, once decided, the decision's reason."""

    id: int
    event_id: int
    event_status: str = Field(description="赛项当前状态（异议成立后为 scoring）")
    entry_id: int
    number: str | None
    name: str
    state: ObjectionState
    state_label: str
    reason: str
    channel: ObjectionChannel
    objector: str | None
    contact: str | None = Field(description="异议人的联系方式（仅组委会可见，其他人为 null）")
    created_at: Timestamp
    notice_published_at: Timestamp = Field(description="所属公示轮次：提出时本轮公示的发布时间")
    notice_ends_on: date = Field(description="所属公示轮次的公示截止日")
    current_round: bool = Field(description="是否属于赛项当前这一轮公示")
    decided_at: Timestamp | None
    decision_reason: str | None


def objection_out(objection: Objection, *, staff: bool) -> dict:
    """An objection as the API shows it: the contact for the organisers only."""
    return {
        "id": objection.id, "event_id": objection.event_id, "event_status": objection.event.status.value,
        "entry_id": objection.entry_id, "number": objection.entry.number, "name": objection.entry.person.name,
        "state": objection.state, "state_label": str(objection.state_label), "reason": objection.reason,
        "channel": objection.channel, "objector": objection.objector,
        "contact": objection.contact if staff else None, "created_at": objection.created_at,
        "notice_published_at": objection.notice_published_at, "notice_ends_on": objection.notice_ends_on,
        "current_round": objection.in_current_round, "decided_at": objection.decided_at,
        "decision_reason": objection.decision_reason,
    }
