"""Certificates (证书, RULES.md §15): one per prize of a final event and one per 技术能手 title.

The database keeps the promises: a number is unique, and so is (year, serial), from which it is written; an entry
has at most one prize certificate and a title one certificate. A certificate is never renumbered or deleted: its
number may already be printed on paper and checked at /verify/<number>.
"""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import enum_column


class CertificateKind(str, enum.Enum):
    """A prize (获奖证书) of a final event, or the 技术能手 title (荣誉证书)."""

    PRIZE = "prize"
    TITLE = "title"


class Certificate(db.Model):
    """One numbered certificate of one person."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        UniqueConstraint("kind", "entry_id"),
        CheckConstraint("kind = 'title' OR (entry_id IS NOT NULL AND event_id IS NOT NULL AND prize_name IS NOT NULL)",
                        name="prize_has_entry"),
        CheckConstraint("kind = 'prize' OR title_id IS NOT NULL", name="title_has_title"),
        CheckConstraint("serial >= 1", name="serial_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # WJ2026-000123 (rules/certificates.py)
    year: Mapped[int]
    serial: Mapped[int]
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)  # none: a recommended title
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    title_id: Mapped[int | None] = mapped_column(ForeignKey("expert_titles.id"), unique=True)
    # The employer when it was issued (the entry's, or the title's): whose enterprise users may download it.
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    prize_name: Mapped[str | None] = mapped_column(String(40))  # the tier name when issued (一等奖 …)
    prize_tier: Mapped[int | None]  # its position among the event's tiers (1: the first), for the standings' points
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person = relationship("Person", lazy="joined")
    event = relationship("Event", lazy="joined")
    title = relationship("ExpertTitle")

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.kind.value}>"


# The certificates list's order (newest year first, then by serial): the unique (year, serial) serves neither
# direction of it, so a page of the list sorted every certificate first (issue 22: 27 ms at 18,000, growing yearly).
Index("ix_certificates_year_desc_serial", Certificate.year.desc(), Certificate.serial)
