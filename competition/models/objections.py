"""Objections during the public notice (异议与复核, RULES.md §14).

An objection is filed against one entry while its event is under notice, and belongs to that round of the notice:
`notice_published_at` is the event's publication instant when it was filed, `notice_ends_on` the last day of that
notice. An uphold reopens scoring and a later publication starts a new round with a new instant, so an objection of
an earlier round stays recognisable (and decided) after a republish.
"""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .types import UTCDateTime, utcnow
from .user import enum_column


class ObjectionState(str, enum.Enum):
    """received → upheld (the event returns to scoring) or dismissed, each decided by an organiser with a reason."""

    RECEIVED = "received"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class ObjectionChannel(str, enum.Enum):
    """How the objection reached the league: filed in the system by the employer, or taken by an organiser."""

    ONLINE = "online"
    PHONE = "phone"
    LETTER = "letter"
    VISIT = "visit"
    OTHER = "other"


OBJECTION_STATE_LABELS = {
    ObjectionState.RECEIVED: Message("待处理"),
    ObjectionState.UPHELD: Message("异议成立"),
    ObjectionState.DISMISSED: Message("异议不成立"),
}
CHANNEL_LABELS = {
    ObjectionChannel.ONLINE: Message("系统提交"),
    ObjectionChannel.PHONE: Message("电话"),
    ObjectionChannel.LETTER: Message("来信"),
    ObjectionChannel.VISIT: Message("来访"),
    ObjectionChannel.OTHER: Message("其他"),
}


class Objection(db.Model):
    """One objection to one entry's result, in one round of its event's notice."""

    __tablename__ = "objections"
    __table_args__ = (
        CheckConstraint("state = 'received' OR (decided_at IS NOT NULL AND decision_reason IS NOT NULL)",
                        name="decided_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    state: Mapped[ObjectionState] = mapped_column(enum_column(ObjectionState), default=ObjectionState.RECEIVED,
                                                  index=True)
    reason: Mapped[str] = mapped_column(String(2000))
    channel: Mapped[ObjectionChannel] = mapped_column(enum_column(ObjectionChannel), default=ObjectionChannel.ONLINE)
    objector: Mapped[str | None] = mapped_column(String(60))  # who objected, when an organiser files for them
    contact: Mapped[str | None] = mapped_column(String(100))  # how to reach them (never shown to the public)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The round of the notice: the event's publication instant and the notice's last day when it was filed.
    notice_published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notice_ends_on: Mapped[date]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(String(500))

    event = relationship("Event", lazy="joined")
    entry = relationship("Entry", lazy="joined")
    filed_by = relationship("User", foreign_keys=[filed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def state_label(self) -> str:
        """The state's Chinese name."""
        return OBJECTION_STATE_LABELS[self.state]

    @property
    def channel_label(self) -> str:
        """How it was received, in Chinese."""
        return CHANNEL_LABELS[self.channel]

    @property
    def is_open(self) -> bool:
        """Still waiting for an organiser's decision."""
        return self.state is ObjectionState.RECEIVED

    @property
    def in_current_round(self) -> bool:
        """Filed in the notice the event is in now (False once the event was reopened or published again)."""
        return self.event.published_at is not None and self.event.published_at == self.notice_published_at

    def __repr__(self) -> str:
        return f"<Objection {self.id} event={self.event_id} entry={self.entry_id} {self.state.value}>"
