"""Events (赛项), their marking schemes and judge panels (RULES.md §4-§5)."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .organisation import Enterprise
from .types import UTCDateTime, utcnow
from .user import enum_column


class EventKind(str, enum.Enum):
    """District events are run by the organisers; enterprise events are hosted by one enterprise."""

    DISTRICT = "district"
    ENTERPRISE = "enterprise"


class EventStatus(str, enum.Enum):
    """The lifecycle of RULES.md §4."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    OPEN = "open"
    CLOSED = "closed"
    DRAWN = "drawn"
    SCORING = "scoring"
    SIGNED_OFF = "signed_off"
    NOTICE = "notice"
    FINAL = "final"
    CANCELLED = "cancelled"


class Aggregation(str, enum.Enum):
    """How judges' marks are combined."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"


class AggregationLevel(str, enum.Enum):
    """Aggregate each judge's module subtotal, or each criterion."""

    JUDGE_TOTAL = "judge_total"
    CRITERION = "criterion"


class ModuleKind(str, enum.Enum):
    """理论知识 or 操作技能."""

    THEORY = "theory"
    PRACTICAL = "practical"


class CriterionKind(str, enum.Enum):
    """A measurement is entered once; a judgement by every panel judge."""

    MEASUREMENT = "measurement"
    JUDGEMENT = "judgement"


class OpenTo(str, enum.Enum):
    """Who enrols employees in an enterprise event besides the organisers (RULES.md §4): its host only, the host and
    the enterprises it invites, or every enterprise. District events take every enterprise's employees."""

    HOST = "host"
    INVITED = "invited"
    ALL = "all"


OPEN_TO_LABELS = {
    OpenTo.HOST: Message("仅主办企业"),
    OpenTo.INVITED: Message("主办企业和受邀企业"),
    OpenTo.ALL: Message("所有企业"),
}


# The enterprises a host invites to enrol their employees in its event (read when open_to is "invited").
event_invitations = Table(
    "event_invitations",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("enterprise_id", ForeignKey("enterprises.id"), primary_key=True, index=True),
)


PUBLISHED_STATES = (EventStatus.NOTICE, EventStatus.FINAL)  # results public, names masked (RULES.md §9)


class Event(db.Model):
    """One competition in one occupation at one skill level."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("nomination_quota >= 1", name="quota_positive"),
        CheckConstraint("kind = 'district' OR host_enterprise_id IS NOT NULL", name="enterprise_has_host"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    occupation: Mapped[str] = mapped_column(String(60), index=True)
    level: Mapped[int]
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    host_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.DRAFT, index=True)
    event_date: Mapped[date]
    registration_deadline: Mapped[date]
    venue: Mapped[str | None] = mapped_column(String(120))
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    aggregation: Mapped[Aggregation] = mapped_column(enum_column(Aggregation), default=Aggregation.TRIMMED_MEAN)
    aggregation_level: Mapped[AggregationLevel] = mapped_column(
        enum_column(AggregationLevel), default=AggregationLevel.JUDGE_TOTAL)
    tie_breaks: Mapped[list] = mapped_column(JSON, default=lambda: ["practical", "time_used"])
    strict_ranking: Mapped[bool] = mapped_column(default=False)
    nomination_quota: Mapped[int] = mapped_column(default=3)
    # The event's own prize tiers ([{"name", "share" | "count"}], RULES.md §15) and prize floor (a total); None: the
    # policy version's tiers and its pass mark. Fixed, like the other result settings, once the results are signed off.
    prize_tiers: Mapped[list | None] = mapped_column(JSON)
    prize_floor: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # An enterprise event's roster belongs to its host (RULES.md §4): who else may enrol their employees.
    open_to: Mapped[OpenTo] = mapped_column(enum_column(OpenTo), default=OpenTo.HOST, server_default=OpenTo.HOST.value)
    # The policy version that governs the event, pinned by the first decision that used it (approval into the
    # plan, sign-off, a subsidy claim, a nomination); a later version, even back-dated, never changes it.
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id"), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    draw_seed: Mapped[str | None] = mapped_column(String(64))
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    participants: Mapped[int | None]  # frozen at sign-off
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notice_ends_on: Mapped[date | None]  # the last day of the public notice (公示)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    season = relationship("Season", lazy="joined")
    host = relationship("Enterprise", lazy="joined")
    invited: Mapped[list[Enterprise]] = relationship(secondary=event_invitations, order_by="Enterprise.name")
    modules: Mapped[list["Module"]] = relationship(
        back_populates="event", order_by="Module.position", cascade="all, delete-orphan")
    panel: Mapped[list["PanelMember"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="PanelMember.id")

    @property
    def invited_ids(self) -> frozenset[int]:
        """The ids of the enterprises the host invited to enrol."""
        return frozenset(enterprise.id for enterprise in self.invited)

    @property
    def is_published(self) -> bool:
        """The results are public: in the notice (公示) or final (RULES.md §9)."""
        return self.status in PUBLISHED_STATES

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.name} {self.status.value}>"


class Module(db.Model):
    """考核模块: theory or practical, out of 100, with a weight in whole percent."""

    __tablename__ = "modules"
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 100", name="weight_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[ModuleKind] = mapped_column(enum_column(ModuleKind))
    weight: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="modules")
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="module", order_by="Criterion.position", cascade="all, delete-orphan")


class Criterion(db.Model):
    """评分项: one line of the marking scheme with its maximum mark."""

    __tablename__ = "criteria"
    __table_args__ = (CheckConstraint("max_score > 0 AND max_score <= 100", name="max_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    max_score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    kind: Mapped[CriterionKind] = mapped_column(enum_column(CriterionKind))
    position: Mapped[int] = mapped_column(default=0)

    module: Mapped[Module] = relationship(back_populates="criteria")


class PanelMember(db.Model):
    """A judge on an event's panel; one may be the chief judge (裁判长)."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_chief: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="panel")
    user = relationship("User", lazy="joined")

