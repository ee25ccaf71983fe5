"""Marks and results (RULES.md §5-§9): enter, read and submit marks, progress, sign-off, tie orders,
reopen, results by role, publication and finalisation.

Blind marking: nothing here gives a judge a contestant's name or employer before publication:
marks carry numbers only, and results rows have name and employer null for judges until the
notice starts, masked (张*丰) afterwards. The public (no token) sees masked results once the
event is in notice or final, and a 404 before.
"""

from flask import abort, request

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Event, EventStatus, Role, User
from ..permissions import (can_open_marks, can_oversee_scoring, can_read_results, can_see_prizes, is_panel_judge,
                           is_staff, require, sees_identities)
from ..rules.identity import mask_name
from ..services.marking import reports as mark_reports
from ..services.marking import marks as mark_service
from ..services.results import lifecycle as result_service
from ..services.certificates.queries import numbers_by_entry
from ..services.results.prizes import prize_settings, prizes_for_rows
from ..services.results.rows import contestants, result_rows, score_text
from ..rules.messages import Message
from .framework import STAFF_ROLES, actor, api_route, api_user, authenticate, get_or_404
from .pagination import Shaped
from .event_schemas import ReasonIn
from .mark_schemas import (MarkOut, MarksIn, ProgressOut, PublishOut, ResultsOut, SavedMarksOut, SignOffOut, StatusOut,
                           SubmissionOut, TieOrderIn, TieOrderOut)

TAGS = ["marks"]
RESULT_TAGS = ["results"]
JUDGING = (Role.ADMIN, Role.ORGANISER, Role.JUDGE)


def _event(event_id: int, allowed, message: str) -> Event:
    """Load an event and check the caller against a predicate of (user, event)."""
    event = get_or_404(Event, event_id)
    require(allowed(api_user(), event), message)
    return event


def _mark_text(value):
    """A mark as sent: JSON numbers become text via str() (88.5 → "88.5"), so no binary float is ever used."""
    if isinstance(value, float):
        return str(value)
    return value


@api_route("/events/<int:event_id>/marks", methods=["PUT"], body=MarksIn, response=SavedMarksOut, roles=JUDGING,
           summary="录入评分", tags=TAGS, errors=[409])
def save_marks(event_id: int, body: MarksIn):
    """Save a batch of marks all-or-nothing (panel judges; the chief judge or organisers correct with judge_id
    after a reopen, and enter measurement values until sign-off whoever has submitted). A stale cell, or a
    measurement value someone else entered changed without a reason, is 409 stale_mark; a conflict of interest
    403 conflict_of_interest."""
    # The busiest request of all: the event is never loaded. One statement (on PostgreSQL) reads its panel seats,
    # which the caller is authorised against, with everything the save checks, under the event's lock.
    judge = db.session.get(User, body.judge_id) if body.judge_id is not None else None
    items = [(m.number, m.criterion_id, _mark_text(m.value), _mark_text(m.expected)) for m in body.marks]
    state = mark_service.read_for_marking(event_id, items, actor(), judge)
    if state is None or state.event is None:
        abort(404, description=Message("您访问的数据不存在。"))
    event = state.event
    require(can_open_marks(api_user(), event), Message("只有本赛项裁判组的裁判可以录入评分。"))
    if body.judge_id is not None and (judge is None or not is_panel_judge(judge, event)):
        raise Invalid(Message("被更正评分的人不是本赛项裁判组的裁判。"),
                      details=[{"field": "judge_id", "message": Message("不是本赛项的裁判。")}])
    cells = mark_service.save_marks(actor(), event, items, reason=body.reason, judge=judge, state=state)
    return {"marks": cells}


@api_route("/events/<int:event_id>/marks", response=MarkOut, paginated=True, roles=JUDGING, summary="评分列表",
           tags=TAGS)
def list_marks(event_id: int):
    """Marks by number and scheme order: a panel judge their own and the measurement values; the chief judge and
    organisers every mark. Numbers only, never names."""
    user = api_user()
    event = _event(event_id, can_open_marks, Message("只有本赛项裁判组的裁判或组委会可以查看评分。"))
    query = mark_reports.marks_query(event, judge=None if can_oversee_scoring(user, event) else user)
    return Shaped(query, mark_reports.cell_of)  # paged in SQL: an event may hold tens of thousands of marks


@api_route("/events/<int:event_id>/marks/submit", methods=["POST"], response=SubmissionOut, roles=[Role.JUDGE],
           summary="提交评分", tags=TAGS, errors=[409])
def submit_marks(event_id: int):
    """A panel judge submits their marks, which become read-only to them (409 with the missing list if incomplete)."""
    event = _event(event_id, is_panel_judge, Message("只有本赛项裁判组的裁判可以提交评分。"))
    member = mark_service.submit_marks(actor(), event)
    return {"judge_id": member.user_id, "submitted_at": member.submitted_at,
            "measurements_missing": mark_service.empty_measurements(event)}


@api_route("/events/<int:event_id>/progress", response=ProgressOut, roles=JUDGING, summary="评分进度", tags=TAGS)
def scoring_progress(event_id: int):
    """Per judge marked / expected and submission, the measurement values, and every missing mark."""
    event = _event(event_id, can_oversee_scoring, Message("只有裁判长或组委会可以查看评分进度。"))
    found = mark_reports.progress(event)
    return {"judges": found.judges, "measured": found.measured,
            "measurements_expected": found.measurements_expected, "missing": found.missing,
            "complete": found.complete}


@api_route("/events/<int:event_id>/sign-off", methods=["POST"], response=SignOffOut, roles=JUDGING,
           summary="签核成绩", tags=RESULT_TAGS, errors=[409])
def sign_off(event_id: int):
    """Freeze the results (scoring → signed_off); 409 with the missing list or the unresolved ties in details."""
    event = _event(event_id, can_oversee_scoring, Message("只有裁判长或组委会可以签核成绩。"))
    snapshot = result_service.sign_off(actor(), event)
    return {"status": event.status.value, "participants": snapshot.participants, "sequence": snapshot.sequence}


@api_route("/events/<int:event_id>/tie-order", roles=STAFF_ROLES, methods=["POST"], body=TieOrderIn, response=TieOrderOut, status=201,
           allow=is_staff, summary="确定并列名次顺序", tags=RESULT_TAGS, errors=[409])
def record_tie_order(event_id: int, body: TieOrderIn):
    """Order a strict-mode tie the tie-break chain could not separate, best first, with a reason."""
    event = get_or_404(Event, event_id)
    order = result_service.record_tie_order(actor(), event, body.entry_ids, body.reason)
    return {"id": order.id, "entry_ids": list(order.entry_ids), "reason": order.reason}


@api_route("/events/<int:event_id>/reopen", methods=["POST"], body=ReasonIn, response=StatusOut, roles=JUDGING,
           summary="重新开放评分", tags=RESULT_TAGS, errors=[409])
def reopen(event_id: int, body: ReasonIn):
    """Reopen scoring with a written reason (signed_off or notice → scoring); the frozen results are kept."""
    event = _event(event_id, can_oversee_scoring, Message("只有裁判长或组委会可以重新开放评分。"))
    result_service.reopen(actor(), event, body.reason)
    return {"status": event.status.value, "notice_ends_on": event.notice_ends_on}


@api_route("/events/<int:event_id>/publish", roles=STAFF_ROLES, methods=["POST"], response=PublishOut, allow=is_staff,
           summary="公示成绩", tags=RESULT_TAGS, errors=[409])
def publish(event_id: int):
    """Start the public notice (signed_off → notice); it ends after the policy's working days on China's working
    calendar (statutory holidays skipped, 调休 weekends counted). 409 `calendar_missing` when the notice would run
    into a year without calendar data (GET /calendar/{year}); nothing changes then."""
    event = get_or_404(Event, event_id)
    ends = result_service.publish(actor(), event)
    return {"status": event.status.value, "notice_ends_on": ends}


@api_route("/events/<int:event_id>/finalize", roles=STAFF_ROLES, methods=["POST"], response=StatusOut, allow=is_staff,
           summary="确认最终成绩", tags=RESULT_TAGS, errors=[409])
def finalize(event_id: int):
    """Confirm the final results (notice → final) once the notice has ended (409 `notice_running` before) and every
    objection is decided (409 `open_objections`, naming how many are not)."""
    event = get_or_404(Event, event_id)
    result_service.finalize(actor(), event)
    return {"status": event.status.value, "notice_ends_on": event.notice_ends_on}


def _caller():
    """The token's user if the request carries one (a bad token is 401), else None (the public)."""
    return authenticate() if request.headers.get("Authorization", "").strip() else None


@api_route("/events/<int:event_id>/results", response=ResultsOut, auth=False, summary="成绩",
           tags=RESULT_TAGS, errors=[401, 404])
def event_results(event_id: int):
    """Results by role (permissions.can_read_results, the results page's rule too): organisers with names at any
    stage; the chief judge before publication without names; everyone (no token needed) once published
    (公示/final), names masked. Otherwise 404 not_published."""
    user = _caller()
    event = get_or_404(Event, event_id)
    staff = is_staff(user)
    if not can_read_results(user, event):
        raise NotFound(Message("该赛项的成绩尚未公示。"), code="not_published")
    if staff:
        reveal = "full"
    elif user is not None and not sees_identities(user, event):
        reveal = "none"
    else:
        reveal = "masked"
    rows, frozen = result_rows(event)
    people = contestants(event) if reveal != "none" else {}
    won = prizes_for_rows(rows, prize_settings(event)) if can_see_prizes(user, event) else {}
    numbers = numbers_by_entry(event) if event.status is EventStatus.FINAL else {}  # certificates, once final
    out = []
    for row in rows:
        name, employer = people.get(row["entry_id"], (None, None))
        if reveal == "masked":
            name = mask_name(name) or None
        out.append({
            "rank": row["rank"], "shared": row["shared"], "number": row["number"],
            "entry_id": row["entry_id"] if staff else None,
            "name": name, "employer": employer,
            "modules": [{"name": m["name"], "score": score_text(m["score"])} for m in row["modules"]],
            "total": score_text(row["total"]), "practical": score_text(row["practical"]), "time_used": row["time_used"],
            "status": row["status"], "explanation": row["explanation"], "prize": won.get(row["entry_id"]),
            "certificate_no": numbers.get(row["entry_id"]),
        })
    return {"event_id": event.id, "status": event.status.value, "frozen": frozen,
            "notice_ends_on": event.notice_ends_on, "participants": event.participants, "rows": out}
