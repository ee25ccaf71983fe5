"""Entries through the API: enrolment, the list by role, masking, blind judges, IDOR, and constant queries."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event as sa_event

from competition.models import AuditEntry, Entry, EntryStatus, EventStatus, Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import id_number, make_enterprise, make_event, make_user
from tests.clients import api_headers

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
ZHANG = {"name": "张三丰", "id_number": id_number(7), "phone": "13912345678"}


def open_event(**overrides):
    """An open event whose registration deadline is still ahead."""
    return make_event("open", event_date=LATER, registration_deadline=SOON, **overrides)


def auth(client, db, role=Role.ORGANISER, **overrides) -> dict:
    """Bearer headers for a new committed user of the role."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user)


def entries(db) -> int:
    """Entries stored."""
    return db.session.scalar(db.select(db.func.count()).select_from(Entry))


def test_an_organiser_enrols_a_contestant(client, db):
    event, employer = open_event(), make_enterprise()
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=auth(client, db),
                           json=ZHANG | {"employer_id": employer.id})
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert (got["name"], got["gender"], got["status"], got["status_label"]) == ("张三丰", "男", "registered", "已报名")
    assert got["id_number"] == ZHANG["id_number"][:4] + "*" * 10 + ZHANG["id_number"][-4:]
    assert (got["phone"], got["employer"]["id"], got["number"]) == ("13912345678", employer.id, None)
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.create")).one()


def test_an_enterprise_user_enrols_its_own_employee_with_the_mobile_masked(client, db):
    host = make_enterprise()
    event = open_event(kind="enterprise", host_enterprise_id=host.id)
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=auth(client, db, Role.ENTERPRISE,
                                                                                enterprise=host), json=ZHANG)
    assert response.status_code == 201
    got = response.get_json()
    assert (got["employer"]["id"], got["phone"]) == (host.id, "139****5678")
    assert ZHANG["id_number"] not in response.get_data(as_text=True)


def test_an_enterprise_may_not_enrol_another_enterprises_employee(client, db):
    mine, theirs = make_enterprise(), make_enterprise()
    event = open_event()
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=auth(client, db, Role.ENTERPRISE,
                                                                                enterprise=mine),
                           json=ZHANG | {"employer_id": theirs.id})
    assert response.status_code == 403
    assert entries(db) == 0


def test_no_enrolment_in_an_event_the_enterprise_can_not_see(client, db):
    event = make_event("draft", kind="enterprise", host_enterprise_id=make_enterprise().id)
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=auth(client, db, Role.ENTERPRISE), json=ZHANG)
    assert response.status_code == 403
    assert entries(db) == 0


def test_judges_do_not_enrol(client, db):
    event = open_event()
    assert client.post(f"/api/v1/events/{event.id}/entries", headers=auth(client, db, Role.JUDGE),
                       json=ZHANG).status_code == 403


@pytest.mark.parametrize("change, status, field", [
    ({"id_number": "11010519491231002Y"}, 400, "id_number"),
    ({"name": "X"}, 400, "name"),
    ({"phone": "12345"}, 400, "phone"),
    ({"employer_id": 999999}, 400, "employer_id"),
])
def test_bad_contestants_are_400_and_not_saved(client, db, change, status, field):
    event = open_event()
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=auth(client, db), json=ZHANG | change)
    assert response.status_code == status
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]
    assert entries(db) == 0


def test_enrolling_twice_is_409_and_a_closed_event_is_409(client, db):
    event, closed = open_event(), make_event("closed")
    headers = auth(client, db)
    assert client.post(f"/api/v1/events/{event.id}/entries", headers=headers, json=ZHANG).status_code == 201
    assert client.post(f"/api/v1/events/{event.id}/entries", headers=headers, json=ZHANG).status_code == 409
    response = client.post(f"/api/v1/events/{closed.id}/entries", headers=headers, json=ZHANG)
    assert response.status_code == 409 and "不在报名期内" in response.get_json()["error"]["message"]
    assert entries(db) == 1


@pytest.fixture
def two_firms(db):
    """An open event with entries from the host (two) and from another enterprise (one), and their users."""
    host, other = make_enterprise(name="恒力化纤"), make_enterprise(name="亨通集团")
    event = open_event(kind="enterprise", host_enterprise_id=host.id)
    made = [enrol(SYSTEM, event, EntryData(name, id_number(i + 20), phone="13800000000", employer_id=firm.id))
            for i, (name, firm) in enumerate([("张三丰", host), ("李四光", host), ("王五洲", other)])]
    users = {"host": make_user(Role.ENTERPRISE, enterprise=host), "other": make_user(Role.ENTERPRISE, enterprise=other),
             "organiser": make_user(Role.ORGANISER), "judge": make_user(Role.JUDGE)}
    assign_judge(SYSTEM, event, users["judge"], True)
    db.session.commit()
    return event, made, users, {"host": host, "other": other}


def listed(client, user, event, query="") -> list[dict]:
    """The items a user gets from the entries list."""
    response = client.get(f"/api/v1/events/{event.id}/entries{query}", headers=api_headers(client, user))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_staff_see_every_entry_with_whole_mobiles_and_masked_ids(client, two_firms):
    event, made, users, _ = two_firms
    items = listed(client, users["organiser"], event)
    assert [i["name"] for i in items] == ["张三丰", "李四光", "王五洲"]
    assert {i["phone"] for i in items} == {"13800000000"}
    assert all("**********" in i["id_number"] for i in items)


def test_an_enterprise_sees_only_its_own_employees(client, two_firms):
    event, _, users, firms = two_firms
    assert [i["name"] for i in listed(client, users["host"], event)] == ["张三丰", "李四光"]
    other = listed(client, users["other"], event)
    assert [(i["name"], i["phone"]) for i in other] == [("王五洲", "138****0000")]
    assert listed(client, users["other"], event, f"?employer_id={firms['host'].id}") == []


def test_list_filters_by_status_and_search(client, db, two_firms):
    event, made, users, _ = two_firms
    made[1].status = EntryStatus.ABSENT
    db.session.commit()
    assert [i["name"] for i in listed(client, users["organiser"], event, "?status=absent")] == ["李四光"]
    assert [i["name"] for i in listed(client, users["organiser"], event, "?q=王五")] == ["王五洲"]


def drawn(db, event, made):
    """Check everyone in and draw them 001, 002, 003."""
    for i, entry in enumerate(made, 1):
        entry.status, entry.number = EntryStatus.PRESENT, f"{i:03d}"
    event.status, event.draw_seed = EventStatus.DRAWN, "seed"
    db.session.commit()


def test_judges_see_nothing_before_the_draw_and_numbers_only_after(client, db, two_firms):
    event, made, users, _ = two_firms
    judge = api_headers(client, users["judge"])
    assert client.get(f"/api/v1/events/{event.id}/entries", headers=judge).status_code == 403
    drawn(db, event, made)
    response = client.get(f"/api/v1/events/{event.id}/entries", headers=judge)
    items = response.get_json()["items"]
    assert [i["number"] for i in items] == ["001", "002", "003"]
    assert set(items[0]) == {"id", "number", "status", "status_label", "time_used_seconds"}
    text = response.get_data(as_text=True)
    for secret in ["张三丰", "李四光", "王五洲", "恒力", "亨通", "13800000000", "138****", id_number(20)[:6],
                   id_number(20)[-4:]]:
        assert secret not in text
    assert client.get(f"/api/v1/events/{event.id}/entries?q=张", headers=judge).status_code == 403
    assert client.get(f"/api/v1/events/{event.id}/entries?q=001", headers=judge).status_code == 403


def test_judges_get_numbers_only_even_after_publication(client, db, two_firms):
    """API.md: judges get `number` only; published names reach them masked, through the results."""
    event, made, users, _ = two_firms
    drawn(db, event, made)
    event.status = EventStatus.NOTICE
    db.session.commit()
    items = listed(client, users["judge"], event)
    assert items and all(set(i) <= {"id", "number", "status", "status_label", "time_used_seconds"} for i in items)
    assert "张三丰" not in str(items)


def test_a_judge_off_the_panel_sees_nothing(client, db, two_firms):
    event, made, _, _ = two_firms
    drawn(db, event, made)
    stranger = auth(client, db, Role.JUDGE)
    assert client.get(f"/api/v1/events/{event.id}/entries", headers=stranger).status_code == 403


def test_an_enterprise_can_not_list_entries_of_an_event_it_can_not_see(client, db):
    event = make_event("draft", kind="enterprise", host_enterprise_id=make_enterprise().id)
    assert client.get(f"/api/v1/events/{event.id}/entries",
                      headers=auth(client, db, Role.ENTERPRISE)).status_code == 403


def _statements(app, db, client, url, headers) -> int:
    """SQL statements one GET sends, starting from an empty identity map as a real request does."""
    seen = []
    db.session.expunge_all()

    def count(*args):
        seen.append(1)

    engine = app.extensions["sqlalchemy"].engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url, headers=headers)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen)


@pytest.mark.parametrize("role", ["organiser", "enterprise", "judge"])
def test_the_entries_list_sends_the_same_statements_for_5_and_50_entries(app, client, db, role):
    firm = make_enterprise()
    judge = make_user(Role.JUDGE)
    users = {"organiser": make_user(Role.ORGANISER), "enterprise": make_user(Role.ENTERPRISE, enterprise=firm),
             "judge": judge}
    event_ids = []
    for size in (5, 50):
        event = open_event()
        assign_judge(SYSTEM, event, judge, False)
        for i in range(size):
            entry = enrol(SYSTEM, event, EntryData(f"选手{chr(0x4e00 + i)}{chr(0x4e00 + size)}",
                                                   id_number(i + size * 3), employer_id=firm.id))
            entry.status, entry.number = EntryStatus.PRESENT, f"{i + 1:03d}"
        event.status, event.draw_seed = EventStatus.DRAWN, "s"
        event_ids.append(event.id)
    db.session.commit()
    headers = api_headers(client, users[role])
    counts = [_statements(app, db, client, f"/api/v1/events/{event_id}/entries?per_page=100", headers)
              for event_id in event_ids]
    assert counts[0] == counts[1], counts
