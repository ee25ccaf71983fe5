"""The league's towns (镇、街道、开发区、高新区; RULES.md §17): the list every enterprise and town officer names one of.

An enterprise's `town` and a town officer's `users.town` hold the town's name, checked against this list by the
services (services/towns.py); the administrator maintains it. Monthly reports (monthly feedback, seed 五(二)) are written
once per town and month and replaced when regenerated.
"""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

# The towns the first migration of the list writes (the district's 2026 divisions; the administrator adds more).
FOUNDING_TOWNS = ("松陵街道", "江陵街道", "八坼街道", "横扇街道", "同里镇", "平望镇", "盛泽镇", "七都镇", "震泽镇",
                  "桃源镇", "黎里镇", "汾湖高新区", "吴江经济技术开发区")


class Town(db.Model):
    """One town of the league, in the order the lists show them."""

    __tablename__ = "towns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Town {self.name}>"


class MonthlyReport(db.Model):
    """A town's report for one month (seed 五(二)): its figures beside the district's, and the workbook filed."""

    __tablename__ = "monthly_reports"
    __table_args__ = (UniqueConstraint("town", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    town: Mapped[str] = mapped_column(String(40), index=True)
    month: Mapped[date] = mapped_column(index=True)  # the first day of the month reported on
    figures: Mapped[dict] = mapped_column(JSON)
    workbook: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the scheduled run
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when the town first opened it (the badge)
