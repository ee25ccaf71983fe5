"""China's working days, and the end of the public notice (公示, RULES.md §9).

Contract: pure functions of dates and a `WorkingCalendar`, the days that differ from Monday-Friday
(statutory holidays on weekdays, 调休 working Saturdays and Sundays) for the years it covers. A day in
a year the calendar does not cover raises `CalendarMissing`: it is never guessed as Monday-Friday,
since a notice cut short lets results be finalised while objections may still legally come in.
The notice runs to the end of the Nth working day after the day of publication, whatever day that
is; with N = 0 it ends on the day of publication.
"""
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
HOLIDAY, WORKDAY = "holiday", "workday"
KINDS = (HOLIDAY, WORKDAY)


class CalendarMissing(LookupError):
    """A working-day count ran into a year for which there is no calendar data."""

    def __init__(self, year: int):
        super().__init__(f"no working calendar for {year}")
        self.year = year


@dataclass(frozen=True)
class WorkingCalendar:
    """The exceptions to Monday-Friday (date → HOLIDAY or WORKDAY) for the covered years."""

    exceptions: Mapping[date, str] = field(default_factory=dict)
    years: Collection[int] = frozenset()

    def is_working_day(self, day: date) -> bool:
        """A working day: an exception's kind when the date has one, else Monday to Friday."""
        if day.year not in self.years:
            raise CalendarMissing(day.year)
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == WORKDAY
        return day.weekday() < 5


def differs_from_weekdays(day: date, kind: str) -> bool:
    """Whether a day of this kind is an exception: a holiday on a weekday, or a working weekend day."""
    return (kind == HOLIDAY) == (day.weekday() < 5)


def merged(official: Mapping[date, str], entered: Mapping[date, str]) -> dict[date, str]:
    """The exceptions of a year: the package's, with each entered day overriding its date (an entered working
    Tuesday removes a holiday the package had on that date)."""
    days = dict(official) | dict(entered)
    return {day: kind for day, kind in days.items() if differs_from_weekdays(day, kind)}


def add_working_days(start: date, n: int, calendar: WorkingCalendar) -> date:
    """The Nth working day after start (start itself never counts); start when n is 0."""
    if n < 0:
        raise ValueError(f"working days must not be negative: {n}")
    day = start
    while n:
        day += ONE_DAY
        if calendar.is_working_day(day):
            n -= 1
    return day


def notice_end_date(published_on: date, working_days: int, calendar: WorkingCalendar) -> date:
    """The last day of a notice published on a day and running N working days."""
    return add_working_days(published_on, working_days, calendar)


def years_reached(start: date, working_days: int) -> range:
    """The years a count of N working days from start may reach: each year has well over 200 working days, so
    one more year per 200 days (and one for a count that starts in late December) always suffices."""
    return range(start.year, start.year + 2 + working_days // 200)


def notice_over(ends_on: date, today: date) -> bool:
    """The notice is over once its last day has passed."""
    return today > ends_on


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """A month as weeks Monday to Sunday, None outside the month: the grid the calendar page draws."""
    first = date(year, month, 1)
    day = first - timedelta(days=first.weekday())
    weeks: list[list[date | None]] = []
    while day.month == month or day < first:
        weeks.append([d if d.month == month else None for d in (day + timedelta(days=i) for i in range(7))])
        day += timedelta(days=7)
    return weeks


def duplicate_dates(days: Iterable[date]) -> set[date]:
    """The dates that appear more than once."""
    seen: set[date] = set()
    repeated: set[date] = set()
    for day in days:
        (repeated if day in seen else seen).add(day)
    return repeated
