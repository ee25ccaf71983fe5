"""The objection services (RULES.md §14): filing only in the notice, the round an objection belongs to, deciding once,
an uphold as a reopen whose reason is the objection, lists by scope, and finalisation waiting for decisions."""
from datetime import date

import pytest

from competition.errors import Invalid, InvalidState
from competition.models import AuditEntry, EventStatus, ObjectionState, ResultSnapshot
from competition.services.audit import Actor
from competition.services.results import objections as service
from competition.services.results.lifecycle import finalize, publish, reopen, sign_off
from competition.services.results.objection_review import entry_choices, review
from tests.marking_builders import submit_all
from tests.objection_builders import AFTER_NOTICE, NOTICE_ENDS, PUBLISHED_ON, make_objection, noticed_world


def test_objections_are_received_only_during_the_notice(db):
    world, firm, _ = noticed_world()
    assert service.accepting_objections(world.event, PUBLISHED_ON)
    assert service.accepting_objections(world.event, NOTICE_ENDS)  # the last day counts
    assert not service.accepting_objections(world.event, AFTER_NOTICE)
    entry = service.entry_by_number(world.event, "001")
    with pytest.raises(InvalidState) as late:
        service.file_objection(Actor(firm), world.event, entry, service.ObjectionData("迟了"), today=AFTER_NOTICE)
    assert late.value.code == "not_in_notice" and str(NOTICE_ENDS) in late.value.message
    reopen(Actor(world.organiser), world.event, "录入有误")
    with pytest.raises(InvalidState) as scoring:
        service.require_notice(world.event, PUBLISHED_ON)
    assert scoring.value.code == "not_in_notice"


def test_an_objection_names_an_entry_by_number_and_needs_a_reason(db):
    world, firm, _ = noticed_world()
    assert service.entry_by_number(world.event, " 1 ").number == "001"  # "1" finds 001
    with pytest.raises(Invalid) as unknown:
        service.entry_by_number(world.event, "099")
    assert unknown.value.code == "unknown_number" and unknown.value.details[0]["field"] == "number"
    with pytest.raises(Invalid) as blank:
        make_objection(world, firm, reason="  ")
    assert [d["field"] for d in blank.value.details] == ["reason"]
    with pytest.raises(Invalid) as long:
        make_objection(world, firm, reason="长" * 2001, objector="人" * 61, channel="fax")
    assert [d["field"] for d in long.value.details] == ["reason", "objector", "channel"]


def test_an_objection_belongs_to_its_round_and_is_audited(db):
    world, firm, _ = noticed_world()
    objection = make_objection(world, firm, objector=" ", contact="")
    assert objection.state is ObjectionState.RECEIVED and (objection.objector, objection.contact) == (None, None)
    assert objection.notice_published_at == world.event.published_at and objection.notice_ends_on == NOTICE_ENDS
    assert objection.in_current_round and objection.filed_by_id == firm.id
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "objection.file"))
    assert audit.object_id == objection.id and audit.after["number"] == "001" and audit.message == objection.reason


def test_deciding_needs_a_reason_and_happens_once(db):
    world, firm, _ = noticed_world()
    objection = make_objection(world, firm)
    organiser = Actor(world.organiser)
    with pytest.raises(Invalid):
        service.dismiss(organiser, objection, " ")
    service.dismiss(organiser, objection, "评分无误")
    assert (objection.state, objection.decision_reason, objection.decided_by_id) == (
        ObjectionState.DISMISSED, "评分无误", world.organiser.id)
    assert world.event.status is EventStatus.NOTICE  # a dismissal changes no result
    for decide in (service.dismiss, service.uphold):
        with pytest.raises(InvalidState) as twice:
            decide(organiser, objection, "再议")
        assert twice.value.code == "already_decided"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "objection.dismiss")).before == {
        "state": "received"}


def test_an_uphold_is_a_reopen_whose_reason_is_the_objection(db):
    world, firm, rival = noticed_world()
    first, second = make_objection(world, firm, reason="工艺质量录入有误"), make_objection(world, rival, "002")
    organiser = Actor(world.organiser)
    service.uphold(organiser, first, "核实确有错误")
    snapshot = db.session.scalar(db.select(ResultSnapshot).where(ResultSnapshot.event_id == world.event.id))
    assert world.event.status is EventStatus.SCORING and world.event.notice_ends_on is None
    assert snapshot.superseded_by_id == world.organiser.id and "工艺质量录入有误" in snapshot.superseded_reason
    assert all(m.submitted_at is None for m in world.event.panel)
    reopened = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "event.reopen"))
    assert "第 %s 号异议" % first.id in reopened.message
    service.uphold(organiser, second, "同样成立")  # already back in scoring: no second reopen
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "event.reopen")) == 1
    assert not first.in_current_round and first.state is ObjectionState.UPHELD


def test_a_new_sign_off_and_publication_start_a_new_round(db):
    world, firm, _ = noticed_world()
    old = make_objection(world, firm)
    service.uphold(Actor(world.organiser), old, "成立")
    submit_all(world)
    sign_off(world.actor(0), world.event)
    ends = publish(Actor(world.organiser), world.event, today=date(2026, 6, 24))
    assert ends == date(2026, 7, 1) and world.event.notice_ends_on == ends
    new = service.file_objection(Actor(firm), world.event, service.entry_by_number(world.event, "001"),
                                 service.ObjectionData("新一轮"), today=date(2026, 6, 24))
    assert new.in_current_round and not old.in_current_round and old.state is ObjectionState.UPHELD
    assert new.notice_ends_on == ends and old.notice_ends_on == NOTICE_ENDS


def test_finalisation_waits_for_every_objection(db):
    world, firm, rival = noticed_world()
    make_objection(world, firm)
    make_objection(world, rival, "002")
    organiser = Actor(world.organiser)
    with pytest.raises(InvalidState) as running:
        finalize(organiser, world.event, today=PUBLISHED_ON)
    assert running.value.code == "notice_running"  # the notice first
    with pytest.raises(InvalidState) as waiting:
        finalize(organiser, world.event, today=AFTER_NOTICE)
    assert waiting.value.code == "open_objections" and "2 件异议" in waiting.value.message
    for objection in db.session.scalars(service.objections_query(event_id=world.event.id)):
        service.dismiss(organiser, objection, "不成立")
    finalize(organiser, world.event, today=AFTER_NOTICE)
    assert world.event.status is EventStatus.FINAL


def test_lists_are_scoped_and_counted(db):
    world, firm, rival = noticed_world()
    mine, theirs = make_objection(world, firm), make_objection(world, rival, "002")
    service.dismiss(Actor(world.organiser), theirs, "不成立")
    listed = list(db.session.scalars(service.objections_query(event_id=world.event.id)))
    assert listed == [mine, theirs]  # undecided first
    assert list(db.session.scalars(service.objections_query(season_id=world.event.season_id,
                                                            enterprise_id=firm.enterprise_id))) == [mine]
    assert list(db.session.scalars(service.objections_query(event_id=world.event.id, state="dismissed"))) == [theirs]
    assert service.state_counts(event_id=world.event.id) == {"received": 1, "upheld": 0, "dismissed": 1}
    assert service.state_counts(season_id=world.event.season_id, enterprise_id=rival.enterprise_id) == {
        "received": 0, "upheld": 0, "dismissed": 1}
    assert service.events_with_objections(world.event.season_id) == [world.event]
    assert [c.number for c in entry_choices(world.event, firm.enterprise_id)] == ["001"]
    assert [c.number for c in entry_choices(world.event)] == ["001", "002"]


def test_the_review_has_the_marks_the_row_and_the_history(db):
    world, firm, _ = noticed_world()
    found = review(make_objection(world, firm))
    quality = world.criteria[1]
    assert found.frozen and found.row["number"] == "001" and found.row["total"] == "80.00"
    assert [found.marks[(quality, j.id)] for j in world.judges] == [50, 50, 50]
    assert found.marks[(world.criteria[0], 0)] == 80 and len(found.history) == 7
    assert {j.seat for j in found.judges} == {1, 2, 3} and found.conflicted == frozenset()
    assert found.names[world.judges[0].id] == world.judges[0].display_name
