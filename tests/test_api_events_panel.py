"""The draw and the judge panel through the API: reproducible numbers, panel changes, conflicts of interest."""
from datetime import date, timedelta

import pytest

from competition.models import AuditEntry, Entry, EntryStatus, Event, EventStatus, PanelMember, Role
from competition.rules.events import draw_numbers
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import id_number, make_enterprise, make_event, make_user
from tests.clients import api_headers

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
NAMES = ["张三丰", "李四光", "王五洲", "赵六合", "钱七星"]


def auth(client, db, role=Role.ORGANISER, **overrides) -> dict:
    """Bearer headers for a new committed user of the role."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user)


def closed_event(statuses, employer=None) -> tuple[Event, list[Entry]]:
    """A closed event with one entry per status given."""
    event = make_event("open", event_date=LATER, registration_deadline=SOON)
    entries = [enrol(SYSTEM, event, EntryData(NAMES[i], id_number(i + 10), employer_id=employer))
               for i in range(len(statuses))]
    for entry, status in zip(entries, statuses):
        entry.status = EntryStatus(status)
    event.status = EventStatus.CLOSED
    return event, entries


def test_the_draw_numbers_present_entries_and_is_reproducible(client, db):
    event, entries = closed_event(["present", "present", "absent", "present"])
    headers = auth(client, db)
    response = client.post(f"/api/v1/events/{event.id}/draw", headers=headers, json={"seed": "2026-吴江"})
    assert response.status_code == 200, response.get_json()
    got = response.get_json()
    present = [e.id for e in entries if e.status is EntryStatus.PRESENT]
    expected = draw_numbers(present, "2026-吴江")
    assert got["seed"] == "2026-吴江"
    assert {n["entry_id"]: n["number"] for n in got["numbers"]} == expected
    assert [n["number"] for n in got["numbers"]] == ["001", "002", "003"]
    assert db.session.get(Entry, entries[2].id).number is None

    # replay: back to closed, the same seed gives the same numbers
    db.session.expire_all()
    for entry in db.session.scalars(db.select(Entry).where(Entry.event_id == event.id)):
        entry.number = None
    db.session.get(Event, event.id).status = EventStatus.CLOSED
    db.session.commit()
    again = client.post(f"/api/v1/events/{event.id}/draw", headers=headers, json={"seed": "2026-吴江"}).get_json()
    assert again["numbers"] == got["numbers"]
    detail = client.get(f"/api/v1/events/{event.id}", headers=headers).get_json()
    assert (detail["status"], detail["draw_seed"]) == ("drawn", "2026-吴江")
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.draw")).all()


def test_without_a_seed_one_is_chosen_and_stored(client, db):
    event, _ = closed_event(["present", "present"])
    got = client.post(f"/api/v1/events/{event.id}/draw", headers=auth(client, db), json={}).get_json()
    db.session.expire_all()
    assert got["seed"] and db.session.get(Event, event.id).draw_seed == got["seed"]


def test_the_draw_refuses_wrong_states_and_empty_events(client, db):
    headers = auth(client, db)
    opened = make_event("open")
    empty, _ = closed_event(["absent"])
    db.session.commit()
    response = client.post(f"/api/v1/events/{opened.id}/draw", headers=headers, json={})
    assert (response.status_code, response.get_json()["error"]["message"]) == (409, "只有报名截止后的赛项可以抽签。")
    response = client.post(f"/api/v1/events/{empty.id}/draw", headers=headers, json={})
    assert (response.status_code, response.get_json()["error"]["message"]) == (409, "没有到场的选手，不能抽签。")


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.JUDGE])
def test_only_organisers_draw(client, db, role):
    event, entries = closed_event(["present"])
    response = client.post(f"/api/v1/events/{event.id}/draw", headers=auth(client, db, role), json={"seed": "x"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Event, event.id).draw_seed is None and db.session.get(Entry, entries[0].id).number is None


def test_organisers_build_the_panel(client, db):
    event = make_event("open")
    first, second, organiser = make_user(Role.JUDGE), make_user(Role.JUDGE), make_user(Role.ORGANISER)
    db.session.commit()
    headers = api_headers(client, organiser)
    url = f"/api/v1/events/{event.id}/judges"
    response = client.post(url, headers=headers, json={"user_id": first.id, "is_chief": True})
    assert response.status_code == 201
    assert {k: response.get_json()[k] for k in ("user_id", "username", "is_chief")} == {
        "user_id": first.id, "username": first.username, "is_chief": True}
    client.post(url, headers=headers, json={"user_id": second.id, "is_chief": True})
    chiefs = {m["user_id"]: m["is_chief"] for m in client.get(url, headers=headers).get_json()["items"]}
    assert chiefs == {first.id: False, second.id: True}
    assert client.get(f"/api/v1/events/{event.id}", headers=headers).get_json()["panel_size"] == 2


@pytest.mark.parametrize("who, message", [("organiser", "该账户不是裁判。"), ("nobody", "该用户不存在。")])
def test_only_judge_accounts_join_a_panel(client, db, who, message):
    event = make_event("open")
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    user_id = organiser.id if who == "organiser" else 999999
    response = client.post(f"/api/v1/events/{event.id}/judges", headers=api_headers(client, organiser),
                           json={"user_id": user_id, "is_chief": False})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == [{"field": "user_id", "message": message}]


def test_the_panel_list_shows_each_judges_conflicts(client, db):
    employer = make_enterprise()
    event, entries = closed_event(["present", "present", "absent"], employer=employer.id)
    enrol_elsewhere = make_event("open", event_date=LATER, registration_deadline=SOON)
    enrol(SYSTEM, enrol_elsewhere, EntryData("孙八方", id_number(40), employer_id=employer.id))
    colleague, neutral = make_user(Role.JUDGE, employer_id=employer.id), make_user(Role.JUDGE)
    assign_judge(SYSTEM, event, colleague, True)
    assign_judge(SYSTEM, event, neutral, False)
    entries[0].number = "001"
    event.status = EventStatus.DRAWN
    headers = auth(client, db)
    items = client.get(f"/api/v1/events/{event.id}/judges", headers=headers).get_json()["items"]
    got = {i["user_id"]: (i["conflicts"], i["conflict_numbers"], i["employer_id"]) for i in items}
    assert got == {colleague.id: (3, ["001"], employer.id), neutral.id: (0, [], None)}


def test_removing_a_judge(client, db):
    event, other = make_event("open"), make_event("open")
    member = assign_judge(SYSTEM, event, make_user(Role.JUDGE), False)
    stranger = assign_judge(SYSTEM, other, make_user(Role.JUDGE), False)
    headers = auth(client, db)
    assert client.delete(f"/api/v1/events/{event.id}/judges/{stranger.id}", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/events/{event.id}/judges/{member.id}", headers=headers).status_code == 204
    assert db.session.get(PanelMember, stranger.id) is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(PanelMember)) == 1
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "panel.remove")).one()


def test_no_removal_once_scoring_started(client, db):
    event = make_event("scoring")
    member = assign_judge(SYSTEM, event, make_user(Role.JUDGE), False)
    response = client.delete(f"/api/v1/events/{event.id}/judges/{member.id}", headers=auth(client, db))
    assert response.status_code == 409
    assert db.session.get(PanelMember, member.id) is not None


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.JUDGE])
def test_only_organisers_see_or_change_the_panel(client, db, role):
    host = make_enterprise()
    event = make_event("open", kind="enterprise", host_enterprise_id=host.id)
    judge = make_user(Role.JUDGE)
    member = assign_judge(SYSTEM, event, judge, True)
    db.session.commit()
    headers = api_headers(client, judge) if role is Role.JUDGE else auth(client, db, role, enterprise=host)
    url = f"/api/v1/events/{event.id}/judges"
    assert client.get(url, headers=headers).status_code == 403
    assert client.post(url, headers=headers, json={"user_id": judge.id, "is_chief": False}).status_code == 403
    assert client.delete(f"{url}/{member.id}", headers=headers).status_code == 403
    db.session.expire_all()
    assert db.session.get(PanelMember, member.id).is_chief is True
