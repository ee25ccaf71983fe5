"""Competition subsidy (竞赛经费补贴, RULES.md §10) and policy versions (§12).

Enterprises read the live check of their own events and claim; organisers list, approve (within the
season budget), reject and record payments; everyone sees only what they may (an enterprise never
another's claims). Administrators add policy versions and edit a future one no decision has used.
"""
from flask_babel import gettext as _

from ..models import Event, PolicyVersion, Role, SubsidyClaim
from ..permissions import (can_claim_subsidy, can_decide_claims, can_list_claims, can_manage_policy, can_view_claim, can_view_subsidy,
                           is_staff, require)
from ..rules.subsidy import select_checklist, subsidy_applies
from ..services import policy as policy_service
from ..services.money import subsidy as subsidy_service
from ..services.marking.facts import beijing_today
from ..rules.prizes import tiers_from_data
from ..services.policy import PolicyData
from ..services.money.subsidy_reports import ClaimFilter as Wanted
from ..services.money.subsidy_reports import claim_form_workbook, claims_query
from ..views.common import xlsx_download
from ..rules.messages import Message
from .event_schemas import ReasonIn
from .framework import ADMIN_ROLES, STAFF_AND_ENTERPRISE, STAFF_ROLES, actor, api_route, api_user, get_or_404
from .schemas import PolicyVersionOut
from .subsidy_schemas import ClaimFilter, ClaimIn, ClaimOut, PaymentIn, PolicyVersionIn, SubsidyCheckOut

TAGS = ["subsidy"]
POLICY_TAGS = ["policy"]
NOT_YOURS = Message("只能查看本企业的补贴申请。")


def _claim(claim_id: int) -> SubsidyClaim:
    """Load a claim the caller may see (403 for another enterprise's)."""
    claim = get_or_404(SubsidyClaim, claim_id)
    require(can_view_claim(api_user(), claim), NOT_YOURS)
    return claim


@api_route("/events/<int:event_id>/subsidy", response=SubsidyCheckOut, roles=(Role.ADMIN, Role.ORGANISER,
           Role.ENTERPRISE), summary="竞赛经费补贴核查", tags=TAGS)
def event_subsidy(event_id: int):
    """The live check of an event: for an enterprise event every condition with pass/fail and the reason, and the
    amount; for a district event (organisers) `eligible: false` with the one check 区级赛不适用竞赛经费补贴."""
    event = get_or_404(Event, event_id)
    user = api_user()
    require(can_view_subsidy(user, event), Message("只有组委会和举办企业可以查看本赛项的补贴条件。"))
    decision, version = subsidy_service.check_subsidy(event, None if is_staff(user) else user.enterprise_id)
    decision = select_checklist(event.kind.value, decision)
    origins = subsidy_service.participant_origins(event) if subsidy_applies(event.kind.value) else None
    return {"event_id": event.id, "eligible": decision.eligible, "participants": decision.participants,
            "threshold": decision.threshold, "amount": decision.amount, "policy_version_id": version.id,
            "checks": subsidy_service.checks_json(decision),
            "host_participants": origins.host if origins else None,
            "other_participants": origins.others if origins else None}


@api_route("/subsidy-claims", methods=["POST"], body=ClaimIn, response=ClaimOut, status=201,
           roles=(Role.ENTERPRISE,), summary="申请竞赛经费补贴", tags=TAGS, errors=[404, 409])
def create_claim(body: ClaimIn):
    """Claim the subsidy of an event the caller's enterprise hosted; 409 not_eligible lists the failed checks
    in details, 409 duplicate_claim when another claim for the event or the host's year just got in; 404 for no such event."""
    event = get_or_404(Event, body.event_id)
    require(can_claim_subsidy(api_user(), event), Message("只有本赛项的举办企业可以申请竞赛经费补贴。"))
    return subsidy_service.claim_subsidy(actor(), event)


@api_route("/subsidy-claims", roles=STAFF_AND_ENTERPRISE, query=ClaimFilter, response=ClaimOut, paginated=True, allow=can_list_claims,
           summary="补贴申请列表", tags=TAGS)
def list_claims(query: ClaimFilter):
    """Claims, newest first: organisers all, enterprise users their own enterprise's; filtered."""
    user = api_user()
    enterprise_id = query.enterprise_id if is_staff(user) else user.enterprise_id
    wanted = Wanted(query.season_id, query.state.value if query.state else "", enterprise_id, query.q or "")
    return claims_query(wanted)


@api_route("/subsidy-claims/<int:claim_id>", roles=STAFF_AND_ENTERPRISE, response=ClaimOut, allow=can_list_claims, summary="查看补贴申请",
           tags=TAGS)
def get_claim(claim_id: int):
    """One claim with the checks at claim time (enterprise users: their own only)."""
    return _claim(claim_id)


@api_route("/subsidy-claims/<int:claim_id>/form.xlsx", roles=STAFF_AND_ENTERPRISE, allow=can_list_claims, summary="补贴申请表", tags=TAGS)
def claim_form(claim_id: int):
    """The printable claim form (.xlsx): the event, its participants and results, the amount."""
    claim = _claim(claim_id)
    return xlsx_download(claim_form_workbook(claim), _("竞赛经费补贴申请表-%(id)s.xlsx", id=claim.id))


@api_route("/subsidy-claims/<int:claim_id>/approve", roles=STAFF_ROLES, methods=["POST"], response=ClaimOut, allow=can_decide_claims,
           summary="批准补贴申请", tags=TAGS, errors=[409])
def approve_claim(claim_id: int):
    """submitted → approved; 409 over_budget when it would take the season above its budget."""
    return subsidy_service.approve_claim(actor(), _claim(claim_id))


@api_route("/subsidy-claims/<int:claim_id>/reject", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn, response=ClaimOut,
           allow=can_decide_claims, summary="驳回补贴申请", tags=TAGS, errors=[409])
def reject_claim(claim_id: int, body: ReasonIn):
    """submitted → rejected with a reason; the event and the host's yearly cap are freed."""
    return subsidy_service.reject_claim(actor(), _claim(claim_id), body.reason)


@api_route("/subsidy-claims/<int:claim_id>/pay", roles=STAFF_ROLES, methods=["POST"], body=PaymentIn, response=ClaimOut,
           allow=can_decide_claims, summary="登记补贴拨付", tags=TAGS, errors=[409])
def pay_claim(claim_id: int, body: PaymentIn):
    """approved → paid, with the payment date and the voucher number."""
    return subsidy_service.record_payment(actor(), _claim(claim_id), body.paid_on, body.voucher)


def _policy_data(body: PolicyVersionIn) -> PolicyData:
    """The body as the service's PolicyData."""
    figures = body.model_dump(exclude={"effective_from", "note", "confirm_backdated", "prize_tiers", "standing_points",
                                       "rewards"})
    tiers = None if body.prize_tiers is None else tiers_from_data(t.model_dump() for t in body.prize_tiers)
    points = None if body.standing_points is None else body.standing_points.model_dump(exclude_unset=True)
    rewards = None if body.rewards is None else [line.model_dump() for line in body.rewards]
    return PolicyData(body.effective_from, figures, body.note, tiers, points, rewards)


@api_route("/policy-versions", roles=ADMIN_ROLES, methods=["POST"], body=PolicyVersionIn, response=PolicyVersionOut, status=201,
           allow=can_manage_policy, summary="新增政策版本", tags=POLICY_TAGS, errors=[409])
def create_policy(body: PolicyVersionIn):
    """Add a policy version effective from a date (administrators); one effective before today needs
    confirm_backdated (409 confirm_backdated naming the events not yet pinned that it would govern)."""
    return policy_service.create_policy_version(actor(), _policy_data(body), beijing_today(),
                                                confirm_backdated=body.confirm_backdated)


@api_route("/policy-versions/<int:version_id>", roles=ADMIN_ROLES, methods=["PUT"], body=PolicyVersionIn, response=PolicyVersionOut,
           allow=can_manage_policy, summary="修改未生效的政策版本", tags=POLICY_TAGS, errors=[409])
def update_policy(version_id: int, body: PolicyVersionIn):
    """Edit a version not yet in force and used by no decision; otherwise 409 (a change is a new version)."""
    version = get_or_404(PolicyVersion, version_id)
    return policy_service.update_policy_version(actor(), version, _policy_data(body), beijing_today(),
                                                confirm_backdated=body.confirm_backdated)
