"""Reading an uploaded .xlsx safely (DESIGN.md, Safety: uploads).

An upload is untrusted: before openpyxl parses anything, the bytes must be a real zip of a sensible
size, with few members, no member that inflates suspiciously (zip bomb), no macros and no external
links. XML is parsed through defusedxml (openpyxl uses it when installed), so entity bombs fail.
Formula cells are refused, naming the cell: the import wants typed values, not computations.
"""
import io
import re
import threading
import warnings
import zipfile
from xml.parsers import expat
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# Importing defusedxml here makes it a hard requirement: openpyxl parses with it only when importable.
from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from ..errors import Invalid, TooLarge
from ..rules.messages import Message, listing

MiB = 1024 * 1024
NOT_XLSX = Message("文件不是有效的 Excel（.xlsx）文件")  # every refusal of a file that is no workbook begins so
UNSAFE_XML = Message("文件不是有效的 Excel（.xlsx）文件：文件包含不安全的 XML 内容（实体或文档类型声明），已拒绝。")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
PLAIN_TYPES = frozenset({int, float, bool, datetime, date, time, timedelta})
RATIO_FLOOR = 64 * 1024  # members smaller than this cannot inflate into anything harmful
FORMULAS_SHOWN = 20

Row = tuple[int, tuple]  # (Excel row number, cell values)
# warnings.catch_warnings swaps process-wide state; two overlapping reads could otherwise leave
# warnings switched off for good. Parsing holds the GIL anyway, so reads lose nothing by queueing.
_READING = threading.Lock()


@dataclass(frozen=True)
class UploadLimits:
    """The ceilings an upload must stay under."""

    max_bytes: int = 5 * MiB
    max_members: int = 100
    max_uncompressed: int = 50 * MiB
    max_ratio: int = 100
    max_rows: int = 10_000  # data rows, the header row not counted
    max_columns: int = 64  # the template has 4; a wider sheet is not a roster
    max_cells: int = 200_000  # across every worksheet, counted before any parser builds a cell


def read_upload(data: bytes, *, sheet: str | None = None, limits: UploadLimits | None = None,
                header_rows: int = 1) -> list[Row]:
    """The non-empty rows of one sheet (named, else the first) as (row number, values); refuses unsafe files."""
    limits = limits or UploadLimits()
    check_archive(data, limits)
    with _READING, warnings.catch_warnings():
        # openpyxl warns about harmless oddities (unknown extensions, no default style); they are not errors.
        warnings.simplefilter("ignore")
        workbook = _load(data)
        try:
            worksheet = _pick_sheet(workbook, sheet)
            rows, suspect = _rows(worksheet, limits.max_rows, header_rows)
            if suspect:
                _refuse_formulas(worksheet)
        except (DefusedXmlException, ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile) as exc:
            raise Invalid(_not_xlsx_message(exc)) from exc
        finally:
            workbook.close()
    return rows


def check_archive(data: bytes, limits: UploadLimits) -> None:
    """Size, zip structure, member count, inflation, macros and external links, then the cells and columns of
    every worksheet counted by a streaming parser: all before openpyxl builds anything."""
    if not data:
        raise Invalid(Message("文件不是有效的 Excel（.xlsx）文件：文件是空的。"))
    if len(data) > limits.max_bytes:
        raise TooLarge(Message("文件大小为%(size)sMB，超过%(limit)sMB的上限，请分批导入。",
                               size=format(len(data) / MiB, ".1f"), limit=format(limits.max_bytes / MiB, "g")))
    if data.startswith(OLE_MAGIC):
        raise Invalid(Message("文件不是有效的 Excel（.xlsx）文件：这是旧版 .xls 文件或设置了打开密码的文件，"
                              "请在 Excel 中另存为 .xlsx（并取消密码）后再上传。"))
    if not data.startswith(ZIP_MAGIC):
        raise Invalid(Message("文件不是有效的 Excel（.xlsx）文件，请使用导入模板填写后另存为 .xlsx 再上传"
                              "（CSV、WPS 等格式请先另存为 .xlsx）。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(archive, limits)
            _count_cells(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, expat.ExpatError) as exc:
        raise Invalid(Message("文件不是有效的 Excel（.xlsx）文件：文件已损坏或不完整，请重新保存后再上传。")) from exc


SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
CELL_REF = re.compile(r"([A-Z]{1,3})[0-9]*")


class _Refused(Exception):
    """Stops the cell count as soon as a ceiling is passed (carries the error to raise)."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


class _CellCounter:
    """Counts the cells of worksheet XML as expat streams it, and the widest column, refusing past a ceiling.

    A sheet of 16,384 columns × 97 rows is 4 MB zipped and 51 MB of XML: every limit on bytes passes, yet
    parsing it costs openpyxl 20 s of CPU. Counting with expat costs a fraction of that, stops at the first
    cell past a ceiling, and builds nothing.
    """

    def __init__(self, limits: UploadLimits, cells: int = 0):
        self.limits = limits
        self.cells = cells
        self.column = 0

    def start(self, name: str, attributes: dict) -> None:
        """A start tag: a row resets the column, a cell counts."""
        local = name.rpartition("}")[2]
        if local == "row":
            self.column = 0
        elif local == "c":
            self.cells += 1
            self.column = _column_index(attributes.get("r")) or self.column + 1
            if self.column > self.limits.max_columns:
                raise _Refused(Invalid(Message("工作表有超过%(limit)s列的内容（如单元格 %(cell)s），不像是报名表。"
                                               "请使用导入模板，只保留模板中的列后再上传。",
                                               limit=self.limits.max_columns, cell=attributes.get("r") or self.column)))
            if self.cells > self.limits.max_cells:
                raise _Refused(TooLarge(Message("文件的单元格超过%(limit)s个的上限，请删除与报名无关的内容或分批导入。",
                                                limit=format(self.limits.max_cells, ","))))


def _column_index(reference: str | None) -> int | None:
    """A cell reference's column as a number (A → 1, XFD → 16384), or None without one."""
    match = CELL_REF.fullmatch(reference or "")
    if match is None:
        return None
    index = 0
    for letter in match.group(1):
        index = index * 26 + ord(letter) - 64
    return index


def _refuse_declarations(*_args) -> None:
    """A DTD or entity declaration in a worksheet: an XML bomb or XXE attempt."""
    raise _Refused(Invalid(UNSAFE_XML))


def _count_cells(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    """Stream every worksheet part through expat, counting cells and columns against the limits."""
    counter = _CellCounter(limits)
    try:
        for member in archive.infolist():
            if not SHEET_PART.fullmatch(member.filename):
                continue
            parser = expat.ParserCreate(namespace_separator="}")
            parser.StartElementHandler = counter.start
            parser.StartDoctypeDeclHandler = _refuse_declarations
            parser.EntityDeclHandler = _refuse_declarations
            with archive.open(member) as stream:
                while chunk := stream.read(256 * 1024):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as refused:
        raise refused.error from None


def _check_members(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    """Refuse zip bombs, macros and external links by looking at the member list (nothing inflated)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise Invalid(Message("文件内部包含%(count)s个部件，超过%(limit)s个的上限，不像是普通的报名表。",
                              count=len(members), limit=limits.max_members))
    names = {m.filename.lower(): m for m in members}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise Invalid(Message("文件不是有效的 Excel（.xlsx）文件：缺少工作簿内容，请使用导入模板填写后再上传。"))
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise TooLarge(Message("文件解压后为%(size)sMB，超过%(limit)sMB的上限，请分批导入。",
                               size=format(total / MiB, ".1f"), limit=format(limits.max_uncompressed / MiB, "g")))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise Invalid(Message("文件中的“%(part)s”压缩比异常（约%(ratio)s:1，上限%(limit)s:1），疑似压缩炸弹，已拒绝。",
                                  part=member.filename, ratio=format(ratio, ".0f"), limit=limits.max_ratio))
    types = archive.read(names["[content_types].xml"]).lower()
    if (any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names)
            or b"macroenabled" in types or b"vbaproject" in types or b"macrosheet" in types):
        raise Invalid(Message("文件包含宏（VBA），出于安全考虑不予接收。请另存为不含宏的 .xlsx 文件后再上传。"))
    if any(n.startswith("xl/externallinks/") for n in names) or b"externallink" in types:
        raise Invalid(Message("文件包含指向其他工作簿的外部链接，请删除链接或“粘贴为数值”后再上传。"))


def _load(data: bytes):
    """Open the workbook read-only, formulas kept as formulas so that they can be refused."""
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Invalid:
        raise
    except Exception as exc:  # openpyxl reports malformed parts with many exception types
        raise Invalid(_not_xlsx_message(exc)) from exc


def _not_xlsx_message(exc: Exception) -> str:
    """The refusal for a file that opened as a zip but not as a workbook."""
    if _caused_by(exc, DefusedXmlException):
        return UNSAFE_XML
    return Message("文件不是有效的 Excel（.xlsx）文件：无法读取工作簿内容，请用 Excel 重新保存为 .xlsx 后再上传。")


def _caused_by(exc: BaseException | None, kind: type) -> bool:
    """Whether an exception or anything in its chain is of a kind (openpyxl wraps parser errors)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _pick_sheet(workbook, sheet: str | None):
    """The named worksheet when present, else the first worksheet."""
    if sheet and sheet in workbook.sheetnames and workbook[sheet] in workbook.worksheets:
        return workbook[sheet]
    if not workbook.worksheets:
        raise Invalid(Message("文件不是有效的 Excel（.xlsx）文件：工作簿中没有工作表。"))
    return workbook.worksheets[0]


def _rows(worksheet, max_rows: int, header_rows: int) -> tuple[list[Row], bool]:
    """Non-empty rows with their Excel numbers, and whether any value looks like a formula."""
    worksheet.reset_dimensions()  # the stored dimension can be wrong; never silently drop rows
    rows: list[Row] = []
    suspect = False
    cap = max_rows + header_rows
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        if values.count(None) == len(values):
            continue
        for value in values:
            kind = type(value)
            if kind is str:
                if value[:1] == "=":
                    suspect = True
            elif value is not None and kind not in PLAIN_TYPES:
                suspect = True  # ArrayFormula, DataTableFormula
        rows.append((number, values))
        if len(rows) > cap:
            raise TooLarge(Message("文件的数据超过%(limit)s行的上限，请分批导入。", limit=max_rows))
    return rows, suspect


def _refuse_formulas(worksheet) -> None:
    """A second pass, only when a value began with '=': name the cells that really hold formulas."""
    found = []
    for row in worksheet.iter_rows():
        found += [cell for cell in row if getattr(cell, "data_type", None) == "f"]
    if not found:
        return  # text that merely begins with '=' (typed after an apostrophe) is fine
    shown = listing(cell.coordinate for cell in found[:FORMULAS_SHOWN])
    if len(found) > FORMULAS_SHOWN:
        shown = Message("%(cells)s等%(count)s个单元格", cells=shown, count=len(found))
    message = Message("单元格 %(cells)s含有公式。导入只接受直接填写的内容，请将公式“复制 → 粘贴为数值”后再上传。", cells=shown)
    raise Invalid(message, details=[{"row": cell.row, "message": Message("单元格 %(cell)s 含有公式。", cell=cell.coordinate)}
                                    for cell in found])
