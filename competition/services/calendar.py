"""China's working calendar (RULES.md §9): the `chinesecalendar` package, overridden date by date by the days
an administrator enters.

A year's source is "entered" once an administrator has entered days for it (they are the State Council's
schedule as the office read it, and override the package date by date), else "official" when the package
knows the year, else "none": a notice that would run into such a year is refused (409 calendar_missing).
"""
from dataclasses import dataclass
from datetime import date

import chinese_calendar

from ..errors import Invalid, InvalidState
from ..extensions import db
from ..models import CalendarDay
from ..rules.calendar import (HOLIDAY, KINDS, WORKDAY, CalendarMissing, WorkingCalendar, differs_from_weekdays,
                              duplicate_dates, merged, notice_end_date, years_reached)
from ..rules.messages import Message
from .audit import Actor, record

OFFICIAL, ENTERED, NONE = "official", "entered", "none"
NAME_LIMIT = 50
DAYS_LIMIT = 200  # a year's schedule has about 40 days that differ from Monday-Friday
YEARS = range(2004, 2101)  # the package begins in 2004; an entered year may be any up to 2100

# The package names its holidays in English; the league shows the names of the State Council's notice.
HOLIDAY_NAMES = {
    "New Year's Day": Message("元旦"),
    "Spring Festival": Message("春节"),
    "Tomb-sweeping Day": Message("清明节"),
    "Labour Day": Message("劳动节"),
    "Dragon Boat Festival": Message("端午节"),
    "Mid-autumn Festival": Message("中秋节"),
    "National Day": Message("国庆节"),
    "Anti-Fascist 70th Day": Message("抗战胜利70周年纪念日"),
}
KIND_LABELS = {HOLIDAY: Message("休"), WORKDAY: Message("班")}


@dataclass(frozen=True)
class Day:
    """One day that differs from Monday-Friday, or one entered day."""

    day: date
    kind: str
    name: str
    origin: str  # OFFICIAL or ENTERED

    def as_data(self) -> dict:
        """The API's shape."""
        return {"date": self.day, "kind": self.kind, "name": self.name, "origin": self.origin}


def _official_years() -> frozenset[int]:
    """The years the installed package has data for."""
    return frozenset(day.year for day in chinese_calendar.holidays)


OFFICIAL_YEARS = _official_years()


def official_days(year: int) -> dict[date, tuple[str, str]]:
    """The package's holidays and 调休 working days of a year: date → (kind, name); empty for a year it lacks."""
    if year not in OFFICIAL_YEARS:
        return {}
    days = {day: (HOLIDAY, _name(name)) for day, name in chinese_calendar.holidays.items() if day.year == year}
    days.update({day: (WORKDAY, _name(name)) for day, name in chinese_calendar.workdays.items() if day.year == year})
    return days


def _name(package_name: str) -> str:
    """A holiday's Chinese name (the package's own when it is new to the league)."""
    return HOLIDAY_NAMES.get(package_name, package_name)


def entered_days(years) -> dict[date, CalendarDay]:
    """The days administrators entered for some years."""
    rows = db.session.scalars(db.select(CalendarDay).where(CalendarDay.year.in_(list(years))))
    return {row.day: row for row in rows}


def source_of(year: int, entered: bool) -> str:
    """Where a year's calendar comes from."""
    if entered:
        return ENTERED
    return OFFICIAL if year in OFFICIAL_YEARS else NONE


def working_calendar(years) -> WorkingCalendar:
    """The calendar for some years: the package's exceptions overridden by the entered days; only years with a
    source are covered."""
    years = list(years)
    entered = entered_days(years)
    entered_years = {day.year for day in entered}
    covered, exceptions = set(), {}
    for year in years:
        if source_of(year, year in entered_years) == NONE:
            continue
        covered.add(year)
        exceptions.update(merged({d: kind for d, (kind, _) in official_days(year).items()},
                                 {d: row.kind for d, row in entered.items() if d.year == year}))
    return WorkingCalendar(exceptions, frozenset(covered))


def notice_end(published_on: date, working_days: int) -> date:
    """The notice's last day on China's working calendar; 409 calendar_missing when it would run into a year
    without data, telling the administrator what to enter."""
    try:
        return notice_end_date(published_on, working_days, working_calendar(years_reached(published_on,
                                                                                          working_days)))
    except CalendarMissing as missing:
        raise InvalidState(Message(
            "公示期将延续到%(year)s年，但系统中还没有%(year)s年的法定节假日和调休安排，无法计算公示截止日期。"
            "请系统管理员在“工作日历”中录入%(year)s年的放假和调休上班日期（或升级 chinesecalendar），然后再公示。",
            year=missing.year), code="calendar_missing",
            details=[{"field": "calendar", "year": missing.year, "message": Message(
                "%(year)s年的工作日历尚未录入。", year=missing.year)}]) from None


def year_view(year: int) -> dict:
    """A year as the API gives it: its source, the days that differ from Monday-Friday (entered ones overriding
    the package's), and the entered days themselves (an entered day may restore a plain working day)."""
    entered = entered_days([year])
    official = official_days(year)
    days: dict[date, Day] = {d: Day(d, kind, name, OFFICIAL) for d, (kind, name) in official.items()}
    days.update({d: Day(d, row.kind, row.name, ENTERED) for d, row in entered.items()})
    return {
        "year": year,
        "source": source_of(year, bool(entered)),
        "official": year in OFFICIAL_YEARS,
        "days": [days[d].as_data() for d in sorted(days) if differs_from_weekdays(d, days[d].kind)],
        "entered": [Day(d, row.kind, row.name, ENTERED).as_data() for d, row in sorted(entered.items())],
    }


def day_names(year: int) -> dict[date, tuple[str, str]]:
    """Every named day of a year, weekends in a holiday included: date → (kind, name), for the calendar page."""
    days = official_days(year)
    days.update({d: (row.kind, row.name) for d, row in entered_days([year]).items()})
    return days


@dataclass(frozen=True)
class EnteredDay:
    """A day as an administrator typed it."""

    day: date | None
    kind: str | None
    name: str | None
    line: int | None = None  # the line of the page's text box it came from


def check_days(year: int, days: list[EnteredDay]) -> list[dict]:
    """Every problem of a year's entered days: the date in the year, the kind, the name, no date twice."""
    problems = []
    if len(days) > DAYS_LIMIT:
        problems.append({"field": "days", "message": Message("一年最多录入%(limit)s天。", limit=DAYS_LIMIT)})
    repeated = duplicate_dates(d.day for d in days if d.day is not None)
    for index, entry in enumerate(days):
        where = Message("第%(line)s行", line=entry.line) if entry.line else Message("第%(n)s项", n=index + 1)
        field = f"days.{index}"
        if entry.day is None:
            problems.append({"field": f"{field}.date", "message": Message("%(where)s：日期无效，请写成 2027-01-01 的格式。",
                                                                          where=where)})
        elif entry.day.year != year:
            problems.append({"field": f"{field}.date", "message": Message("%(where)s：%(date)s 不在%(year)s年。",
                                                                          where=where, date=entry.day, year=year)})
        elif entry.day in repeated:
            problems.append({"field": f"{field}.date", "message": Message("%(where)s：%(date)s 录入了不止一次。",
                                                                          where=where, date=entry.day)})
        if entry.kind not in KINDS:
            problems.append({"field": f"{field}.kind", "message": Message(
                "%(where)s：类型须为“休”（放假）或“班”（调休上班）。", where=where)})
        if len((entry.name or "").strip()) > NAME_LIMIT:
            problems.append({"field": f"{field}.name", "message": Message("%(where)s：名称不能超过%(limit)s个字。",
                                                                          where=where, limit=NAME_LIMIT)})
    return problems


def replace_year(actor: Actor, year: int, days: list[EnteredDay]) -> dict:
    """Replace the days entered for a year (an empty list returns the year to the package); audited. A notice
    already published keeps the end it was given."""
    if year not in YEARS:
        raise Invalid(Message("年份须在%(first)s至%(last)s之间。", first=YEARS[0], last=YEARS[-1]),
                      details=[{"field": "year", "message": Message("年份无效。")}])
    problems = check_days(year, days)
    if problems:
        raise Invalid(Message("录入的日期有%(count)s处错误，未保存。", count=len(problems)), details=problems)
    old = entered_days([year])
    before = {"source": source_of(year, bool(old)), "days": _audit_days((d, r.kind, r.name) for d, r in old.items())}
    for row in old.values():
        db.session.delete(row)
    db.session.flush()
    for entry in days:
        db.session.add(CalendarDay(day=entry.day, year=year, kind=entry.kind, name=(entry.name or "").strip(),
                                   entered_by_id=actor.user_id))
    db.session.flush()
    record(actor, "calendar.replace", target=("WorkingCalendar", year), before=before,
           after={"source": source_of(year, bool(days)),
                  "days": _audit_days((e.day, e.kind, (e.name or "").strip()) for e in days)})
    return year_view(year)


def _audit_days(days) -> list[str]:
    """Days as short lines for the audit log: 2026-10-10 workday 国庆节."""
    return [f"{day.isoformat()} {kind} {name}".strip() for day, kind, name in sorted(days)]


def years_overview(around: int) -> list[dict]:
    """The years near one, each with its source: where the page says what is missing."""
    years = range(around - 1, around + 3)
    entered_years = {row.year for row in entered_days(years).values()}
    return [{"year": y, "source": source_of(y, y in entered_years)} for y in years]
