"""Contestants (one person per ID number) and their entries in events (RULES.md §2, §5)."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .types import UTCDateTime, utcnow
from .user import enum_column


class Person(db.Model):
    """A contestant, identified across the league by the 居民身份证号码."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(30))
    birth_date: Mapped[date]
    gender: Mapped[str] = mapped_column(String(1))  # 男 / 女, derived from the ID number
    phone: Mapped[str | None] = mapped_column(String(11))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntryStatus(str, enum.Enum):
    """Registered, then at check-in present, absent or withdrawn; present may become disqualified."""

    REGISTERED = "registered"
    PRESENT = "present"
    ABSENT = "absent"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"


ENTRY_STATUS_LABELS = {
    EntryStatus.REGISTERED: Message("已报名"),
    EntryStatus.PRESENT: Message("到场"),
    EntryStatus.ABSENT: Message("缺考"),
    EntryStatus.WITHDRAWN: Message("退赛"),
    EntryStatus.DISQUALIFIED: Message("取消资格"),
}


class Entry(db.Model):
    """One person's enrolment in one event; the competition number comes from the draw."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        UniqueConstraint("event_id", "number"),
        CheckConstraint("time_used_seconds IS NULL OR time_used_seconds >= 0", name="time_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    status: Mapped[EntryStatus] = mapped_column(enum_column(EntryStatus), default=EntryStatus.REGISTERED)
    number: Mapped[str | None] = mapped_column(String(8))
    disqualify_reason: Mapped[str | None] = mapped_column(String(500))
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))  # a withdrawal after the draw
    time_used_seconds: Mapped[int | None]
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event = relationship("Event")
    person: Mapped[Person] = relationship(lazy="joined")
    employer = relationship("Enterprise", lazy="joined")
