"""Events: create and edit with the marking scheme, list by role, the lifecycle, the draw and the judge panel."""
from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Event, EventKind, PanelMember, Role, User
from ..permissions import (can_create_event, can_edit_event, can_list_events, can_manage_event,
                           can_set_enrolment_policy, can_submit_event, can_view_event, is_staff, require)
from ..rules.events import CriterionSpec, ModuleSpec, check_scheme
from ..rules.prizes import TierSpec, tiers_from_data
from ..services.events import entries as entry_service
from ..services.events.enrolment import set_enrolment_policy
from ..services.events import lifecycle as event_service
from ..services.events.entry_extras import panel_conflicts
from ..services.events.entry_queries import status_counts
from ..services.events.lifecycle import EventData
from ..services.results.prizes import prize_settings
from ..rules.messages import Message
from .event_schemas import (CopySchemeIn, DrawIn, DrawOut, EnrolmentPolicyIn, EnrolmentPolicyOut, EventDetailOut,
                            EventFilter, EventIn, EventOut, EventPatch, JudgeIn, PanelMemberDetailOut, PanelMemberOut,
                            ReasonIn)
from .framework import EVERY_ROLE, STAFF_AND_ENTERPRISE, STAFF_ROLES, actor, api_route, api_user, get_or_404

TAGS = ["events"]
PANEL = ["panel"]
DATA_FIELDS = ("season_id", "name", "occupation", "level", "kind", "host_enterprise_id", "event_date",
               "registration_deadline", "venue", "min_age", "max_age", "aggregation", "aggregation_level",
               "tie_breaks", "strict_ranking", "nomination_quota", "prize_tiers", "prize_floor")
# A PATCH may clear these with null (the prize settings: back to the policy version's).
NULLABLE = {"host_enterprise_id", "venue", "min_age", "max_age", "prize_tiers", "prize_floor"}


def _specs(modules) -> tuple[ModuleSpec, ...]:
    """Typed module bodies as the service's scheme specs."""
    return tuple(ModuleSpec(m.name, m.kind.value, m.weight,
                            tuple(CriterionSpec(c.name, c.max_score, c.kind.value) for c in m.criteria))
                 for m in modules)


def _plain(value):
    """Enums as their values, lists as tuples, for EventData."""
    if isinstance(value, list):
        return tuple(value)
    return getattr(value, "value", value)


def _event_data(values: dict, modules: tuple[ModuleSpec, ...]) -> EventData:
    """EventData from typed or stored field values and a scheme."""
    fields = {name: _plain(values[name]) for name in DATA_FIELDS} | {"prize_tiers": _tiers(values["prize_tiers"])}
    return EventData(**fields, modules=modules)


def _tiers(value) -> tuple[TierSpec, ...] | None:
    """Prize tiers as sent (models or dicts) or stored (dicts) as the service's specs; None: the policy's."""
    if value is None:
        return None
    return tiers_from_data(tier if isinstance(tier, dict) else tier.model_dump() for tier in value)


def _stored(event: Event, **changes) -> EventData:
    """The event's current values (with changes) as EventData, scheme included."""
    modules = changes.pop("modules") if "modules" in changes else event_service.scheme_specs(event)
    return _event_data({name: getattr(event, name) for name in DATA_FIELDS} | changes, modules)


def enrolment_policy(event: Event) -> dict | None:
    """An enterprise event's enrolment policy; None for a district event (every enterprise enrols)."""
    if event.kind is not EventKind.ENTERPRISE:
        return None
    return {"event_id": event.id, "open_to": event.open_to, "invited_enterprise_ids": sorted(event.invited_ids),
            "invited_enterprises": event.invited}


def event_detail(event: Event) -> dict:
    """An event with scheme, entry counts, panel size, draw, lock, warnings and enrolment policy."""
    base = {name: getattr(event, name) for name in EventOut.model_fields}
    return base | {
        "modules": event.modules, "counts": status_counts(event), "panel_size": len(event.panel),
        "draw_seed": event.draw_seed, "drawn_at": event.drawn_at,
        "scheme_locked": event_service.scheme_is_locked(event),
        "warnings": check_scheme(list(event_service.scheme_specs(event))).warnings,
        "rejection_reason": event.rejection_reason, "cancel_reason": event.cancel_reason,
        "enrolment_policy": enrolment_policy(event), "prizes": prize_settings(event),
    }


def _viewable(event_id: int) -> Event:
    """Load an event the caller may see (404, else 403)."""
    event = get_or_404(Event, event_id)
    require(can_view_event(api_user(), event), Message("您无权查看该赛项。"))
    return event


def _managed(event_id: int) -> Event:
    """Load an event the caller manages (organisers)."""
    event = get_or_404(Event, event_id)
    require(can_manage_event(api_user(), event), Message("只有组委会可以执行此操作。"))
    return event


@api_route("/events", roles=STAFF_AND_ENTERPRISE, methods=["POST"], body=EventIn, response=EventDetailOut, status=201,
           allow=can_create_event, summary="创建赛项", tags=TAGS)
def create_event(body: EventIn):
    """Create an event with its scheme; an enterprise user's event is hosted by their enterprise and submitted."""
    values = body.model_dump()
    user = api_user()
    if user.role is Role.ENTERPRISE and values["host_enterprise_id"] is None:
        values["host_enterprise_id"] = user.enterprise_id
    event, _ = event_service.create_event(actor(), _event_data(values, _specs(body.modules)))
    return event_detail(event)


@api_route("/events", roles=EVERY_ROLE, query=EventFilter, response=EventOut, paginated=True, allow=can_list_events,
           summary="赛项列表", tags=TAGS)
def list_events(query: EventFilter):
    """Events the caller may see: staff all, enterprises their own and those open onward, judges their panels."""
    user = api_user()
    return event_service.event_query(season_id=query.season_id, status=query.status, kind=query.kind,
                                     occupation=query.occupation, host_id=query.host_enterprise_id,
                                     search=query.q, **event_service.list_scope(user))


@api_route("/events/<int:event_id>", roles=EVERY_ROLE, response=EventDetailOut, allow=can_list_events, summary="查看赛项",
           tags=TAGS)
def get_event(event_id: int):
    """An event with its scheme (criteria ids), status, counts, panel size and draw."""
    return event_detail(_viewable(event_id))


@api_route("/events/<int:event_id>", roles=STAFF_AND_ENTERPRISE, methods=["PATCH"], body=EventPatch, response=EventDetailOut,
           allow=can_create_event, summary="修改赛项", tags=TAGS)
def update_event(event_id: int, body: EventPatch):
    """Edit an event; fields left out keep their values; a locked scheme can not change (409)."""
    event = get_or_404(Event, event_id)
    require(can_edit_event(api_user(), event), Message("赛项已提交或已开始，您不能再修改。"))
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    if (nulls := [name for name, value in changes.items() if value is None and name not in NULLABLE]):
        raise Invalid(Message("提交的数据有误，请修改后重试。"),
                      details=[{"field": name, "message": Message("不能为空。")} for name in sorted(nulls)])
    if "modules" in changes:
        changes["modules"] = _specs(body.modules)
    event_service.update_event(actor(), event, _stored(event, **changes))
    return event_detail(event)


@api_route("/events/<int:event_id>/copy-scheme", roles=STAFF_AND_ENTERPRISE, methods=["POST"], body=CopySchemeIn, response=EventDetailOut,
           allow=can_create_event, summary="复制评分方案", tags=TAGS)
def copy_scheme(event_id: int, body: CopySchemeIn):
    """Replace the event's scheme with a copy of an earlier event's (while the scheme is editable)."""
    event = get_or_404(Event, event_id)
    require(can_edit_event(api_user(), event), Message("赛项已提交或已开始，您不能再修改评分方案。"))
    source = db.session.get(Event, body.from_event_id)
    if source is None or not can_view_event(api_user(), source):
        message = Message("要复制的赛项不存在或您无权查看。")
        raise Invalid(message, details=[{"field": "from_event_id", "message": message}])
    specs = event_service.scheme_specs(source)
    event_service.update_event(actor(), event, _stored(event, modules=specs))
    return event_detail(event)


@api_route("/events/<int:event_id>/enrolment-policy", roles=STAFF_AND_ENTERPRISE, methods=["PUT"],
           body=EnrolmentPolicyIn, response=EnrolmentPolicyOut, summary="设置报名范围", tags=TAGS, errors=[409])
def put_enrolment_policy(event_id: int, body: EnrolmentPolicyIn):
    """Who besides the host and the organisers enrols in an enterprise event: `host` (default), `invited` (with at
    least one enterprise in `invited_enterprise_ids`) or `all`; the host's users and the organisers set it, until the
    draw. 400 for an unknown enterprise or `invited` with none; 409 `district_event` for a district event (every
    enterprise enrols its own employees there). Entries already made stay when the policy narrows."""
    event = get_or_404(Event, event_id)
    require(can_view_event(api_user(), event) and can_set_enrolment_policy(api_user(), event),
            Message("只有主办企业和组委会可以修改本赛项的报名范围。"))
    set_enrolment_policy(actor(), event, body.open_to.value, body.invited_enterprise_ids)
    return enrolment_policy(event)


def _transition(event_id: int, action: str, reason: str | None = None) -> dict:
    """Apply a lifecycle action to an event the caller manages."""
    event = _managed(event_id)
    return event_detail(event_service.change_status(actor(), event, action, reason=reason))


@api_route("/events/<int:event_id>/submit", roles=STAFF_AND_ENTERPRISE, methods=["POST"], response=EventDetailOut, allow=can_create_event,
           summary="提交审核", tags=TAGS)
def submit_event(event_id: int):
    """The host submits an enterprise event for approval into the plan: draft or rejected → submitted."""
    event = get_or_404(Event, event_id)
    require(can_submit_event(api_user(), event), Message("只有承办企业或组委会可以提交该赛项。"))
    return event_detail(event_service.change_status(actor(), event, "submit"))


@api_route("/events/<int:event_id>/approve", roles=STAFF_ROLES, methods=["POST"], response=EventDetailOut, allow=is_staff,
           summary="纳入竞赛计划", tags=TAGS)
def approve_event(event_id: int):
    """Approve a submitted enterprise event into the season's plan."""
    return _transition(event_id, "approve")


@api_route("/events/<int:event_id>/reject", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn, response=EventDetailOut,
           allow=is_staff, summary="退回赛项申请", tags=TAGS)
def reject_event(event_id: int, body: ReasonIn):
    """Reject a submitted enterprise event, with a reason; the host may edit and resubmit."""
    return _transition(event_id, "reject", body.reason)


@api_route("/events/<int:event_id>/open", roles=STAFF_ROLES, methods=["POST"], response=EventDetailOut, allow=is_staff,
           summary="开放报名", tags=TAGS)
def open_event(event_id: int):
    """Open registration (a district draft, an approved enterprise event, or reopen a closed one)."""
    return _transition(event_id, "open")


@api_route("/events/<int:event_id>/close", roles=STAFF_ROLES, methods=["POST"], response=EventDetailOut, allow=is_staff,
           summary="截止报名", tags=TAGS)
def close_event(event_id: int):
    """Close registration."""
    return _transition(event_id, "close")


@api_route("/events/<int:event_id>/cancel", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn, response=EventDetailOut,
           allow=is_staff, summary="取消赛项", tags=TAGS)
def cancel_event(event_id: int, body: ReasonIn):
    """Cancel an event before sign-off, with a reason."""
    return _transition(event_id, "cancel", body.reason)


@api_route("/events/<int:event_id>/start-scoring", roles=STAFF_ROLES, methods=["POST"], response=EventDetailOut, allow=is_staff,
           summary="开始评分", tags=TAGS)
def start_scoring(event_id: int):
    """Start scoring a drawn event: drawn → scoring (the scheme locks)."""
    return _transition(event_id, "start_scoring")


@api_route("/events/<int:event_id>/draw", roles=STAFF_ROLES, methods=["POST"], body=DrawIn, response=DrawOut, allow=is_staff,
           summary="抽签", tags=TAGS)
def draw_event(event_id: int, body: DrawIn):
    """Give every present entry a random number (closed → drawn); the same seed gives the same numbers."""
    event = _managed(event_id)
    numbers = entry_service.draw(actor(), event, body.seed)
    ordered = sorted(numbers.items(), key=lambda pair: pair[1])
    return {"seed": event.draw_seed, "numbers": [{"entry_id": k, "number": v} for k, v in ordered]}


def _member_out(member: PanelMember) -> dict:
    """A panel member's fields with the judge's account details."""
    user = member.user
    return {"id": member.id, "user_id": user.id, "username": user.username, "display_name": user.display_name,
            "employer_id": user.employer_id, "is_chief": member.is_chief, "submitted_at": member.submitted_at}


@api_route("/events/<int:event_id>/judges", roles=STAFF_ROLES, methods=["POST"], body=JudgeIn, response=PanelMemberOut, status=201,
           allow=is_staff, summary="指派裁判", tags=PANEL)
def add_judge(event_id: int, body: JudgeIn):
    """Put a judge on the panel; is_chief makes them the chief judge (the old chief is unflagged)."""
    event = _managed(event_id)
    user = db.session.get(User, body.user_id)
    if user is None:
        raise Invalid(Message("该用户不存在。"), details=[{"field": "user_id", "message": Message("该用户不存在。")}])
    return _member_out(entry_service.assign_judge(actor(), event, user, body.is_chief))


@api_route("/events/<int:event_id>/judges", roles=STAFF_ROLES, response=PanelMemberDetailOut, paginated=True, allow=is_staff,
           summary="裁判组", tags=PANEL)
def list_judges(event_id: int):
    """The panel, each judge with how many entries share their employer and those entries' numbers."""
    event = _managed(event_id)
    return [_member_out(member) | {"conflicts": len(found),
                                   "conflict_numbers": sorted(e.number for e in found if e.number)}
            for member, found in panel_conflicts(event)]


@api_route("/events/<int:event_id>/judges/<int:member_id>", roles=STAFF_ROLES, methods=["DELETE"], status=204, allow=is_staff,
           summary="移除裁判", tags=PANEL)
def remove_judge(event_id: int, member_id: int):
    """Take a judge off the panel (before scoring starts)."""
    event = _managed(event_id)
    member = db.session.get(PanelMember, member_id)
    if member is None or member.event_id != event.id:
        raise NotFound(Message("该裁判不在本赛项的裁判组中。"))
    entry_service.remove_judge(actor(), event, member)
