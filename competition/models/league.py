"""The league beyond the district (RULES.md §16): higher-level competitions, the delegates sent to them, and rewards.

A delegate is one person sent to one competition (unique), from a league entry or by ID number, with the enterprise
that sends them. A reward is proposed (by a recorded result, through the policy version's schedule, or by an
organiser for an organising unit), then approved within the season budget, or rejected with a reason, then paid.
"""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .types import UTCDateTime, utcnow
from .user import enum_column


class CompetitionLevel(str, enum.Enum):
    """市级, 省级, 国家级, 世界级, or an industry association's (行业协会)."""

    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"
    WORLD = "world"
    ASSOCIATION = "association"


class ExternalCompetition(db.Model):
    """A competition beyond the district that the league sends delegates to."""

    __tablename__ = "external_competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[CompetitionLevel] = mapped_column(enum_column(CompetitionLevel))
    occupation: Mapped[str] = mapped_column(String(60))
    held_on: Mapped[date]
    organised_by: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    season = relationship("Season")
    delegates = relationship("Delegate", back_populates="competition", order_by="Delegate.id")


class Delegate(db.Model):
    """One person the league sends to one competition (选送), the sending enterprise, and the result there."""

    __tablename__ = "delegates"
    __table_args__ = (
        UniqueConstraint("competition_id", "person_id"),
        CheckConstraint("result_rank IS NULL OR result_rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("external_competitions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))  # the league entry it came from
    sending_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    result_prize: Mapped[str | None] = mapped_column(String(20))
    result_rank: Mapped[int | None]
    result_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    competition = relationship("ExternalCompetition", lazy="joined", back_populates="delegates")
    person = relationship("Person", lazy="joined")
    sending_enterprise = relationship("Enterprise", lazy="joined")
    entry = relationship("Entry")


class RewardKind(str, enum.Enum):
    """A reward to the person (成绩优异者), to the sending unit (优秀选送单位), or to an organising unit (组织单位)."""

    INDIVIDUAL = "individual"
    SENDING_UNIT = "sending_unit"
    ORGANISING_UNIT = "organising_unit"


class RewardState(str, enum.Enum):
    """proposed → approved → paid, or rejected with a reason."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


REWARD_KIND_LABELS = {
    RewardKind.INDIVIDUAL: Message("成绩优异者"),
    RewardKind.SENDING_UNIT: Message("优秀选送单位"),
    RewardKind.ORGANISING_UNIT: Message("组织单位"),
}
REWARD_STATE_LABELS = {
    RewardState.PROPOSED: Message("待审批"),
    RewardState.APPROVED: Message("已批准"),
    RewardState.REJECTED: Message("已驳回"),
    RewardState.PAID: Message("已拨付"),
}


class Reward(db.Model):
    """A reward of the policy (seed 三(三)): to a person, a sending enterprise, or an organising enterprise or town."""

    __tablename__ = "rewards"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("kind != 'individual' OR person_id IS NOT NULL", name="individual_has_person"),
        CheckConstraint("kind != 'sending_unit' OR enterprise_id IS NOT NULL", name="sending_unit_has_enterprise"),
        CheckConstraint("kind != 'organising_unit' OR enterprise_id IS NOT NULL OR town IS NOT NULL",
                        name="organising_unit_named"),
        UniqueConstraint("delegate_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    kind: Mapped[RewardKind] = mapped_column(enum_column(RewardKind))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    town: Mapped[str | None] = mapped_column(String(40))
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id"), index=True)
    amount: Mapped[int]
    basis: Mapped[str] = mapped_column(String(500))
    state: Mapped[RewardState] = mapped_column(enum_column(RewardState), default=RewardState.PROPOSED, index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_on: Mapped[date | None]
    voucher: Mapped[str | None] = mapped_column(String(60))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person = relationship("Person", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    delegate = relationship("Delegate")

    @property
    def kind_label(self) -> str:
        """Chinese name of the kind."""
        return REWARD_KIND_LABELS[self.kind]

    @property
    def state_label(self) -> str:
        """Chinese name of the state."""
        return REWARD_STATE_LABELS[self.state]

    @property
    def name(self) -> str:
        """Who receives it: the person, the enterprise, or the town."""
        if self.kind is RewardKind.INDIVIDUAL and self.person is not None:
            return self.person.name
        if self.enterprise is not None:
            return self.enterprise.name
        return self.town or ""

    def __repr__(self) -> str:
        return f"<Reward {self.id} {self.kind.value} {self.state.value}>"
