"""技术能手 nominations and the title register (RULES.md §11).

The database keeps the two promises no race may break: a person holds the title at most once
(unique person on expert_titles, so the 2000 yuan is paid once), and a person has at most one
live nomination per season (a unique partial index that ignores rejected and excluded rows).
"""
import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .types import UTCDateTime, utcnow
from .user import enum_column


class NominationRoute(str, enum.Enum):
    """Nominated by an event's final results, or recommended by the employer."""

    COMPETITION = "competition"
    ENTERPRISE = "enterprise"


class NominationState(str, enum.Enum):
    """proposed → approved | rejected; excluded rows record a candidate the rules kept out, with the reason."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXCLUDED = "excluded"


ROUTE_LABELS = {NominationRoute.COMPETITION: Message("竞赛产生"), NominationRoute.ENTERPRISE: Message("企业推荐")}
NOMINATION_STATE_LABELS = {NominationState.PROPOSED: Message("待审核"), NominationState.APPROVED: Message("已批准"),
                           NominationState.REJECTED: Message("未通过"),
                           NominationState.EXCLUDED: Message("未提名")}

LIVE_CONDITION = "state NOT IN ('rejected', 'excluded')"


class Nomination(db.Model):
    """One nomination, or one excluded candidate, of a person in a season."""

    __tablename__ = "nominations"
    __table_args__ = (
        Index("uq_nominations_person_season_live", "person_id", "season_id", unique=True,
              sqlite_where=text(LIVE_CONDITION), postgresql_where=text(LIVE_CONDITION)),
        CheckConstraint("route = 'enterprise' OR event_id IS NOT NULL", name="competition_has_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    route: Mapped[NominationRoute] = mapped_column(enum_column(NominationRoute))
    state: Mapped[NominationState] = mapped_column(enum_column(NominationState), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), unique=True)
    # The employer: the entry's employer on the competition route, the recommending enterprise otherwise.
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    rank: Mapped[int | None]
    total: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    justification: Mapped[str | None] = mapped_column(String(2000))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(500))  # why excluded, or why rejected
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    season = relationship("Season", lazy="joined")
    person = relationship("Person", lazy="joined")
    event = relationship("Event", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")


class ExpertTitle(db.Model):
    """吴江区技术能手: awarded once per person ever, with the one-time subsidy owed to them."""

    __tablename__ = "expert_titles"
    __table_args__ = (CheckConstraint("subsidy >= 0", name="subsidy_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    route: Mapped[NominationRoute] = mapped_column(enum_column(NominationRoute))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id"), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    subsidy: Mapped[int]  # whole yuan, the policy's expert_subsidy on the day it was awarded
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    person = relationship("Person", lazy="joined")
    event = relationship("Event", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
