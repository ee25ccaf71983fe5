"""The towns (RULES.md §3, §17): the administrator's list of towns, and each town's read-only page and dashboard.

Organisers (and the administrator) see every town; a town officer (镇区人社) sees its own town only, masked as in the
organisers' reports (names masked, no ID number, no phone), and nothing else of the league's pages. The figures come
from services/reports/town.py.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.towns import TownFilters, TownForm
from ..models import ENTRY_STATUS_LABELS, REWARD_KIND_LABELS, REWARD_STATE_LABELS, Role, Season, User
from ..models.subsidy import CLAIM_STATE_LABELS
from ..permissions import can_list_towns, can_manage_towns, can_view_town, is_staff, is_town_officer, require
from ..rules.events import STATUS_LABELS
from ..rules.messages import Message
from ..services import towns
from ..services.reports import town as town_reports
from . import labels
from .blueprints import towns as bp
from .common import page_filters, paginate, render_failed, render_invalid, saving
from .dashboard import Section, home_section
from .main import current_season
from .nav import NavItem, add_nav

add_nav(NavItem(_l("镇区"), "towns.index", can_list_towns, order=32))
add_nav(NavItem(_l("本镇区"), "towns.detail", is_town_officer, order=10,
                url_values=lambda u: {"town": u.town}))
labels.ACTION_LABELS.update({"town.create": _l("新增镇（区）")})
labels.OBJECT_LABELS.setdefault("Town", _l("镇（区）"))

PARTICIPANTS_PER_PAGE = 50
RESULT_EVENTS_PER_PAGE = 10  # the published results are shown a page of events at a time (each event's rows whole)


def _labels() -> dict:
    """The names of statuses and states the town pages show."""
    return {"status_labels": STATUS_LABELS, "claim_labels": CLAIM_STATE_LABELS,
            "entry_status_labels": {s.value: label for s, label in ENTRY_STATUS_LABELS.items()},
            "reward_kind_labels": REWARD_KIND_LABELS, "reward_state_labels": REWARD_STATE_LABELS}


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """The league's towns in order, with how many enterprises and officers each has; the administrator adds one."""
    require(can_list_towns(current_user), Message("只有组委会和系统管理员可以查看镇（区）列表。"))
    form = TownForm()
    if request.method == "POST":
        require(can_manage_towns(current_user), Message("只有系统管理员可以维护镇（区）列表。"))
        if not form.validate_on_submit():
            return render_invalid("towns/index.html", form, **_index_context())
        with saving() as saved:
            town = towns.add_town(current_actor(), form.name.data)
        if (error := saved.error) is not None:
            return render_failed("towns/index.html", form, error, **_index_context())
        flash(_("已新增镇（区）“%(town)s”。", town=town.name), "success")
        return redirect(url_for("towns.index"))
    return render_template("towns/index.html", form=form, **_index_context())


def _index_context() -> dict:
    """The towns and their counts."""
    return {"towns": towns.list_towns(), "counts": town_reports.town_counts(),
            "may_add": can_manage_towns(current_user)}


def _town_and_season(town: str) -> tuple[str, Season | None, list[Season]]:
    """The town asked for (403 unless the user may see it, then 404 unless the league has it), the season shown
    (?season=, else this year's) and every season for the picker."""
    require(can_view_town(current_user, town), Message("您只能查看本镇（区）的数据。"))
    if not towns.is_town(town):
        abort(404)
    seasons = list(db.session.scalars(db.select(Season).order_by(Season.year.desc())))
    wanted = page_filters(TownFilters)
    season = db.session.get(Season, wanted.season) if wanted.season is not None else current_season()
    return town, season, seasons


@bp.get("/<town>")
@login_required
def detail(town: str):
    """A town's enterprises, and this season's events, participants (masked), published results and prizes,
    subsidy claims, 技术能手 titles and rewards."""
    town, season, seasons = _town_and_season(town)
    context: dict = {"town": town, "season": season, "seasons": seasons, "staff": is_staff(current_user),
                     "enterprises": town_reports.town_enterprises(town), **_labels()}
    if season is not None:
        page = paginate(town_reports.participants_query(season.id, town), PARTICIPANTS_PER_PAGE)
        context.update(
            events=town_reports.town_events(season.id, town), page=page,
            participants=town_reports.masked_entries(page.items),
            claims=town_reports.town_claims(season.id, town),
            titles=town_reports.town_titles(season.id, town), rewards=town_reports.town_rewards(season.id, town))
        result_events = paginate(town_reports.result_events_query(season.id, town), RESULT_EVENTS_PER_PAGE,
                                 param="results_page")
        context.update(result_events=result_events, results=town_reports.town_results(
            season.id, town, [event.id for event in result_events.items]))
    return render_template("towns/detail.html", **context)


@bp.get("/<town>/dashboard")
@login_required
def dashboard(town: str):
    """The season's figures for the town beside the district's."""
    town, season, seasons = _town_and_season(town)
    rows = []
    if season is not None:
        ours, district = town_reports.town_figures(season, town)
        rows = figure_rows(ours, district)
    return render_template("towns/dashboard.html", town=town, season=season, seasons=seasons, rows=rows,
                           staff=is_staff(current_user))


def figure_rows(ours: town_reports.Figures, district: town_reports.Figures) -> list[dict]:
    """The dashboard's rows: key, label, the town's value, the district's, the town's share in whole percent, and
    whether the value is money."""
    pairs = [("enterprises", _l("企业"), ours.enterprises, district.enterprises, False),
             ("participants", _l("参赛人次"), ours.participants, district.participants, False),
             ("events", _l("赛项"), ours.events, district.events, False),
             ("prizes", _l("获奖"), ours.prizes, district.prizes, False),
             ("titles", _l("技术能手"), ours.titles, district.titles, False)]
    pairs += [(f"money-{i}", label, ours.money.get(label, 0), amount, True)
              for i, (label, amount) in enumerate(district.money.items())]
    pairs.append(("committed", _l("补贴与奖励合计"), ours.committed, district.committed, True))
    return [{"key": key, "label": label, "town": mine, "district": whole, "money": money,
             "share": round(mine * 100 / whole) if whole else None}
            for key, label, mine, whole, money in pairs]


# The town officer's home page: its town's figures this season, and the links to its pages.

@home_section(Role.TOWN, order=10)
def town_section(user: User) -> Section | None:
    """The officer's town: this season's figures beside the district's, and links to the town page and dashboard."""
    if not is_town_officer(user):
        return None
    season = current_season()
    rows = figure_rows(*town_reports.town_figures(season, user.town)) if season is not None else []
    return Section("town", "main/_home_town.html", {"town": user.town, "season": season, "rows": rows})
