"""Competition subsidy claims (竞赛经费补贴, RULES.md §10).

Two partial unique indexes make the caps hold under concurrency, whatever the application checks:
one live claim per event, and one live claim per host enterprise per season. "Live" means submitted,
approved or paid; a rejected claim frees both. The host-year index enforces the founding policy's cap
of one subsidy per enterprise per year (subsidies_per_enterprise_year = 1); a policy allowing more
would need the index relaxed, the rule already counts claims against the figure.
"""
import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.subsidy import STATE_LABELS
from .types import UTCDateTime, utcnow
from .user import enum_column


class ClaimState(str, enum.Enum):
    """submitted → approved → paid, or rejected with a reason."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


CLAIM_STATE_LABELS = {state: STATE_LABELS[state.value] for state in ClaimState}  # one table: the rule's

LIVE_CLAIM = "state IN ('submitted', 'approved', 'paid')"


class SubsidyClaim(db.Model):
    """An enterprise's claim for the subsidy of one event it hosted, with the checks at claim time."""

    __tablename__ = "subsidy_claims"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index("uq_subsidy_claims_live_event", "event_id", unique=True,
              sqlite_where=text(LIVE_CLAIM), postgresql_where=text(LIVE_CLAIM)),
        Index("uq_subsidy_claims_live_host_season", "host_enterprise_id", "season_id", unique=True,
              sqlite_where=text(LIVE_CLAIM), postgresql_where=text(LIVE_CLAIM)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    host_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"), index=True)
    state: Mapped[ClaimState] = mapped_column(enum_column(ClaimState), default=ClaimState.SUBMITTED, index=True)
    amount: Mapped[int]
    participants: Mapped[int]
    checks: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))
    paid_on: Mapped[date | None]
    voucher: Mapped[str | None] = mapped_column(String(60))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event", lazy="joined")
    host = relationship("Enterprise", lazy="joined")
    season = relationship("Season")
    policy_version = relationship("PolicyVersion")
    created_by = relationship("User", foreign_keys=[created_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def state_label(self) -> str:
        """Chinese name of the state."""
        return CLAIM_STATE_LABELS[self.state]

    @property
    def event_name(self) -> str:
        """The claimed event's name."""
        return self.event.name

    @property
    def host_name(self) -> str:
        """The host enterprise's name."""
        return self.host.name

    def __repr__(self) -> str:
        return f"<SubsidyClaim {self.id} event={self.event_id} {self.state.value}>"
