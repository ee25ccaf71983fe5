"""The working calendar (工作日历, RULES.md §9): a year drawn month by month, where its data comes from, and the
days an administrator enters over the package's (a late or changed State Council schedule)."""
import re
from datetime import date
from typing import NamedTuple

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..context import current_actor
from ..errors import AppError
from ..forms.calendar import CalendarDaysForm
from ..i18n import as_text
from ..permissions import can_manage_calendar, can_view_calendar, require
from ..rules.calendar import HOLIDAY, WORKDAY, month_weeks
from ..rules.messages import Message
from ..services import calendar as calendar_service
from ..services.marking.facts import beijing_today
from .common import guard, render_failed, render_invalid, saving
from .blueprints import calendar as bp

bp.before_request(guard(can_view_calendar, Message("只有系统管理员和组委会可以查看工作日历。")))
# No menu item: a page visited once a year, linked from 政策参数 and from a results page that lacks the year.

# 休 / 班 as the State Council's notices write them (and their words in the reader's language, see _kind_words).
KIND_WORDS = {Message("休"): HOLIDAY, Message("班"): WORKDAY, Message("放假"): HOLIDAY, Message("上班"): WORKDAY,
              "holiday": HOLIDAY, "workday": WORKDAY}


def _kind_words() -> dict[str, str]:
    """Every word a line may use for its kind: the Chinese ones, the API's, and the reader's language's."""
    return {as_text(word).lower(): kind for word, kind in KIND_WORDS.items()} | {
        str(word).lower(): kind for word, kind in KIND_WORDS.items()}
LINE = re.compile(r"\s*(\S+)\s+(\S+)(?:\s+(.*?))?\s*")


@bp.get("")
def index():
    """This year's calendar."""
    return redirect(url_for("calendar.year", year=beijing_today().year))


def parse_lines(text: str) -> list[calendar_service.EnteredDay]:
    """The text box's lines as days; a line that cannot be read keeps its line number, for the message."""
    days, words = [], _kind_words()
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = LINE.fullmatch(line.replace("\u3000", " "))
        if match is None:
            days.append(calendar_service.EnteredDay(None, None, None, number))
            continue
        day_text, kind_text, name = match.groups()
        try:
            day = date.fromisoformat(day_text.replace("/", "-").replace(".", "-"))
        except ValueError:
            day = None
        days.append(calendar_service.EnteredDay(day, words.get(kind_text.lower()), name or "", number))
    return days


def _lines(view: dict) -> str:
    """The entered days as the text box shows them."""
    words = {kind: as_text(word) for kind, word in calendar_service.KIND_LABELS.items()}
    return "\n".join(f"{d['date'].isoformat()} {words[d['kind']]} {d['name']}".rstrip() for d in view["entered"])


class Cell(NamedTuple):
    """How the page draws one day."""

    kind: str  # HOLIDAY (no work) or WORKDAY
    css: str
    mark: str  # 休 or 班 on a named day that differs from its weekday, else ""
    name: str


def _cells(year: int) -> dict[date, Cell]:
    """Every day of a year: weekends rest and weekdays work, unless the package or an entered day names it."""
    names = calendar_service.day_names(year)
    cells = {}
    for _month, weeks in ((m, month_weeks(year, m)) for m in range(1, 13)):
        for day in (d for week in weeks for d in week if d is not None):
            weekend = day.weekday() >= 5
            kind, name = names.get(day, (HOLIDAY if weekend else WORKDAY, ""))
            if name and kind == HOLIDAY:
                cells[day] = Cell(kind, "calendar-holiday", _("休"), name)
            elif name and weekend:
                cells[day] = Cell(kind, "calendar-workday", _("班"), name)
            else:
                cells[day] = Cell(kind, "calendar-weekend" if weekend else "", "", name)
    return cells


def _context(year: int) -> dict:
    """What the page draws: the months, each day's kind and name, the source, the years around."""
    return {"year": year, "view": calendar_service.year_view(year), "cells": _cells(year), "today": beijing_today(),
            "months": [(month, month_weeks(year, month)) for month in range(1, 13)],
            "overview": calendar_service.years_overview(year), "manage": can_manage_calendar(current_user),
            "HOLIDAY": HOLIDAY}


@bp.route("/<int:year>", methods=["GET", "POST"])
def year(year: int):
    """A year as a calendar; an administrator replaces the year's entered days from the text box."""
    if year not in calendar_service.YEARS:
        return redirect(url_for("calendar.year", year=beijing_today().year))
    form = CalendarDaysForm()
    if not form.is_submitted():
        form.days.data = _lines(calendar_service.year_view(year))
    if not form.validate_on_submit():
        return render_invalid("calendar/year.html", form, **_context(year))
    require(can_manage_calendar(current_user), Message("只有系统管理员可以录入工作日历。"))
    with saving() as saved:
        calendar_service.replace_year(current_actor(), year, parse_lines(form.days.data))
    if saved.error is not None:
        return _refused(form, saved.error, year)
    flash(_("%(year)s年的工作日历已保存。已公示的赛项保持原定的公示截止日期。", year=year), "success")
    return redirect(url_for("calendar.year", year=year))


def _refused(form, error: AppError, year: int):
    """The page again with every bad line listed (each message names its line) and the text as typed."""
    return render_failed("calendar/year.html", form, error, **_context(year))
