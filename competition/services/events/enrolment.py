"""An enterprise event's enrolment policy (RULES.md §4): its roster belongs to its host.

By default only the host's users (for its own employees) and the organisers enrol. The host, or an organiser, may
invite named enterprises or open the roster to every enterprise; narrowing the policy later keeps the entries
already made and refuses only new enrolments. District events have no policy: every enterprise enrols its own
employees. Who may enrol is decided by permissions.can_enrol; this module changes the policy (audited, flushed
for the caller to commit) and answers the questions that need the database.
"""
from collections.abc import Iterable

from sqlalchemy import and_, exists, or_

from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import OPEN_TO_LABELS, Enterprise, Entry, Event, EventKind, EventStatus, OpenTo, event_invitations
from ...rules.messages import Message, listing
from ..audit import Actor, record

# Until the draw the roster may still change (a closed event can be reopened); after it the roster is settled.
POLICY_STATES = frozenset({EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.REJECTED, EventStatus.APPROVED,
                           EventStatus.OPEN, EventStatus.CLOSED})
FIELD = "invited_enterprise_ids"


def policy_snapshot(event: Event) -> dict:
    """The policy as the audit log keeps it: who may enrol, and the invited enterprises by id and name."""
    return {"open_to": event.open_to.value, FIELD: sorted(event.invited_ids),
            "invited_enterprises": [e.name for e in event.invited]}


def _invalid(message: str, field: str = FIELD, details: list | None = None) -> Invalid:
    """A 400 whose details point at one field."""
    return Invalid(message, details=details or [{"field": field, "message": message}])


def _invited(event: Event, open_to: OpenTo, ids: list[int]) -> list[Enterprise]:
    """The enterprises to invite, checked: some for "invited" and none otherwise, every one known, not the host."""
    if open_to is not OpenTo.INVITED:
        if ids:
            raise _invalid(Message("只有“%(choice)s”方式需要选择受邀企业；“%(chosen)s”时请不要填写受邀企业。",
                                   choice=OPEN_TO_LABELS[OpenTo.INVITED], chosen=OPEN_TO_LABELS[open_to]))
        return []
    if not ids:
        raise _invalid(Message("选择“%(choice)s”时，请至少选择一家受邀企业。", choice=OPEN_TO_LABELS[OpenTo.INVITED]))
    found = {e.id: e for e in db.session.scalars(db.select(Enterprise).where(Enterprise.id.in_(ids)))}
    if (unknown := [i for i in ids if i not in found]):
        raise _invalid(Message("受邀企业不存在：%(ids)s。", ids=listing(str(i) for i in unknown)),
                       details=[{"field": FIELD, "message": Message("企业 %(id)s 不存在。", id=i)} for i in unknown])
    if event.host_enterprise_id in found:
        raise _invalid(Message("主办企业本身就可以为本企业员工报名，无需邀请。"))
    return sorted(found.values(), key=lambda e: e.name)


def set_enrolment_policy(actor: Actor, event: Event, open_to: str, invited_ids: Iterable[int] = ()) -> Event:
    """Set who besides the host and the organisers enrols in an enterprise event; audited with before and after.
    Entries already made stay: only new enrolments follow the new policy."""
    if event.kind is not EventKind.ENTERPRISE:
        raise InvalidState(Message("区级赛由组委会组织，各企业均可为本企业员工报名，不设报名范围。"), code="district_event")
    if event.status not in POLICY_STATES:
        raise InvalidState(Message("赛项已抽签、取消或结束，报名名单已确定，不能再修改报名范围。"))
    try:
        wanted = OpenTo(open_to)
    except ValueError:
        raise _invalid(Message("报名范围应为仅主办企业（host）、受邀企业（invited）或所有企业（all）。"),
                       field="open_to") from None
    invited = _invited(event, wanted, sorted(set(invited_ids)))
    before = policy_snapshot(event)
    event.open_to, event.invited = wanted, invited
    db.session.flush()
    after = policy_snapshot(event)
    if after != before:
        record(actor, "event.enrolment_policy", event, before=before, after=after,
               message=policy_sentence(event))
    return event


def policy_sentence(event: Event) -> str:
    """The policy in one sentence, e.g. 报名范围：主办企业和受邀企业（甲公司、乙公司）."""
    if event.open_to is OpenTo.INVITED:
        return Message("报名范围：%(policy)s（%(names)s）", policy=OPEN_TO_LABELS[event.open_to],
                       names=listing(e.name for e in event.invited))
    return Message("报名范围：%(policy)s", policy=OPEN_TO_LABELS[event.open_to])


def enrollable_by(enterprise_id: int):
    """A WHERE clause: the events an enterprise's users may enrol its employees in, as permissions.can_enrol decides
    for one event (district events, its own, those open to every enterprise or inviting it)."""
    invited = exists().where(event_invitations.c.event_id == Event.id,
                             event_invitations.c.enterprise_id == enterprise_id)
    return or_(Event.kind == EventKind.DISTRICT, Event.host_enterprise_id == enterprise_id,
               Event.open_to == OpenTo.ALL, and_(Event.open_to == OpenTo.INVITED, invited))


def guest_entries(event: Event) -> int:
    """How many entries of an enterprise event are not the host's employees (kept when the policy narrows)."""
    if event.kind is not EventKind.ENTERPRISE:
        return 0
    return db.session.scalar(db.select(db.func.count(Entry.id)).where(
        Entry.event_id == event.id,
        or_(Entry.employer_id.is_(None), Entry.employer_id != event.host_enterprise_id))) or 0
