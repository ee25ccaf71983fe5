"""Safe .xlsx reading (every refusal, with its message; formula cells as their saved values) and writing (user
text stays text). Legacy .xls is in test_xls_uploads.py, CSV in test_csv_uploads.py, real files from LibreOffice,
xlwt and Excel-style CSV in test_roster_office_files.py."""
import io
import os
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from competition.errors import Invalid, TooLarge
from competition.rules.cells import ERROR, FORMULA, UnreadCell
from competition.xlsx import NOT_READABLE, ColumnSpec, PrintSpec, SheetSpec, UploadLimits, read_upload, write_workbook
from competition.xlsx import sheet_scan
from tests.office_files import office_file
from tests.xlsx_files import workbook_with_sheet


def xlsx(*rows, title="报名表", extra_sheets=()) -> bytes:
    """A small workbook built the ordinary way (formulas typed as '=…' become formulas)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name in extra_sheets:
        workbook.create_sheet(name).append(["其他"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, *, add=None, replace=None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of an xlsx with members added or replaced."""
    add, replace = add or {}, replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def refused(data: bytes, error=Invalid, **kwargs) -> str:
    """The message of the refusal."""
    with pytest.raises(error) as caught:
        read_upload(data, **kwargs)
    return caught.value.message


BASIC = xlsx(["姓名", "身份证号码"], ["张三", "11010519491231002X"])


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_rows_come_back_with_their_excel_row_numbers_and_blank_rows_skipped():
    data = xlsx(["姓名", "身份证号码"], ["张三", "11010519491231002X"], [None, None], ["李四", "320584199001010011"])
    assert read_upload(data) == [(1, ["姓名", "身份证号码"]), (2, ["张三", "11010519491231002X"]),
                                 (4, ["李四", "320584199001010011"])]


def test_leading_blank_rows_and_columns_keep_the_row_numbers_and_positions_right():
    workbook = Workbook()
    workbook.active.cell(row=3, column=2, value="姓名")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_upload(buffer.getvalue()) == [(3, ["", "姓名"])]


def test_values_keep_their_types_and_an_empty_cell_is_empty_text():
    data = xlsx(["姓名", "身份证号码", "手机号码"], ["张三", 320584199001010011, 13800000000], ["李四", None, True])
    assert read_upload(data)[1:] == [(2, ["张三", 320584199001010011.0, 13800000000.0]), (3, ["李四", "", True])]


def test_a_workbook_with_an_empty_stylesheet_still_reads():
    empty_styles = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    data = rezip(BASIC, replace={"xl/styles.xml": empty_styles})
    assert read_upload(data)[1] == (2, ["张三", "11010519491231002X"])


def test_the_named_sheet_is_read_even_when_it_is_not_first():
    workbook = Workbook()
    workbook.active.title = "填写说明"
    workbook.active.append(["示例"])
    workbook.create_sheet("报名表").append(["姓名"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_upload(buffer.getvalue(), sheet="报名表") == [(1, ["姓名"])]
    assert read_upload(buffer.getvalue(), sheet="没有") == [(1, ["示例"])]


@pytest.mark.parametrize("hidden, expected", [
    (("报名表",), "说明"),  # the template's sheet hidden: the first visible one
    (("说明",), "报名表"),
    (("说明", "报名表"), "名单"),
])
def test_hidden_sheets_are_skipped(hidden, expected):
    workbook = Workbook()
    workbook.active.title = "说明"
    for name in ("报名表", "名单"):
        workbook.create_sheet(name)
    for sheet in workbook.worksheets:
        sheet.append([sheet.title])
        sheet.sheet_state = "hidden" if sheet.title in hidden else "visible"
    workbook.active = workbook.sheetnames.index(expected)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_upload(buffer.getvalue(), sheet="报名表") == [(1, [expected])]


def test_a_workbook_without_a_visible_worksheet_is_refused():
    with zipfile.ZipFile(io.BytesIO(BASIC)) as archive:
        book = archive.read("xl/workbook.xml")
    hidden = book.replace(b'state="visible"', b'state="hidden"')
    assert hidden != book
    message = refused(rezip(BASIC, replace={"xl/workbook.xml": hidden}))
    assert message.startswith(NOT_READABLE) and "没有可见的工作表" in message


def test_a_wrong_stored_dimension_does_not_drop_rows():
    data = xlsx(["a"], ["b"], ["c"], ["d"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:A4"/>' in sheet
    data = rezip(data, replace={"xl/worksheets/sheet1.xml": sheet.replace(b'ref="A1:A4"', b'ref="A1:A1"')})
    assert [n for n, _ in read_upload(data)] == [1, 2, 3, 4]


def test_too_large_a_file_is_413():
    assert "超过5MB的上限" in refused(b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), TooLarge)
    assert "超过" in refused(BASIC, TooLarge, limits=UploadLimits(max_bytes=1000))


@pytest.mark.parametrize("data, hint", [
    (b"", "文件是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "损坏"),
    (BASIC[: len(BASIC) // 2], "损坏"),
    (b"PK\x03\x04" + os.urandom(300), "损坏"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "无法识别文件格式"),
])
def test_what_is_not_a_readable_file_is_refused(data, hint):
    message = refused(data)
    assert message.startswith(NOT_READABLE) and hint in message


def test_the_kind_of_file_comes_from_its_bytes_not_its_name():
    text = "姓名,身份证号码\n张三,11010519491231002X\n".encode("utf-8")
    assert read_upload(text) == [(1, ["姓名", "身份证号码"]), (2, ["张三", "11010519491231002X"])]


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(out.getvalue()).startswith(NOT_READABLE)


@pytest.mark.parametrize("members, words", [
    ({"xl/workbook.bin": b"\0"}, ".xlsb"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, ".ods"),
])
def test_other_zip_formats_are_named(members, words):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    message = refused(out.getvalue())
    assert message.startswith(NOT_READABLE) and words in message and "另存为 .xlsx" in message


def test_an_xlsx_that_is_also_an_ods_is_refused():
    # calamine tries the formats in turn: a part it fails to read as .xlsx must not be read as .ods instead
    message = refused(rezip(BASIC, add={"content.xml": b"<x/>"}))
    assert message.startswith(NOT_READABLE) and "多种表格格式" in message


def test_a_workbook_with_garbage_xml_is_refused():
    data = rezip(BASIC, replace={"xl/workbook.xml": b"<not really"})
    assert refused(data).startswith(NOT_READABLE)


def test_too_many_zip_members_are_refused():
    data = rezip(BASIC, add={f"xl/media/image{i}.png": b"x" for i in range(100)})
    assert "超过100个的上限" in refused(data)


def test_a_member_that_inflates_a_hundredfold_is_a_zip_bomb():
    data = rezip(BASIC, add={"xl/media/bomb.bin": b"\0" * (10 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "疑似压缩炸弹" in refused(data)


def test_too_much_uncompressed_data_is_413():
    data = rezip(BASIC, add={"xl/media/noise.bin": os.urandom(300_000).hex().encode()})
    message = refused(data, TooLarge, limits=UploadLimits(max_uncompressed=500_000))
    assert "解压后" in message and "上限" in message


def test_macros_are_refused():
    assert "宏" in refused(rezip(BASIC, add={"xl/vbaProject.bin": b"\0" * 100}))
    with zipfile.ZipFile(io.BytesIO(BASIC)) as archive:
        types = archive.read("[Content_Types].xml")
    macro_types = types.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert macro_types != types
    assert "宏" in refused(rezip(BASIC, replace={"[Content_Types].xml": macro_types}))


def test_external_links_are_refused():
    data = rezip(BASIC, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "外部链接" in refused(data)


def sheet(cells: str) -> bytes:
    """A workbook whose 报名表 sheet is the given <sheetData> content, written as Excel writes it."""
    return workbook_with_sheet(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
                               b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                               + cells.encode() + b"</sheetData></worksheet>")


def test_formula_cells_are_read_as_their_saved_values():
    data = sheet('<row r="1"><c r="A1" t="str"><f>"张"&amp;"三"</f><v>张三</v></c><c r="B1"><f>1+2</f><v>3</v></c>'
                 '<c r="C1" t="str"><f>IF(1,"","x")</f><v></v></c><c r="D1" t="b"><f>TRUE()</f><v>1</v></c></row>')
    assert read_upload(data) == [(1, ["张三", 3.0, "", True])]


def test_a_formula_without_a_saved_result_is_an_unread_cell_naming_it():
    data = xlsx(["姓名", "身份证号码"], ["张三", "11010519491231002X"], ["李四", "=A2&\"1\""])  # openpyxl computes nothing
    assert read_upload(data)[2] == (3, ["李四", UnreadCell("B3", FORMULA)])
    data = sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="B3"><f>A1&amp;"x"</f></c>'
                 '<c r="C3" t="n"><f>A1</f><v/></c><c r="D3" t="str"><f t="shared" ref="D3:D4" si="0">A1</f></c></row>')
    assert read_upload(data) == [(1, [1.0]), (3, ["", UnreadCell("B3", FORMULA), UnreadCell("C3", FORMULA),
                                              UnreadCell("D3", FORMULA)])]


def test_an_error_value_is_an_unread_cell_naming_it():
    data = sheet('<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="e"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c>'
                 '<c r="C2" t="e"><v>#REF!</v></c></row>')
    data = rezip(data, add={"xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                                     b'2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>'})
    assert read_upload(data) == [(2, ["x", UnreadCell("B2", ERROR), UnreadCell("C2", ERROR)])]


def test_text_that_merely_begins_with_equals_is_not_a_formula():
    data = write_workbook([SheetSpec("报名表", [ColumnSpec("姓名")], rows=[["=不是公式"]])])
    assert read_upload(data) == [(1, ["姓名"]), (2, ["=不是公式"])]


def test_xml_entity_declarations_are_refused():
    with zipfile.ZipFile(io.BytesIO(BASIC)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    body = sheet_xml.split(b"?>", 1)[-1]
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body.replace(b"<t>", b"<t>&b;", 1)
    message = refused(rezip(BASIC, replace={"xl/worksheets/sheet1.xml": bomb}))
    assert message.startswith(NOT_READABLE) and "不安全" in message
    styles = b'<!DOCTYPE x [<!ENTITY a "a">]><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    assert "不安全" in refused(rezip(BASIC, replace={"xl/styles.xml": styles}))


@pytest.mark.parametrize("cells, error, words", [
    ('<row r="1"><c r="A1"><v>1</v></c><c r="D1000000"><v>2</v></c></row>', TooLarge, "分布过广（最远到单元格 D1000000）"),
    ('<row r="1"><c r="xfd1"><v>1</v></c></row>', Invalid, "超过64列"),  # calamine reads lower-case references
    ('<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>', Invalid, "损坏"),  # a second r: calamine takes it
    ('<row r="1"><c r="A1"><v>1</v></c><c s="1"r="ZZ1"><v>1</v></c></row>', Invalid, "损坏"),
    ('<row r="1"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="A900000"><x:v>1</x:v>'
     '</x:c><c r="B1"><v>1</v></c></row>', TooLarge, "分布过广"),
    ('<row r="1"><c r="B1"><v>1</v></c></row><row r="999999"><c><v>1</v></c></row>', TooLarge, "分布过广"),
    ('<row r="1"><c r="D1"><v>1</v></c><c r="A999999"><f>A1</f></c></row>', TooLarge, "分布过广"),  # unread, placed
])
def test_cells_far_apart_or_misleading_references_are_refused_before_calamine_lays_them_out(cells, error, words):
    assert words in refused(sheet(cells), error)


def test_a_sheet_in_utf16_is_counted_exactly_too():
    xml = ('<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="D1000000"><v>2</v></c></row></sheetData>'
           "</worksheet>").encode("utf-16")
    assert "分布过广" in refused(workbook_with_sheet(xml), TooLarge)


@pytest.mark.parametrize("name, quick", [("hidden_first_sheet.xlsx", True), ("id_as_number.xlsx", True),
                                         ("libreoffice_formulas.xlsx", False), ("formula_without_value.xlsx", False)])
def test_the_quick_scan_agrees_with_the_exact_count_and_serves_what_office_programs_write(name, quick):
    limits = UploadLimits()
    with zipfile.ZipFile(io.BytesIO(office_file(name))) as archive:
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/"):
                continue
            counter = sheet_scan._CellCounter(limits, 0)
            sheet_scan.stream(archive, member, counter.parser)
            found = sheet_scan._quick_count(archive, member, limits, 0)
            assert found == (counter.cells if quick else None)
    with zipfile.ZipFile(io.BytesIO(BASIC)) as archive:  # openpyxl's inline strings
        assert sheet_scan._quick_count(archive, archive.getinfo("xl/worksheets/sheet1.xml"), limits, 0) == 4


def test_a_distant_cell_without_a_value_does_not_count_against_the_area():
    data = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
                 '<row r="900000"><c r="D900000" s="1"/></row>')
    assert read_upload(data) == [(1, ["姓名"])]


def test_a_sheet_outside_the_worksheets_folder_is_counted_too():
    wide = "".join(f'<c r="{letters}1"><v>1</v></c>' for letters in ("A", "BA", "CA"))
    data = sheet(f'<row r="1">{wide}</row>')
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    moved = rezip(data, replace={"xl/worksheets/sheet1.xml": b"<worksheet/>",
                                 "xl/_rels/workbook.xml.rels": rels.replace(b"/xl/worksheets/sheet1.xml",
                                                                            b"/xl/elsewhere.xml")},
                  add={"xl/elsewhere.xml": sheet_xml})
    assert b"elsewhere" in zipfile.ZipFile(io.BytesIO(moved)).read("xl/_rels/workbook.xml.rels")
    assert "超过64列" in refused(moved)


def test_a_shared_string_count_no_roster_has_is_refused():
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
               b'uniqueCount="999999999999"><si><t>x</t></si></sst>')
    assert "单元格超过" in refused(rezip(BASIC, add={"xl/sharedStrings.xml": strings}), TooLarge)


def test_the_row_cap_counts_data_rows():
    assert UploadLimits().max_rows == 10_000
    five = xlsx(["姓名"], *[[f"选手{i}"] for i in range(5)])
    assert len(read_upload(five, limits=UploadLimits(max_rows=5))) == 6
    six = xlsx(["姓名"], *[[f"选手{i}"] for i in range(6)])
    assert "超过5行的上限" in refused(six, TooLarge, limits=UploadLimits(max_rows=5))


@pytest.mark.parametrize("text", ["=1+2", "=HYPERLINK(\"http://example.com\",\"点我\")", "+86 cmd", "-2+3", "@SUM(A1)"])
def test_user_text_is_written_as_text_never_as_a_formula(text):
    data = write_workbook([SheetSpec("名单", [ColumnSpec("姓名")], rows=[[text]])])
    cell = load_workbook(io.BytesIO(data))["名单"]["A2"]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_written_sheets_have_widths_header_style_text_columns_and_print_setup():
    columns = [ColumnSpec("序号", 6), ColumnSpec("身份证号码", 22, text=True), ColumnSpec("签名", 20)]
    data = write_workbook([SheetSpec("签到表", columns, rows=[[1, 110105194912310020, None]], heading=["标题"],
                                     print_spec=PrintSpec(), row_height=28, borders=True)])
    sheet = load_workbook(io.BytesIO(data))["签到表"]
    assert sheet.column_dimensions["B"].width == 22 and sheet.column_dimensions["A"].width == 6
    assert sheet["A2"].font.bold and sheet["A2"].value == "序号"
    assert sheet["B3"].value == "110105194912310020" and sheet["B3"].number_format == "@"
    assert sheet.column_dimensions["B"].number_format == "@"
    assert sheet["C3"].border.left.style == "thin" and sheet.row_dimensions[3].height == 28
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1"]


def test_control_characters_in_user_text_do_not_break_the_export():
    data = write_workbook([SheetSpec("名单", [ColumnSpec("姓名")], rows=[["张\x00三\x07"]])])
    assert load_workbook(io.BytesIO(data))["名单"]["A2"].value == "张三"


def test_unstyled_data_cells_are_ruled_by_printed_gridlines_and_still_refuse_formulas():
    columns = [ColumnSpec("参赛号", 8, text=True), ColumnSpec("姓名", 12, text=True), ColumnSpec("总分", 8)]
    data = write_workbook([SheetSpec("成绩册", columns, rows=[["001", "=HYPERLINK(\"x\")", 87.45]],
                                     print_spec=PrintSpec(gridlines=True), style_cells=False)])
    sheet = load_workbook(io.BytesIO(data))["成绩册"]
    assert sheet.print_options.gridLines and sheet["A1"].border.left.style == "thin"  # the header keeps its rule
    number, name, total = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (number.value, number.data_type, number.has_style) == ("001", "s", False)  # text, not the number 1
    assert name.data_type == "s" and name.quotePrefix  # formula-like text still can't become a formula
    assert total.value == 87.45 and sheet.column_dimensions["A"].number_format == "@"
