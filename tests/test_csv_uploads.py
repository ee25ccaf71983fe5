"""CSV uploads (competition/xlsx/delimited.py): the encodings Excel and WPS save in, found by decoding strictly;
the delimiter; every cell text; the same ceilings as a workbook; what is not text refused with the reason."""
import time

import pytest

from competition.errors import Invalid, TooLarge
from competition.xlsx import NOT_READABLE, UploadLimits, read_upload

TABLE = [["姓名", "身份证号码", "手机号码"], ["张三", "11010519491231002X", "13800000000"], ["李四", "320584199001010011", ""]]


def csv_text(rows, delimiter=",") -> str:
    """Rows joined as Excel writes them (CRLF)."""
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def refused(data: bytes, error=Invalid, **kwargs) -> str:
    """The message of the refusal."""
    with pytest.raises(error) as caught:
        read_upload(data, **kwargs)
    return caught.value.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_each_encoding_reads_to_the_same_rows(encoding):
    assert read_upload(csv_text(TABLE).encode(encoding)) == [(1, TABLE[0]), (2, TABLE[1]), (3, TABLE[2])]


def test_a_character_only_gb18030_has_is_read():
    rows = [["姓名"], ["\U00020000\u4e09"]]  # 𠀀 is four bytes in GB18030, not in GBK
    assert read_upload(csv_text(rows).encode("gb18030"))[1] == (2, ["\U00020000\u4e09"])


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_found(delimiter):
    data = csv_text([["吴江区报名表"]] + TABLE, delimiter).encode("utf-8")
    assert read_upload(data)[1:] == [(2, TABLE[0]), (3, TABLE[1]), (4, TABLE[2])]


def test_quoted_fields_keep_their_commas_and_line_breaks_and_rows_are_numbered_as_excel_shows_them():
    data = '姓名,备注\r\n"张三","一行,两行\r\n三行"\r\n\r\n李四,\r\n'.encode("utf-8")
    assert read_upload(data) == [(1, ["姓名", "备注"]), (2, ["张三", "一行,两行\r\n三行"]), (4, ["李四", ""])]


def test_every_cell_is_text():
    data = "姓名,身份证号码\n张三,3.20584E+17\n".encode("utf-8")
    assert read_upload(data)[1] == (2, ["张三", "3.20584E+17"])  # the row check explains it (test_rules_roster.py)


@pytest.mark.parametrize("data, words", [
    (b"\x00\x01\x02binary", "无法识别文件格式"),
    ("姓名,身份证号码\n".encode("utf-8") + b"\x80\xff\xfe", "无法识别 CSV 文件的编码"),
    ("<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode("utf-8"), "网页"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "网页或 XML"),
    (("姓名\n" + "长" * 200_000 + "\n").encode("utf-8"), "格式有误"),  # a field past the csv module's limit
])
def test_what_is_not_a_csv_table_is_refused_with_the_reason(data, words):
    message = refused(data)
    assert message.startswith(NOT_READABLE) and words in message


def test_the_row_cap_counts_data_rows_and_blank_lines_are_free():
    five = csv_text([["姓名"]] + [[f"选手{i}"] for i in range(5)] + [[""]] * 20).encode("utf-8")
    assert len(read_upload(five, limits=UploadLimits(max_rows=5))) == 6
    six = csv_text([["姓名"]] + [[f"选手{i}"] for i in range(6)]).encode("utf-8")
    assert "超过5行的上限" in refused(six, TooLarge, limits=UploadLimits(max_rows=5))


def test_a_file_of_blank_lines_is_refused_without_reading_them_all():
    started = time.process_time()
    assert "上限" in refused(b"\n" * 4_000_000, TooLarge)
    assert time.process_time() - started < 1.0


def test_trailing_empty_fields_do_not_count_against_the_columns_but_filled_ones_do():
    wide = csv_text([["姓名", "身份证号码"] + [""] * 100, ["张三", "11010519491231002X"] + [""] * 100]).encode("utf-8")
    assert read_upload(wide)[1][1][:2] == ["张三", "11010519491231002X"]
    filled = csv_text([["姓名"] + [""] * 69 + ["x"]]).encode("utf-8")
    assert "超过64列的内容（如单元格 BS1）" in refused(filled)


def test_the_cell_ceiling_holds_for_csv():
    data = csv_text([["a", "b", "c", "d"]] * 10).encode("utf-8")
    assert "单元格超过30个" in refused(data, TooLarge, limits=UploadLimits(max_cells=30))
