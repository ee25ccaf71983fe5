"""Working days and the end of the public notice (RULES.md §9): plain tables on China's working calendar.

STATE_COUNCIL_2026 (tests/calendar_2026.py) is typed from the State Council's notice, not from the package, so the
package is checked against the notice (tests/test_calendar.py) and the rules against both.
"""
from datetime import date

import pytest

from competition.rules.calendar import (HOLIDAY, WORKDAY, CalendarMissing, WorkingCalendar, add_working_days,
                                        differs_from_weekdays, duplicate_dates, merged, month_weeks, notice_end_date,
                                        notice_over, years_reached)
from tests.calendar_2026 import STATE_COUNCIL_2026

D = date


# The end of 2025 (元旦 2026 begins on Thursday 1 January; nothing of 2025's schedule falls in its last weeks).
CALENDAR = WorkingCalendar(merged(STATE_COUNCIL_2026, {}), frozenset({2025, 2026}))


@pytest.mark.parametrize("start, n, expected, why", [
    # 元旦
    (D(2025, 12, 31), 1, D(2026, 1, 4), "Wednesday before 元旦 → the Sunday worked in exchange"),
    (D(2025, 12, 31), 2, D(2026, 1, 5), "then Monday"),
    (D(2026, 1, 1), 1, D(2026, 1, 4), "published on the holiday itself"),
    (D(2026, 1, 3), 5, D(2026, 1, 8), "the Sunday worked counts first"),
    # 春节: nine days off, Saturdays 14 and 28 February worked
    (D(2026, 2, 12), 1, D(2026, 2, 13), "Thursday → Friday"),
    (D(2026, 2, 13), 1, D(2026, 2, 14), "Friday → the Saturday worked"),
    (D(2026, 2, 13), 2, D(2026, 2, 24), "then the whole festival is skipped"),
    (D(2026, 2, 14), 1, D(2026, 2, 24), "published on the Saturday worked"),
    (D(2026, 2, 23), 1, D(2026, 2, 24), "last day of the festival → the first working day"),
    (D(2026, 2, 27), 1, D(2026, 2, 28), "Friday → the second Saturday worked"),
    (D(2026, 2, 27), 2, D(2026, 3, 2), "then Monday"),
    (D(2026, 2, 10), 5, D(2026, 2, 24), "a notice across the festival: 11, 12, 13, the Saturday worked, then 24"),
    # 清明节
    (D(2026, 4, 2), 1, D(2026, 4, 3), "Thursday → Friday"),
    (D(2026, 4, 3), 1, D(2026, 4, 7), "Friday → Tuesday after 清明 Monday"),
    (D(2026, 4, 6), 1, D(2026, 4, 7), "the holiday's Monday → Tuesday"),
    # 劳动节: 1-5 May off, Saturday 9 May worked
    (D(2026, 4, 30), 1, D(2026, 5, 6), "Thursday → Wednesday 6 May"),
    (D(2026, 4, 30), 5, D(2026, 5, 11), "6, 7, 8, the Saturday worked, then Monday 11"),
    (D(2026, 5, 8), 1, D(2026, 5, 9), "Friday → the Saturday worked"),
    (D(2026, 5, 6), 5, D(2026, 5, 12), "7, 8, 9, 11, 12"),
    # 端午节: Friday 19 to Sunday 21 June
    (D(2026, 6, 18), 1, D(2026, 6, 22), "Thursday → Monday"),
    (D(2026, 6, 17), 5, D(2026, 6, 25), "18, 22, 23, 24, 25"),
    (D(2026, 6, 19), 5, D(2026, 6, 26), "published on the holiday"),
    # 中秋节: Friday 25 to Sunday 27 September; Sunday 20 September worked for 国庆
    (D(2026, 9, 18), 1, D(2026, 9, 20), "Friday → the Sunday worked"),
    (D(2026, 9, 24), 1, D(2026, 9, 28), "Thursday → Monday"),
    # 国庆节: 1-7 October off, Saturday 10 October worked
    (D(2026, 9, 30), 1, D(2026, 10, 8), "Wednesday → Thursday 8 October"),
    (D(2026, 9, 30), 5, D(2026, 10, 13), "the issue's case: not 7 October"),
    (D(2026, 10, 9), 1, D(2026, 10, 10), "Friday → the Saturday worked"),
    (D(2026, 10, 9), 5, D(2026, 10, 15), "the issue's case: one day earlier than Monday-Friday"),
    (D(2026, 10, 7), 1, D(2026, 10, 8), "last day of the holiday"),
    # Plain weeks, and N = 0
    (D(2026, 6, 8), 5, D(2026, 6, 15), "Monday → the next Monday"),
    (D(2026, 6, 13), 5, D(2026, 6, 22), "Saturday → Monday is day 1; 端午 Friday off"),
    (D(2026, 6, 20), 0, D(2026, 6, 20), "no working days: the notice ends on publication day"),
    (D(2026, 12, 24), 5, D(2026, 12, 31), "the last days of the year"),
])
def test_notice_ends_on_the_state_councils_working_days(start, n, expected, why):
    assert add_working_days(start, n, CALENDAR) == expected, why
    assert notice_end_date(start, n, CALENDAR) == expected, why


@pytest.mark.parametrize("day, working", [
    (D(2026, 10, 1), False), (D(2026, 10, 7), False), (D(2026, 10, 8), True), (D(2026, 10, 10), True),
    (D(2026, 10, 11), False), (D(2026, 2, 14), True), (D(2026, 2, 23), False), (D(2026, 6, 19), False),
    (D(2026, 6, 22), True), (D(2026, 9, 20), True), (D(2026, 9, 19), False)])
def test_is_working_day(day, working):
    assert CALENDAR.is_working_day(day) is working


def test_a_count_into_a_year_without_data_is_refused_never_guessed():
    with pytest.raises(CalendarMissing) as missing:
        add_working_days(D(2026, 12, 30), 2, CALENDAR)
    assert missing.value.year == 2027
    assert add_working_days(D(2026, 12, 30), 1, CALENDAR) == D(2026, 12, 31)  # stays in 2026: fine
    assert add_working_days(D(2030, 5, 1), 0, CALENDAR) == D(2030, 5, 1)  # nothing counted, nothing needed


def test_an_entered_day_overrides_the_package_for_its_date():
    official = {D(2026, 10, 8): HOLIDAY, D(2026, 10, 10): WORKDAY}
    entered = {D(2026, 10, 8): WORKDAY, D(2026, 10, 17): WORKDAY}
    assert merged(official, entered) == {D(2026, 10, 10): WORKDAY, D(2026, 10, 17): WORKDAY}
    assert differs_from_weekdays(D(2026, 10, 3), HOLIDAY) is False  # a Saturday off is no exception


def test_years_reached_cover_any_notice():
    assert list(years_reached(D(2026, 12, 30), 5)) == [2026, 2027]
    assert list(years_reached(D(2026, 1, 5), 60)) == [2026, 2027]
    assert max(years_reached(D(2026, 1, 5), 400)) >= 2028


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 6, 15), -1, CALENDAR)


@pytest.mark.parametrize("today, over", [
    (D(2026, 6, 25), False), (D(2026, 6, 26), False), (D(2026, 6, 27), True)])
def test_notice_is_over_after_its_last_day(today, over):
    assert notice_over(D(2026, 6, 26), today) is over


def test_month_weeks_start_on_monday():
    weeks = month_weeks(2026, 10)
    assert weeks[0] == [None, None, None, D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3), D(2026, 10, 4)]
    assert weeks[-1][:6] == [D(2026, 10, 26), D(2026, 10, 27), D(2026, 10, 28), D(2026, 10, 29), D(2026, 10, 30),
                             D(2026, 10, 31)] and weeks[-1][6] is None
    assert sum(1 for week in weeks for d in week if d) == 31
    assert month_weeks(2026, 6)[0][0] == D(2026, 6, 1)  # 1 June 2026 is a Monday: no leading blanks


def test_duplicate_dates():
    assert duplicate_dates([D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 1)]) == {D(2026, 1, 1)}
