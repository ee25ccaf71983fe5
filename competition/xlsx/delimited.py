"""Reading an uploaded .csv (RULES.md §4): UTF-8 with or without BOM, GBK/GB18030 (as Excel and WPS save it on a
Chinese system), or UTF-16 with its BOM (Excel's 「Unicode 文本」), found by decoding strictly in that order; the
delimiter is a comma unless the first lines are clearly split by tabs or semicolons. Every cell is text. The row,
column and cell ceilings are those of a workbook, and blank lines are skipped without being kept.
"""
import csv
import io
from itertools import islice

from ..errors import Invalid, TooLarge
from ..rules.cells import cell_name
from ..rules.messages import Message
from .limits import UploadLimits

Row = tuple[int, list]
DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 10
SPARE_BLANK_LINES = 1000  # blank lines are skipped, but a file of millions of them is not a roster


def read_csv(data: bytes, limits: UploadLimits, header_rows: int) -> list[Row]:
    """The non-empty records of a CSV as (row number, cells), numbered as Excel shows them."""
    text = decode(data)
    cap = limits.max_rows + header_rows
    records = cap * 2 + SPARE_BLANK_LINES
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        rows = [(n, r) for n, r in enumerate(islice(reader, records), 1) if r and r.count("") != len(r)]
        more = next(reader, None) is not None
    except csv.Error as exc:
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：CSV 文件的格式有误（%(error)s），"
                              "请用 Excel 重新另存为 CSV 后再上传。", error=str(exc))) from exc
    if more or len(rows) > cap:
        raise TooLarge(limits.too_many_rows())
    _check_cells(rows, limits)
    return rows


def decode(data: bytes) -> str:
    """The text of a CSV: UTF-16 when it starts with its BOM, else strict UTF-8 (a BOM dropped), else GB18030
    (a superset of GBK and GB2312); anything else is not a text file."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Invalid(_not_text()) from None
    if b"\0" in data:
        raise Invalid(_not_text())
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_markup(text)
        return text
    raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：无法识别 CSV 文件的编码。"
                          "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再上传。"))


def _not_text() -> str:
    """The refusal of bytes that are neither a workbook nor text."""
    return Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv），无法识别文件格式。请使用导入模板填写后，"
                   "保存为 .xlsx 再上传。")


def _refuse_markup(text: str) -> None:
    """Some systems export a web page or XML and call it .xls: say so instead of finding no header in it."""
    head = text[:2048].lstrip().lower()
    if head.startswith("<") and any(tag in head for tag in ("<html", "<table", "<?xml", "<!doctype")):
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：这是网页或 XML 格式的表格"
                              "（有些系统导出的“.xls”其实是网页），请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。"))


def _delimiter(text: str) -> str:
    """Comma, unless tabs or semicolons split the first lines more often."""
    head = [line for line in islice(io.StringIO(text[:65536]), SNIFF_LINES)]
    counts = {d: sum(line.count(d) for line in head) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _check_cells(rows: list[Row], limits: UploadLimits) -> None:
    """The column and cell ceilings (trailing empty fields, which Excel writes for a wide used range, do not
    count against the columns)."""
    widths = [len(r) for _, r in rows]
    if sum(widths) > limits.max_cells:
        raise TooLarge(limits.too_many_cells())
    if not widths or max(widths) <= limits.max_columns:
        return
    for number, values in rows:
        if len(values) > limits.max_columns:
            last = len(values) - next(i for i, v in enumerate(reversed(values)) if v != "")
            if last > limits.max_columns:
                raise Invalid(limits.too_wide(cell_name(number, last)))
