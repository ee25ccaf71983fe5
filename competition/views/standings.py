"""Season standings (联赛积分榜, RULES.md §16): public pages, and the standings on the organisers' and enterprises'
home pages.

Anyone, logged in or not, sees a season's enterprise and town tables, an enterprise's breakdown by final event and a
town's enterprises: names of units and counts, never a person. The points legend is the policy version in force in
the season's year (each event counts by the version its sign-off pinned). Every page sends a fixed number of
statements whatever the number of events (services/league/standings.py counts in aggregates).
"""
from dataclasses import dataclass, field
from datetime import date

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..models import Enterprise, Role, Season, User
from ..models.types import beijing_today
from ..permissions import can_view_standings, can_view_town, require
from ..rules.league import StandingPoints, Tally, points_from_data
from ..services.league.standings import EventLine, Standings, enterprise_breakdown, season_standings, town_members
from ..services.policy import policy_in_force
from .blueprints import standings as bp
from .dashboard import Section, home_section
from .main import current_season
from .nav import NavItem, add_nav

add_nav(NavItem(_l("积分榜"), "standings.current", lambda user: user.is_authenticated and user.is_active, order=30))

TIER_NAMES = (_l("一等奖"), _l("二等奖"), _l("三等奖"))  # the columns: the league's default tiers
SHOWN_TIERS = len(TIER_NAMES)
TOP = 10  # rows of the organisers' home-page table and chart


def tier_label(tier: int) -> str:
    """A prize tier's name by position (the fourth and later: 第4等奖 …)."""
    return str(TIER_NAMES[tier - 1]) if 1 <= tier <= SHOWN_TIERS else _("第%(n)s等奖", n=tier)


def other_prizes(prizes_by_tier: dict[int, int]) -> int:
    """Prizes of the tiers beyond the shown columns (其他奖项)."""
    return sum(count for tier, count in prizes_by_tier.items() if tier > SHOWN_TIERS)


def any_other_prizes(rows) -> bool:
    """Whether a table needs the 其他奖项 column."""
    return any(other_prizes(row.prizes_by_tier) for row in rows)


@bp.context_processor
def _helpers() -> dict:
    return {"tier_label": tier_label, "other_prizes": other_prizes, "SHOWN_TIERS": SHOWN_TIERS}


def _seasons() -> list[Season]:
    """Every season for the picker, newest first."""
    return list(db.session.scalars(db.select(Season).order_by(Season.year.desc())))


def points_legend(season: Season) -> StandingPoints:
    """The points of the policy version in force in the season's year (today's within the current year)."""
    first, last = date(season.year, 1, 1), date(season.year, 12, 31)
    version = policy_in_force(min(max(beijing_today(), first), last))
    return points_from_data(version.standing_points if version is not None else None)


def _season_page(season: Season | None):
    """A season's two tables with the legend and the picker (no season yet: an empty state)."""
    require(can_view_standings(current_user))
    seasons = _seasons()
    if season is None:
        return render_template("standings/season.html", season=None, seasons=seasons, standings=None)
    standings = season_standings(season.id)
    return render_template("standings/season.html", season=season, seasons=seasons, standings=standings,
                           points=points_legend(season), any_other_prizes=any_other_prizes)


@bp.get("/standings")
def current():
    """The current season's standings (this year's season, else the latest)."""
    return _season_page(current_season())


@bp.get("/seasons/<int:season_id>/standings")
def season(season_id: int):
    """One season's standings."""
    return _season_page(db.get_or_404(Season, season_id))


@dataclass
class Totals:
    """The sums of a breakdown's lines."""

    participants: int = 0
    hosted: int = 0
    points: int = 0
    prizes_by_tier: dict[int, int] = field(default_factory=dict)


def totals_of(lines: list[EventLine]) -> Totals:
    """Participants, hosted events, points and prizes by tier over a breakdown."""
    totals = Totals()
    for line in lines:
        totals.participants += line.participants
        totals.hosted += int(line.hosted)
        totals.points += line.points
        for tier, count in line.prizes_by_tier.items():
            totals.prizes_by_tier[tier] = totals.prizes_by_tier.get(tier, 0) + count
    return totals


@bp.get("/seasons/<int:season_id>/standings/enterprises/<int:enterprise_id>")
def enterprise(season_id: int, enterprise_id: int):
    """An enterprise's season: its place, and per final event its participants, prizes, hosting and points."""
    require(can_view_standings(current_user))
    season = db.get_or_404(Season, season_id)
    unit = db.get_or_404(Enterprise, enterprise_id)
    standings = season_standings(season.id)
    lines = enterprise_breakdown(season.id, unit.id)
    return render_template("standings/enterprise.html", season=season, unit=unit, lines=lines,
                           totals=totals_of(lines), row=standings.place_of(unit.id),
                           ranked=len(standings.enterprises), points=points_legend(season),
                           others=any(other_prizes(line.prizes_by_tier) for line in lines))


def _town_row(standings: Standings, town: str) -> Tally | None:
    return next((row for row in standings.towns if row.key == town), None)


@bp.get("/seasons/<int:season_id>/standings/towns/<town>")
def town(season_id: int, town: str):
    """A town's place and its enterprises in the season's table (their places are the district's)."""
    require(can_view_standings(current_user))
    season = db.get_or_404(Season, season_id)
    standings = season_standings(season.id)
    members = town_members(standings, town)
    return render_template("standings/town.html", season=season, town=town[:40], row=_town_row(standings, town),
                           members=members, ranked=len(standings.towns), any_other_prizes=any_other_prizes,
                           town_page=can_view_town(current_user, town))


# The home pages (views/dashboard.py): the organisers' top ten with a chart, an enterprise's own place.

def top_ten(season: Season) -> dict:
    """A season's ten best enterprises for main/_standings_staff.html: the rows with their breakdowns' addresses, a
    horizontal bar chart of their points, and how many enterprises scored (the home page and the season dashboard)."""
    standings = season_standings(season.id)
    top = standings.enterprises[:TOP]
    urls = [url_for("standings.enterprise", season_id=season.id, enterprise_id=row.key) for row in top]
    chart = {"type": "bar", "horizontal": True, "labels": [row.name for row in top],
             "datasets": [{"label": _("积分"), "data": [row.points for row in top]}], "urls": urls}
    return {"season": season, "top": list(zip(top, urls)), "ranked": len(standings.enterprises), "chart": chart}


@home_section(Role.ADMIN, Role.ORGANISER, order=20)
def standings_section(user: User) -> Section | None:
    """The current season's ten best enterprises, as a table and a horizontal bar chart of their points."""
    season = current_season()
    if season is None:
        return None
    context = top_ten(season)
    return Section("standings", "main/_standings_staff.html", context, charts=bool(context["top"]))


@home_section(Role.ENTERPRISE, order=20)
def own_place_section(user: User) -> Section | None:
    """The user's enterprise in the current season's table: place of how many, points, participants, prizes."""
    season = current_season()
    if season is None or user.enterprise_id is None:
        return None
    standings = season_standings(season.id)
    row = standings.place_of(user.enterprise_id)
    return Section("own_place", "main/_standings_enterprise.html",
                   {"season": season, "row": row, "ranked": len(standings.enterprises),
                    "others": other_prizes(row.prizes_by_tier) if row else 0,
                    "url": url_for("standings.enterprise", season_id=season.id, enterprise_id=user.enterprise_id)})
