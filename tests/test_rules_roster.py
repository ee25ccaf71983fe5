"""Roster rules: header matching and every row problem, as plain tables (no database)."""
from datetime import date

import pytest

from competition.rules.cells import ERROR, FORMULA, UnreadCell
from competition.rules.roster import (HEADERS, RosterFacts, check_roster, guide_lines, header_key, match_headers,
                                      roster_keys)
from tests.builders import credit_code, id_number
from tests.office_files import full_width

TODAY = date(2026, 5, 20)
OWN, OTHER = credit_code(101), credit_code(102)
FACTS = RosterFacts(event_date=date(2026, 6, 15), today=TODAY, enterprises={OWN: 1, OTHER: 2})
A, B, C = id_number(1), id_number(2), id_number(3)


def sheet(*data, headers=HEADERS):
    """(row number, values) rows as read_upload gives them: header on row 1, data from row 2."""
    return [(1, tuple(headers))] + [(n, tuple(values)) for n, values in enumerate(data, 2)]


def problems(rows, facts=FACTS):
    """(row, field) of every problem."""
    return [(p["row"], p["field"]) for p in check_roster(rows, facts).problems]


def test_a_clean_roster_yields_its_entrants():
    check = check_roster(sheet(("张三", A, "13800000000", OWN), ("阿依古丽·买买提", B.lower(), None, None)), FACTS)
    assert check.ok and check.rows == 2 and check.existing == 0
    first, second = check.entrants
    assert (first.row, first.name, first.id_number, first.phone, first.employer_id) == (2, "张三", A, "13800000000", 1)
    assert (second.id_number, second.employer_id, second.gender, second.birth_date) == (B, None, "男", date(1990, 1, 1))


@pytest.mark.parametrize("headers", [
    ("姓名", "身份证号码", "手机号码", "工作单位统一社会信用代码"),
    ("工作单位统一社会信用代码", "姓名", "手机号码", "身份证号码", "备注"),
    (" 姓名* ", "身份证号码（18位）", "手机号", "统一社会信用代码"),
])
def test_headers_match_in_any_order_with_remarks(headers):
    index, columns = match_headers([(1, headers)])
    assert index == 0 and set(columns) == {"name", "id_number", "phone", "employer_credit_code"}
    assert headers[columns["name"]].strip().startswith("姓名")


def test_the_header_may_sit_under_a_title_line():
    rows = [(1, ("XX公司报名表",)), (2, HEADERS), (3, ("张三", A, None, OWN))]
    assert check_roster(rows, FACTS).entrants[0].row == 3


@pytest.mark.parametrize("headers, missing", [
    (("名字", "身份证号码", "手机号码", "工作单位统一社会信用代码"), "“姓名”"),
    (("姓名", "手机号码", "工作单位统一社会信用代码"), "“身份证号码”"),
    (("手机号码", "备注"), "“姓名”、“身份证号码”"),
    (("张三", A, None, OWN), None),
])
def test_wrong_or_missing_headers_give_one_message_listing_the_expected_ones(headers, missing):
    check = check_roster([(1, headers), (2, ("张三", A, None, OWN))], FACTS)
    assert not check.ok and check.problems == []
    assert (f"缺少{missing}列" if missing else "未找到表头") in check.error and "、".join(HEADERS) in check.error


@pytest.mark.parametrize("headers", [("姓名", "身份证号码"), ("身份证号码", "备注", "姓名", "手机号码")])
def test_the_optional_columns_may_be_missing_from_the_header(headers):
    rows = [(1, ("报名表",)), (2, headers)] + [(3 + i, tuple({"姓名": name, "身份证号码": number}.get(h, "")
                                                             for h in headers)) for i, (name, number) in
                                              enumerate([("张三", A), ("李四", B)])]
    check = check_roster(rows, FACTS)
    assert check.ok and [(e.row, e.id_number, e.phone, e.employer_id) for e in check.entrants] == [
        (3, A, None, None), (4, B, None, None)]
    own = RosterFacts(event_date=FACTS.event_date, today=TODAY, enterprise_id=7)
    assert {e.employer_id for e in check_roster(rows, own).entrants} == {7}  # no column: the user's own enterprise
    assert roster_keys(rows) == ({A, B}, set())


def test_a_repeated_header_is_refused():
    assert "出现了两次" in match_headers([(1, HEADERS + ("姓名",))])


def test_a_file_without_data_rows_is_refused():
    assert "没有选手数据" in check_roster(sheet((None, " ", None, "")), FACTS).error
    assert "没有选手数据" in check_roster(sheet(), FACTS).error


@pytest.mark.parametrize("row, field, words", [
    ((None, A, None, OWN), "name", "请填写姓名"),
    (("张3", A, None, OWN), "name", "只能包含中文"),
    (("=CMD()", A, None, OWN), "name", "只能包含中文"),
    (("张三", None, None, OWN), "id_number", "请填写身份证号码"),
    (("张三", 320584199001010011, None, OWN), "id_number", "数字格式"),
    (("张三", 3.20584199001e17, None, OWN), "id_number", "设置为“文本”格式"),
    (("张三", A[:-1] + ("0" if A[-1] != "0" else "1"), None, OWN), "id_number", "校验位"),
    (("张三", "320584199002300011", None, OWN), "id_number", "不是有效日期"),
    (("张三", "320584900101001", None, OWN), "id_number", "15位"),
    (("张三", A, "12345", OWN), "phone", "11位"),
    (("张三", A, None, "91320509ABCDEFGHJ0"), "employer_credit_code", "校验位"),
    (("张三", A, None, credit_code(999)), "employer_credit_code", "尚未在系统中登记"),
])
def test_each_bad_cell_is_reported_with_its_row_and_field(row, field, words):
    check = check_roster(sheet(("李四", B, None, OWN), row), FACTS)
    assert [(p["row"], p["field"]) for p in check.problems] == [(3, field)]
    message = check.problems[0]["message"]
    assert words in message and message.startswith("第3行")
    assert [e.row for e in check.entrants] == [2]


def test_every_problem_of_every_row_is_reported_in_row_order():
    rows = sheet(("张3", "123", "1", "x"), ("王五", C, None, OWN), ("", A, "99", None))
    assert problems(rows) == [(2, "name"), (2, "id_number"), (2, "phone"), (2, "employer_credit_code"),
                              (4, "name"), (4, "phone")]


def test_a_duplicate_id_names_both_rows_and_enrols_neither():
    check = check_roster(sheet(("张三", A, None, OWN), ("王五", C, None, OWN), ("张三", A.lower(), None, OWN)),
                         FACTS)
    assert [(p["row"], p["message"]) for p in check.problems] == [
        (2, "第2行 身份证号码：身份证号码与第4行重复。"), (4, "第4行 身份证号码：身份证号码与第2行重复。")]
    assert [e.id_number for e in check.entrants] == [C]


def test_enterprise_users_enrol_their_own_employees_only():
    facts = RosterFacts(event_date=FACTS.event_date, today=TODAY, enterprise_id=1, enterprises={OWN: 1, OTHER: 2})
    check = check_roster(sheet(("张三", A, None, None), ("李四", B, None, OWN), ("王五", C, None, OTHER)), facts)
    assert [(e.row, e.employer_id) for e in check.entrants] == [(2, 1), (3, 1)]
    assert [(p["row"], p["field"]) for p in check.problems] == [(4, "employer_credit_code")]
    assert "只能为本企业员工报名" in check.problems[0]["message"]


def test_age_limits_apply_on_the_event_date():
    facts = RosterFacts(event_date=date(2026, 6, 15), today=TODAY, min_age=18, max_age=35, enterprises={OWN: 1})
    young, old, ok = id_number(4, birth="20080616"), id_number(5, birth="19900101"), id_number(6, birth="20080615")
    check = check_roster(sheet(("张三", young, None, OWN), ("李四", old, None, OWN), ("王五", ok, None, OWN)), facts)
    assert [(p["row"], p["field"]) for p in check.problems] == [(2, "id_number"), (3, "id_number")]
    assert "低于最低年龄18岁" in check.problems[0]["message"] and "超过最高年龄35岁" in check.problems[1]["message"]


def test_an_id_registered_under_another_name_is_refused_with_the_name_masked():
    facts = RosterFacts(event_date=FACTS.event_date, today=TODAY, enterprises={OWN: 1}, persons={A: "张三丰"})
    check = check_roster(sheet(("张三风", A, None, OWN), ("张三丰", A, None, OWN)), facts)
    messages = [p["message"] for p in check.problems if p["field"] == "name"]
    assert len(messages) == 1 and "“张*丰”" in messages[0] and "张三丰”" not in messages[0]


def test_already_enrolled_identically_is_existing_but_another_employer_is_a_problem():
    facts = RosterFacts(event_date=FACTS.event_date, today=TODAY, enterprises={OWN: 1, OTHER: 2},
                        persons={A: "张三", B: "李四", C: "王五"}, entries={A: 1, B: 1})
    check = check_roster(sheet(("张三", A, None, OWN), ("李四", B, None, OTHER), ("王五", C, None, OWN)), facts)
    assert check.existing == 1
    assert [(p["row"], p["field"]) for p in check.problems] == [(3, "employer_credit_code")]
    assert [(e.row, e.known) for e in check.entrants] == [(4, True)]


def test_already_enrolled_under_a_different_name_is_a_problem_not_existing():
    facts = RosterFacts(event_date=FACTS.event_date, today=TODAY, enterprises={OWN: 1}, persons={A: "张三"},
                        entries={A: 1})
    check = check_roster(sheet(("张四", A, None, OWN)), facts)
    assert check.existing == 0 and [(p["row"], p["field"]) for p in check.problems] == [(2, "name")]


def test_a_cell_without_a_value_is_a_problem_of_its_row_naming_the_cell():
    rows = sheet(("张三", A, None, OWN), (UnreadCell("A3", FORMULA), B, UnreadCell("C3", ERROR), OWN),
                 ("王五", C, None, OWN)) + [(5, ("赵六", id_number(4), None, OWN, UnreadCell("E5", ERROR)))]
    check = check_roster(rows, FACTS)
    assert [(p["row"], p["field"], p["message"]) for p in check.problems] == [
        (3, "name", "第3行 姓名：单元格 A3 的公式没有保存计算结果，请在 Excel 中打开并保存，或“粘贴为数值”后再上传。"),
        (3, "phone", "第3行 手机号码：单元格 C3 是错误值（如 #N/A、#REF!），请改正公式或“粘贴为数值”后再上传。")]
    assert [e.row for e in check.entrants] == [2, 4, 5] and check.rows == 4  # a column not read is not looked at


def test_full_width_characters_and_spaces_around_names_are_normalised():
    with_x = next(n for n in (id_number(i, birth="19880808") for i in range(499)) if n.endswith("X"))
    rows = sheet(("\u3000张三\u00a0", full_width(A), full_width("13800000000"), full_width(OWN).lower()),
                 (" 李四\u3000", full_width(with_x), "138-0000-0001", None))
    check = check_roster(rows, FACTS)
    assert check.ok, check.problems
    assert [(e.name, e.id_number, e.phone, e.employer_id) for e in check.entrants] == [
        ("张三", A, "13800000000", 1), ("李四", with_x, "13800000001", None)]


@pytest.mark.parametrize("shown", ["3.20584E+17", "3.20584199001e+17", "３.２０５８４Ｅ＋１７"])
def test_an_id_number_saved_as_excel_shows_a_number_is_refused_with_the_fix(shown):
    check = check_roster(sheet(("张三", shown, None, OWN)), FACTS)
    assert [p["field"] for p in check.problems] == ["id_number"]
    message = check.problems[0]["message"]
    assert message.startswith("第2行 身份证号码：") and "科学计数法" in message and "设置为“文本”格式" in message


def test_numbers_in_text_columns_are_read_as_text():
    check = check_roster(sheet(("张三", A, 13800000000, OWN), ("李四", B, 13900000000.0, OWN)), FACTS)
    assert check.ok and [e.phone for e in check.entrants] == ["13800000000", "13900000000"]


def test_roster_keys_are_the_normalised_ids_and_codes_for_loading_facts():
    rows = sheet(("张三", A.lower() + " ", None, OWN.lower()), ("李四", B, None, None), (None, None, None, None))
    assert roster_keys(rows) == ({A, B}, {OWN})
    assert roster_keys([(1, ("x",))]) == (set(), set())


def test_header_key_ignores_non_text():
    assert header_key(3) is None and header_key("手机号码 (选填)") == "phone"


def test_the_guide_mentions_every_column_the_formats_and_the_limits():
    lines = guide_lines(500, 2)
    assert all(any(h in line for line in lines) for h in HEADERS)
    assert any("2MB、500行" in line for line in lines)
    assert any(".xlsx（Excel、WPS、LibreOffice 保存的均可）、.xls 或 .csv（UTF-8 或 GBK 编码）" in line for line in lines)
    assert any("按保存时的计算结果导入" in line for line in lines)
