"""Writing workbooks with openpyxl's write-only mode (DESIGN.md, Safety: exports).

User text is always written as a text cell: openpyxl would otherwise turn a value beginning with
"=" into a formula, and Excel would run it. Text beginning with = + - @ also carries Excel's
quote-prefix flag, so that editing the cell later in Excel does not turn it into a formula either.
"""
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from ..rules.messages import Message

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@")
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"  # a real Excel date, shown as 2026-06-15 (not the serial 46188)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0"  # whole yuan
SCORE_FORMAT = "0.00"  # scores keep their two decimals, and stay numbers an office can sum and sort
LEAGUE = Message("吴江职业技能联赛")
PAPER_A4 = 9  # the OOXML paper-size code
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=14)
CELL_ALIGN = Alignment(vertical="center", wrap_text=True)


@dataclass(frozen=True)
class ColumnSpec:
    """A column: its header, width in characters, and whether it is formatted as text ("@")."""

    header: str
    width: float = 14
    text: bool = False
    number_format: str | None = None  # DATE_FORMAT, MONEY_FORMAT, SCORE_FORMAT …


@dataclass(frozen=True)
class PrintSpec:
    """Page setup for sheets meant to be printed."""

    landscape: bool = True
    fit_width: bool = True
    repeat_header: bool = True
    footer: str = Message("第 &P 页，共 &N 页")
    header: str = f"{LEAGUE}　&A"  # the league and the sheet's name on every printed page
    gridlines: bool = False  # print the cell grid (a ruled table without a border on every cell)


@dataclass
class SheetSpec:
    """One worksheet: optional heading lines above a styled header row, then the rows."""

    title: str
    columns: Sequence[ColumnSpec]
    rows: Iterable[Sequence] = ()
    heading: Sequence[str] = ()
    print_spec: PrintSpec | None = field(default_factory=PrintSpec)  # every sheet prints on A4, fitted to width
    row_height: float | None = None
    borders: bool = False
    # False: data cells carry no style of their own, which writes a large sheet at openpyxl's plain speed;
    # text columns still take typed input as text (the column's format), and print gridlines can rule it.
    style_cells: bool = True
    freeze_header: bool = True
    notes: Sequence[str] = field(default_factory=tuple)  # plain lines after the table


def write_workbook(sheets: Sequence[SheetSpec]) -> bytes:
    """An .xlsx of the given sheets, as bytes; user text stays text."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(workbook, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text_cell(worksheet, value, **style) -> WriteOnlyCell:
    """A cell that holds `value` as literal text, whatever it begins with."""
    cell = WriteOnlyCell(worksheet)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    # Stored directly as a string: binding through `cell.value` would guess a type ("f" for "=…") only for
    # data_type to undo it, and checks the length Excel allows, which ILLEGAL_CHARACTERS_RE's caller keeps.
    cell._value, cell.data_type = text[:32767], "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    for name, item in style.items():
        setattr(cell, name, item)
    return cell


def _cells_to_row(worksheet, cells, row_idx: int):
    """openpyxl's `_values_to_row` for rows made only of cells, as all of ours are.

    openpyxl first tries to bind every appended item as a value and falls back to a cell on the ValueError,
    an exception per cell: a third of a 10,000-row export. openpyxl is pinned (pyproject.toml), and
    tests/test_xlsx.py reads the written workbooks back, so a change of this private hook shows at once.
    """
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


def _write_sheet(workbook: Workbook, spec: SheetSpec) -> None:
    """Widths and print setup first (write-only mode needs them before rows), then the rows."""
    worksheet = workbook.create_sheet(spec.title[:31])
    worksheet._values_to_row = _cells_to_row.__get__(worksheet)
    for index, column in enumerate(spec.columns, 1):
        dimension = worksheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.text:
            dimension.number_format = TEXT_FORMAT  # what users type into the column stays text too
    header_row = len(spec.heading) + 1
    _merge_heading(worksheet, spec, len(spec.columns))
    if spec.print_spec:
        _print_setup(worksheet, spec.print_spec, header_row)
    if spec.freeze_header:
        worksheet.freeze_panes = f"A{header_row + 1}"
    if spec.row_height:
        for number in range(header_row + 1, header_row + 1 + _count_hint(spec.rows)):
            worksheet.row_dimensions[number].height = spec.row_height
    for line in spec.heading:
        worksheet.append([text_cell(worksheet, line, font=TITLE_FONT, alignment=Alignment(horizontal="center"))])
    worksheet.append([text_cell(worksheet, c.header, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN,
                                border=BORDER) for c in spec.columns])
    styles = [_column_style(worksheet, spec, column) if spec.style_cells or column.number_format else None
              for column in spec.columns]
    for values in spec.rows:
        worksheet.append(_cells(worksheet, spec, values, styles))
    for line in spec.notes:
        worksheet.append([text_cell(worksheet, line)])


def _count_hint(rows) -> int:
    """How many rows follow, when the rows are a sized collection (row heights need it in advance)."""
    return len(rows) if hasattr(rows, "__len__") else 0


def _merge_heading(worksheet, spec: SheetSpec, width: int) -> None:
    """Each heading line spans the table's width."""
    last = get_column_letter(max(width, 1))
    for number in range(1, len(spec.heading) + 1):
        worksheet.merged_cells.add(CellRange(f"A{number}:{last}{number}"))


def _print_setup(worksheet, spec: PrintSpec, header_row: int) -> None:
    """Landscape, fit to one page wide, heading and header repeated on every printed page."""
    if spec.landscape:
        worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = PAPER_A4
    if spec.fit_width:
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
    if spec.repeat_header:
        worksheet.print_title_rows = f"1:{header_row}"
    worksheet.print_options.horizontalCentered = True
    worksheet.print_options.gridLines = spec.gridlines
    if spec.footer:
        worksheet.oddFooter.center.text = spec.footer
    if spec.header:
        worksheet.oddHeader.center.text = spec.header


def _column_style(worksheet, spec: SheetSpec, column: ColumnSpec):
    """A column's data-cell style array, built once: its number format (text "@", a date, money, a score) and
    borders when asked."""
    cell = WriteOnlyCell(worksheet)
    if column.number_format or column.text:
        cell.number_format = column.number_format or TEXT_FORMAT
    if spec.borders and spec.style_cells:
        cell.border, cell.alignment = BORDER, CELL_ALIGN
    return cell._style


def _cells(worksheet, spec: SheetSpec, values: Sequence, styles: Sequence) -> list:
    """One data row: text as text cells; numbers and dates as they are; each column's style copied onto its cells.

    Copying the style array is what openpyxl does when a cell's style is assigned, minus hashing the
    Border and Alignment objects again for every cell, which made a 10,000-row export 5x slower.
    """
    cells = []
    for column, style, value in zip(spec.columns, styles, values):
        if isinstance(value, str) or (column.text and value is not None):
            cell = text_cell(worksheet, value)
            if style is not None:  # the column's style, keeping the cell's own quote prefix
                quoted = cell.quotePrefix
                cell._style = StyleArray(style)
                cell.quotePrefix = quoted
        elif isinstance(value, (date, datetime)) and not column.number_format:
            cell = WriteOnlyCell(worksheet, value=value)  # openpyxl gives it a date format: keep it, never a serial
            if style is not None:
                cell._style = StyleArray(style)
                cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        else:
            cell = WriteOnlyCell(worksheet, value=value)
            if style is not None:
                cell._style = style  # shared, not copied: nothing changes a number cell's style after this
        cells.append(cell)
    return cells
