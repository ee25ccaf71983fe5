"""Event use cases: create with a scheme, lifecycle, enrolment, check-in, draw and panels."""
from datetime import date

import pytest

from competition.errors import Duplicate, Invalid, InvalidState, NotAllowed
from competition.models import AuditEntry, EntryStatus, EventStatus, Person, Role
from competition.rules.events import CriterionSpec, ModuleSpec
from competition.services.events import entries as entry_service
from competition.services.audit import SYSTEM, Actor
from competition.services.events.lifecycle import change_status, create_event, update_event
from tests.builders import event_data, id_number, make_enterprise, make_event, make_season, make_user

OPEN_DAY = date(2026, 5, 20)


def test_create_event_builds_the_scheme(db):
    event, warnings = create_event(SYSTEM, event_data(make_season()))
    assert [m.weight for m in event.modules] == [30, 70]
    assert [str(c.max_score) for c in event.modules[1].criteria] == ["60.00", "40.00"]
    assert warnings == [] and event.status is EventStatus.DRAFT


def test_scheme_problems_are_reported_together(db):
    bad = (ModuleSpec("理论", "theory", 40, (CriterionSpec("考试", "90", "measurement"),)),)
    with pytest.raises(Invalid) as caught:
        create_event(SYSTEM, event_data(make_season(), modules=bad, name="x"))
    fields = {d["field"] for d in caught.value.details}
    assert {"name", "modules", "modules[0].criteria"} <= fields


def test_enterprise_user_creates_and_submits_for_own_enterprise_only(db):
    user = make_user(Role.ENTERPRISE)
    season = make_season()
    actor = Actor(user)
    event, _ = create_event(actor, event_data(season, kind="enterprise", host_enterprise_id=user.enterprise_id))
    assert event.status is EventStatus.SUBMITTED
    other = make_enterprise()
    with pytest.raises(NotAllowed):
        create_event(actor, event_data(season, kind="enterprise", host_enterprise_id=other.id))


def test_enterprise_event_must_be_approved_before_opening(db):
    host = make_enterprise()
    event = make_event("submitted", kind="enterprise", host_enterprise_id=host.id)
    with pytest.raises(InvalidState):
        change_status(SYSTEM, event, "open")
    with pytest.raises(Invalid):
        change_status(SYSTEM, event, "reject", reason=" ")
    change_status(SYSTEM, event, "approve")
    change_status(SYSTEM, event, "open")
    assert event.status is EventStatus.OPEN


def test_scheme_locks_once_marking_starts(db):
    event = make_event("scoring")
    changed = event_data(event.season, modules=(
        ModuleSpec("操作技能", "practical", 100, (CriterionSpec("质量", "100", "judgement"),)),))
    with pytest.raises(InvalidState):
        update_event(SYSTEM, event, changed)
    update_event(SYSTEM, event, event_data(event.season, name="电工技能竞赛（决赛）"))
    assert event.name == "电工技能竞赛（决赛）"


def test_enrol_checks_identity_window_age_and_uniqueness(db):
    event = make_event("open", min_age=18)
    entry = entry_service.enrol(SYSTEM, event, entry_service.EntryData("张三", id_number(1)), today=OPEN_DAY)
    assert entry.person.gender == "男" and entry.status is EntryStatus.REGISTERED
    with pytest.raises(Duplicate):
        entry_service.enrol(SYSTEM, event, entry_service.EntryData("张三", id_number(1)), today=OPEN_DAY)
    with pytest.raises(Invalid):  # 17 on the event date
        entry_service.enrol(SYSTEM, event, entry_service.EntryData("李四", id_number(2, birth="20080616")),
                            today=OPEN_DAY)
    with pytest.raises(InvalidState):  # after the deadline
        entry_service.enrol(SYSTEM, event, entry_service.EntryData("王五", id_number(3)), today=date(2026, 6, 2))
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 1


def test_enterprise_users_enrol_only_their_own_employees(db):
    event = make_event("open")
    user = make_user(Role.ENTERPRISE)
    actor = Actor(user)
    entry = entry_service.enrol(actor, event, entry_service.EntryData("赵六", id_number(4)), today=OPEN_DAY)
    assert entry.employer_id == user.enterprise_id
    with pytest.raises(NotAllowed):
        entry_service.enrol(actor, event, entry_service.EntryData("钱七", id_number(5), employer_id=make_enterprise().id),
                            today=OPEN_DAY)


def test_check_in_and_reproducible_draw(db):
    event = make_event("open")
    made = [entry_service.enrol(SYSTEM, event, entry_service.EntryData(f"选手{chr(0x4e00 + i)}", id_number(10 + i)),
                                today=OPEN_DAY) for i in range(5)]
    entry_service.check_in(SYSTEM, made[:4], "present")
    entry_service.check_in(SYSTEM, made[4:], "absent")
    change_status(SYSTEM, event, "close")
    numbers = entry_service.draw(SYSTEM, event, seed="wujiang")
    assert sorted(numbers.values()) == ["001", "002", "003", "004"]
    assert made[4].number is None and event.draw_seed == "wujiang"
    from competition.rules.events import draw_numbers
    assert draw_numbers([e.id for e in made[:4]], "wujiang") == numbers
    with pytest.raises(InvalidState):
        entry_service.check_in(SYSTEM, made[4:], "present")
    actions = [a.action for a in db.session.scalars(db.select(AuditEntry))]
    assert actions.count("entry.check_in") == 5 and "event.draw" in actions


def test_disqualify_needs_a_reason_and_a_present_entry(db):
    event = make_event("open")
    entry = entry_service.enrol(SYSTEM, event, entry_service.EntryData("孙八", id_number(20)), today=OPEN_DAY)
    with pytest.raises(InvalidState):
        entry_service.disqualify(SYSTEM, entry, "作弊")
    entry_service.check_in(SYSTEM, [entry], "present")
    with pytest.raises(Invalid):
        entry_service.disqualify(SYSTEM, entry, "")
    entry_service.disqualify(SYSTEM, entry, "携带违禁资料")
    assert entry.status is EntryStatus.DISQUALIFIED


def test_panel_one_chief_and_conflicts_of_interest(db):
    event = make_event("open")
    employer = make_enterprise()
    first, second = make_user(Role.JUDGE, employer=employer), make_user(Role.JUDGE)
    entry_service.assign_judge(SYSTEM, event, first, True)
    entry_service.assign_judge(SYSTEM, event, second, True)
    db.session.refresh(event)
    assert [m.is_chief for m in event.panel] == [False, True]
    with pytest.raises(Invalid):
        entry_service.assign_judge(SYSTEM, event, make_user(Role.ORGANISER), False)
    colleague = entry_service.enrol(SYSTEM, event, entry_service.EntryData("周九", id_number(30), employer_id=employer.id),
                                    today=OPEN_DAY)
    assert entry_service.conflicts(event, first) == [colleague]
    assert entry_service.conflicts(event, second) == []
