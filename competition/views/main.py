"""The home page: what each role needs first, with real figures from the database."""

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..models import AuditEntry, Enterprise, Role, Season, User
from ..models.types import beijing_today
from ..permissions import can_list_enterprises, can_view_audit
from ..services.events.enterprise_home import enterprise_agenda
from ..services.marking.reports import judge_seats
from ..services.organisation import season_committed
from .dashboard import Figure, figures_for, home_figure, sections_for
from .events_labels import STATUS_NAMES, STATUS_STYLES
from .nav import NavItem, add_nav
from .blueprints import main as bp

STAFF = (Role.ADMIN, Role.ORGANISER)

add_nav(NavItem(_l("首页"), "main.home", lambda user: True, order=0, exact=True))


@bp.get("/")
@login_required
def home():
    """Home page for the logged-in user's role."""
    user = current_user._get_current_object()
    context = {"figures": figures_for(user), "sections": sections_for(user)}
    if user.role in STAFF:
        context.update(_staff_context(user))
    elif user.role is Role.ENTERPRISE:
        context.update(enterprise=user.enterprise, agenda=enterprise_agenda(user.enterprise_id, beijing_today())
                       if user.enterprise_id else None, today=beijing_today())
    elif user.role is Role.JUDGE:
        context.update(seats=judge_seats(user), STATUS_NAMES=STATUS_NAMES, STATUS_STYLES=STATUS_STYLES)
    return render_template("main/home.html", **context)


def current_season() -> Season | None:
    """This year's season (Beijing time), else the latest one."""
    year = beijing_today().year
    season = db.session.scalar(db.select(Season).where(Season.year == year))
    return season or db.session.scalar(db.select(Season).order_by(Season.year.desc()).limit(1))


def _staff_context(user: User) -> dict:
    """Users by role, the current season's money, the latest audit entries."""
    rows = db.session.execute(db.select(User.role, db.func.count(User.id)).group_by(User.role)).all()
    by_role = {role: 0 for role in Role} | {role: count for role, count in rows}
    season = current_season()
    money = None
    if season is not None:
        committed = season_committed(season)
        money = {"budget": season.budget, "committed": committed, "remaining": season.budget - committed}
    latest = []
    if can_view_audit(user):
        latest = list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(8)))
    return {"users_by_role": by_role, "season": season, "money": money, "latest_audit": latest}


def _count(model) -> int:
    """Number of rows of a model."""
    return db.session.scalar(db.select(db.func.count()).select_from(model)) or 0


@home_figure(*STAFF, order=10)
def seasons_figure(user: User) -> Figure:
    """How many league years exist."""
    return Figure("seasons", _l("联赛年度"), _count(Season), url_for("seasons.index"))


@home_figure(*STAFF, order=20)
def enterprises_figure(user: User) -> Figure:
    """How many enterprises are registered."""
    url = url_for("enterprises.index") if can_list_enterprises(user) else None
    return Figure("enterprises", _l("企业"), _count(Enterprise), url)


@home_figure(*STAFF, order=30)
def users_figure(user: User) -> Figure:
    """How many accounts exist (the breakdown by role is on the page)."""
    url = url_for("admin.users") if user.role is Role.ADMIN else None
    return Figure("users", _l("用户账户"), _count(User), url)


@home_figure(Role.ENTERPRISE, order=10)
def enterprise_accounts_figure(user: User) -> Figure | None:
    """How many accounts the user's enterprise has."""
    if user.enterprise_id is None:
        return None
    count = db.session.scalar(db.select(db.func.count(User.id)).where(User.enterprise_id == user.enterprise_id))
    return Figure("enterprise_accounts", _l("本企业用户账户"), count,
                  url_for("enterprises.detail", enterprise_id=user.enterprise_id))
