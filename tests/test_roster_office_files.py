"""Roster files as offices send them (RULES.md §4; issue 18, item 2): real files saved by LibreOffice, written by
xlwt, and CSV as Excel and WPS save it, from tests/files/office/ (made by make_files.py there), imported through
the service and the API. Each test asserts what the user relies on: who was enrolled, or the exact row error."""
import io

import pytest

from competition.errors import Invalid
from competition.models import Entry, Person, Role
from competition.services.audit import SYSTEM, Actor
from competition.services.events.roster import import_roster, preview_import
from tests.builders import make_enterprise, make_open_event, make_user
from tests.clients import api_headers
from tests.counting import count
from tests.office_files import EMPLOYER, PEOPLE, office_file

(A, A_ID, A_PHONE), (B, B_ID, B_PHONE), (C, C_ID, C_PHONE), (D, D_ID, D_PHONE) = PEOPLE


def enrolled(db, event) -> list[tuple]:
    """(name, ID number, mobile, employer's credit code) of every entry of the event, in ID order."""
    entries = db.session.scalars(db.select(Entry).where(Entry.event_id == event.id)).all()
    return sorted((e.person.name, e.person.id_number, e.person.phone, e.employer.credit_code if e.employer else None)
                  for e in entries)


def refused_rows(event, name: str, actor=SYSTEM) -> list[tuple]:
    """(row, field, message) of every problem of a refused file; nothing was saved."""
    with pytest.raises(Invalid) as caught:
        import_roster(actor, event, office_file(name))
    return [(d["row"], d["field"], d["message"]) for d in caught.value.details]


@pytest.mark.parametrize("name", ["libreoffice_formulas.xlsx", "utf8_bom.csv", "utf8.csv"])
def test_formula_cells_title_rows_and_csv_in_utf8_with_or_without_bom_import(db, name):
    """LibreOffice's .xlsx with formula cells (their saved values: 李秀英 is CONCATENATE("李","秀英"), the first mobile
    "139"&"00000701", the third employer =D3) under a title line; the same rows as CSV, with and without a BOM."""
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    assert import_roster(SYSTEM, event, office_file(name), filename=name) == {"created": 3, "existing": 0}
    assert enrolled(db, event) == sorted([(A, A_ID, A_PHONE, EMPLOYER), (B, B_ID, B_PHONE, EMPLOYER),
                                          (C, C_ID, C_PHONE, EMPLOYER)])


def test_a_formula_without_a_saved_result_refuses_the_file_naming_the_cell(db):
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    assert refused_rows(event, "formula_without_value.xlsx") == [
        (4, "name", "第4行 姓名：单元格 A4 的公式没有保存计算结果，请在 Excel 中打开并保存，或“粘贴为数值”后再上传。")]
    assert count(db, Entry) == 0 and count(db, Person) == 0


def test_an_xls_saved_by_libreoffice_with_full_width_characters_and_spaces_imports_normalised(db):
    """Names wrapped in full-width and no-break spaces, ID number, mobile and credit code typed full-width (Ｘ too),
    a mobile with dashes, a lower-case credit code, and a blank employer."""
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    assert import_roster(SYSTEM, event, office_file("libreoffice.xls")) == {"created": 3, "existing": 0}
    assert enrolled(db, event) == sorted([(A, A_ID, A_PHONE, EMPLOYER), (B, B_ID, B_PHONE, EMPLOYER),
                                          (D, D_ID, D_PHONE, None)])
    assert D_ID.endswith("X")


def test_an_xls_written_by_xlwt_without_the_optional_columns_enrols_the_enterprise_users_own_staff(db):
    user = make_user(Role.ENTERPRISE)
    event = make_open_event()
    assert import_roster(Actor(user), event, office_file("xlwt.xls")) == {"created": 2, "existing": 0}
    own = user.enterprise.credit_code
    assert enrolled(db, event) == sorted([(A, A_ID, None, own), (D, D_ID, None, own)])


def test_a_gbk_csv_with_a_full_width_id_and_no_employer_column_imports(db):
    event = make_open_event()
    assert import_roster(SYSTEM, event, office_file("gbk.csv")) == {"created": 2, "existing": 0}
    assert enrolled(db, event) == sorted([(A, A_ID, A_PHONE, None), (B, B_ID, None, None)])


def test_a_tab_separated_csv_imports(db):
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    assert import_roster(SYSTEM, event, office_file("tabs.csv")) == {"created": 2, "existing": 0}
    assert enrolled(db, event) == sorted([(A, A_ID, A_PHONE, EMPLOYER), (B, B_ID, B_PHONE, EMPLOYER)])


def test_the_hidden_template_sheet_is_skipped_for_the_first_visible_one(db):
    """报名表 is hidden (an old list with a bad row in it); 名单, the next sheet, is read."""
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    assert import_roster(SYSTEM, event, office_file("hidden_first_sheet.xlsx")) == {"created": 2, "existing": 0}
    assert enrolled(db, event) == sorted([(A, A_ID, A_PHONE, EMPLOYER), (B, B_ID, B_PHONE, EMPLOYER)])


@pytest.mark.parametrize("name, shown", [("id_as_number.xlsx", "3.20584198506204e+17"),
                                         ("id_as_number.xls", "3.20584198506204e+17")])
def test_an_id_number_stored_as_a_number_is_refused_naming_the_row_and_the_fix(db, name, shown):
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    assert refused_rows(event, name) == [
        (3, "id_number", f"第3行 身份证号码：身份证号码单元格是数字格式（{shown}）：Excel 只保留15位有效数字，"
                         "会丢失末位或变成科学计数法。请将“身份证号码”列设置为“文本”格式后重新填写。")]
    assert count(db, Entry) == 0


def test_an_ods_file_is_named_with_the_fix(db):
    with pytest.raises(Invalid) as caught:
        preview_import(SYSTEM, make_open_event(), office_file("libreoffice.ods"))
    assert caught.value.message == ("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：这是 OpenDocument 表格（.ods），"
                                    "请在 LibreOffice 或 WPS 中另存为 .xlsx 后再上传。")


def upload(client, headers, event, name: str, query: str = ""):
    """POST one of the files to the API's import, under its own name."""
    return client.post(f"/api/v1/events/{event.id}/entries/import{query}", headers=headers,
                       data={"file": (io.BytesIO(office_file(name)), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("name, created", [("libreoffice.xls", 3), ("xlwt.xls", 2), ("gbk.csv", 2),
                                           ("utf8_bom.csv", 3), ("libreoffice_formulas.xlsx", 3)])
def test_the_api_imports_each_kind_of_file(client, db, name, created):
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    response = upload(client, api_headers(client, organiser), event, name)
    assert (response.status_code, response.get_json()) == (200, {"created": created, "existing": 0})
    assert count(db, Entry) == created


def test_the_api_lists_the_row_of_a_formula_without_a_result_and_saves_nothing(client, db):
    make_enterprise(credit_code=EMPLOYER)
    event = make_open_event()
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    headers = api_headers(client, organiser)
    dry = upload(client, headers, event, "formula_without_value.xlsx", "?dry_run=1").get_json()
    assert (dry["rows"], dry["new"], dry["bad_rows"]) == (3, 2, 1)
    response = upload(client, headers, event, "formula_without_value.xlsx")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "1行有误，未导入任何数据" in error["message"]
    assert [(d["row"], d["field"]) for d in error["details"]] == [(4, "name")]
    assert "单元格 A4 的公式没有保存计算结果" in error["details"][0]["message"]
    assert count(db, Entry) == 0
