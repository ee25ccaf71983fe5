"""seed-demo's objections: an undecided one on the event under notice, a dismissed one on the event whose notice is
over, both through the services (audited), and neither keeps the waiting event from being finalised."""
from competition.models import AuditEntry, Event, Objection, ObjectionChannel, ObjectionState
from competition.services.audit import SYSTEM
from competition.services.results.lifecycle import finalize


def test_seed_demo_has_an_open_and_a_decided_objection(app, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    by_event = {o.event.occupation: o for o in db.session.scalars(db.select(Objection))}
    lathe = db.session.scalar(db.select(Event).where(Event.occupation == "车工"))
    if lathe.status.value == "notice":  # signed off instead when today's notice runs into a year without calendar data
        open_one = by_event["车工"]
        assert open_one.state is ObjectionState.RECEIVED and open_one.channel is ObjectionChannel.ONLINE
        assert open_one.entry.employer_id == open_one.filed_by.enterprise_id and open_one.in_current_round
    dismissed = by_event["汽车维修工"]
    assert dismissed.state is ObjectionState.DISMISSED and dismissed.channel is ObjectionChannel.PHONE
    assert dismissed.objector == "选手本人" and dismissed.decision_reason and dismissed.decided_at > dismissed.created_at
    assert dismissed.created_at.date() <= dismissed.notice_ends_on
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "Objection")))
    assert {"objection.file", "objection.dismiss"} <= actions
    finalize(SYSTEM, dismissed.event)  # decided: the waiting event can still be finalised
    assert dismissed.event.status.value == "final"
