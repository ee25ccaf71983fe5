"""Identity details end to end (issue 16, item 5): a name with a character beyond the BMP (赵孟𫖯, U+2B5AF) enrols
through the API and through a roster workbook, is stored and read back whole on SQLite and PostgreSQL, and is
masked by code points; an ID number of no province and a credit code with letters in its division code are refused
with their reasons."""
import io
from datetime import date, timedelta

from openpyxl import load_workbook

from competition.models import Entry, Person, Role
from competition.rules.identity import credit_check_char, id_check_char, mask_name
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers
from tests.roster_files import roster

NAME = "赵孟\U0002b5af"  # 赵孟𫖯: 𫖯 is CJK Extension C
SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)


def open_event(**overrides):
    """An open event whose registration deadline is still ahead."""
    return make_event("open", season=make_season(year=LATER.year), event_date=LATER, registration_deadline=SOON,
                      venue="吴江区职业技能实训基地", **overrides)


def organiser_headers(client, db) -> dict:
    """Bearer headers of a new organiser."""
    user = make_user(Role.ORGANISER)
    db.session.commit()
    return api_headers(client, user)


def stored_person(db, name: str) -> tuple[str, int]:
    """The stored name, read afresh from the database, and its length as the database counts it."""
    db.session.expire_all()
    row = db.session.execute(db.select(Person.name, db.func.length(Person.name)).where(Person.name == name)).one()
    return row[0], row[1]


def test_an_astral_name_enrols_through_the_api_and_is_read_back_whole(client, db):
    event, employer = open_event(), make_enterprise()
    headers = organiser_headers(client, db)
    body = {"name": NAME, "id_number": id_number(5), "phone": "13912345678", "employer_id": employer.id}
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == NAME
    assert stored_person(db, NAME) == (NAME, 3)  # three characters, on SQLite and PostgreSQL alike
    listed = client.get(f"/api/v1/events/{event.id}/entries", headers=headers).get_json()["items"]
    assert [item["name"] for item in listed] == [NAME]
    assert mask_name(listed[0]["name"]) == "赵*\U0002b5af"


def test_an_astral_name_imports_from_a_roster_workbook_and_exports_again(client, db):
    event = open_event()
    headers = organiser_headers(client, db)
    data = roster((NAME, id_number(6), "13912345678", None), ("\U00020000\U0002a6df·李", id_number(8), None, None))
    response = client.post(f"/api/v1/events/{event.id}/entries/import", headers=headers,
                           data={"file": (io.BytesIO(data), "名单.xlsx")}, content_type="multipart/form-data")
    assert (response.status_code, response.get_json()) == (200, {"created": 2, "existing": 0})
    assert stored_person(db, NAME) == (NAME, 3)
    assert db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.event_id == event.id)) == 2
    exported = client.get(f"/api/v1/events/{event.id}/entries.xlsx", headers=headers)
    assert exported.status_code == 200
    cells = {cell for row in load_workbook(io.BytesIO(exported.data)).worksheets[0].iter_rows(values_only=True)
             for cell in row}
    assert NAME in cells and "\U00020000\U0002a6df·李" in cells


def test_an_id_number_of_no_province_is_refused_through_the_api(client, db):
    event = open_event()
    first17 = "99058419900101001"
    response = client.post(f"/api/v1/events/{event.id}/entries", headers=organiser_headers(client, db),
                           json={"name": "张三", "id_number": first17 + id_check_char(first17)})
    assert response.status_code == 400
    details = response.get_json()["error"]["details"]
    assert {"field": "id_number", "message": "身份证号码前两位（99）不是有效的省级行政区划代码。"} in [
        {"field": d["field"], "message": d["message"]} for d in details]
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_a_roster_row_of_no_province_is_refused_with_the_reason(client, db):
    event = open_event()
    first17 = "00058419900101001"
    data = roster(("张三", first17 + id_check_char(first17), None, None))
    response = client.post(f"/api/v1/events/{event.id}/entries/import", headers=organiser_headers(client, db),
                           data={"file": (io.BytesIO(data), "名单.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert any("前两位（00）不是有效的省级行政区划代码" in d["message"] for d in response.get_json()["error"]["details"])


def test_a_credit_code_with_letters_in_its_division_code_is_refused_through_the_api(client, db):
    body = "91ABCDEFMA1M7Q4K0"
    response = client.post("/api/v1/enterprises", headers=organiser_headers(client, db),
                           json={"name": "吴江盛泽精密机械有限公司", "credit_code": body + credit_check_char(body)})
    assert response.status_code == 400
    detail = response.get_json()["error"]["details"][0]
    assert detail["field"] == "credit_code" and "第3至8位（ABCDEF）" in detail["message"]
