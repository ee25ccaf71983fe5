"""China's working calendar (RULES.md §9): a year's days that differ from Monday-Friday, and the days an
administrator enters over the chinesecalendar package."""
from datetime import date
from typing import Literal

from pydantic import Field

from ..errors import Invalid
from ..permissions import can_manage_calendar
from ..rules.messages import Message
from ..services import calendar as calendar_service
from .framework import ADMIN_ROLES, EVERY_ROLE, actor, api_route
from .schemas import ApiIn, ApiOut

CALENDAR = ["calendar"]


class CalendarDayIn(ApiIn):
    """One entered day."""

    date: date
    kind: Literal["holiday", "workday"] = Field(description=Message("holiday：放假；workday：调休上班"))
    name: str = Field("", max_length=calendar_service.NAME_LIMIT, description=Message("节日名称，如 国庆节"))


class CalendarIn(ApiIn):
    """The days entered for a year; they replace the ones entered before (an empty list: the package's data)."""

    days: list[CalendarDayIn] = Field(max_length=calendar_service.DAYS_LIMIT)


class CalendarDayOut(ApiOut):
    """A day that differs from Monday-Friday, or an entered day."""

    date: date
    kind: Literal["holiday", "workday"]
    name: str
    origin: Literal["official", "entered"]


class CalendarOut(ApiOut):
    """A year of the working calendar."""

    year: int
    source: Literal["official", "entered", "none"]
    official: bool = Field(description=Message("chinesecalendar 软件包是否有本年数据"))
    days: list[CalendarDayOut]
    entered: list[CalendarDayOut]


def _year(year: int) -> int:
    """A year the calendar can hold, else 400."""
    if year not in calendar_service.YEARS:
        first, last = calendar_service.YEARS[0], calendar_service.YEARS[-1]
        raise Invalid(Message("年份须在%(first)s至%(last)s之间。", first=first, last=last),
                      details=[{"field": "year", "message": Message("年份无效。")}])
    return year


@api_route("/calendar/<int:year>", roles=EVERY_ROLE, response=CalendarOut, summary="查看工作日历", tags=CALENDAR,
           errors=[400])
def get_calendar(year: int):
    """A year's source (official: the chinesecalendar package; entered: an administrator's days over it; none)
    and the days that differ from Monday-Friday."""
    return calendar_service.year_view(_year(year))


@api_route("/calendar/<int:year>", roles=ADMIN_ROLES, methods=["PUT"], body=CalendarIn, response=CalendarOut,
           allow=can_manage_calendar, summary="录入工作日历", tags=CALENDAR, errors=[400])
def put_calendar(year: int, body: CalendarIn):
    """Replace the days entered for a year; each overrides the package for its date. A notice already published
    keeps its end date."""
    days = [calendar_service.EnteredDay(d.date, d.kind, d.name) for d in body.days]
    return calendar_service.replace_year(actor(), _year(year), days)
