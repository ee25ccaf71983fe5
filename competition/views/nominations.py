"""技术能手 nominations pages: a season's list by role, an enterprise's recommendation, approve and reject."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.filters import NominationFilters
from ..forms.nominations import NominationReasonForm, RecommendationForm
from ..models import NOMINATION_STATE_LABELS, ROUTE_LABELS, Nomination, Season
from ..permissions import (can_decide_nominations, can_recommend, can_view_nomination, can_view_nominations, is_staff,
                           require)
from ..services.titles import queries
from ..services.titles import nominations as service
from ..services.marking.facts import beijing_today
from ..rules.messages import Message
from . import labels
from .common import kept_args, page_filters, paginate, render_failed, render_invalid, saving
from .nav import NavItem, add_nav
from .blueprints import nominations as bp

add_nav(NavItem(_l("技术能手"), "nominations.landing", can_view_nominations, order=40))
labels.ACTION_LABELS.update({
    "nomination.propose": _l("技术能手提名已生成"),
    "nomination.recommend": _l("企业推荐技术能手"),
    "nomination.approve": _l("技术能手提名已批准"),
    "nomination.reject": _l("技术能手提名未通过"),
})
labels.OBJECT_LABELS.setdefault("Nomination", _l("技术能手提名"))
FIELD_NAMES = {"state": _l("状态"), "proposed": _l("获得提名"), "excluded": _l("未提名"), "title_id": _l("称号编号"),
               "subsidy": _l("补贴（元）"), "season": _l("年度"), "person_id": _l("人员")}
labels.FIELD_LABELS.update({k: v for k, v in FIELD_NAMES.items() if k not in labels.FIELD_LABELS})
STATE_NAMES = {state.value: _l(label) for state, label in NOMINATION_STATE_LABELS.items()}
STATE_STYLES = {"proposed": "warning", "approved": "success", "rejected": "secondary", "excluded": "light"}
ROUTE_NAMES = {route.value: _l(label) for route, label in ROUTE_LABELS.items()}


@bp.context_processor
def _names() -> dict:
    """State and route names for the nominations templates."""
    return {"STATE_NAMES": STATE_NAMES, "STATE_STYLES": STATE_STYLES, "ROUTE_NAMES": ROUTE_NAMES}


def _scope() -> int | None:
    """None for organisers (every nomination), else the user's enterprise (its own employees only)."""
    return None if is_staff(current_user) else current_user.enterprise_id


@bp.get("/nominations")
@login_required
def landing():
    """The nominations of this year's season, else of the latest one."""
    require(can_view_nominations(current_user), Message("您没有权限查看技术能手提名。"))
    seasons = db.session.scalars(db.select(Season).order_by(Season.year.desc())).all()
    season = next((s for s in seasons if s.year == beijing_today().year), seasons[0] if seasons else None)
    if season is None:
        flash(_("尚未创建联赛年度。"), "warning")
        return redirect(url_for("seasons.index"))
    return redirect(url_for("nominations.index", season_id=season.id))


def _page(season: Season, *, error: str | None = None, status: int = 200, reason_form=None, failed: int | None = None):
    """The season's nominations as the current user may see them, filtered and paged."""
    scope = _scope()
    typed = page_filters(NominationFilters)
    wanted = queries.NominationFilter(typed.state.value if typed.state else None, typed.event,
                                      typed.route.value if typed.route else None,
                                      typed.enterprise if scope is None else None, typed.q or "")
    events, enterprises = queries.filter_choices(season.id, scope)
    seasons = db.session.scalars(db.select(Season).order_by(Season.year.desc())).all()
    return render_template(
        "nominations/index.html", season=season, seasons=seasons, page=paginate(queries.nominations_query(
            season.id, scope, wanted)), counts=queries.state_counts(season.id, scope), events=events,
        enterprises=enterprises, staff=scope is None, deciding=can_decide_nominations(current_user),
        recommending=can_recommend(current_user), error=error, failed=failed,
        reason_form=reason_form or NominationReasonForm(formdata=None)), status


@bp.get("/seasons/<int:season_id>/nominations")
@login_required
def index(season_id: int):
    """Proposed, approved, rejected and excluded (with reasons), filterable by event, route and enterprise."""
    season = db.get_or_404(Season, season_id)
    require(can_view_nominations(current_user), Message("您没有权限查看技术能手提名。"))
    return _page(season)


@bp.route("/seasons/<int:season_id>/nominations/new", methods=["GET", "POST"])
@login_required
def new(season_id: int):
    """An enterprise recommends one of its employees, with a written justification."""
    season = db.get_or_404(Season, season_id)
    require(can_recommend(current_user), Message("只有企业用户可以推荐本企业员工。"))
    form = RecommendationForm()
    if not form.validate_on_submit():
        return render_invalid("nominations/new.html", form, season=season)
    data = service.RecommendationData(form.id_number.data or "", form.name.data or "",
                                      form.justification.data or "", season.id, bool(form.confirm_employee.data))
    with saving() as saved:
        service.recommend(current_actor(), data)
    if (error := saved.error) is not None:
        return render_failed("nominations/new.html", form, error, season=db.get_or_404(Season, season_id))
    flash(_("已推荐 %(name)s，等待组委会审核。", name=data.name.strip()), "success")
    return redirect(url_for("nominations.index", season_id=season.id))


def _deciding(nomination_id: int) -> Nomination:
    """The nomination, for the organisers who decide it."""
    nomination = db.get_or_404(Nomination, nomination_id)
    require(can_decide_nominations(current_user) and can_view_nomination(current_user, nomination),
            _("只有组委会可以审核技术能手提名。"))
    return nomination


def _refused(season_id: int, nomination_id: int, error: AppError, reason_form=None):
    """The season's list again, with the reason the decision was refused."""
    return _page(db.get_or_404(Season, season_id), error=error.message, status=error.status,
                 reason_form=reason_form, failed=nomination_id)


def _decided(season_id: int, message: str):
    """Back to the same filtered list, with what was decided."""
    flash(message, "success")
    return redirect(url_for("nominations.index", **kept_args(season_id=season_id)))


@bp.post("/nominations/<int:nomination_id>/approve")
@login_required
def approve(nomination_id: int):
    """Award the title and its subsidy (within the season budget)."""
    nomination = _deciding(nomination_id)
    season_id, name = nomination.season_id, nomination.person.name
    with saving() as saved:
        title = service.approve(current_actor(), nomination)
    if saved.error is not None:
        return _refused(season_id, nomination_id, saved.error)
    return _decided(season_id, _("已批准：%(name)s 获得 %(year)s 年度技术能手称号，补贴 %(amount)s 元。",
                                 name=name, year=title.year, amount=title.subsidy))


@bp.post("/nominations/<int:nomination_id>/reject")
@login_required
def reject(nomination_id: int):
    """Reject a proposed nomination with a written reason."""
    nomination = _deciding(nomination_id)
    season_id, name = nomination.season_id, nomination.person.name
    form = NominationReasonForm()
    if not form.validate_on_submit():
        return _refused(season_id, nomination_id, AppError(_("请填写不予通过的理由。")), reason_form=form)
    with saving() as saved:
        service.reject(current_actor(), nomination, form.reason.data)
    if saved.error is not None:
        return _refused(season_id, nomination_id, saved.error, reason_form=form)
    return _decided(season_id, _("已将 %(name)s 的提名标记为不予通过。", name=name))
