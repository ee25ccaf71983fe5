"""Workbooks built fast for the upload tests and bench/bench_upload_caps.py: a real .xlsx whose first sheet's
XML is written directly (16,384 × 97 cells through openpyxl would take longer than the test)."""
import io
import zipfile

from openpyxl import Workbook


def letters(column: int) -> str:
    """A column's letters: 1 → A, 16384 → XFD."""
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def sheet_xml(rows: int, columns: int) -> bytes:
    """Worksheet XML of rows × columns numeric cells, each with its reference."""
    names = [letters(c) for c in range(1, columns + 1)]
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{n}{r}"><v>{r}</v></c>' for n in names) + "</row>"
                   for r in range(1, rows + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + body
            + "</sheetData></worksheet>").encode()


def workbook_with_sheet(xml: bytes) -> bytes:
    """A real .xlsx (the roster sheet's name) whose first worksheet is the given XML."""
    base = io.BytesIO()
    book = Workbook()
    book.active.title = "报名表"
    book.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename))
    return out.getvalue()


def workbook(rows: int, columns: int) -> bytes:
    """An .xlsx of rows × columns numeric cells."""
    return workbook_with_sheet(sheet_xml(rows, columns))
