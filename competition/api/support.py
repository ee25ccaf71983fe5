"""Technical support for plan-listed enterprise events and the annual plan (RULES.md §17).

The host asks for support on its own approved enterprise event; the organisers list the requests and decide (grant,
partly grant, refuse); judges lent join the event's panel under 回避, a cost becomes proposed 技术支持 spending. The
annual plan is public: events, occupations, levels, hosts, venues and the support granted, never a person.
"""
from ..models import Event, Role, Season, SupportRequest
from ..permissions import can_decide_support, can_request_support, can_view_support, require
from ..rules.messages import Message
from ..services import plan as plan_service
from ..services.events import support as support_service
from .framework import STAFF_ROLES, actor, api_route, api_user, get_or_404
from .support_schemas import PlanOut, SupportDecisionIn, SupportFilter, SupportRequestIn, SupportRequestOut

TAGS = ["support"]
PLAN_TAGS = ["plan"]


@api_route("/events/<int:event_id>/support-requests", methods=["POST"], body=SupportRequestIn,
           response=SupportRequestOut, status=201, roles=(Role.ENTERPRISE,), summary="申请技术支持", tags=TAGS,
           errors=[404, 409])
def create_support_request(event_id: int, body: SupportRequestIn):
    """The host asks for support on its enterprise event approved into the plan (not final or cancelled); 409
    not_in_plan otherwise, 409 support_open while another request of the event waits for a decision."""
    event = get_or_404(Event, event_id)
    require(can_request_support(api_user(), event), Message("只有本赛项的承办企业可以申请技术支持。"))
    return support_service.request_support(actor(), event, support_service.SupportAsk(
        list(body.kinds), body.judges_wanted, body.details))


@api_route("/support-requests", roles=STAFF_ROLES, query=SupportFilter, response=SupportRequestOut, paginated=True,
           allow=can_decide_support, summary="技术支持申请列表", tags=TAGS)
def list_support_requests(query: SupportFilter):
    """The organisers' queue: waiting requests first (oldest first), then the decided ones; filter by state."""
    return support_service.requests_query(query.state)


def _support(request_id: int) -> SupportRequest:
    """A request the caller may see (403 for another enterprise's)."""
    support = get_or_404(SupportRequest, request_id)
    require(can_view_support(api_user(), support), Message("只能查看本企业赛项的技术支持申请。"))
    return support


@api_route("/support-requests/<int:request_id>", roles=(Role.ADMIN, Role.ORGANISER, Role.ENTERPRISE),
           response=SupportRequestOut, summary="查看技术支持申请", tags=TAGS)
def get_support_request(request_id: int):
    """One request with its decision, the judges lent and the spending recorded (the organisers, and the host)."""
    return _support(request_id)


@api_route("/support-requests/<int:request_id>/decide", methods=["POST"], roles=STAFF_ROLES,
           body=SupportDecisionIn, response=SupportRequestOut, allow=can_decide_support, summary="处理技术支持申请",
           tags=TAGS, errors=[409])
def decide_support_request(request_id: int, body: SupportDecisionIn):
    """Grant, partly grant (granted_kinds a strict subset, the reason says what is not granted) or refuse (with a
    reason); judges lent join the panel (400 conflict_of_interest under 回避); a cost is recorded as proposed
    技术支持 spending; 409 already_decided when the request was decided before."""
    return support_service.decide_support(actor(), _support(request_id), support_service.SupportDecision(
        decision=body.decision, granted_kinds=list(body.granted_kinds), judge_ids=list(body.judge_ids),
        cost=body.cost, voucher=body.voucher, reason=body.reason))


@api_route("/seasons/<int:season_id>/plan", auth=False, response=PlanOut, summary="年度竞赛计划", tags=PLAN_TAGS)
def season_plan(season_id: int):
    """The season's annual plan (public, no personal data): district events and enterprise events approved into
    the plan, by date, with occupation, level, host, venue and the support granted."""
    season = get_or_404(Season, season_id)
    items = [{"event_id": i.event_id, "name": i.name, "kind": i.kind, "occupation": i.occupation, "level": i.level,
              "event_date": i.event_date, "host": i.host, "venue": i.venue, "support": i.support}
             for i in plan_service.season_plan(season)]
    return {"season_id": season.id, "year": season.year, "items": items}
