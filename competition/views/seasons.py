"""League years: list, create, edit, and one year's budget."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.organisation import SeasonForm
from ..models import Season
from ..permissions import can_manage_seasons, can_view_season, require
from ..services import organisation
from ..services.money.budget import committed_by_season
from ..rules.messages import Message
from .common import render_failed, render_invalid, saving
from .nav import NavItem, add_nav
from .blueprints import seasons as bp

add_nav(NavItem(_l("联赛年度"), "seasons.index", lambda u: u.is_authenticated and u.is_active, order=20))


def money(season: Season, committed: int | None = None) -> dict:
    """Budget, committed spending (read unless given) and what remains, in whole yuan."""
    if committed is None:
        committed = organisation.season_committed(season)
    return {"budget": season.budget, "committed": committed, "remaining": season.budget - committed}


@bp.get("")
@login_required
def index():
    """Every league year, newest first, with its budget figures (every season's committed money in four
    statements)."""
    seasons = [season for season in db.session.scalars(db.select(Season).order_by(Season.year.desc()))
               if can_view_season(current_user, season)]
    committed = committed_by_season([season.id for season in seasons])
    return render_template("seasons/list.html", rows=[(season, money(season, committed[season.id]))
                                                      for season in seasons])


def _data(form: SeasonForm) -> organisation.SeasonData:
    """The typed season."""
    return organisation.SeasonData(form.year.data, form.name.data or "", form.budget.data)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Open a new league year with its budget."""
    require(can_manage_seasons(current_user), Message("只有系统管理员和组委会可以创建联赛年度。"))
    form = SeasonForm()
    if not form.validate_on_submit():
        return render_invalid("seasons/form.html", form, season=None)
    with saving() as saved:
        season = organisation.create_season(current_actor(), _data(form))
    if (error := saved.error) is not None:
        return render_failed("seasons/form.html", form, error, season=None)
    flash(_("已创建联赛年度“%(name)s”。", name=season.name), "success")
    return redirect(url_for("seasons.detail", season_id=season.id))


@bp.route("/<int:season_id>/edit", methods=["GET", "POST"])
@login_required
def edit(season_id: int):
    """Edit a league year's year, name or budget."""
    season = db.get_or_404(Season, season_id)
    require(can_manage_seasons(current_user), Message("只有系统管理员和组委会可以修改联赛年度。"))
    form = SeasonForm(obj=season)
    if not form.validate_on_submit():
        return render_invalid("seasons/form.html", form, season=season)
    with saving() as saved:
        organisation.update_season(current_actor(), season, _data(form))
    if (error := saved.error) is not None:
        season = db.get_or_404(Season, season_id)
        return render_failed("seasons/form.html", form, error, season=season)
    flash(_("已保存联赛年度“%(name)s”。", name=season.name), "success")
    return redirect(url_for("seasons.detail", season_id=season.id))


@bp.get("/<int:season_id>")
@login_required
def detail(season_id: int):
    """One league year: budget, committed and remaining."""
    season = db.get_or_404(Season, season_id)
    require(can_view_season(current_user, season))
    return render_template("seasons/detail.html", season=season, money=money(season))
