"""Reading an uploaded roster file safely (DESIGN.md, Safety: uploads; RULES.md §4, roster files).

The kind of file is found from its bytes, never from its name: a zip is an .xlsx (Excel, WPS, LibreOffice), an OLE
compound file a legacy .xls (or a password-protected .xlsx, which says so), anything else is read as CSV text.
An upload is untrusted: before python-calamine parses a workbook, archive.py (.xlsx) or ole.py (.xls) checks it
against the ceilings and refuses macros, external links, DTDs and encrypted files. calamine then reads the sheet
(the template's 报名表 when it is there and visible, else the first visible worksheet) with formula cells as
their saved results; cells without a value to give (a formula never calculated, an error value) come back as
`UnreadCell`s for the row check to name. Empty cells are "" (as calamine gives them), blank rows are skipped.
"""
import io
from collections.abc import Sequence

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from ..errors import Invalid, TooLarge
from ..rules.cells import UnreadCell
from ..rules.messages import Message
from .archive import check_xlsx
from .delimited import read_csv
from .limits import MiB, NOT_READABLE, UNSAFE_XML, UploadLimits, corrupt
from .ole import check_xls, macros, password_protected

__all__ = ["MiB", "NOT_READABLE", "UNSAFE_XML", "Row", "UploadLimits", "check_archive", "read_upload"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
Row = tuple[int, Sequence]  # (row number as Excel shows it, cell values)
Unread = dict[str, list[tuple[int, int, UnreadCell]]]
MACRO_SHEETS = (SheetTypeEnum.MacroSheet, SheetTypeEnum.Vba)


def read_upload(data: bytes, *, sheet: str | None = None, limits: UploadLimits | None = None,
                header_rows: int = 1) -> list[Row]:
    """The non-empty rows of one sheet (named and visible, else the first visible) as (row number, values);
    refuses unsafe files and files over the ceilings."""
    limits = limits or UploadLimits()
    unread = check_archive(data, limits)
    if unread is None:
        return read_csv(data, limits, header_rows)
    return _read_workbook(data, sheet, unread, limits, header_rows)


def check_archive(data: bytes, limits: UploadLimits) -> Unread | None:
    """Every check before a parser builds anything: size, then by kind the container, macros, links and the
    cells of every sheet. What the checks found unread (by sheet name) for a workbook, None for CSV text."""
    if not data:
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：文件是空的。"))
    if len(data) > limits.max_bytes:
        raise TooLarge(limits.too_large(len(data)))
    if data.startswith(ZIP_MAGIC):
        return check_xlsx(data, limits)
    if data.startswith(OLE_MAGIC):
        return check_xls(data, limits).unread
    return None


def _read_workbook(data: bytes, wanted: str | None, unread: Unread, limits: UploadLimits,
                   header_rows: int) -> list[Row]:
    """Let calamine read the chosen sheet; mark the unread cells; keep the non-empty rows."""
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            name = _pick_sheet(book.sheets_metadata, wanted)
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except PasswordError as exc:
        raise Invalid(password_protected()) from exc
    except (Invalid, TooLarge):
        raise
    except Exception as exc:  # calamine reports a malformed part with its own errors (XmlError, ZipError, …)
        raise Invalid(_unreadable(exc)) from exc
    except BaseException as exc:  # pyo3 raises a panic inside calamine as PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise Invalid(corrupt()) from exc
    width = len(grid[0]) if grid else 0  # calamine's rows are all as wide as the sheet
    for row, column, marker in unread.get(name, ()):
        _mark(grid, row, column, marker, width)
    cap = limits.max_rows + header_rows
    blank = [""] * width
    rows = [(number, values) for number, values in enumerate(grid, 1) if values != blank]
    if len(rows) > cap:
        raise TooLarge(limits.too_many_rows())
    return rows


def _pick_sheet(sheets, wanted: str | None) -> str:
    """The wanted sheet when it is a visible worksheet, else the first visible worksheet; macros refused."""
    if any(s.typ in MACRO_SHEETS for s in sheets):
        raise Invalid(macros())
    visible = [s.name for s in sheets if s.visible == SheetVisibleEnum.Visible and s.typ == SheetTypeEnum.WorkSheet]
    if not visible:
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：工作簿中没有可见的工作表。"
                              "请取消隐藏报名表后再上传。"))
    return wanted if wanted in visible else visible[0]


def _mark(grid: list[list], row: int, column: int, marker: UnreadCell, width: int) -> None:
    """Put a marker where calamine left a cell empty (growing the grid: a formula without a result is no cell)."""
    while len(grid) < row:
        grid.append([""] * width)
    line = grid[row - 1]
    if len(line) < column:
        line.extend([""] * (column - len(line)))
    line[column - 1] = marker


def _unreadable(exc: Exception) -> str:
    """The refusal of a workbook calamine could not read."""
    if "entity" in str(exc).lower():
        return UNSAFE_XML
    return Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：无法读取工作簿内容，"
                   "请用 Excel 或 WPS 重新保存为 .xlsx 后再上传。")
