"""Entry actions through the API: check-in (one and bulk), disqualify, time used, and the audited ID reveal."""
from datetime import date, timedelta

import pytest

from competition.models import AuditEntry, Entry, EntryStatus, EventStatus, Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import id_number, make_enterprise, make_event, make_user
from tests.clients import api_headers

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
NAMES = ["张三丰", "李四光", "王五洲"]


@pytest.fixture
def scene(db):
    """An open enterprise event with three entries, its chief judge, another panel judge, and the others."""
    host = make_enterprise()
    event = make_event("open", kind="enterprise", host_enterprise_id=host.id, event_date=LATER,
                       registration_deadline=SOON)
    entries = [enrol(SYSTEM, event, EntryData(name, id_number(i + 80), employer_id=host.id))
               for i, name in enumerate(NAMES)]
    users = {"organiser": make_user(Role.ORGANISER), "chief": make_user(Role.JUDGE), "judge": make_user(Role.JUDGE),
             "stranger": make_user(Role.JUDGE), "host": make_user(Role.ENTERPRISE, enterprise=host)}
    assign_judge(SYSTEM, event, users["chief"], True)
    assign_judge(SYSTEM, event, users["judge"], False)
    db.session.commit()
    return event, entries, users


def post(client, user, url, body=None):
    """POST as a user."""
    return client.post(f"/api/v1{url}", headers=api_headers(client, user), json=body)


def statuses(db, entries) -> list[str]:
    """The entries' stored statuses, read afresh."""
    db.session.expire_all()
    return [db.session.get(Entry, e.id).status.value for e in entries]


def drawn(db, event, entries):
    """Everyone present, numbered, the event drawn."""
    for i, entry in enumerate(entries, 1):
        entry.status, entry.number = EntryStatus.PRESENT, f"{i:03d}"
    event.status, event.draw_seed = EventStatus.DRAWN, "seed"
    db.session.commit()


def test_check_in_one_entry(client, db, scene):
    event, entries, users = scene
    response = post(client, users["organiser"], f"/entries/{entries[0].id}/check-in", {"status": "present"})
    assert response.status_code == 200
    got = response.get_json()
    assert (got["status"], got["status_label"], got["number"]) == ("present", "到场", None)
    assert "name" not in got and got["checked_in_at"]
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.check_in")).one()


@pytest.mark.parametrize("who", ["host", "chief"])
def test_only_organisers_check_in(client, db, scene, who):
    _, entries, users = scene
    assert post(client, users[who], f"/entries/{entries[0].id}/check-in", {"status": "present"}).status_code == 403
    assert statuses(db, entries[:1]) == ["registered"]


def test_check_in_after_the_draw_is_409(client, db, scene):
    event, entries, users = scene
    drawn(db, event, entries)
    response = post(client, users["organiser"], f"/entries/{entries[0].id}/check-in", {"status": "absent"})
    assert (response.status_code, response.get_json()["error"]["message"]) == (409, "抽签后不能再修改检录状态。")


def test_bulk_check_in(client, db, scene):
    event, entries, users = scene
    ids = [e.id for e in entries]
    response = post(client, users["organiser"], f"/events/{event.id}/check-in", {"entry_ids": ids + ids[:1],
                                                                                  "status": "present"})
    assert (response.status_code, response.get_json()) == (200, {"changed": 3})
    assert statuses(db, entries) == ["present"] * 3


def test_bulk_check_in_with_a_foreign_entry_changes_nothing(client, db, scene):
    event, entries, users = scene
    elsewhere = make_event("open", event_date=LATER, registration_deadline=SOON)
    foreign = enrol(SYSTEM, elsewhere, EntryData("赵六合", id_number(90)))
    db.session.commit()
    response = post(client, users["organiser"], f"/events/{event.id}/check-in",
                    {"entry_ids": [entries[0].id, foreign.id], "status": "absent"})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == [{"field": "entry_ids", "message": f"报名 {foreign.id} 不属于本赛项。"}]
    assert statuses(db, entries + [foreign]) == ["registered"] * 4


def test_bulk_check_in_is_all_or_nothing_when_one_entry_refuses(client, db, scene):
    event, entries, users = scene
    entries[2].status = EntryStatus.DISQUALIFIED
    db.session.commit()
    response = post(client, users["organiser"], f"/events/{event.id}/check-in",
                    {"entry_ids": [e.id for e in entries], "status": "present"})
    assert response.status_code == 409
    assert statuses(db, entries) == ["registered", "registered", "disqualified"]
    assert not db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.check_in")).all()


def test_bulk_check_in_validates_its_body(client, db, scene):
    event, _, users = scene
    response = post(client, users["organiser"], f"/events/{event.id}/check-in", {"entry_ids": [], "status": "late"})
    assert {d["field"] for d in response.get_json()["error"]["details"]} == {"entry_ids", "status"}


def test_the_chief_judge_disqualifies_and_sees_no_name(client, db, scene):
    event, entries, users = scene
    drawn(db, event, entries)
    response = post(client, users["chief"], f"/entries/{entries[1].id}/disqualify", {"reason": "违规使用工具"})
    assert response.status_code == 200
    got = response.get_json()
    assert (got["status"], got["disqualify_reason"], got["number"]) == ("disqualified", "违规使用工具", "002")
    assert "李四光" not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["judge", "stranger", "host"])
def test_others_may_not_disqualify(client, db, scene, who):
    event, entries, users = scene
    drawn(db, event, entries)
    assert post(client, users[who], f"/entries/{entries[0].id}/disqualify", {"reason": "x"}).status_code == 403
    assert statuses(db, entries[:1]) == ["present"]


def test_disqualify_needs_a_reason_and_a_present_entry(client, db, scene):
    event, entries, users = scene
    organiser = users["organiser"]
    assert post(client, organiser, f"/entries/{entries[0].id}/disqualify", {"reason": "违规"}).status_code == 409
    drawn(db, event, entries)
    response = post(client, organiser, f"/entries/{entries[0].id}/disqualify", {"reason": " "})
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["field"] == "reason"
    assert statuses(db, entries[:1]) == ["present"]


def test_a_panel_judge_records_time_used(client, db, scene):
    event, entries, users = scene
    drawn(db, event, entries)
    response = post(client, users["judge"], f"/entries/{entries[0].id}/time-used", {"seconds": 1234})
    assert response.status_code == 200 and response.get_json()["time_used_seconds"] == 1234
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.time_used")).one()
    assert (audit.before, audit.after) == ({"time_used_seconds": None}, {"time_used_seconds": 1234})
    event.status = EventStatus.SCORING
    db.session.commit()
    assert post(client, users["organiser"], f"/entries/{entries[0].id}/time-used", {"seconds": 0}).status_code == 200


@pytest.mark.parametrize("seconds", [-1, 86_401])
def test_time_used_out_of_range_is_400(client, db, scene, seconds):
    event, entries, users = scene
    drawn(db, event, entries)
    response = post(client, users["judge"], f"/entries/{entries[0].id}/time-used", {"seconds": seconds})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == [{"field": "seconds", "message": "用时应为0至86400之间的整数秒。"}]


def test_time_used_needs_a_drawn_event_and_a_present_entry(client, db, scene):
    event, entries, users = scene
    response = post(client, users["organiser"], f"/entries/{entries[0].id}/time-used", {"seconds": 60})
    assert (response.status_code, response.get_json()["error"]["message"]) == (409, "只有已抽签或评分中的赛项可以记录用时。")
    drawn(db, event, entries)
    entries[2].status = EntryStatus.ABSENT
    db.session.commit()
    assert post(client, users["organiser"], f"/entries/{entries[2].id}/time-used", {"seconds": 60}).status_code == 409


@pytest.mark.parametrize("who", ["stranger", "host"])
def test_only_staff_and_the_panel_record_time(client, db, scene, who):
    event, entries, users = scene
    drawn(db, event, entries)
    assert post(client, users[who], f"/entries/{entries[0].id}/time-used", {"seconds": 60}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Entry, entries[0].id).time_used_seconds is None


def test_staff_reveal_a_whole_id_number_and_it_is_audited(client, db, scene):
    _, entries, users = scene
    response = post(client, users["organiser"], f"/entries/{entries[0].id}/reveal-id")
    assert response.get_json() == {"entry_id": entries[0].id, "id_number": id_number(80)}
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "person.reveal_id")).one()
    assert (audit.object_type, audit.user_id, audit.after["entry_id"]) == ("Person", users["organiser"].id,
                                                                             entries[0].id)


@pytest.mark.parametrize("who", ["host", "chief"])
def test_nobody_else_reveals_id_numbers(client, db, scene, who):
    _, entries, users = scene
    response = post(client, users[who], f"/entries/{entries[0].id}/reveal-id")
    assert response.status_code == 403 and id_number(80) not in response.get_data(as_text=True)
    assert not db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "person.reveal_id")).all()


def test_unknown_entries_are_404(client, db, scene):
    _, _, users = scene
    assert post(client, users["organiser"], "/entries/999999/check-in", {"status": "present"}).status_code == 404
    assert post(client, users["organiser"], "/entries/999999/reveal-id").status_code == 404
