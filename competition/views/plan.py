"""The annual plan (年度竞赛计划, RULES.md §17): public pages without login and without personal data, and the
workbook in the form the district publishes."""
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..forms.events import KIND_NAMES, LEVEL_NAMES
from ..models import Season
from ..services import plan as plan_service
from ..services.plan_workbook import plan_workbook
from .blueprints import plan as bp
from .common import xlsx_download


PLAN_SUPPORT_NAMES = {"judges": _l("裁判支持"), "question_setting": _l("命题"), "venue": _l("场地设备")}


@bp.context_processor
def _names() -> dict:
    """The kind, level and support names of the plan's columns."""
    return {"KIND_LABELS": KIND_NAMES, "LEVEL_LABELS": LEVEL_NAMES, "PLAN_SUPPORT_NAMES": PLAN_SUPPORT_NAMES}


def _seasons() -> list[Season]:
    """Every season for the picker, newest first."""
    return list(db.session.scalars(db.select(Season).order_by(Season.year.desc())))


def _page(season: Season | None):
    """A season's plan, by date (no season yet: an empty state)."""
    items = plan_service.season_plan(season) if season is not None else []
    return render_template("plan/season.html", season=season, seasons=_seasons(), items=items)


@bp.get("/plan")
def current():
    """The current season's plan (this year's season, else the latest)."""
    return _page(plan_service.current_season())


@bp.get("/seasons/<int:season_id>/plan")
def season(season_id: int):
    """One season's plan."""
    return _page(db.get_or_404(Season, season_id))


@bp.get("/seasons/<int:season_id>/plan.xlsx")
def workbook(season_id: int):
    """The plan as an .xlsx: title, numbered rows, print setup."""
    season = db.get_or_404(Season, season_id)
    return xlsx_download(plan_workbook(season),
                         _("吴江区%(year)s年度职业技能竞赛计划.xlsx", year=season.year))
