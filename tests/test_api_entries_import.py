"""Roster files through the API: the template, all-or-nothing import, dry runs, exports and the sign-in sheet."""
import io

from openpyxl import load_workbook

from competition.models import AuditEntry, Entry, OpenTo, Person
from competition.rules.roster import HEADERS
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, enrol
from tests.builders import id_number, make_event
from tests.clients import api_headers
from tests.counting import count
from tests.roster_files import people, roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, headers, event, data: bytes, query: str = ""):
    """POST a roster file as multipart field `file`."""
    return client.post(f"/api/v1/events/{event.id}/entries/import{query}", headers=headers,
                       data={"file": (io.BytesIO(data), "名单.xlsx")}, content_type="multipart/form-data")


def sheet_rows(response) -> list[tuple]:
    """The first sheet's table (header row first) of a downloaded workbook, without the title lines above it."""
    assert response.status_code == 200 and response.mimetype == XLSX
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    while rows and all(value is None for value in rows[0][1:]):
        rows = rows[1:]  # a title line spans the table: one value, the rest merged
    return rows


def test_the_template_downloads_for_enrollers_only(client, roster_scene):
    event, users, _ = roster_scene
    url = f"/api/v1/events/{event.id}/entries/template.xlsx"
    rows = sheet_rows(client.get(url, headers=api_headers(client, users["host"])))
    assert rows[0][:len(HEADERS)] == HEADERS
    assert client.get(url, headers=api_headers(client, users["judge"])).status_code == 403


def test_import_then_reimport_creates_nothing_twice(client, db, roster_scene):
    event, users, firms = roster_scene
    headers = api_headers(client, users["organiser"])
    data = roster(*people(3, firms["host"].credit_code))
    response = upload(client, headers, event, data)
    assert (response.status_code, response.get_json()) == (200, {"created": 3, "existing": 0})
    assert upload(client, headers, event, data).get_json() == {"created": 0, "existing": 3}
    assert count(db, Entry) == 3
    assert len(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.import")).all()) == 2


def test_two_bad_rows_refuse_the_whole_file(client, db, roster_scene):
    event, users, firms = roster_scene
    rows = people(4, firms["host"].credit_code)
    rows[1] = ("王五", "11010519491231002Y", None, None)
    rows[3] = ("X", rows[3][1], None, None)
    response = upload(client, api_headers(client, users["organiser"]), event, roster(*rows))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert {d["row"] for d in error["details"]} == {3, 5}
    assert "2行有误" in error["message"]
    assert (count(db, Entry), count(db, Person)) == (0, 0)


def test_a_dry_run_previews_and_saves_nothing(client, db, roster_scene):
    event, users, firms = roster_scene
    rows = people(2, firms["host"].credit_code) + [("王五", "11010519491231002Y", None, None)]
    response = upload(client, api_headers(client, users["host"]), event, roster(*rows), "?dry_run=1")
    assert response.status_code == 200
    got = response.get_json()
    assert (got["rows"], got["new"], got["existing"], got["bad_rows"]) == (3, 2, 0, 1)
    assert got["problems"][0]["row"] == 4
    assert count(db, Entry) == 0


def test_a_missing_or_broken_file_is_400(client, roster_scene):
    event, users, _ = roster_scene
    headers = api_headers(client, users["organiser"])
    response = client.post(f"/api/v1/events/{event.id}/entries/import", headers=headers, data={},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["field"] == "file"
    assert upload(client, headers, event, b"not a workbook").status_code == 400


def test_an_enterprise_imports_only_its_own_employees(client, db, roster_scene):
    event, users, firms = roster_scene
    event.open_to = OpenTo.ALL  # the host let every enterprise enrol (by default its roster is its own: issue 18)
    db.session.commit()
    response = upload(client, api_headers(client, users["other"]), event,
                      roster(*people(2, firms["host"].credit_code)))
    assert response.status_code == 400
    assert count(db, Entry) == 0
    response = upload(client, api_headers(client, users["other"]), event, roster(*people(2)))
    assert response.get_json() == {"created": 2, "existing": 0}
    assert {e.employer_id for e in db.session.scalars(db.select(Entry))} == {firms["other"].id}


def test_no_import_into_an_event_the_enterprise_can_not_see(client, db, roster_scene):
    _, users, firms = roster_scene
    hidden = make_event("draft", kind="enterprise", host_enterprise_id=firms["host"].id)
    db.session.commit()
    assert upload(client, api_headers(client, users["other"]), hidden, roster(*people(1))).status_code == 403
    assert upload(client, api_headers(client, users["judge"]), hidden, roster(*people(1))).status_code == 403
    assert count(db, Entry) == 0


def enrolled(db, event, firms):
    """Two of the host's employees and one of the other enterprise's."""
    for i, (name, firm) in enumerate([("张三丰", "host"), ("李四光", "host"), ("王五洲", "other")]):
        enrol(SYSTEM, event, EntryData(name, id_number(i + 60), phone="13800000000", employer_id=firms[firm].id))
    db.session.commit()


def test_the_roster_export_by_role(client, db, roster_scene):
    event, users, firms = roster_scene
    enrolled(db, event, firms)
    url = f"/api/v1/events/{event.id}/entries.xlsx"
    staff = sheet_rows(client.get(url, headers=api_headers(client, users["organiser"])))
    assert [r[1] for r in staff[1:]] == ["张三丰", "李四光", "王五洲"]
    assert all("**********" in r[4] for r in staff[1:])
    host = sheet_rows(client.get(url, headers=api_headers(client, users["host"])))
    assert [r[1] for r in host[1:]] == ["张三丰", "李四光"]
    other = sheet_rows(client.get(url, headers=api_headers(client, users["other"])))
    assert [r[1] for r in other[1:]] == ["王五洲"]
    assert client.get(url, headers=api_headers(client, users["judge"])).status_code == 403


def test_whole_ids_in_an_export_are_for_staff_and_audited(client, db, roster_scene):
    event, users, firms = roster_scene
    enrolled(db, event, firms)
    url = f"/api/v1/events/{event.id}/entries.xlsx?reveal_ids=1"
    assert client.get(url, headers=api_headers(client, users["host"])).status_code == 403
    rows = sheet_rows(client.get(url, headers=api_headers(client, users["organiser"])))
    assert rows[1][4] == id_number(60)
    reveal = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "person.reveal_id")).one()
    assert reveal.after["count"] == 3


def test_the_sign_in_sheet_is_for_staff(client, db, roster_scene):
    event, users, firms = roster_scene
    enrolled(db, event, firms)
    url = f"/api/v1/events/{event.id}/sign-in-sheet.xlsx"
    rows = sheet_rows(client.get(url, headers=api_headers(client, users["organiser"])))
    assert any(row and "张三丰" in row for row in rows)
    for role in ("host", "other", "judge"):
        assert client.get(url, headers=api_headers(client, users[role])).status_code == 403
