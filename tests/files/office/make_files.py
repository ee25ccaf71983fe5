"""Make the roster files of this folder the way offices make them: saved by LibreOffice, written by xlwt (the
library behind many HR systems' .xls exports), and CSV as Excel and WPS save it (UTF-8 with or without BOM, GBK).

    apt-get install -y libreoffice-calc-nogui      # soffice, used headless
    .venv/bin/pip install xlwt==1.3.0               # only to make xlwt.xls; not a dependency of the project
    .venv/bin/python tests/files/office/make_files.py

The files are committed: the tests read them and need neither LibreOffice nor xlwt, and CI does not run this
script. Run it again only to change a file, then check the tests' expectations. Each sheet is first written as
flat OpenDocument XML (.fods: text, so every cell's type and every formula is exact) and converted by soffice;
formula_without_value.xlsx is LibreOffice's file with the saved value of one formula cell removed, as a workbook
generator that never calculates leaves it. What each file holds is in tests/office_files.py and the tests in
tests/test_roster_office_files.py.
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.office_files import EMPLOYER, PEOPLE, TITLE, full_width  # noqa: E402

HEADERS = ("姓名", "身份证号码", "手机号码", "工作单位统一社会信用代码")
FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>
"""
FODS_TAIL = "</office:spreadsheet></office:body></office:document>\n"


class Formula(str):
    """A formula cell: the OpenFormula text, with its value (the str itself) saved beside it."""

    def __new__(cls, value: str, formula: str):
        cell = super().__new__(cls, value)
        cell.formula = formula
        return cell


def cell(value) -> str:
    """One table cell: text, a number, a formula with its saved value, or empty."""
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, Formula):
        return (f'<table:table-cell table:formula={quoteattr("of:=" + value.formula)} office:value-type="string" '
                f'office:string-value={quoteattr(str(value))}><text:p>{escape(str(value))}</text:p></table:table-cell>')
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def table(name: str, rows) -> str:
    """One sheet."""
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    return f"<table:table table:name={quoteattr(name)}>{body}</table:table>"


def convert(folder: Path, stem: str, sheets: list[str], formats: tuple[str, ...]) -> None:
    """Write the sheets as <stem>.fods and let soffice save them in each format into this folder."""
    source = folder / f"{stem}.fods"
    source.write_text(FODS_HEAD + "".join(sheets) + FODS_TAIL, encoding="utf-8")
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97", "ods": "ods"}
    for kind in formats:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", filters[kind], "--outdir", str(folder), str(source)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(folder / f"{stem}.{kind}", HERE / f"{stem}.{kind}")


def rewritten(xlsx: bytes, **changes) -> bytes:
    """A copy of a workbook with some parts changed: member name (with / as __) → function of its bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            change = changes.get(item.filename.replace("/", "__").replace(".xml", ""))
            target.writestr(item, change(data) if change else data)
    return out.getvalue()


def without_saved_value(reference: str):
    """Remove the saved value of one formula cell: <c r="A4" t="str"><f>…</f></c>, as a generator that never
    calculates writes it."""
    def change(sheet: bytes) -> bytes:
        pattern = rf'(<c r="{reference}"[^>]*>)(<f[^>]*>.*?</f>)<v>[^<]*</v>'.encode()
        sheet, count = re.subn(pattern, rb"\1\2", sheet)
        assert count == 1, f"no formula with a saved value in {reference}"
        return sheet
    return change


def first_sheet_hidden(workbook: bytes) -> bytes:
    """workbook.xml with the first sheet hidden and the second one active, as Excel writes it (LibreOffice's
    converter keeps every sheet of a .fods visible)."""
    workbook, count = re.subn(rb'(<sheet name="[^"]*" sheetId="1" state=")visible"', rb'\1hidden"', workbook)
    assert count == 1
    return workbook.replace(b'activeTab="0"', b'activeTab="1"')


def write_csv(name: str, rows, *, encoding: str, delimiter: str = ",") -> None:
    """A CSV as Excel saves it: CRLF line ends, fields quoted only when they must be."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding))


def write_xlwt(name: str, rows) -> None:
    """An .xls written by xlwt (BIFF8, shared strings), as many HR systems export."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("报名表")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(HERE / name))


def main() -> None:
    """Make every file."""
    (a, a_id, a_phone), (b, b_id, b_phone), (c, c_id, c_phone), (d, d_id, d_phone) = PEOPLE
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # A title line above the header; formula cells whose saved values are what gets imported.
        formulas = [
            [TITLE], list(HEADERS),
            [a, a_id, Formula(a_phone, '"139"&"00000701"'), EMPLOYER],
            [Formula(b, 'CONCATENATE("李";"秀英")'), b_id, b_phone, EMPLOYER],
            [c, c_id, c_phone, Formula(EMPLOYER, "[.D3]")],
        ]
        convert(folder, "libreoffice_formulas", [table("报名表", formulas)], ("xlsx",))
        saved = (HERE / "libreoffice_formulas.xlsx").read_bytes()
        unsaved = rewritten(saved, xl__worksheets__sheet1=without_saved_value("A4"))
        (HERE / "formula_without_value.xlsx").write_bytes(unsaved)
        # Full-width digits and letters, full-width and no-break spaces around names; the last employer blank.
        typed = [
            list(HEADERS),
            ["\u3000" + a + "\u00a0", full_width(a_id), full_width(a_phone), full_width(EMPLOYER)],
            [" " + b + "\u3000", b_id, b_phone[:3] + "-" + b_phone[3:7] + "-" + b_phone[7:], EMPLOYER.lower()],
            [d, full_width(d_id), d_phone, None],
        ]
        convert(folder, "libreoffice", [table("报名表", typed)], ("xls", "ods"))
        # The template's sheet hidden (an old list in it), the roster on the next, visible sheet.
        old = [list(HEADERS), ["张3", "123", None, None]]
        current = [list(HEADERS), [a, a_id, a_phone, EMPLOYER], [b, b_id, b_phone, EMPLOYER]]
        convert(folder, "hidden_first_sheet", [table("报名表", old), table("名单", current)], ("xlsx",))
        path = HERE / "hidden_first_sheet.xlsx"
        path.write_bytes(rewritten(path.read_bytes(), xl__workbook=first_sheet_hidden))
        # An ID number typed into a number-formatted cell: Excel keeps 15 digits.
        numeric = [list(HEADERS), [a, a_id, a_phone, EMPLOYER], [b, int(b_id), b_phone, EMPLOYER]]
        convert(folder, "id_as_number", [table("报名表", numeric)], ("xlsx", "xls"))
    # Only the two required columns, as an HR system exports them.
    write_xlwt("xlwt.xls", [["姓名", "身份证号码"], [a, a_id], [d, d_id]])
    rows = [list(HEADERS), [a, a_id, a_phone, EMPLOYER], [b, b_id, b_phone, EMPLOYER], [c, c_id, c_phone, EMPLOYER]]
    write_csv("utf8_bom.csv", rows, encoding="utf-8-sig")
    write_csv("utf8.csv", [[TITLE, "", "", ""]] + rows, encoding="utf-8")
    write_csv("gbk.csv", [["姓名", "身份证号码", "手机号码"], [a, full_width(a_id), a_phone], [b, b_id, ""]],
              encoding="gbk")
    write_csv("tabs.csv", rows[:3], encoding="utf-8", delimiter="\t")
    for path in sorted(HERE.iterdir()):
        if path.suffix != ".py":
            print(f"{path.name:32}{os.path.getsize(path):>8} bytes")


if __name__ == "__main__":
    main()
