"""An enterprise event's roster belongs to its host (issue 18, item 3; RULES.md §4): another enterprise enrols only
when the host invited it or opened the event to every enterprise; the refusal is a clear 403, audited, and changes
nothing. The policy itself: the service's rules and audit, and PUT /api/v1/events/{id}/enrolment-policy."""
import io

import pytest

from competition.errors import Invalid, InvalidState
from competition.models import AuditEntry, Entry, EventStatus, OpenTo, Role
from competition.services.audit import SYSTEM, Actor
from competition.services.events.enrolment import guest_entries, set_enrolment_policy
from tests.builders import id_number, make_enterprise, make_open_event, make_user
from tests.clients import api_headers
from tests.counting import count
from tests.roster_files import people, roster

HOST_ROSTER = "本赛项由恒力化纤主办，报名名单由主办企业管理；如需为本企业员工报名，请联系主办企业邀请。"


def refusals(db) -> list[AuditEntry]:
    """The refused attempts written so far, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "refused").order_by(AuditEntry.id)))


def policy_rows(db) -> list[AuditEntry]:
    """The audit rows of policy changes, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.enrolment_policy")
                                   .order_by(AuditEntry.id)))


def post_entry(client, headers, event, seed: int = 1):
    """POST one contestant of the caller's own enterprise."""
    return client.post(f"/api/v1/events/{event.id}/entries", headers=headers,
                       json={"name": "王五洲", "id_number": id_number(seed)})


def import_file(client, headers, event, data: bytes, query: str = ""):
    """POST a roster file to the API's import."""
    return client.post(f"/api/v1/events/{event.id}/entries/import{query}", headers=headers,
                       data={"file": (io.BytesIO(data), "名单.xlsx")}, content_type="multipart/form-data")


def invite(db, event, *enterprises, open_to: str = "invited"):
    """Set the event's policy as the system would, committed."""
    set_enrolment_policy(SYSTEM, event, open_to, [e.id for e in enterprises])
    db.session.commit()


# The service

def test_an_enterprise_event_is_the_hosts_by_default(db, roster_scene):
    event, _, _ = roster_scene
    assert event.open_to is OpenTo.HOST and event.invited == []


def test_inviting_is_audited_with_before_and_after_and_a_repeat_writes_nothing(db, roster_scene):
    event, users, firms = roster_scene
    actor = Actor(users["host"], "10.0.0.1")
    set_enrolment_policy(actor, event, "invited", [firms["other"].id, firms["other"].id])
    set_enrolment_policy(actor, event, "invited", [firms["other"].id])  # the same again: no second row
    db.session.commit()
    (row,) = policy_rows(db)
    assert row.before == {"open_to": "host", "invited_enterprise_ids": [], "invited_enterprises": []}
    assert row.after == {"open_to": "invited", "invited_enterprise_ids": [firms["other"].id],
                         "invited_enterprises": ["亨通集团"]}
    assert (row.object_type, row.object_id, row.user_id) == ("Event", event.id, users["host"].id)
    assert row.message == "报名范围：主办企业和受邀企业（亨通集团）"
    set_enrolment_policy(actor, event, "all")
    assert event.invited == [] and policy_rows(db)[-1].after["open_to"] == "all"


@pytest.mark.parametrize("open_to, invited, field", [
    ("invited", [], "invited_enterprise_ids"),  # "invited" names at least one
    ("invited", [999999], "invited_enterprise_ids"),  # unknown
    ("invited", ["host"], "invited_enterprise_ids"),  # the host needs no invitation
    ("all", ["other"], "invited_enterprise_ids"),  # a list only with "invited"
    ("host", ["other"], "invited_enterprise_ids"),
    ("everyone", [], "open_to"),
])
def test_a_bad_policy_is_refused_and_changes_nothing(db, roster_scene, open_to, invited, field):
    event, _, firms = roster_scene
    ids = [firms[i].id if isinstance(i, str) else i for i in invited]
    with pytest.raises(Invalid) as caught:
        set_enrolment_policy(SYSTEM, event, open_to, ids)
    assert caught.value.details[0]["field"] == field and caught.value.message
    assert event.open_to is OpenTo.HOST and policy_rows(db) == []


def test_a_district_event_has_no_policy(db):
    event = make_open_event()
    with pytest.raises(InvalidState) as caught:
        set_enrolment_policy(SYSTEM, event, "all")
    assert caught.value.code == "district_event" and "区级赛" in caught.value.message


def test_after_the_draw_the_policy_is_settled(db, roster_scene):
    event, _, _ = roster_scene
    event.status = EventStatus.DRAWN
    with pytest.raises(InvalidState):
        set_enrolment_policy(SYSTEM, event, "all")


# Enrolment through the API

def test_another_enterprise_may_not_add_an_entry_to_a_host_only_event(client, db, roster_scene):
    event, users, _ = roster_scene
    response = post_entry(client, api_headers(client, users["other"]), event)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert (error["code"], error["message"]) == ("host_roster", HOST_ROSTER)
    row = refusals(db)[-1]
    assert (row.object_type, row.object_id, row.user_id) == ("Event", event.id, users["other"].id)
    assert row.after == {"code": "host_roster"} and HOST_ROSTER in row.message
    assert count(db, Entry) == 0


def test_another_enterprise_may_not_import_into_a_host_only_event(client, db, roster_scene):
    event, users, _ = roster_scene
    headers = api_headers(client, users["other"])
    for query in ("", "?dry_run=1"):
        response = import_file(client, headers, event, roster(*people(2)), query)
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "host_roster"
    template = client.get(f"/api/v1/events/{event.id}/entries/template.xlsx", headers=headers)
    assert template.status_code == 403
    assert count(db, Entry) == 0 and len(refusals(db)) == 3


def test_the_host_and_the_organisers_still_enrol(client, db, roster_scene):
    event, users, firms = roster_scene
    assert post_entry(client, api_headers(client, users["host"]), event, 1).status_code == 201
    organiser = client.post(f"/api/v1/events/{event.id}/entries", headers=api_headers(client, users["organiser"]),
                            json={"name": "李四光", "id_number": id_number(2), "employer_id": firms["other"].id})
    assert organiser.status_code == 201  # an organiser may enrol anyone's employee
    assert import_file(client, api_headers(client, users["host"]), event,
                       roster(*people(2, start=10))).get_json() == {"created": 2, "existing": 0}


@pytest.mark.parametrize("open_to", ["invited", "all"])
def test_an_invited_enterprise_or_any_when_open_to_all_enrols_its_own(client, db, roster_scene, open_to):
    event, users, firms = roster_scene
    invite(db, event, *([firms["other"]] if open_to == "invited" else []), open_to=open_to)
    headers = api_headers(client, users["other"])
    response = post_entry(client, headers, event)
    assert response.status_code == 201 and response.get_json()["employer"]["id"] == firms["other"].id
    assert import_file(client, headers, event, roster(*people(2, start=20))).get_json() == {"created": 2, "existing": 0}
    assert {e.employer_id for e in db.session.scalars(db.select(Entry))} == {firms["other"].id}


def test_an_enterprise_not_among_the_invited_is_still_refused(client, db, roster_scene):
    event, users, _ = roster_scene
    invite(db, event, make_enterprise(name="永鼎股份"))
    assert post_entry(client, api_headers(client, users["other"]), event).status_code == 403


def test_narrowing_keeps_the_entries_already_made_and_refuses_new_ones(client, db, roster_scene):
    event, users, firms = roster_scene
    invite(db, event, firms["other"])
    headers = api_headers(client, users["other"])
    assert post_entry(client, headers, event, 1).status_code == 201
    invite(db, event, open_to="host")
    assert guest_entries(event) == 1
    assert post_entry(client, headers, event, 2).status_code == 403
    assert [e.employer_id for e in db.session.scalars(db.select(Entry))] == [firms["other"].id]


def test_district_events_take_every_enterprises_employees_as_before(client, db, roster_scene):
    _, users, _ = roster_scene
    event = make_open_event()
    db.session.commit()
    assert post_entry(client, api_headers(client, users["other"]), event).status_code == 201


# PUT /api/v1/events/{id}/enrolment-policy

def put_policy(client, headers, event, open_to, ids=()):
    """PUT the policy."""
    return client.put(f"/api/v1/events/{event.id}/enrolment-policy", headers=headers,
                      json={"open_to": open_to, "invited_enterprise_ids": list(ids)})


def test_the_host_invites_through_the_api_and_the_event_shows_it(client, db, roster_scene):
    event, users, firms = roster_scene
    headers = api_headers(client, users["host"])
    response = put_policy(client, headers, event, "invited", [firms["other"].id])
    assert response.status_code == 200
    assert response.get_json() == {
        "event_id": event.id, "open_to": "invited", "open_to_label": "主办企业和受邀企业",
        "invited_enterprise_ids": [firms["other"].id], "invited_enterprises": [{"id": firms["other"].id,
                                                                                "name": "亨通集团"}]}
    detail = client.get(f"/api/v1/events/{event.id}", headers=api_headers(client, users["other"])).get_json()
    assert detail["enrolment_policy"]["open_to"] == "invited"
    assert policy_rows(db)[-1].user_id == users["host"].id
    assert put_policy(client, api_headers(client, users["organiser"]), event, "all").get_json()["open_to"] == "all"


def test_only_the_host_and_the_organisers_set_the_policy(client, db, roster_scene):
    event, users, firms = roster_scene
    for role in ("other", "judge"):
        response = put_policy(client, api_headers(client, users[role]), event, "all")
        assert response.status_code == 403
    assert refusals(db)[-2].user_id == users["other"].id
    db.session.refresh(event)
    assert event.open_to is OpenTo.HOST and policy_rows(db) == []


@pytest.mark.parametrize("open_to, ids, status", [
    ("invited", [], 400), ("invited", [999999], 400), ("all", [999999], 400), ("nobody", [], 400),
])
def test_bad_policies_through_the_api(client, db, roster_scene, open_to, ids, status):
    event, users, _ = roster_scene
    response = put_policy(client, api_headers(client, users["host"]), event, open_to, ids)
    assert response.status_code == status and response.get_json()["error"]["message"]
    db.session.refresh(event)
    assert event.open_to is OpenTo.HOST


def test_a_district_event_answers_409_and_shows_no_policy(client, db):
    event = make_open_event()
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    headers = api_headers(client, organiser)
    response = put_policy(client, headers, event, "all")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "district_event"
    assert client.get(f"/api/v1/events/{event.id}", headers=headers).get_json()["enrolment_policy"] is None
