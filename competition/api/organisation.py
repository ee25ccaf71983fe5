"""Enterprises and league seasons."""
from ..extensions import db
from ..models import Enterprise, Season
from ..permissions import (can_list_enterprises, can_manage_enterprises, can_manage_seasons,
                           can_view_enterprise, can_view_season, require)
from ..services import organisation
from ..services.organisation import EnterpriseData, SeasonData
from .framework import EVERY_ROLE, SIGNED_IN, STAFF_ROLES, actor, api_route, api_user, get_or_404
from .inputs import merged
from .schemas import (EnterpriseFilter, EnterpriseIn, EnterpriseOut, EnterprisePatch, SeasonDetailOut,
                      SeasonIn, SeasonOut, SeasonPatch)

ENTERPRISES = ["enterprises"]
SEASONS = ["seasons"]


@api_route("/enterprises", roles=STAFF_ROLES, methods=["POST"], body=EnterpriseIn, response=EnterpriseOut, status=201,
           allow=can_manage_enterprises, summary="登记企业", tags=ENTERPRISES)
def create_enterprise(body: EnterpriseIn):
    """Register an enterprise with a valid, unused 统一社会信用代码."""
    return organisation.create_enterprise(actor(), EnterpriseData(**body.model_dump()))


@api_route("/enterprises", roles=EVERY_ROLE, query=EnterpriseFilter, response=EnterpriseOut, paginated=True,
           allow=can_list_enterprises, summary="企业列表", tags=ENTERPRISES)
def list_enterprises(query: EnterpriseFilter):
    """Enterprises by name, searched by name or credit code, filtered by town."""
    return organisation.enterprise_query(query.q, query.town)


@api_route("/enterprises/<int:enterprise_id>", roles=EVERY_ROLE, response=EnterpriseOut, summary="查看企业", tags=ENTERPRISES)
def get_enterprise(enterprise_id: int):
    """One enterprise (staff: any; enterprise users: their own)."""
    enterprise = get_or_404(Enterprise, enterprise_id)
    require(can_view_enterprise(api_user(), enterprise))
    return enterprise


@api_route("/enterprises/<int:enterprise_id>", roles=STAFF_ROLES, methods=["PATCH"], body=EnterprisePatch,
           response=EnterpriseOut, allow=can_manage_enterprises, summary="修改企业", tags=ENTERPRISES)
def update_enterprise(enterprise_id: int, body: EnterprisePatch):
    """Edit an enterprise; fields left out keep their values."""
    enterprise = get_or_404(Enterprise, enterprise_id)
    data = EnterpriseData(**merged(body, enterprise, ("name", "credit_code", "town")))
    return organisation.update_enterprise(actor(), enterprise, data)


def season_detail(season: Season) -> dict:
    """A season with its committed and remaining budget."""
    committed = organisation.season_committed(season)
    return {**SeasonOut.model_validate(season).model_dump(), "committed": committed,
            "remaining": season.budget - committed}


@api_route("/seasons", roles=STAFF_ROLES, methods=["POST"], body=SeasonIn, response=SeasonDetailOut, status=201,
           allow=can_manage_seasons, summary="创建联赛年度", tags=SEASONS)
def create_season(body: SeasonIn):
    """Open a league year with its budget (integer yuan)."""
    return season_detail(organisation.create_season(actor(), SeasonData(**body.model_dump())))


@api_route("/seasons", roles=SIGNED_IN, response=SeasonOut, paginated=True, summary="联赛年度列表", tags=SEASONS)
def list_seasons():
    """Seasons, newest year first."""
    return db.select(Season).order_by(Season.year.desc())


@api_route("/seasons/<int:season_id>", roles=SIGNED_IN, response=SeasonDetailOut, summary="查看联赛年度", tags=SEASONS)
def get_season(season_id: int):
    """A season with budget, committed and remaining."""
    season = get_or_404(Season, season_id)
    require(can_view_season(api_user(), season))
    return season_detail(season)


@api_route("/seasons/<int:season_id>", roles=STAFF_ROLES, methods=["PATCH"], body=SeasonPatch, response=SeasonDetailOut,
           allow=can_manage_seasons, summary="修改联赛年度", tags=SEASONS)
def update_season(season_id: int, body: SeasonPatch):
    """Edit a season's year, name or budget; fields left out keep their values."""
    season = get_or_404(Season, season_id)
    data = SeasonData(**merged(body, season, ("year", "name", "budget")))
    return season_detail(organisation.update_season(actor(), season, data))
