"""Contestants and entries: enrol, check in, disqualify, draw, and the judge panel (RULES.md §2, §5)."""
import secrets
from dataclasses import dataclass
from datetime import date

from ...errors import Duplicate, Invalid, InvalidState, NotAllowed
from ...extensions import db
from ...models import Enterprise, Entry, EntryStatus, Event, EventStatus, PanelMember, Person, Role, User, utcnow
from ...permissions import is_staff
from ...rules.events import check_age, check_enrolment_window, draw_numbers
from ...rules.identity import (
    check_id_number,
    check_mobile,
    check_person_name,
    mask_id_number,
    mask_name,
    person_from_id,
)
from ...rules.messages import Message
from ..audit import Actor, record
from ..common import flush_unique


@dataclass(frozen=True)
class EntryData:
    """A contestant as typed: name, ID number, mobile, employer."""

    name: str
    id_number: str
    phone: str | None = None
    employer_id: int | None = None


def _checked_contestant(data: EntryData, today: date) -> tuple[str, str, str | None]:
    """Name, ID number and mobile normalised, or Invalid with every problem."""
    name, id_number, phone = check_person_name(data.name), check_id_number(data.id_number, today=today), \
        check_mobile(data.phone)
    problems = [{"field": f, "message": c.error} for f, c in
                (("name", name), ("id_number", id_number), ("phone", phone)) if not c.ok]
    if problems:
        raise Invalid(Message("报名信息有误，请修改后重试。"), details=problems)
    return name.passed_value, id_number.passed_value, phone.value


def resolve_employer(actor: Actor, employer_id: int | None) -> int | None:
    """Enterprise users enrol only their own employees; others may name any enterprise or none."""
    user = actor.user
    if user is not None and user.role is Role.ENTERPRISE:
        if employer_id not in (None, user.enterprise_id):
            raise NotAllowed(Message("企业用户只能为本企业员工报名。"))
        return user.enterprise_id
    if employer_id is not None and db.session.get(Enterprise, employer_id) is None:
        raise Invalid(Message("所选工作单位不存在。"),
                      details=[{"field": "employer_id", "message": Message("所选工作单位不存在。")}])
    return employer_id


def find_or_create_person(name: str, id_number: str, phone: str | None) -> Person:
    """One person per ID number across the league; a later enrolment may add a missing mobile."""
    person = db.session.scalar(db.select(Person).where(Person.id_number == id_number))
    if person is None:
        derived = person_from_id(id_number)
        person = Person(id_number=id_number, name=name, birth_date=derived.birth_date, gender=derived.gender,
                        phone=phone)
        db.session.add(person)
        flush_unique(Message("该身份证号码的选手正在被同时登记，请重试。"))
    elif phone and not person.phone:
        person.phone = phone
    return person


def enrol(actor: Actor, event: Event, data: EntryData, *, today: date | None = None) -> Entry:
    """Enrol one contestant in an open event: identity, age limits and uniqueness checked; audited."""
    today = today or date.today()
    if (why := check_enrolment_window(event.status.value, event.registration_deadline, today)):
        raise InvalidState(why)
    name, id_number, phone = _checked_contestant(data, today)
    employer_id = resolve_employer(actor, data.employer_id)
    born = person_from_id(id_number).birth_date
    if (why := check_age(born, event.event_date, event.min_age, event.max_age)):
        raise Invalid(why, details=[{"field": "id_number", "message": why}])
    person = find_or_create_person(name, id_number, phone)
    if person.name != name:
        # The registered name is someone the caller may not know: only organisers see it whole.
        shown = person.name if is_staff(actor.user) else mask_name(person.name)
        raise Invalid(Message("身份证号码 %(id_number)s 已登记的姓名为“%(registered)s”，与填写的“%(name)s”不一致。",
                              id_number=mask_id_number(id_number), registered=shown, name=name),
                      details=[{"field": "name", "message": Message("姓名与该身份证号码已登记的姓名不一致。")}])
    exists = db.session.scalar(db.select(Entry.id).where(Entry.event_id == event.id, Entry.person_id == person.id))
    if exists:
        raise Duplicate(Message("%(name)s（%(id_number)s）已报名本赛项。", name=name, id_number=mask_id_number(id_number)),
                        details=[{"field": "id_number", "message": Message("该选手已报名本赛项。")}])
    entry = Entry(event_id=event.id, person_id=person.id, employer_id=employer_id, created_by_id=actor.user_id)
    db.session.add(entry)
    flush_unique(Message("%(name)s 已报名本赛项。", name=name))
    record(actor, "entry.create", entry, after={"event_id": event.id, "person_id": person.id,
                                                 "employer_id": employer_id})
    return entry


CHECK_IN_STATES = {"present": EntryStatus.PRESENT, "absent": EntryStatus.ABSENT, "withdrawn": EntryStatus.WITHDRAWN}
CHECK_IN_EVENT_STATES = {EventStatus.OPEN, EventStatus.CLOSED}


def check_in(actor: Actor, entries: list[Entry], status: str) -> int:
    """Mark entries present, absent or withdrawn (before the draw); returns how many changed."""
    if status not in CHECK_IN_STATES:
        raise Invalid(Message("检录状态应为到场、缺考或退赛。"),
                      details=[{"field": "status", "message": Message("检录状态无效。")}])
    changed = 0
    for entry in entries:
        if entry.event.status not in CHECK_IN_EVENT_STATES:
            raise InvalidState(Message("抽签后不能再修改检录状态。") if entry.event.status is EventStatus.DRAWN
                               else Message("赛项当前状态不允许检录。"))
        if entry.status is EntryStatus.DISQUALIFIED:
            raise InvalidState(Message("已取消资格的选手不能再检录。"))
        if entry.status is CHECK_IN_STATES[status]:
            continue
        before = {"status": entry.status.value}
        entry.status, entry.checked_in_at = CHECK_IN_STATES[status], utcnow()
        record(actor, "entry.check_in", entry, before=before, after={"status": status})
        changed += 1
    db.session.flush()
    return changed


def disqualify(actor: Actor, entry: Entry, reason: str) -> Entry:
    """Exclude a present entry from ranking, with a written reason; it still counts as a participant."""
    if not (reason or "").strip():
        raise Invalid(Message("请填写取消资格的原因。"),
                      details=[{"field": "reason", "message": Message("请填写原因。")}])
    if entry.status is not EntryStatus.PRESENT:
        raise InvalidState(Message("只有到场的选手可以被取消资格。"))
    if entry.event.status in (EventStatus.SIGNED_OFF, EventStatus.NOTICE, EventStatus.FINAL, EventStatus.CANCELLED):
        raise InvalidState(Message("成绩已签核，不能再取消资格；如需更正请先重新开放评分。"))
    entry.status, entry.disqualify_reason = EntryStatus.DISQUALIFIED, reason.strip()[:500]
    db.session.flush()
    record(actor, "entry.disqualify", entry, before={"status": "present"},
           after={"status": "disqualified"}, message=entry.disqualify_reason)
    return entry


def draw(actor: Actor, event: Event, seed: str | None = None) -> dict[int, str]:
    """Give every present entry a distinct random number; the seed is stored so the draw can be replayed.
    Entries never checked in become absent (缺考): after the draw nobody checks in any more."""
    if event.status is not EventStatus.CLOSED:
        raise InvalidState(Message("只有报名截止后的赛项可以抽签。"))
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        raise Invalid(Message("抽签种子不超过64个字符。"),
                      details=[{"field": "seed", "message": Message("不超过64个字符。")}])
    present = list(db.session.scalars(db.select(Entry).where(Entry.event_id == event.id,
                                                             Entry.status == EntryStatus.PRESENT)))
    if not present:
        raise InvalidState(Message("没有到场的选手，不能抽签。"))
    numbers = draw_numbers([e.id for e in present], seed)
    for entry in present:
        entry.number = numbers[entry.id]
    never = list(db.session.scalars(db.select(Entry).where(Entry.event_id == event.id,
                                                           Entry.status == EntryStatus.REGISTERED)))
    for entry in never:
        entry.status, entry.checked_in_at = EntryStatus.ABSENT, utcnow()
    event.draw_seed, event.drawn_at, event.status = seed, utcnow(), EventStatus.DRAWN
    db.session.flush()
    record(actor, "event.draw", event, before={"status": "closed"},
           after={"status": "drawn", "seed": seed, "numbers": {str(k): v for k, v in numbers.items()},
                  "absent_not_checked_in": sorted(e.id for e in never)})
    return numbers


def conflicts(event: Event, judge: User) -> list[Entry]:
    """Entries a judge may not mark: their employer is the entry's employer (回避)."""
    if judge.employer_id is None:
        return []
    return list(db.session.scalars(db.select(Entry).where(Entry.event_id == event.id,
                                                          Entry.employer_id == judge.employer_id)))


def assign_judge(actor: Actor, event: Event, user: User, is_chief: bool) -> PanelMember:
    """Put a judge on an event's panel; flagging a new chief unflags the old one."""
    if user.role is not Role.JUDGE or not user.is_active:
        raise Invalid(Message("只能指派启用中的裁判账户。"),
                      details=[{"field": "user_id", "message": Message("该账户不是裁判。")}])
    if event.status in (EventStatus.SIGNED_OFF, EventStatus.NOTICE, EventStatus.FINAL, EventStatus.CANCELLED):
        raise InvalidState(Message("成绩签核后不能再调整裁判组。"))
    member = db.session.scalar(db.select(PanelMember).where(PanelMember.event_id == event.id,
                                                            PanelMember.user_id == user.id))
    if member is None:
        member = PanelMember(event_id=event.id, user_id=user.id)
        db.session.add(member)
    if is_chief:
        for other in event.panel:
            other.is_chief = False
    member.is_chief = is_chief
    flush_unique(Message("该裁判已在裁判组中。"))
    record(actor, "panel.assign", event, after={"user_id": user.id, "is_chief": is_chief})
    return member


def remove_judge(actor: Actor, event: Event, member: PanelMember) -> None:
    """Take a judge off the panel before scoring starts."""
    if event.status not in (EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.APPROVED, EventStatus.OPEN,
                            EventStatus.CLOSED, EventStatus.DRAWN):
        raise InvalidState(Message("评分开始后不能移除裁判。"))
    db.session.delete(member)
    db.session.flush()
    record(actor, "panel.remove", event, before={"user_id": member.user_id, "is_chief": member.is_chief})
