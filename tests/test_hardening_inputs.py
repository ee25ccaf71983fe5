"""What the outside attack typed (issue 14, findings 1, 4, 9 and 11), through the API and the pages: one person
however their ID number is spelt, text without control or direction characters, downloads named safely
whatever a stored name holds, recommendations of one's own employees only, numbers within the database's
integer, and passwords that are not common or the username."""
from datetime import date, timedelta

import pytest

from competition.models import AuditEntry, Entry, Event, ExpertTitle, Person, Role, Season, User
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, enrol
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers, html, login
from tests.counting import count
from tests.payloads import event_body, form_data

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def headers(client, db, role=Role.ORGANISER, **overrides) -> dict:
    """Bearer headers for a new committed user of the role."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user)


# Finding 1: one person, many identities

def test_the_same_employee_spelt_four_ways_is_one_person_enrolled_once(client, db):
    event = make_event("open", event_date=LATER, registration_deadline=SOON)
    auth, number = headers(client, db), id_number(11)
    first = client.post(f"/api/v1/events/{event.id}/entries", headers=auth, json={"name": "钟敏芳", "id_number": number})
    assert first.status_code == 201
    answers = [client.post(f"/api/v1/events/{event.id}/entries", headers=auth,
                           json={"name": "钟敏芳", "id_number": number.translate(table)}).status_code
               for table in (FULL_WIDTH, ARABIC, DEVANAGARI)]
    superscript = client.post(f"/api/v1/events/{event.id}/entries", headers=auth,
                              json={"name": "钟敏芳", "id_number": "²" + number[1:]})
    assert answers == [409, 400, 400] and superscript.status_code == 400  # ² is 2: a wrong check character
    assert count(db, Person) == 1 and count(db, Entry) == 1


def make_holder(db) -> tuple[Person, object]:
    """A 技术能手 title holder employed by a firm (the league knows it from an entry), and the firm."""
    from competition.models import NominationRoute

    firm = make_enterprise()
    holder = _employee_of(firm, 41)
    season = make_season(year=date.today().year)
    db.session.add(ExpertTitle(person_id=holder.id, season_id=season.id, year=season.year,
                               route=NominationRoute.ENTERPRISE, subsidy=2000))
    db.session.flush()
    return holder, firm


def test_a_title_holder_is_not_nominated_again_under_a_full_width_spelling(client, db):
    holder, firm = make_holder(db)
    auth = headers(client, db, Role.ENTERPRISE, enterprise=firm)
    response = client.post("/api/v1/nominations", headers=auth, json={
        "id_number": holder.id_number.translate(FULL_WIDTH), "name": holder.name, "justification": "技术骨干。",
        "confirm_employee": True})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "already_holder"
    assert count(db, ExpertTitle) == 1 and count(db, Person) == 1


def test_full_width_competition_numbers_find_their_cell():
    from competition.services.marking.marks import MarkItem
    from competition.rules.text import identifier_text

    assert MarkItem(identifier_text("００３"), 1, "80").number == "003"


# Finding 4: control characters in names break every download

@pytest.mark.parametrize("name", ["电工\r\n竞赛", "电工\t竞赛", "电工\u202e赛竞"])
def test_control_and_direction_characters_are_refused_by_the_api(client, db, name):
    season = make_season()
    response = client.post("/api/v1/events", headers=headers(client, db), json=event_body(season, name=name))
    assert response.status_code == 400
    assert any(d["field"] == "name" for d in response.get_json()["error"]["details"])
    assert count(db, Event) == 0


def test_control_characters_are_refused_by_the_forms_with_a_message(client, db):

    season = make_season()
    login(client, make_user())
    db.session.commit()
    response = client.post("/events/new", data=form_data(season, name="电工\r\n竞赛", venue="实训\u202e基地"))
    page = html(response)
    assert response.status_code == 400 and "不能包含换行符或制表符" in page and "U+202E" in page
    assert count(db, Event) == 0
    reason = client.post("/enterprises/new", data={"name": "企业\x1b名称", "credit_code": "91350100M000100Y43"})
    assert reason.status_code == 400 and "U+001B" in html(reason)


def test_line_breaks_stay_allowed_where_a_field_is_a_paragraph(client, db):
    event = make_event("submitted", kind="enterprise", host_enterprise_id=make_enterprise().id)
    response = client.post(f"/api/v1/events/{event.id}/reject", headers=headers(client, db),
                           json={"reason": "材料不全：\n1. 缺少场地说明；\n2. 缺少裁判名单。"})
    assert response.status_code == 200


def test_every_download_is_named_safely_whatever_a_stored_name_holds(client, db):
    host = make_enterprise()
    event = make_event("open", event_date=LATER, registration_deadline=SOON, kind="enterprise",
                       host_enterprise_id=host.id)
    enrol(SYSTEM, event, EntryData("选手甲", id_number(3), None, host.id))
    event.name = "电工\r\n竞赛\u202e\tx"  # written before the policy existed
    organiser = make_user()
    db.session.commit()
    login(client, organiser)
    auth = api_headers(client, organiser)
    for url, extra in ((f"/events/{event.id}/entries/template.xlsx", {}), (f"/events/{event.id}/entries.xlsx", {}),
                       (f"/events/{event.id}/sign-in-sheet.xlsx", {}),
                       (f"/api/v1/events/{event.id}/entries.xlsx", auth),
                       (f"/api/v1/events/{event.id}/sign-in-sheet.xlsx", auth)):
        response = client.get(url, headers=extra)
        disposition = response.headers.get("Content-Disposition", "")
        assert response.status_code == 200, url
        assert not any(ch in disposition for ch in "\r\n\t\u202e"), disposition
        assert "%E2%80%AE" not in disposition and ".xlsx" in disposition


def test_the_marking_grid_and_the_reopen_form_refuse_hostile_fields_cleanly(client, db):
    from tests.marking_builders import make_world

    world = make_world(1, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    for field in ({"number": "\x00"}, {"number": "0" * 40}, {"criterion_id": "99999999999999999999"},
                  {"value": "\u202e80"}, {"expected": "1" * 50}):
        data = {"number": "001", "criterion_id": str(world.criteria[0]), "value": "80"} | field
        response = client.post(f"/events/{world.event.id}/marks/cell", data=data)
        assert response.status_code == 400, field
    client.post("/logout")
    login(client, world.organiser)
    response = client.post(f"/events/{world.event.id}/scoring-panel/reopen", data={"reason": "原因\x00"})
    assert response.status_code == 400 and "U+0000" in html(response)


# Finding 9: an enterprise recommends its own employees only

def _employee_of(firm, seed: int) -> Person:
    """A person the league knows as an employee of `firm` (through an entry)."""
    event = make_event("open", event_date=LATER, registration_deadline=SOON)
    return enrol(SYSTEM, event, EntryData(f"员工{'甲乙丙丁'[seed % 4]}", id_number(seed), None, firm.id)).person


def test_an_enterprise_may_not_recommend_another_companys_employee(client, db):
    theirs, mine = make_enterprise(name="恒力"), make_enterprise(name="亨通")
    person = _employee_of(theirs, 21)
    make_season(year=date.today().year)
    auth = headers(client, db, Role.ENTERPRISE, enterprise=mine)
    response = client.post("/api/v1/nominations", headers=auth, json={
        "id_number": person.id_number, "name": person.name, "justification": "优秀。", "confirm_employee": True})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "not_own_employee"
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "refused")).one()
    own = client.post("/api/v1/nominations", headers=headers(client, db, Role.ENTERPRISE, enterprise=theirs),
                      json={"id_number": person.id_number, "name": person.name, "justification": "优秀。"})
    assert own.status_code == 201  # the person's own employer still can: their one nomination was not used up


def test_a_person_the_league_has_no_employer_for_needs_the_enterprises_confirmation(client, db):
    make_season(year=date.today().year)
    auth = headers(client, db, Role.ENTERPRISE)
    body = {"id_number": id_number(31), "name": "陈新来", "justification": "技术能手候选。"}
    unconfirmed = client.post("/api/v1/nominations", headers=auth, json=body)
    assert unconfirmed.status_code == 409 and unconfirmed.get_json()["error"]["code"] == "confirm_employee"
    assert count(db, Person) == 0
    assert client.post("/api/v1/nominations", headers=auth, json=body | {"confirm_employee": True}).status_code == 201


def test_the_recommendation_page_asks_for_the_confirmation(client, db):
    season = make_season(year=date.today().year)
    hr = make_user(Role.ENTERPRISE)
    db.session.commit()
    login(client, hr)
    data = {"name": "陈新来", "id_number": id_number(32), "justification": "技术能手候选。"}
    page = client.post(f"/seasons/{season.id}/nominations/new", data=data)
    assert page.status_code == 409 and "请确认其为本企业在职员工" in html(page)
    assert 'name="confirm_employee"' in html(page)
    done = client.post(f"/seasons/{season.id}/nominations/new", data=data | {"confirm_employee": "y"})
    assert done.status_code == 302


# Finding 11: numbers beyond the database's integer, and weak passwords

def test_a_budget_of_two_to_the_31_is_a_field_error_on_the_api_and_the_form(client, db):
    auth = headers(client, db)
    api = client.post("/api/v1/seasons", headers=auth, json={"year": 2031, "name": "2031年联赛", "budget": 2**31})
    assert api.status_code == 400 and api.get_json()["error"]["details"][0]["field"] == "budget"
    login(client, make_user())
    db.session.commit()
    page = client.post("/seasons/new", data={"year": "2031", "name": "2031年联赛", "budget": "2,147,483,648"})
    assert page.status_code == 400 and "数值过大" in html(page)
    season = make_season(year=2032)
    db.session.commit()
    edit = client.post(f"/seasons/{season.id}/edit", data={"year": "2032", "name": "x联赛", "budget": "9" * 25})
    assert edit.status_code == 400 and "数值过大" in html(edit)
    assert count(db, Season) == 1


@pytest.mark.parametrize("password, reason", [
    ("password1", "至少需要10个字符"),
    ("qwertyuiop", "过于常见"),
    ("1qaz2wsx3edc", "过于常见"),
    ("zhangwei-2026", "不能包含用户名"),
])
def test_weak_passwords_are_refused_with_the_reason(client, db, password, reason):
    response = client.post("/api/v1/users", headers=headers(client, db, Role.ADMIN), json={
        "username": "zhangwei", "password": password, "display_name": "张伟", "role": "organiser"})
    assert response.status_code == 400 and reason in response.get_json()["error"]["details"][0]["message"]
    assert count(db, User) == 1


def test_the_policy_is_said_on_the_forms(client, db):
    login(client, make_user(Role.ADMIN))
    db.session.commit()
    assert "至少10个字符；不能是常见密码" in html(client.get("/admin/users/new"))
    assert "至少10个字符；不能是常见密码" in html(client.get("/account/password"))
