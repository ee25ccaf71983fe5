"""Safe .xlsx reading (every refusal, with its message) and writing (user text stays text)."""
import io
import os
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from competition.errors import Invalid, TooLarge
from competition.xlsx import NOT_XLSX, ColumnSpec, PrintSpec, SheetSpec, UploadLimits, read_upload, write_workbook


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
    assert read_upload(data) == [(1, ("姓名", "身份证号码")), (2, ("张三", "11010519491231002X")),
                                 (4, ("李四", "320584199001010011"))]


def test_leading_blank_rows_keep_the_row_numbers_right():
    workbook = Workbook()
    workbook.active.cell(row=3, column=2, value="姓名")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_upload(buffer.getvalue()) == [(3, (None, "姓名"))]


def test_openpyxl_warnings_about_harmless_oddities_do_not_refuse_the_file():
    empty_styles = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    data = rezip(BASIC, replace={"xl/styles.xml": empty_styles})
    with pytest.warns(UserWarning, match="stylesheet"):
        load_workbook(io.BytesIO(data), read_only=True).close()
    assert read_upload(data)[1] == (2, ("张三", "11010519491231002X"))


def test_the_named_sheet_is_read_even_when_it_is_not_first():
    workbook = Workbook()
    workbook.active.title = "填写说明"
    workbook.active.append(["示例"])
    workbook.create_sheet("报名表").append(["姓名"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_upload(buffer.getvalue(), sheet="报名表") == [(1, ("姓名",))]
    assert read_upload(buffer.getvalue(), sheet="没有") == [(1, ("示例",))]


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
    ("姓名,身份证号码\n张三,11010519491231002X\n".encode("utf-8"), "CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls"),
    (BASIC[: len(BASIC) // 2], "损坏"),
    (b"PK\x03\x04" + os.urandom(300), "损坏"),
])
def test_what_is_not_an_xlsx_is_refused(data, hint):
    message = refused(data)
    assert message.startswith(NOT_XLSX) and hint in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(out.getvalue()).startswith(NOT_XLSX)


def test_a_workbook_with_garbage_xml_is_refused():
    data = rezip(BASIC, replace={"xl/workbook.xml": b"<not really"})
    assert refused(data).startswith(NOT_XLSX)


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


def test_formula_cells_are_refused_naming_the_cell():
    with pytest.raises(Invalid) as caught:
        read_upload(xlsx(["姓名", "身份证号码"], ["张三", "11010519491231002X"], ["李四", "=A2&\"1\""]))
    assert "B3" in caught.value.message and "公式" in caught.value.message
    assert caught.value.details == [{"row": 3, "message": "单元格 B3 含有公式。"}]


def test_text_that_merely_begins_with_equals_is_not_a_formula():
    data = write_workbook([SheetSpec("报名表", [ColumnSpec("姓名")], rows=[["=不是公式"]])])
    assert read_upload(data) == [(1, ("姓名",)), (2, ("=不是公式",))]


def test_xml_entity_declarations_are_refused():
    with zipfile.ZipFile(io.BytesIO(BASIC)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[-1]
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body.replace(b"<v>", b"<v>&b;", 1)
    message = refused(rezip(BASIC, replace={"xl/worksheets/sheet1.xml": bomb}))
    assert message.startswith(NOT_XLSX) and "不安全" in message


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
