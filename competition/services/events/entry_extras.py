"""Entries, continued: time used, audited ID reveals, status counts and the panel's conflicts of interest."""
from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import Entry, EntryStatus, Event, EventStatus, PanelMember, Person
from ...rules.identity import mask_id_number
from ...rules.messages import Message
from ..audit import Actor, record
from .entries import conflicts

MAX_TIME_USED = 86_400  # one day, in seconds: any longer is a typing slip
TIME_EVENT_STATES = {EventStatus.DRAWN, EventStatus.SCORING}


def record_time_used(actor: Actor, entry: Entry, seconds: int) -> Entry:
    """Record how long a present contestant took (a tie-break, RULES.md §7), while the event is drawn or scoring."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= MAX_TIME_USED:
        message = Message("用时应为0至%(limit)s之间的整数秒。", limit=MAX_TIME_USED)
        raise Invalid(message, details=[{"field": "seconds", "message": message}])
    if entry.event.status not in TIME_EVENT_STATES:
        raise InvalidState(Message("只有已抽签或评分中的赛项可以记录用时。"))
    if entry.status is not EntryStatus.PRESENT:
        raise InvalidState(Message("只有到场参赛的选手可以记录用时。"))
    before = {"time_used_seconds": entry.time_used_seconds}
    entry.time_used_seconds = seconds
    db.session.flush()
    record(actor, "entry.time_used", entry, before=before, after={"time_used_seconds": seconds})
    return entry


def reveal_id_number(actor: Actor, entry: Entry) -> str:
    """The whole ID number of an entry's contestant; every reveal is written to the audit log."""
    person = entry.person
    record(actor, "person.reveal_id", person, after={"entry_id": entry.id, "event_id": entry.event_id},
           message=Message("查看完整身份证号码：%(id_number)s", id_number=mask_id_number(person.id_number)))
    db.session.flush()
    return person.id_number


def panel_conflicts(event: Event) -> list[tuple[PanelMember, list[Entry]]]:
    """Each panel member with the entries they may not mark (回避: same employer)."""
    return [(member, conflicts(event, member.user)) for member in event.panel]


def entry_query(event: Event, *, status=None, employer_id: int | None = None, own_enterprise: int | None = None,
                search: str | None = None, numbered_only: bool = False):
    """The event's entries by competition number, then enrolment; own_enterprise limits them to its employees."""
    query = db.select(Entry).where(Entry.event_id == event.id)
    if own_enterprise is not None:
        query = query.where(Entry.employer_id == own_enterprise)
    if employer_id is not None:
        query = query.where(Entry.employer_id == employer_id)
    if status is not None:
        query = query.where(Entry.status == status)
    if numbered_only:
        query = query.where(Entry.number.is_not(None))
    if search:
        query = query.where(Entry.person.has(Person.name.contains(search, autoescape=True))
                            | Entry.number.contains(search, autoescape=True))
    return query.order_by(Entry.number.is_(None), Entry.number, Entry.id)
