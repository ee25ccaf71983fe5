"""Correcting entries (issue 15, M5): before the draw an entry's mobile and employer can be changed, or the entry
removed; after the draw only a withdrawal (退赛) with a reason is recorded. Every change is audited.

Enterprise users change their own employees' entries while the event takes enrolments; organisers until the
draw. Services flush; the caller commits.
"""
from datetime import date

from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import Entry, EntryStatus, EventStatus
from ...permissions import is_staff
from ...rules.events import check_enrolment_window
from ...rules.identity import check_mobile, mask_mobile
from ...rules.messages import Message
from ..audit import Actor, record, snapshot
from .entries import resolve_employer

BEFORE_THE_DRAW = (EventStatus.OPEN, EventStatus.CLOSED)
AFTER_THE_DRAW = (EventStatus.DRAWN, EventStatus.SCORING)
ENTRY_FIELDS = ("status", "employer_id", "number")


def _require_correctable(actor: Actor, entry: Entry, today: date | None) -> None:
    """Who may still change the entry, and when: 403 for another enterprise's employee, 409 after the draw."""
    event = entry.event
    if event.status not in BEFORE_THE_DRAW:
        raise InvalidState(Message("抽签后不能再修改或删除报名；选手不再参赛的，请由组委会办理退赛。"))
    if not is_staff(actor.user) and (why := check_enrolment_window(event.status.value, event.registration_deadline,
                                                                   today or date.today())):
        raise InvalidState(Message("%(why)s如需修改，请联系组委会。", why=why))


def update_entry(actor: Actor, entry: Entry, *, phone: str | None, employer_id: int | None,
                 today: date | None = None) -> Entry:
    """Change an entry's mobile (the person's) and employer before the draw; audited with both values."""
    _require_correctable(actor, entry, today)
    mobile = check_mobile(phone)
    if mobile.error is not None:
        raise Invalid(mobile.error, details=[{"field": "phone", "message": mobile.error}])
    employer = resolve_employer(actor, employer_id)
    before = {"phone": mask_mobile(entry.person.phone), "employer_id": entry.employer_id}
    entry.person.phone = mobile.value
    entry.employer_id = employer
    db.session.flush()
    after = {"phone": mask_mobile(entry.person.phone), "employer_id": entry.employer_id}
    if after != before:
        record(actor, "entry.update", entry, before=before, after=after)
    return entry


def remove_entry(actor: Actor, entry: Entry, *, today: date | None = None) -> None:
    """Remove an entry before the draw (a mistaken or cancelled enrolment); the audit row keeps what it was."""
    _require_correctable(actor, entry, today)
    record(actor, "entry.remove", entry, before={**snapshot(entry, ENTRY_FIELDS), "person_id": entry.person_id,
                                                 "event_id": entry.event_id})
    db.session.delete(entry)
    db.session.flush()


def withdraw_entry(actor: Actor, entry: Entry, reason: str) -> Entry:
    """After the draw, record that a contestant withdrew (退赛), with the reason: no longer marked or ranked."""
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 500:
        raise Invalid(Message("请填写退赛原因（2至500个字符）。"),
                      details=[{"field": "reason", "message": Message("请填写退赛原因。")}])
    if entry.event.status in BEFORE_THE_DRAW:
        raise InvalidState(Message("抽签前请在检录时标记退赛，或直接修改、删除报名。"))
    if entry.event.status not in AFTER_THE_DRAW:
        raise InvalidState(Message("成绩已签核，不能再办理退赛；如需更正请先重新开放评分。"))
    if entry.status is not EntryStatus.PRESENT:
        raise InvalidState(Message("只有到场参赛的选手可以办理退赛。"))
    before = snapshot(entry, ENTRY_FIELDS)
    entry.status, entry.withdraw_reason = EntryStatus.WITHDRAWN, reason
    db.session.flush()
    record(actor, "entry.withdraw", entry, before=before, after=snapshot(entry, ENTRY_FIELDS), message=reason)
    return entry
