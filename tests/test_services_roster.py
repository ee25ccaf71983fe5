"""Roster import (all-or-nothing, idempotent, constant queries), the template and the roster workbooks."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func

from competition.errors import Invalid, InvalidState, NotAllowed, TooLarge
from competition.models import AuditEntry, Entry, EntryStatus, Person, Role
from competition.rules.roster import HEADERS
from competition.services.audit import SYSTEM, Actor
from competition.services.events.roster import (
    import_roster,
    preview_import,
    roster_export,
    roster_template,
    sign_in_sheet,
)
from competition.xlsx import NOT_READABLE
from tests.builders import id_number, make_enterprise, make_event, make_user
from tests.counting import count, statements
from tests.roster_files import people, roster

TODAY = date(2026, 5, 20)


def test_import_creates_persons_and_entries_and_one_audit_row(db):
    employer = make_enterprise()
    event = make_event("open")
    result = import_roster(SYSTEM, event, roster(*people(3, employer.credit_code)), today=TODAY,
                           filename="名单.xlsx")
    assert result == {"created": 3, "existing": 0}
    entries = db.session.scalars(db.select(Entry).where(Entry.event_id == event.id)).all()
    assert {e.employer_id for e in entries} == {employer.id} and {e.status for e in entries} == {EntryStatus.REGISTERED}
    person = db.session.scalar(db.select(Person).where(Person.id_number == id_number(1, birth="19800101")))
    assert (person.name, person.gender, person.birth_date, person.phone) == ("选手丁", "男", date(1980, 1, 1),
                                                                             "13900000001")
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.import")).all()
    assert len(audit) == 1 and audit[0].object_id == event.id
    assert audit[0].after | {"event_id": None} == {"event_id": None, "rows": 3, "created": 3, "existing": 0,
                                                   "persons_created": 3, "phones_added": 0, "filename": "名单.xlsx"}


def test_two_bad_rows_out_of_ten_save_nothing_and_both_are_reported(db):
    event = make_event("open")
    rows = people(10)
    rows[2] = ("张3", *rows[2][1:])  # Excel row 4
    rows[7] = (rows[7][0], rows[7][1][:-1] + "0" if rows[7][1][-1] != "0" else "1", *rows[7][2:])  # row 9
    with pytest.raises(Invalid) as caught:
        import_roster(SYSTEM, event, roster(*rows), today=TODAY)
    assert caught.value.message.startswith("名单中共2行有误，未导入任何数据")
    assert [(d["row"], d["field"]) for d in caught.value.details] == [(4, "name"), (9, "id_number")]
    assert count(db, Person) == 0 and count(db, Entry) == 0
    assert count(db, AuditEntry) == db.session.scalar(
        db.select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "entry.import"))


def test_reimporting_the_same_file_adds_nothing_twice(db):
    event = make_event("open")
    data = roster(*people(5))
    assert import_roster(SYSTEM, event, data, today=TODAY) == {"created": 5, "existing": 0}
    assert import_roster(SYSTEM, event, data, today=TODAY) == {"created": 0, "existing": 5}
    more = roster(*people(7))
    assert import_roster(SYSTEM, event, more, today=TODAY) == {"created": 2, "existing": 5}
    assert count(db, Person) == 7 and count(db, Entry) == 7


def test_a_person_is_shared_across_events(db):
    first, second = make_event("open"), make_event("open")
    data = roster(*people(3))
    import_roster(SYSTEM, first, data, today=TODAY)
    import_roster(SYSTEM, second, data, today=TODAY)
    assert count(db, Person) == 3 and count(db, Entry) == 6


def test_a_known_person_must_keep_their_name_and_gains_a_missing_mobile(db):
    event, later = make_event("open"), make_event("open")
    name, number, _, _ = people(1)[0]
    import_roster(SYSTEM, event, roster((name, number, None, None)), today=TODAY)
    with pytest.raises(Invalid) as caught:
        import_roster(SYSTEM, later, roster(("王小明", number, None, None)), today=TODAY)
    assert "已登记的姓名" in caught.value.details[0]["message"]
    assert import_roster(SYSTEM, later, roster((name, number, "13712345678", None)), today=TODAY)["created"] == 1
    assert db.session.scalar(db.select(Person.phone)) == "13712345678"


def test_an_entry_under_another_employer_is_a_problem(db):
    one, two = make_enterprise(), make_enterprise()
    event = make_event("open")
    name, number, phone, _ = people(1)[0]
    import_roster(SYSTEM, event, roster((name, number, phone, one.credit_code)), today=TODAY)
    with pytest.raises(Invalid) as caught:
        import_roster(SYSTEM, event, roster((name, number, phone, two.credit_code)), today=TODAY)
    assert caught.value.details[0]["field"] == "employer_credit_code"


def test_enterprise_users_import_their_own_employees_only(db):
    user = make_user(Role.ENTERPRISE)
    other = make_enterprise()
    event = make_event("open")
    actor = Actor(user)
    assert import_roster(actor, event, roster(*people(2)), today=TODAY)["created"] == 2
    assert set(db.session.scalars(db.select(Entry.employer_id))) == {user.enterprise_id}
    with pytest.raises(Invalid) as caught:
        import_roster(actor, event, roster(*people(1, other.credit_code, start=5)), today=TODAY)
    assert "只能为本企业员工报名" in caught.value.details[0]["message"]


@pytest.mark.parametrize("make_actor", [
    lambda: Actor(make_user(Role.JUDGE)),
    lambda: Actor(make_user(Role.ENTERPRISE, enterprise=None)),
])
def test_judges_and_enterprise_users_without_an_enterprise_may_not_import(db, make_actor):
    with pytest.raises(NotAllowed):
        import_roster(make_actor(), make_event("open"), roster(*people(1)), today=TODAY)


@pytest.mark.parametrize("status, today, words", [
    ("draft", TODAY, "不在报名期内"),
    ("open", date(2026, 6, 2), "报名已于 2026-06-01 截止"),
])
def test_the_enrolment_window_is_checked_first(db, status, today, words):
    with pytest.raises(InvalidState) as caught:
        import_roster(SYSTEM, make_event(status), b"not even a file", today=today)
    assert words in caught.value.message


@pytest.mark.parametrize("data, words", [
    (b"name,id\n", "未找到表头"),  # read as CSV: the kind comes from the bytes
    (b"\x89PNG\r\n\x1a\n\0\0", NOT_READABLE),
    (roster(*people(1), headers=("名字", "证件号")), "表头"),
    (roster(), "没有选手数据"),
])
def test_file_level_problems_are_refused_with_one_message(db, data, words):
    with pytest.raises(Invalid) as caught:
        import_roster(SYSTEM, make_event("open"), data, today=TODAY)
    assert words in caught.value.message


def test_the_row_cap_comes_from_the_config(app, db):
    app.config["ROSTER_MAX_ROWS"] = 3
    with pytest.raises(TooLarge) as caught:
        import_roster(SYSTEM, make_event("open"), roster(*people(4)), today=TODAY)
    assert "超过3行的上限" in caught.value.message


def test_a_numeric_id_cell_is_refused_with_an_explanation(db):
    name, number, _, _ = people(1)[0]
    with pytest.raises(Invalid) as caught:
        import_roster(SYSTEM, make_event("open"), roster((name, int(number[:17] + "0"), None, None)), today=TODAY)
    assert "数字格式" in caught.value.details[0]["message"] and "文本" in caught.value.details[0]["message"]


def test_preview_reports_without_saving(db):
    event = make_event("open")
    import_roster(SYSTEM, event, roster(*people(2)), today=TODAY)
    rows = people(4) + [("张3", id_number(400), None, None)]
    preview = preview_import(SYSTEM, event, roster(*rows), today=TODAY)
    assert {k: preview[k] for k in ("rows", "new", "existing", "bad_rows")} == {"rows": 5, "new": 2, "existing": 2,
                                                                                "bad_rows": 1}
    assert [p["row"] for p in preview["problems"]] == [6]
    assert count(db, Entry) == 2


def test_the_number_of_queries_does_not_grow_with_rows(db):
    code = make_enterprise().credit_code
    small, large = make_event("open"), make_event("open")
    known = people(5, code, start=300)
    import_roster(SYSTEM, small, roster(*known), today=TODAY)
    ten = roster(*people(10, code), *known[:2])
    two_hundred = roster(*people(200, code, start=10), *known[2:])
    few = statements(db, lambda: import_roster(SYSTEM, large, ten, today=TODAY))
    many = statements(db, lambda: import_roster(SYSTEM, large, two_hundred, today=TODAY))
    assert few == many and few <= 10
    assert count(db, Entry) == 5 + 12 + 203


def test_the_template_has_the_headers_a_guide_with_an_example_and_a_text_id_column(db):
    workbook = load_workbook(io.BytesIO(roster_template()))
    assert workbook.sheetnames == ["报名表", "填写说明"]
    sheet = workbook["报名表"]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert sheet.column_dimensions["B"].number_format == "@" and sheet.column_dimensions["B"].width >= 20
    guide = [[c.value for c in row] for row in workbook["填写说明"].iter_rows()]
    assert guide[1] == list(HEADERS) and guide[2][1] == "11010519491231002X"
    assert any("文本" in (row[0] or "") for row in guide[3:])


def test_the_example_row_of_the_template_imports(db):
    make_enterprise(credit_code="91350100M000100Y43")
    guide = load_workbook(io.BytesIO(roster_template()))["填写说明"]
    example = [c.value for c in guide[3]]
    assert import_roster(SYSTEM, make_event("open"), roster(example), today=TODAY)["created"] == 1
    with pytest.raises(Invalid) as caught:
        import_roster(SYSTEM, make_event("open"), roster_template(), today=TODAY)
    assert "没有选手数据" in caught.value.message


def _entries(db, event):
    """The event's entries, in id order."""
    return db.session.scalars(db.select(Entry).where(Entry.event_id == event.id).order_by(Entry.id)).all()


def test_the_roster_export_masks_and_keeps_formula_like_text_as_text(db):
    employer = make_enterprise(name="=HYPERLINK(\"http://evil\")")
    event = make_event("open")
    import_roster(SYSTEM, event, roster(*people(2, employer.credit_code)), today=TODAY)
    entries = _entries(db, event)
    entries[0].person.name = "=1+2"
    db.session.flush()
    sheet = load_workbook(io.BytesIO(roster_export(event, entries)))["报名名单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]  # two title lines above the table
    assert rows[0] == ["序号", "姓名", "性别", "出生日期", "身份证号码", "手机号码", "工作单位", "状态", "参赛号"]
    assert rows[1][1] == "=1+2" and sheet["B4"].data_type == "s"
    assert rows[1][6] == employer.name and sheet["G4"].data_type == "s"
    assert rows[1][4] == "3205**********" + entries[0].person.id_number[-4:] and rows[1][5] == "139****0000"
    assert rows[1][2] == "男" and rows[1][3].date() == date(1980, 1, 1) and rows[1][7] == "已报名"


def test_revealing_ids_in_an_export_is_audited_and_needs_the_actor(db):
    event = make_event("open")
    import_roster(SYSTEM, event, roster(*people(1)), today=TODAY)
    entries = _entries(db, event)
    with pytest.raises(ValueError):
        roster_export(event, entries, reveal_ids=True)
    organiser = make_user(Role.ORGANISER)
    data = roster_export(event, entries, reveal_ids=True, actor=Actor(organiser))
    assert load_workbook(io.BytesIO(data))["报名名单"]["E4"].value == entries[0].person.id_number
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "person.reveal_id"))
    assert audit.user_id == organiser.id and audit.after["count"] == 1


def test_the_sign_in_sheet_is_printable_with_numbers_once_drawn(db):
    event = make_event("open", venue="吴江区职业培训中心")
    import_roster(SYSTEM, event, roster(*people(3)), today=TODAY)
    entries = _entries(db, event)
    sheet = load_workbook(io.BytesIO(sign_in_sheet(event, entries)))["签到表"]
    assert "电工技能竞赛" in sheet["A1"].value and "2026年6月15日" in sheet["A2"].value
    assert "吴江区职业培训中心" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "工作单位", "签名"]
    for entry, number in zip(entries, ["002", "001", "003"]):
        entry.number = number
    sheet = load_workbook(io.BytesIO(sign_in_sheet(event, entries)))["签到表"]
    assert [c.value for c in sheet[3]] == ["序号", "参赛号", "姓名", "工作单位", "签名"]
    assert [sheet.cell(r, 2).value for r in (4, 5, 6)] == ["001", "002", "003"]
    assert sheet["C4"].value == entries[1].person.name and sheet["E4"].value is None
    assert sheet["E4"].border.bottom.style == "thin"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$3"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
