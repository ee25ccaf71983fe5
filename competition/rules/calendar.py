"""Working days for the public notice (公示, RULES.md §9).

Contract: pure functions of dates. A working day is Monday to Friday, except the given holidays
(the league's rules count Monday-Friday; the holidays argument is there for a future calendar of
public holidays and is empty by default). The notice runs to the end of the Nth working day after
the day of publication, whatever day that is; with N = 0 it ends on the day of publication.
"""
from collections.abc import Collection
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday to Friday, and not a listed holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, n: int, holidays: Collection[date] = ()) -> date:
    """The Nth working day after start (start itself never counts); start when n is 0."""
    if n < 0:
        raise ValueError(f"working days must not be negative: {n}")
    day = start
    while n:
        day += ONE_DAY
        if is_working_day(day, holidays):
            n -= 1
    return day


def notice_end_date(published_on: date, working_days: int, holidays: Collection[date] = ()) -> date:
    """The last day of a notice published on a day and running N working days."""
    return add_working_days(published_on, working_days, holidays)


def notice_over(ends_on: date, today: date) -> bool:
    """The notice is over once its last day has passed."""
    return today > ends_on
