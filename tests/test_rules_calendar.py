"""Working days and the end of the public notice (RULES.md §9): plain tables."""
from datetime import date

import pytest

from competition.rules.calendar import add_working_days, is_working_day, notice_end_date, notice_over

# June 2026: Mon 15, Tue 16, Wed 17, Thu 18, Fri 19, Sat 20, Sun 21, Mon 22 … Fri 26.
D = date


@pytest.mark.parametrize("start, n, expected", [
    (D(2026, 6, 15), 5, D(2026, 6, 22)),   # published Monday → ends the next Monday
    (D(2026, 6, 17), 5, D(2026, 6, 24)),   # Wednesday → next Wednesday
    (D(2026, 6, 19), 5, D(2026, 6, 26)),   # Friday → next Friday
    (D(2026, 6, 20), 5, D(2026, 6, 26)),   # Saturday → Friday (Monday is day 1)
    (D(2026, 6, 21), 5, D(2026, 6, 26)),   # Sunday → Friday
    (D(2026, 6, 19), 1, D(2026, 6, 22)),   # Friday + 1 → Monday
    (D(2026, 6, 18), 2, D(2026, 6, 22)),   # Thursday + 2 → Monday (the weekend skipped)
    (D(2026, 6, 15), 10, D(2026, 6, 29)),  # two whole weeks
    (D(2026, 6, 20), 0, D(2026, 6, 20)),   # no working days: the notice ends on publication day
    (D(2026, 12, 31), 1, D(2027, 1, 1)),   # across a year end (a Friday)
    (D(2028, 2, 25), 3, D(2028, 3, 1)),    # across 29 February (Fri 25 → Mon 28, Tue 29, Wed 1)
])
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected
    assert notice_end_date(start, n) == expected


def test_holidays_are_skipped_when_given():
    assert add_working_days(D(2026, 9, 30), 2, holidays={D(2026, 10, 1), D(2026, 10, 2)}) == D(2026, 10, 6)


@pytest.mark.parametrize("day, working", [
    (D(2026, 6, 19), True), (D(2026, 6, 20), False), (D(2026, 6, 21), False), (D(2026, 6, 22), True)])
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 6, 15), -1)


@pytest.mark.parametrize("today, over", [
    (D(2026, 6, 25), False), (D(2026, 6, 26), False), (D(2026, 6, 27), True)])
def test_notice_is_over_after_its_last_day(today, over):
    assert notice_over(D(2026, 6, 26), today) is over
