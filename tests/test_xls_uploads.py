"""Legacy .xls uploads: read by python-calamine after the OLE container and the BIFF records are walked and held to
the ceilings (competition/xlsx/ole.py). The files are built byte by byte (tests/xls_files.py) to be exactly the
attack or oddity each test needs; real files saved by LibreOffice and xlwt are in test_roster_office_files.py."""
import struct
import time

import pytest

from competition.errors import Invalid, TooLarge
from competition.rules.cells import ERROR, UnreadCell
from competition.xlsx import NOT_READABLE, UploadLimits, read_upload
from competition.xlsx import reading
from tests.xls_files import (BOF, EOF, FILEPASS, error, label, number, ole, record, rows, workbook, xls)

HEADER = [["姓名", "身份证号码"], ["张三", "11010519491231002X"]]


class ReachedCalamine(BaseException):
    """Raised by the stand-in for calamine; a BaseException, so that the reader's error handling lets it through."""


def no_calamine(monkeypatch):
    """Fail the test if a file reaches calamine: the checks must refuse it first."""
    class Refuse:
        @staticmethod
        def from_filelike(_stream):
            raise ReachedCalamine("calamine was given a file the checks should have refused")

    monkeypatch.setattr(reading, "CalamineWorkbook", Refuse)


def refused(data: bytes, error=Invalid, **kwargs) -> str:
    """The message of the refusal."""
    with pytest.raises(error) as caught:
        read_upload(data, **kwargs)
    return caught.value.message


def test_an_xls_reads_with_numbers_error_values_and_hidden_sheets_skipped():
    data = xls(("说明", rows([["旧名单"]])), ("报名表", rows(HEADER) + [number(2, 1, 3.2e17), error(3, 0)]),
               hidden=("说明",))
    assert read_upload(data, sheet="报名表") == [(1, ["姓名", "身份证号码"]), (2, ["张三", "11010519491231002X"]),
                                                (3, ["", 3.2e17]), (4, [UnreadCell("A4", ERROR), ""])]
    assert read_upload(data, sheet="没有")[0] == (1, ["姓名", "身份证号码"])  # 说明 is hidden


def test_cells_far_apart_are_refused_before_calamine_lays_out_the_grid(monkeypatch):
    no_calamine(monkeypatch)
    started = time.process_time()
    message = refused(xls(("报名表", rows(HEADER) + [label(60_000, 20, "x")])), TooLarge)
    assert "分布过广（最远到单元格 U60001）" in message
    assert time.process_time() - started < 1.0


def test_the_areas_of_every_sheet_add_up_since_calamine_lays_out_all_of_them(monkeypatch):
    sheet = rows(HEADER) + [label(39_999, 15, "x")]  # 640,000 cells from A1 to P40000
    assert read_upload(xls(("报名表", sheet)), limits=UploadLimits(max_rows=50_000))  # one is within the ceiling
    no_calamine(monkeypatch)
    assert "分布过广" in refused(xls(("报名表", sheet), ("第二页", sheet)), TooLarge)


@pytest.mark.parametrize("cells, cell", [
    ([label(0, 200, "x")], "GS1"),
    ([label(65_535, 65_535, "x")], "CRXP65536"),  # BIFF's fields are 16 bits: calamine would take them as they are
    ([record(0x00BD, struct.pack("<HH", 0, 60) + b"\0" * 6 * 10 + struct.pack("<H", 69))], "BR1"),  # MulRk to BR
])
def test_a_column_past_the_cap_is_refused(monkeypatch, cells, cell):
    no_calamine(monkeypatch)
    assert f"超过64列的内容（如单元格 {cell}）" in refused(xls(("报名表", rows(HEADER) + cells)))


def test_cells_after_a_nested_substream_still_count(monkeypatch):
    no_calamine(monkeypatch)
    """An embedded chart is a BOF…EOF inside the sheet; the sheet goes on after its EOF."""
    chart = [record(BOF, struct.pack("<HHHHII", 0x0600, 0x0020, 0, 0, 0, 0)), record(EOF)]
    assert "分布过广" in refused(xls(("报名表", rows(HEADER) + chart + [label(60_000, 20, "x")])), TooLarge)


def test_too_many_cells_or_rows_are_refused():
    many = xls(("报名表", rows([["姓名"]] + [[f"选手{i}"] for i in range(30)])))
    assert "单元格超过20个" in refused(many, TooLarge, limits=UploadLimits(max_cells=20))
    assert "超过10行的上限" in refused(many, TooLarge, limits=UploadLimits(max_rows=10))


def test_too_many_sheets_are_refused(monkeypatch):
    no_calamine(monkeypatch)
    assert "超过255个的上限" in refused(xls(*[(f"表{i}", rows([["x"]])) for i in range(256)]))


def test_a_vba_project_or_a_macro_sheet_is_refused(monkeypatch):
    no_calamine(monkeypatch)
    assert "宏" in refused(xls(("报名表", rows(HEADER)), storages=("_VBA_PROJECT_CUR",)))
    assert "宏" in refused(xls(("Macro1", rows(HEADER)), sheet_type=1))


def test_a_password_protected_file_says_so(monkeypatch):
    no_calamine(monkeypatch)
    encrypted = xls(("报名表", rows(HEADER)), before_sheets=record(FILEPASS, b"\x01\x00" + b"\0" * 52))
    assert "设置了打开密码" in refused(encrypted)
    encrypted_xlsx = ole({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200, "EncryptedPackage": b"\0" * 5000})
    assert "设置了打开密码" in refused(encrypted_xlsx)


def test_an_office_file_that_is_no_workbook_is_refused(monkeypatch):
    no_calamine(monkeypatch)
    message = refused(ole({"WordDocument": b"\0" * 5000}))
    assert message.startswith(NOT_READABLE) and "不是 Excel 工作簿" in message


def _patched(data: bytes, offset: int, value: int) -> bytes:
    """A copy with one little-endian 32-bit value changed."""
    return data[:offset] + struct.pack("<I", value) + data[offset + 4:]


def _same_offset(stream: bytes) -> bytes:
    """Two BOUNDSHEETs naming the same sheet: calamine would parse it twice (or, many times over, for ever)."""
    first = stream.index(b"\x85\x00")
    second = stream.index(b"\x85\x00", first + 4)
    return stream[:second + 4] + stream[first + 4:first + 8] + stream[second + 8:]


def _looping_difat(data: bytes) -> bytes:
    """A DIFAT chain whose sector names itself as the next one: calamine would extend its list for ever."""
    last = len(data) // 512 - 2
    return _patched(_patched(data, 68, last), (last + 1) * 512 + 508, last)


@pytest.mark.parametrize("damage", [
    lambda d: _patched(d, 512 + 4 * 1, 1),  # the directory's sector chains to itself: calamine would never stop
    lambda d: _looping_difat(d),
    lambda d: _patched(d, 512 + 4 * 2, 9_999),  # the workbook stream chains past the end of the file
    lambda d: d[:2048],  # cut short
])
def test_a_damaged_container_is_refused_at_once(monkeypatch, damage):
    no_calamine(monkeypatch)
    started = time.process_time()
    message = refused(damage(xls(("报名表", rows(HEADER)))))
    assert message.startswith(NOT_READABLE) and "损坏" in message
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize("stream", [
    workbook([("报名表", rows(HEADER) + [struct.pack("<HH", 0x00FD, 0x7000)])]),  # a record longer than the stream
    workbook([("报名表", [record(0x0200, struct.pack("<IIHHH", 0, 0xFFFFFFFF, 0, 256, 0))] + rows(HEADER))]),
    workbook([("报名表", rows(HEADER))], before_sheets=record(0x0085, struct.pack("<IBBBB", 10**6, 0, 0, 1, 0) + b"x")),
    _same_offset(workbook([("报名表", rows(HEADER)), ("第二页", rows(HEADER))])),
])
def test_damaged_records_are_refused_before_calamine_reads_them(monkeypatch, stream):
    no_calamine(monkeypatch)
    message = refused(ole({"Workbook": stream}))
    assert message.startswith(NOT_READABLE) and "损坏" in message
