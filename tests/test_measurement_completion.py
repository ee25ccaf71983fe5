"""Measurement values (测量) can always be completed before sign-off, and are not overwritten silently (RULES.md §6,
§8; issue 16 items 1 and 4). Written from the rule: one value per entry, entered by any panel judge; sign-off needs
every present entry fully marked; the chief judge and organisers may complete what the judges left empty."""
import pytest

from competition.errors import InvalidState, NotAllowed
from competition.models import AuditEntry, Mark, MarkChange
from competition.services.results import lifecycle as result_service
from competition.services.audit import Actor
from competition.services.marking.reports import measurement_sheet
from competition.services.marking.marks import empty_measurements, save_marks, submit_marks
from tests.clients import Api, login
from tests.marking_builders import WORKED, fill, make_world


def _judged_and_submitted(world):
    """Every judge marks the judgement criteria of 001 and submits, leaving its theory (a measurement) empty."""
    fill(world, "001", None, WORKED[1])
    for i in range(len(world.judges)):
        submit_marks(world.actor(i), world.event)


def test_judges_submit_with_a_measurement_empty_and_the_chief_or_organiser_completes_it(db):
    world = make_world(judges=5)
    t, _, _ = world.criteria
    _judged_and_submitted(world)
    assert [(m.number, m.criterion_id) for m in empty_measurements(world.event)] == [("001", t)]
    # A submitted ordinary judge still can not: their marks are read-only.
    with pytest.raises(InvalidState) as refused:
        save_marks(world.actor(2), world.event, [("001", t, "88.5", None)])
    assert refused.value.code == "marks_submitted"
    # Sign-off waits for the value: marks_incomplete names it.
    with pytest.raises(InvalidState) as waiting:
        result_service.sign_off(world.actor(0), world.event)
    assert waiting.value.code == "marks_incomplete"
    # The chief judge (submitted, and naming a judge as the old correction route did) enters it.
    cells = save_marks(world.actor(0), world.event, [("001", t, "88.5", None)], judge=world.judges[3])
    assert [(c.judge_id, str(c.value)) for c in cells] == [(None, "88.50")]
    assert empty_measurements(world.event) == []
    snapshot = result_service.sign_off(world.actor(0), world.event)
    assert snapshot.payload["rows"][0]["total"] == "87.45"  # RULES §6 worked example


def test_an_organiser_enters_an_empty_measurement_after_every_judge_submitted(db):
    world = make_world(judges=3)
    t, q, _ = world.criteria
    fill(world, "001", None, WORKED[1][:3])
    for i in range(3):
        submit_marks(world.actor(i), world.event)
    save_marks(Actor(world.organiser), world.event, [("001", t, "70", None)])
    assert db.session.scalar(db.select(Mark.value).where(Mark.criterion_id == t)) == 70
    # Organisers still enter no judgement marks of their own.
    with pytest.raises(NotAllowed):
        save_marks(Actor(world.organiser), world.event, [("001", q, "50", None)])
    result_service.sign_off(Actor(world.organiser), world.event)


def test_after_sign_off_nobody_enters_measurements_without_a_reopen(db):
    world = make_world(judges=3)
    t, _, _ = world.criteria
    fill(world, "001", "80", WORKED[1][:3])
    for i in range(3):
        submit_marks(world.actor(i), world.event)
    result_service.sign_off(world.actor(0), world.event)
    with pytest.raises(InvalidState):
        save_marks(Actor(world.organiser), world.event, [("001", t, "81", "80")], reason="复测")


def test_a_measurement_someone_else_entered_needs_a_reason_to_change_and_names_who(db):
    world = make_world(judges=3)
    t, _, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", t, "60", None)])
    # Judge 2 saw 60 and types 65: not silent, a stale edit naming judge 1.
    with pytest.raises(InvalidState) as refused:
        save_marks(world.actor(2), world.event, [("001", t, "65", "60")])
    assert refused.value.code == "stale_mark" and refused.value.status == 409
    detail = refused.value.details[0]
    assert detail["entered_by_id"] == world.judges[1].id
    assert world.judges[1].display_name in detail["message"]
    assert db.session.scalar(db.select(Mark.value).where(Mark.criterion_id == t)) == 60
    # With a reason the change goes through and keeps the reason in the mark's history.
    save_marks(world.actor(2), world.event, [("001", t, "65", "60")], reason="复核量具后重新测量")
    change = db.session.scalars(db.select(MarkChange).where(MarkChange.criterion_id == t)
                                .order_by(MarkChange.id.desc())).first()
    assert (str(change.old_value), str(change.new_value), change.reason) == ("60.00", "65.00", "复核量具后重新测量")
    # Judge 2 now changes their own value without a reason; the chief changing it needs one.
    save_marks(world.actor(2), world.event, [("001", t, "66", "65")])
    with pytest.raises(InvalidState):
        save_marks(world.actor(0), world.event, [("001", t, "67", "66")])


def test_the_same_value_again_from_another_judge_is_not_a_change(db):
    world = make_world(judges=3)
    t, _, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", t, "60", None)])
    save_marks(world.actor(2), world.event, [("001", t, "60", None)])  # both measured 60: nothing to refuse
    assert db.session.scalar(db.select(db.func.count(MarkChange.id)).where(MarkChange.criterion_id == t)) == 1


def test_the_api_dead_end_of_the_audit_is_gone(client, db):
    """The audit's sequence: every judge submits with a measurement empty; the judge gets 409 marks_submitted,
    the chief with judge_id and the organiser can now enter it; the submit answer lists it."""
    world = make_world(judges=3)
    api = Api(client, world)
    t, q, s = world.criteria
    for i, (quality, safety) in enumerate(WORKED[1][:3]):
        assert api.put_marks(api.judge(i), [("001", q, quality), ("001", s, safety)]).status_code == 200
    answers = [api.post(api.judge(i), "marks/submit") for i in range(3)]
    assert all(a.status_code == 200 for a in answers)
    assert [(m["number"], m["criterion_id"]) for m in answers[0].get_json()["measurements_missing"]] == [("001", t)]
    late = api.put_marks(api.judge(1), [("001", t, "88.5")])
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "marks_submitted"
    assert api.post(api.judge(0), "sign-off").get_json()["error"]["code"] == "marks_incomplete"
    chief = api.put_marks(api.judge(0), [("001", t, "88.5")], judge_id=api.judge(2).id)
    assert chief.status_code == 200, chief.get_json()
    changed = api.put_marks(world.organiser, [("001", t, "89", "88.5")])
    assert changed.status_code == 409 and changed.get_json()["error"]["code"] == "stale_mark"
    assert api.judge(0).display_name in changed.get_json()["error"]["details"][0]["message"]
    fixed = api.put_marks(world.organiser, [("001", t, "89", "88.5")], reason="量具校准后复测")
    assert fixed.status_code == 200
    signed = api.post(api.judge(0), "sign-off")
    assert signed.status_code == 200, signed.get_json()


def test_the_panel_lists_empty_measurements_and_the_sheet_enters_them(client, db):
    world = make_world(judges=3, entries=2)
    t, q, s = world.criteria
    for number in ("001", "002"):
        fill(world, number, None, WORKED[1][:3])
    save_marks(world.actor(1), world.event, [("002", t, "70", None)])
    for i in range(3):
        submit_marks(world.actor(i), world.event)
    db.session.commit()
    login(client, world.judges[0])
    panel = client.get(f"/events/{world.event.id}/scoring-panel").get_data(as_text=True)
    assert "data-empty-measurements" in panel and "还有 1 项测量值空白" in panel
    sheet = client.get(f"/events/{world.event.id}/measurements")
    page = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and page.count("data-empty") >= 1
    assert world.judges[1].display_name in page  # who entered 002's value
    cells = {c.number: c for c in measurement_sheet(world.event)}
    # A bad value: nothing saved, the typed values come back.
    bad = client.post(f"/events/{world.event.id}/measurements",
                      data={f"m-{cells['001'].entry_id}-{t}": "120"})
    assert bad.status_code == 400 and 'value="120"' in bad.get_data(as_text=True)
    # Changing judge 1's value without a reason is refused naming them; the empty one is entered with it.
    data = {f"m-{cells['001'].entry_id}-{t}": "88.5", f"m-{cells['002'].entry_id}-{t}": "71"}
    refused = client.post(f"/events/{world.event.id}/measurements", data=data)
    assert refused.status_code == 409 and world.judges[1].display_name in refused.get_data(as_text=True)
    assert empty_measurements(world.event) != []
    saved = client.post(f"/events/{world.event.id}/measurements", data={**data, "reason": "复测"})
    assert saved.status_code == 302
    assert empty_measurements(world.event) == []
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "mark.change")) >= 1
    client.post(f"/events/{world.event.id}/scoring-panel/sign-off")
    db.session.expire_all()
    assert world.event.status.value == "signed_off"


def test_a_judge_submitting_is_told_which_measurements_are_empty(client, db):
    world = make_world(judges=3)
    t, _, _ = world.criteria
    fill(world, "001", None, WORKED[1][:3])
    db.session.commit()
    login(client, world.judges[1])
    assert "data-submit-marks" in client.get(f"/events/{world.event.id}/marks").get_data(as_text=True)
    done = client.post(f"/events/{world.event.id}/marks/submit", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "仍有 1 项测量值未录入" in text and "001「理论考试」" in text
