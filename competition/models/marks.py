"""Judges' marks, every change to them, result snapshots and strict-mode tie orders (RULES.md §6-§8)."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

MEASUREMENT_KEY = 0  # judge_key of a measurement value: one per entry, whoever on the panel entered it


class Mark(db.Model):
    """One raw mark, the source of truth: a judge's judgement (judge_key = user id) or a measurement (0)."""

    __tablename__ = "marks"
    __table_args__ = (
        UniqueConstraint("entry_id", "criterion_id", "judge_key"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("judge_key >= 0", name="judge_key_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), index=True)
    judge_key: Mapped[int]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    value: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    # Optimistic locking: an UPDATE that finds another version raises StaleDataError (a lost race).
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class MarkChange(db.Model):
    """Every entry or change of a mark: old and new value, who, when and why; never updated."""

    __tablename__ = "mark_changes"
    __table_args__ = (Index("ix_mark_changes_entry", "entry_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    judge_key: Mapped[int]
    old_value: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    new_value: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(500))


class ResultSnapshot(db.Model):
    """The results frozen at one sign-off; a reopen supersedes it and a new sign-off adds the next."""

    __tablename__ = "result_snapshots"
    __table_args__ = (UniqueConstraint("event_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]  # 1 for the first sign-off, 2 after a reopen, …
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    participants: Mapped[int]
    payload: Mapped[dict] = mapped_column(JSON)
    # Each row's explanation by entry id, apart from the rows: it is 87% of a snapshot's JSON, and the
    # workbook, the dashboard and the nominations never read it (deferred: loaded only when asked for).
    explanations: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    superseded_reason: Mapped[str | None] = mapped_column(String(500))


class TieOrder(db.Model):
    """An organiser's order for a strict-mode tie the tie-break chain could not separate, with the reason."""

    __tablename__ = "tie_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    entry_ids: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
