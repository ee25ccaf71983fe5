"""技术能手 nominations and the title register (RULES.md §11): list by season, recommend, approve, reject, experts.

Organisers see every nomination of a season, enterprise users those of their own employees (the
entry's employer, or the recommending enterprise). Approval awards the title and its subsidy within
the season budget (409 over_budget); a person is never awarded twice (409). The register is for any
logged-in caller, names masked for everyone but organisers.
"""
from ..extensions import db
from ..models import Nomination, Role, Season
from ..permissions import (can_decide_nominations, can_recommend, can_view_nomination, can_view_nominations, is_staff,
                           require)
from ..services.titles import queries
from ..services.titles import nominations as service
from .event_schemas import ReasonIn
from .framework import EVERY_ROLE, STAFF_AND_ENTERPRISE, STAFF_ROLES, actor, api_route, api_user, get_or_404
from .nomination_schemas import DecisionOut, ExpertFilter, ExpertOut, NominationFilter, NominationIn, NominationOut

TAGS = ["nominations"]


def _scope(user) -> int | None:
    """None for organisers (every nomination), else the enterprise whose employees the caller may see."""
    return None if is_staff(user) else user.enterprise_id


@api_route("/seasons/<int:season_id>/nominations", roles=STAFF_AND_ENTERPRISE, query=NominationFilter, response=NominationOut, paginated=True,
           allow=can_view_nominations, summary="技术能手提名", tags=TAGS)
def list_nominations(season_id: int, query: NominationFilter):
    """Proposed and decided nominations and excluded candidates with reasons; an enterprise sees its own employees."""
    season = get_or_404(Season, season_id)
    wanted = queries.NominationFilter(query.state.value if query.state else None, query.event_id,
                                      query.route.value if query.route else None, query.enterprise_id, query.q or "")
    return queries.nominations_query(season.id, _scope(api_user()), wanted)


@api_route("/nominations", methods=["POST"], body=NominationIn, response=NominationOut, status=201,
           roles=[Role.ENTERPRISE], allow=can_recommend, summary="推荐技术能手", tags=TAGS, errors=[403, 409])
def recommend_nomination(body: NominationIn):
    """An enterprise recommends an employee (ID number, name, justification); another enterprise's employee is
    403; a person whose employer the league never recorded needs `confirm_employee: true` (else 409
    confirm_employee); a title holder or a person already nominated this season is 409 with the reason
    (already_holder / already_nominated)."""
    data = service.RecommendationData(body.id_number, body.name, body.justification, body.season_id,
                                      body.confirm_employee)
    return service.recommend(actor(), data)


def _decidable(nomination_id: int) -> Nomination:
    """The nomination (404), for an organiser."""
    nomination = get_or_404(Nomination, nomination_id)
    require(can_view_nomination(api_user(), nomination))
    return nomination


@api_route("/nominations/<int:nomination_id>/approve", roles=STAFF_ROLES, methods=["POST"], response=DecisionOut,
           allow=can_decide_nominations, summary="批准技术能手提名", tags=TAGS, errors=[409])
def approve_nomination(nomination_id: int):
    """Award the title for the season's year and the policy's subsidy (2000 yuan), within the season budget."""
    nomination = _decidable(nomination_id)
    title = service.approve(actor(), nomination)
    return {"nomination": nomination, "title": title}


@api_route("/nominations/<int:nomination_id>/reject", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn, response=DecisionOut,
           allow=can_decide_nominations, summary="不予通过技术能手提名", tags=TAGS, errors=[409])
def reject_nomination(nomination_id: int, body: ReasonIn):
    """Reject a proposed nomination with a written reason."""
    nomination = _decidable(nomination_id)
    service.reject(actor(), nomination, body.reason)
    return {"nomination": nomination}


@api_route("/experts", roles=EVERY_ROLE, query=ExpertFilter, response=ExpertOut, paginated=True, summary="技术能手名录", tags=TAGS)
def list_experts(query: ExpertFilter):
    """Every title holder, newest year first: year, route, event, employer; names masked for non-organisers;
    never an ID number or a phone."""
    masked = not is_staff(api_user())
    titles = db.session.scalars(queries.register_query(query.year, query.q or "")).all()
    return [queries.register_row(title, masked) for title in titles]
