"""Objections during the public notice (异议与复核, RULES.md §14): file, list, uphold, dismiss.

Contract:
- An objection is filed against one entry of the event, found by its competition number, while the event is under
  notice and the notice has not run its course (status notice, today ≤ notice_ends_on); otherwise 409
  `not_in_notice`, before anything else is looked at. A reason is required. Who may object to which entry is the
  boundary's check (permissions.can_object_to_entry: an enterprise only for its own employees), made between
  `entry_by_number` and `file_objection`.
- The objection belongs to the round of the notice it was filed in (the event's publication instant and the
  notice's last day then), so it stays recognisable, and decided, after a republish.
- Only a received objection is decided (409 `already_decided`), with a written reason the filer sees.
- Upholding returns the event to scoring as a reopen whose reason is the objection (lifecycle.reopen: the snapshot
  is superseded and kept, submissions are cleared); marks are then corrected with their reasons as after any reopen,
  and the next sign-off and publication start a new full notice. When the event was already reopened since, it
  simply stays in scoring.
- lifecycle.finalize refuses while any objection of the event is undecided (409 `open_objections`).
Every step writes its audit row; refusals at the boundary are audited by the error handlers.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case

from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import Entry, Event, EventStatus, Objection, ObjectionChannel, ObjectionState, utcnow
from ...rules.messages import Message
from ...rules.text import is_ascii_digits
from ..audit import Actor, record
from ..marking.facts import lock_event
from .lifecycle import notice_has_ended, reopen

MAX_REASON, MAX_DECISION, MAX_OBJECTOR, MAX_CONTACT = 2000, 500, 60, 100


@dataclass(frozen=True)
class ObjectionData:
    """What the objector says, and, when an organiser files it for them, who they are and how it was received."""

    reason: str
    objector: str | None = None
    contact: str | None = None
    channel: str = ObjectionChannel.ONLINE.value


def accepting_objections(event, today: date | None = None) -> bool:
    """The event is under notice and its notice has not ended: objections are received."""
    return event.status is EventStatus.NOTICE and not notice_has_ended(event, today)


def require_notice(event, today: date | None = None) -> None:
    """409 `not_in_notice` unless objections are received now, saying why."""
    if accepting_objections(event, today):
        return
    if event.status is EventStatus.NOTICE:
        raise InvalidState(Message("公示期已于 %(date)s 结束，不再受理异议。", date=event.notice_ends_on),
                           code="not_in_notice")
    raise InvalidState(Message("本赛项的成绩不在公示期内，不能提出异议：异议只在公示期内受理。"), code="not_in_notice")


def entry_by_number(event, number: str | None) -> Entry:
    """The event's entry with this competition number ("7" finds 007); 400 naming the number when there is none."""
    text = (number or "").strip()
    if not text:
        message = Message("请填写参赛号。")
        raise Invalid(message, details=[{"field": "number", "message": message}])
    wanted = {text} | ({text.zfill(3)} if is_ascii_digits(text) else set())
    entry = db.session.scalar(db.select(Entry).where(Entry.event_id == event.id, Entry.number.in_(wanted))
                              .order_by(Entry.number).limit(1))
    if entry is None:
        message = Message("本赛项没有参赛号为 %(number)s 的选手，请核对参赛号。", number=text[:20])
        raise Invalid(message, code="unknown_number", details=[{"field": "number", "message": message}])
    return entry


def _optional(text: str | None) -> str | None:
    """Trimmed text, None when empty."""
    return (text or "").strip() or None


def _checked(data: ObjectionData) -> ObjectionData:
    """The data trimmed, or 400 with each problem under its field."""
    reason, objector, contact = (data.reason or "").strip(), _optional(data.objector), _optional(data.contact)
    problems = []
    if not reason:
        problems.append({"field": "reason", "message": Message("请写明异议的内容和理由。")})
    elif len(reason) > MAX_REASON:
        problems.append({"field": "reason", "message": Message("异议内容不能超过 %(n)s 字。", n=MAX_REASON)})
    if objector and len(objector) > MAX_OBJECTOR:
        problems.append({"field": "objector", "message": Message("异议人不能超过 %(n)s 字。", n=MAX_OBJECTOR)})
    if contact and len(contact) > MAX_CONTACT:
        problems.append({"field": "contact", "message": Message("联系方式不能超过 %(n)s 字。", n=MAX_CONTACT)})
    if data.channel not in {channel.value for channel in ObjectionChannel}:
        problems.append({"field": "channel", "message": Message("请选择受理方式。")})
    if problems:
        raise Invalid(Message("异议填写有误，请修改后重试。"), details=problems)
    return ObjectionData(reason, objector, contact, data.channel)


def file_objection(actor: Actor, event, entry: Entry, data: ObjectionData, today: date | None = None) -> Objection:
    """Record an objection to one entry's result during the notice (the boundary has checked who may object)."""
    lock_event(event)  # against a finalisation committing between the check and this objection
    require_notice(event, today)
    if entry.event_id != event.id:
        raise Invalid(Message("该选手不是本赛项的选手。"), details=[{"field": "number", "message": Message("不是本赛项的选手。")}])
    data = _checked(data)
    objection = Objection(event_id=event.id, entry_id=entry.id, state=ObjectionState.RECEIVED, reason=data.reason,
                          channel=ObjectionChannel(data.channel), objector=data.objector, contact=data.contact,
                          filed_by_id=actor.user_id, notice_published_at=event.published_at,
                          notice_ends_on=event.notice_ends_on)
    db.session.add(objection)
    db.session.flush()
    record(actor, "objection.file", objection, message=data.reason,
           after={"event_id": event.id, "entry_id": entry.id, "number": entry.number, "channel": data.channel,
                  "objector": data.objector, "notice_ends_on": event.notice_ends_on})
    return objection


def _reloaded(objection: Objection) -> Objection:
    """Lock the objection's event and read the objection again (two organisers never decide it twice)."""
    lock_event(objection.event)
    db.session.execute(db.select(Objection).where(Objection.id == objection.id)
                       .execution_options(populate_existing=True))
    return objection


def _decision_reason(objection: Objection, reason: str | None) -> str:
    """The written reason for deciding a received objection; 409 once decided, 400 without a reason."""
    if objection.state is not ObjectionState.RECEIVED:
        raise InvalidState(Message("该异议已经处理（%(state)s），不能再次处理。", state=objection.state_label),
                           code="already_decided")
    text = (reason or "").strip()
    if not text or len(text) > MAX_DECISION:
        message = Message("请填写处理理由（不超过 %(n)s 字），异议人可以看到。", n=MAX_DECISION)
        raise Invalid(message, details=[{"field": "reason", "message": message}])
    return text


def _decide(actor: Actor, objection: Objection, state: ObjectionState, reason: str) -> None:
    """Set the decision and who made it, when."""
    objection.state, objection.decision_reason = state, reason
    objection.decided_by_id, objection.decided_at = actor.user_id, utcnow()
    db.session.flush()


def uphold(actor: Actor, objection: Objection, reason: str | None) -> Objection:
    """The objection stands: the event returns to scoring (a reopen whose reason is the objection) to be corrected."""
    event = _reloaded(objection).event
    text = _decision_reason(objection, reason)
    before = {"state": objection.state.value, "event_status": event.status.value}
    if event.status is not EventStatus.SCORING:  # already reopened since: it stays in scoring
        reopen(actor, event, Message("异议成立（第 %(id)s 号异议，参赛号 %(number)s）：%(objection)s", id=objection.id,
                                     number=objection.entry.number or "", objection=objection.reason))
    _decide(actor, objection, ObjectionState.UPHELD, text)
    record(actor, "objection.uphold", objection, before=before, message=text,
           after={"state": objection.state.value, "event_status": event.status.value})
    return objection


def dismiss(actor: Actor, objection: Objection, reason: str | None) -> Objection:
    """The objection does not stand: the results stay as published."""
    _reloaded(objection)
    text = _decision_reason(objection, reason)
    before = {"state": objection.state.value}
    _decide(actor, objection, ObjectionState.DISMISSED, text)
    record(actor, "objection.dismiss", objection, before=before, after={"state": objection.state.value},
           message=text)
    return objection


def objections_query(*, event_id: int | None = None, season_id: int | None = None, enterprise_id: int | None = None,
                     state: str | None = None) -> Select:
    """Objections, undecided first, then newest first: of an event or a season, of one enterprise's employees (the
    entry's employer), in one state."""
    query = db.select(Objection).join(Entry, Entry.id == Objection.entry_id)
    return _narrowed(query, event_id, season_id, enterprise_id, state).order_by(
        case((Objection.state == ObjectionState.RECEIVED, 0), else_=1), Objection.id.desc())


def state_counts(*, event_id: int | None = None, season_id: int | None = None,
                 enterprise_id: int | None = None) -> dict[str, int]:
    """How many objections in each state (every state listed, zeros included), in one query."""
    query = db.select(Objection.state, db.func.count(Objection.id)).join(Entry, Entry.id == Objection.entry_id)
    rows = db.session.execute(_narrowed(query, event_id, season_id, enterprise_id, None)
                              .group_by(Objection.state)).tuples().all()
    found = {state.value: count for state, count in rows}
    return {state.value: found.get(state.value, 0) for state in ObjectionState}


def _narrowed(query: Select, event_id: int | None, season_id: int | None, enterprise_id: int | None,
              state: str | None) -> Select:
    """The filters shared by the list and its counts."""
    if event_id is not None:
        query = query.where(Objection.event_id == event_id)
    if season_id is not None:
        query = query.join(Event, Event.id == Objection.event_id).where(Event.season_id == season_id)
    if enterprise_id is not None:
        query = query.where(Entry.employer_id == enterprise_id)
    if state is not None:
        query = query.where(Objection.state == ObjectionState(state))
    return query


def events_with_objections(season_id: int) -> list[Event]:
    """The season's events that have objections, latest first (the queue's event filter)."""
    return list(db.session.scalars(db.select(Event).where(Event.season_id == season_id,
                                                          Event.id.in_(db.select(Objection.event_id)))
                                   .order_by(Event.event_date.desc(), Event.id)))
