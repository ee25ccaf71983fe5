"""Objections during the notice (RULES.md §14): file, list by event, uphold, dismiss.

While an event is under notice, an enterprise objects to its own employees' results (another enterprise's entry is
403, audited, nothing stored) and an organiser records an objection made by phone, letter or in person, naming the
objector and how to reach them; outside the notice it is 409 `not_in_notice`. Organisers uphold an objection (the
event returns to scoring, as a reopen whose reason is the objection) or dismiss it, with a reason the filer sees.
"""
from ..extensions import db
from ..models import Event, Objection, ObjectionChannel
from ..permissions import (can_decide_objections, can_object_to_entry, can_view_event, can_view_objections, is_staff,
                           require)
from ..rules.messages import Message
from ..services.results import objections as service
from .event_schemas import ReasonIn
from .framework import STAFF_AND_ENTERPRISE, STAFF_ROLES, actor, api_route, api_user, get_or_404
from .objection_schemas import ObjectionFilter, ObjectionIn, ObjectionOut, objection_out

TAGS = ["objections"]


def _event(event_id: int) -> Event:
    """The event (404), if the caller may see it (403)."""
    event = get_or_404(Event, event_id)
    require(can_view_event(api_user(), event), Message("您无权查看该赛项。"))
    return event


@api_route("/events/<int:event_id>/objections", methods=["POST"], body=ObjectionIn, response=ObjectionOut,
           status=201, roles=STAFF_AND_ENTERPRISE, allow=can_view_objections, summary="提出异议", tags=TAGS,
           errors=[409])
def file_objection(event_id: int, body: ObjectionIn):
    """Object to one entry's result (by competition number) during the notice, with a reason: an enterprise for its
    own employees (another enterprise's entry: 403), an organiser on behalf of whoever objected by phone, letter or in
    person (`objector`, `contact`, `channel`). Outside the notice, or after it ended: 409 `not_in_notice`; an unknown
    number: 400 `unknown_number`."""
    user = api_user()
    event = _event(event_id)
    service.require_notice(event)
    entry = service.entry_by_number(event, body.number)
    require(can_object_to_entry(user, entry), Message("只能对本企业员工的成绩提出异议。"))
    staff = is_staff(user)
    channel = (body.channel or ObjectionChannel.OTHER.value) if staff else ObjectionChannel.ONLINE.value
    data = service.ObjectionData(body.reason, body.objector, body.contact, channel)
    return objection_out(service.file_objection(actor(), event, entry, data), staff=staff)


@api_route("/events/<int:event_id>/objections", roles=STAFF_AND_ENTERPRISE, query=ObjectionFilter,
           response=ObjectionOut, paginated=True, allow=can_view_objections, summary="赛项的异议", tags=TAGS)
def list_objections(event_id: int, query: ObjectionFilter):
    """The event's objections, undecided first, each with its state and the decision's reason: the organisers every
    one, an enterprise its own employees'."""
    user = api_user()
    event = _event(event_id)
    staff = is_staff(user)
    found = service.objections_query(event_id=event.id, enterprise_id=None if staff else user.enterprise_id,
                                     state=query.state.value if query.state else None)
    return [objection_out(objection, staff=staff) for objection in db.session.scalars(found)]


def _decided(objection_id: int, decide, reason: str) -> dict:
    """Decide an objection (404 when there is none) and show it as the organisers read it."""
    objection = get_or_404(Objection, objection_id)
    return objection_out(decide(actor(), objection, reason), staff=True)


@api_route("/objections/<int:objection_id>/uphold", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn,
           response=ObjectionOut, allow=can_decide_objections, summary="异议成立", tags=TAGS, errors=[409])
def uphold_objection(objection_id: int, body: ReasonIn):
    """The objection stands, with a written reason: the event returns to scoring (its signed-off results are
    superseded and kept) so that the marks can be corrected, each change with its reason; the next sign-off and
    publication start a new full notice. A decided objection: 409 `already_decided`."""
    return _decided(objection_id, service.uphold, body.reason)


@api_route("/objections/<int:objection_id>/dismiss", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn,
           response=ObjectionOut, allow=can_decide_objections, summary="异议不成立", tags=TAGS, errors=[409])
def dismiss_objection(objection_id: int, body: ReasonIn):
    """The objection does not stand, with a written reason; the results stay as published. A decided objection:
    409 `already_decided`."""
    return _decided(objection_id, service.dismiss, body.reason)
