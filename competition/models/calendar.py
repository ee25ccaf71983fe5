"""Days of China's working calendar entered by an administrator (RULES.md §9).

The statutory holidays and 调休 working weekends come from the `chinesecalendar` package; a row here
overrides the package for its date, so a late or changed State Council schedule can be followed.
"""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class CalendarDay(db.Model):
    """One entered day: a holiday (休) or a working day (班), with the holiday's name."""

    __tablename__ = "calendar_days"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind_valid"),)

    day: Mapped[date] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)  # day's year, so a year is one indexed lookup on any database
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(50), default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
