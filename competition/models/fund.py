"""The fund (seed 四, RULES.md §17): a season's budget lines by category and source, the district's own spending on its
events and on technical support, and the support a host asks for on an approved enterprise event (seed 三(三)).

A budget line is a category of the season's budget with its source: 区级, or 镇级 naming the town. Spending on
district events (judges' fees, materials, venues, prizes) and on technical support is recorded with its date, amount
and voucher, and approved within its category's lines (409 over_budget). A support request is granted, partly
granted or refused with a reason; the judges it lends join the event's panel under the usual 回避 rule.
"""
import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .types import UTCDateTime, utcnow
from .user import enum_column


class BudgetCategory(str, enum.Enum):
    """竞赛经费补贴, 技术能手, 奖励, 区级赛事经费, 技术支持."""

    SUBSIDY = "subsidy"
    EXPERT = "expert"
    REWARDS = "rewards"
    DISTRICT_EVENTS = "district_events"
    TECHNICAL_SUPPORT = "technical_support"


class FundSource(str, enum.Enum):
    """区级 (the district's budget) or 镇级 (a town's share, naming the town)."""

    DISTRICT = "district"
    TOWN = "town"


CATEGORY_LABELS = {
    BudgetCategory.SUBSIDY: Message("竞赛经费补贴"),
    BudgetCategory.EXPERT: Message("技术能手"),
    BudgetCategory.REWARDS: Message("奖励"),
    BudgetCategory.DISTRICT_EVENTS: Message("区级赛事经费"),
    BudgetCategory.TECHNICAL_SUPPORT: Message("技术支持"),
}
SOURCE_LABELS = {FundSource.DISTRICT: Message("区级"), FundSource.TOWN: Message("镇级")}
SPENDING_CATEGORIES = (BudgetCategory.DISTRICT_EVENTS, BudgetCategory.TECHNICAL_SUPPORT)


class BudgetLine(db.Model):
    """One line of a season's budget: a category, its source and the amount (whole yuan)."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("(source = 'town') = (town IS NOT NULL)", name="town_names_a_town_source"),
        UniqueConstraint("season_id", "category", "source", "town"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    category: Mapped[BudgetCategory] = mapped_column(enum_column(BudgetCategory, 30))
    source: Mapped[FundSource] = mapped_column(enum_column(FundSource))
    town: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SpendingState(str, enum.Enum):
    """proposed → approved, or rejected with a reason."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


SPENDING_STATE_LABELS = {SpendingState.PROPOSED: Message("待审批"), SpendingState.APPROVED: Message("已批准"),
                         SpendingState.REJECTED: Message("已驳回")}


class Spending(db.Model):
    """Money the district spends on its own events or on technical support, with its voucher."""

    __tablename__ = "spending"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("category IN ('district_events', 'technical_support')", name="spending_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    category: Mapped[BudgetCategory] = mapped_column(enum_column(BudgetCategory, 30), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    support_request_id: Mapped[int | None] = mapped_column(ForeignKey("support_requests.id"), index=True)
    amount: Mapped[int]
    spent_on: Mapped[date]
    voucher: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[SpendingState] = mapped_column(enum_column(SpendingState), default=SpendingState.PROPOSED, index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")


class SupportKind(str, enum.Enum):
    """裁判支持 (judges from the district's pool), 命题 (question setting), 场地设备 (venue or equipment)."""

    JUDGES = "judges"
    QUESTION_SETTING = "question_setting"
    VENUE = "venue"


class SupportState(str, enum.Enum):
    """requested → granted, partly granted, or refused with a reason."""

    REQUESTED = "requested"
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REFUSED = "refused"


SUPPORT_KIND_LABELS = {SupportKind.JUDGES: Message("裁判支持"), SupportKind.QUESTION_SETTING: Message("命题"),
                       SupportKind.VENUE: Message("场地设备")}
SUPPORT_STATE_LABELS = {SupportState.REQUESTED: Message("待处理"), SupportState.GRANTED: Message("已同意"),
                        SupportState.PARTLY_GRANTED: Message("部分同意"), SupportState.REFUSED: Message("未同意")}

support_judges = db.Table(
    "support_judges",
    db.Column("support_request_id", ForeignKey("support_requests.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class SupportRequest(db.Model):
    """A host's request for technical support on its approved enterprise event, and the organisers' decision."""

    __tablename__ = "support_requests"
    __table_args__ = (CheckConstraint("judges_wanted IS NULL OR judges_wanted >= 1", name="judges_wanted_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kinds: Mapped[list] = mapped_column(JSON)  # the SupportKind values asked for
    judges_wanted: Mapped[int | None]
    details: Mapped[str] = mapped_column(String(1000))
    state: Mapped[SupportState] = mapped_column(enum_column(SupportState), default=SupportState.REQUESTED, index=True)
    granted_kinds: Mapped[list | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(500))  # why refused, or what was not granted
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    lent_judges = relationship("User", secondary=support_judges, order_by="User.id")
