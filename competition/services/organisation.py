"""Enterprises and seasons: create, edit, list."""
from dataclasses import dataclass

from ..errors import Duplicate, Invalid
from ..extensions import db
from ..models import Enterprise, Season
from ..rules.identity import check_credit_code
from ..rules.messages import Message
from .audit import Actor, record, snapshot
from .money.budget import committed
from .common import flush_unique, like_pattern
from .towns import require_town

ENTERPRISE_FIELDS = ("name", "credit_code", "town")
SEASON_FIELDS = ("year", "name", "budget")


@dataclass(frozen=True)
class EnterpriseData:
    """An enterprise as typed by a user."""

    name: str
    credit_code: str
    town: str | None = None


def _clean_enterprise(data: EnterpriseData, exclude_id: int | None) -> EnterpriseData:
    """Validate and normalise; raise Invalid or Duplicate with every problem."""
    problems = []
    name = (data.name or "").strip()
    if not 2 <= len(name) <= 100:
        problems.append({"field": "name", "message": Message("企业名称应为2至100个字符。")})
    code = check_credit_code(data.credit_code)
    if code.error is not None:
        problems.append({"field": "credit_code", "message": code.error})
    town = (data.town or "").strip() or None
    if town is not None:  # one of the league's towns (RULES.md §17), checked in one place
        try:
            require_town(town)
        except Invalid as exc:
            problems += exc.details
    if problems:
        raise Invalid(Message("企业信息有误，请修改后重试。"), details=problems)
    _refuse_duplicate_enterprise(name, code.passed_value, exclude_id)
    return EnterpriseData(name, code.passed_value, town)


def _refuse_duplicate_enterprise(name: str, code: str, exclude_id: int | None) -> None:
    """A name or credit code already used by another enterprise is a 409."""
    query = db.select(Enterprise).where((Enterprise.name == name) | (Enterprise.credit_code == code))
    if exclude_id is not None:
        query = query.where(Enterprise.id != exclude_id)
    other = db.session.scalars(query).first()
    if other is None:
        return
    field = "credit_code" if other.credit_code == code else "name"
    message = (Message("统一社会信用代码 %(code)s 已登记为“%(name)s”。", code=code, name=other.name)
               if field == "credit_code" else Message("企业名称“%(name)s”已存在。", name=name))
    raise Duplicate(message, details=[{"field": field, "message": message}])


def create_enterprise(actor: Actor, data: EnterpriseData) -> Enterprise:
    """Register an enterprise with a valid, unused credit code; audited."""
    clean = _clean_enterprise(data, None)
    enterprise = Enterprise(name=clean.name, credit_code=clean.credit_code, town=clean.town)
    db.session.add(enterprise)
    flush_unique(Message("企业名称或统一社会信用代码已存在。"))
    record(actor, "enterprise.create", enterprise, after=snapshot(enterprise, ENTERPRISE_FIELDS))
    return enterprise


def update_enterprise(actor: Actor, enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Edit an enterprise; audited with before and after."""
    clean = _clean_enterprise(data, enterprise.id)
    before = snapshot(enterprise, ENTERPRISE_FIELDS)
    enterprise.name, enterprise.credit_code, enterprise.town = clean.name, clean.credit_code, clean.town
    flush_unique(Message("企业名称或统一社会信用代码已存在。"))
    record(actor, "enterprise.update", enterprise, before=before, after=snapshot(enterprise, ENTERPRISE_FIELDS))
    return enterprise


def enterprise_query(search: str | None = None, town: str | None = None):
    """Enterprises by name, filtered by a search term (name or credit code) and town."""
    query = db.select(Enterprise).order_by(Enterprise.name)
    if search:
        like = like_pattern(search)
        query = query.where(Enterprise.name.ilike(like, escape="\\") | Enterprise.credit_code.ilike(like, escape="\\"))
    if town:
        query = query.where(Enterprise.town == town)
    return query


@dataclass(frozen=True)
class SeasonData:
    """A season as typed by an organiser."""

    year: int | None
    name: str
    budget: int | None


def _clean_season(data: SeasonData, exclude_id: int | None) -> tuple[int, str, int]:
    """Validate a season: (year, name, budget), or raise Invalid or Duplicate."""
    problems = []
    if not isinstance(data.year, int) or isinstance(data.year, bool) or not 2012 <= data.year <= 2100:
        problems.append({"field": "year", "message": Message("年度应为2012至2100之间的整数。")})
    name = (data.name or "").strip()
    if not 2 <= len(name) <= 100:
        problems.append({"field": "name", "message": Message("年度名称应为2至100个字符。")})
    if not isinstance(data.budget, int) or isinstance(data.budget, bool) or data.budget < 0:
        problems.append({"field": "budget", "message": Message("预算应为不小于0的整数（元）。")})
    elif data.budget > 10**12:
        problems.append({"field": "budget", "message": Message("预算金额过大。")})
    if problems:
        raise Invalid(Message("联赛年度信息有误，请修改后重试。"), details=problems)
    if data.year is None or data.budget is None:  # cannot happen: a missing one is a problem above
        raise ValueError("a season needs its year and budget")
    query = db.select(Season.id).where(Season.year == data.year)
    if exclude_id is not None:
        query = query.where(Season.id != exclude_id)
    if db.session.scalar(query):
        message = Message("%(year)s年度已存在。", year=data.year)
        raise Duplicate(message, details=[{"field": "year", "message": message}])
    return data.year, name, data.budget


def create_season(actor: Actor, data: SeasonData) -> Season:
    """Open a new league year with its budget; audited."""
    year, name, budget = _clean_season(data, None)
    season = Season(year=year, name=name, budget=budget)
    db.session.add(season)
    flush_unique(Message("%(year)s年度已存在。", year=year))
    record(actor, "season.create", season, after=snapshot(season, SEASON_FIELDS))
    return season


def update_season(actor: Actor, season: Season, data: SeasonData) -> Season:
    """Edit a season's year, name or budget; audited."""
    year, name, budget = _clean_season(data, season.id)
    before = snapshot(season, SEASON_FIELDS)
    season.year, season.name, season.budget = year, name, budget
    flush_unique(Message("%(year)s年度已存在。", year=year))
    record(actor, "season.update", season, before=before, after=snapshot(season, SEASON_FIELDS))
    return season


def season_committed(season: Season) -> int:
    """Committed spending of a season in yuan (approved/paid subsidies and awarded titles; services/money/budget.py)."""
    return committed(season.id)
