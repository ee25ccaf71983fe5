"""Column types shared by the models, and the league's clock: stored in UTC, read in Beijing time."""
from datetime import date, datetime, time, timedelta, timezone
from typing import overload

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def beijing_today() -> date:
    """Today's date in Beijing, the league's calendar."""
    return datetime.now(BEIJING).date()


@overload
def beijing_day(moment: datetime) -> date: ...


@overload
def beijing_day(moment: datetime | None) -> date | None: ...


def beijing_day(moment: datetime | None) -> date | None:
    """The Beijing calendar day of a stored instant (None stays None)."""
    return moment.astimezone(BEIJING).date() if moment is not None else None


def beijing_at(day: date, hour: int) -> datetime:
    """That day's hour in Beijing, as an aware datetime."""
    return datetime.combine(day, time(hour), tzinfo=BEIJING)


class UTCDateTime(TypeDecorator):
    """Stores UTC and always returns aware datetimes, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Normalise to UTC before writing; naive values are taken as UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        """Attach UTC to what SQLite gives back naive."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
