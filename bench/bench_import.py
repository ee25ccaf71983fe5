"""Benchmark: importing a 10,000-row roster, as .xlsx, .xls and .csv, against the reader's own read of the same file.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--repeat 3] [--streamed]

For each format, three times (best of --repeat):
(a) the reader alone: python-calamine's `CalamineWorkbook.from_filelike(…).get_sheet_by_index(0).to_python()`
    for .xlsx and .xls; for .csv, Python's csv module reading the already decoded text;
(r) the import's reading phase: `read_upload`, i.e. finding the kind, every safety check (zip members, the
    sheet's cells, columns and rectangle; the OLE container and the BIFF records; the CSV's encoding and caps),
    calamine's read (or the csv module's) and the blank-row filter;
(b) the whole import_roster into a fresh SQLite database: (r), then the rules, loading facts, bulk inserts and
    the audit row, then the commit.
Both ratios (b)/(a) and (r)/(a) are printed against the target ≤ 1.5, with OK or MISSED. The .xlsx is also timed
against openpyxl's read-only pass (the reader the import used before; target ≤ 2.0), and the import's peak memory
(tracemalloc, a separate run) must stay under 64 MiB. The cyclic GC is paused around every timed run, as the
import pauses it. Prints JSON (also bench/out/import.json) and a table.

The .xlsx is written by openpyxl (inline strings) or, with --streamed, by its write-only mode; the .xls by
tests/xls_files.py (BIFF8, a LABEL record per cell), the .csv as Excel's "CSV UTF-8" (a BOM, CRLF).
"""
import argparse
import csv
import gc
import io
import json
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from openpyxl import Workbook, load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from _common import save_report  # noqa: E402
from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.rules.identity import id_check_char  # noqa: E402
from competition.rules.roster import HEADERS, TEMPLATE_SHEET  # noqa: E402
from competition.services.audit import SYSTEM  # noqa: E402
from competition.services.events.roster import import_roster  # noqa: E402
from competition.xlsx import UploadLimits, read_upload  # noqa: E402
from tests.builders import credit_code, make_enterprise, make_event  # noqa: E402
from tests.xls_files import rows as label_cells, xls  # noqa: E402

TARGET, OPENPYXL_TARGET, PEAK_MIB = 1.5, 2.0, 64
TODAY = date(2026, 5, 20)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌"
ENTERPRISES = 20
MAX_ROWS, MAX_BYTES = 100_000, 50 << 20  # the bench app's ceilings, so that larger --rows still import
LIMITS = UploadLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_cells=MAX_ROWS * 20, max_area=MAX_ROWS * 20)


def valid_id(i: int) -> str:
    """The i-th distinct valid 居民身份证号码 (500 per birth date, born 1970 onwards)."""
    born = date(1970, 1, 1) + timedelta(days=i // 500)
    first17 = f"320584{born:%Y%m%d}{i % 500:03d}"
    return first17 + id_check_char(first17)


def table(rows: int) -> list[list[str]]:
    """The template's headers, then `rows` distinct contestants of 20 enterprises."""
    return [list(HEADERS)] + [
        [SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + (GIVEN[(i // 600) % len(GIVEN)] if i % 3 else ""),
         valid_id(i), f"139{i:08d}", credit_code(i % ENTERPRISES + 1)] for i in range(rows)]


def build_roster(rows: int, *, streamed: bool = False) -> bytes:
    """The roster as openpyxl writes it (inline strings); `streamed`: its write-only mode."""
    workbook = Workbook(write_only=streamed)
    sheet = workbook.create_sheet(TEMPLATE_SHEET) if streamed else workbook.active
    sheet.title = TEMPLATE_SHEET
    for line in table(rows):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_files(rows: int, streamed: bool) -> dict[str, bytes]:
    """The same roster as .xlsx, .xls and .csv."""
    lines = table(rows)
    text = "".join(",".join(line) + "\r\n" for line in lines)
    return {"xlsx": build_roster(rows, streamed=streamed), "xls": xls((TEMPLATE_SHEET, label_cells(lines))),
            "csv": text.encode("utf-8-sig")}


def reader_alone(kind: str, data: bytes):
    """(a): the reader's own read; for CSV the decoding is done outside the timed call."""
    if kind == "csv":
        text = data.decode("utf-8-sig")
        return lambda: list(csv.reader(io.StringIO(text)))
    return lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def openpyxl_pass(data: bytes) -> int:
    """openpyxl alone: the read-only pass over every row."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def fresh_import(data: bytes, name: str, *, memory: bool = False) -> tuple[float, int, dict]:
    """Import into a brand-new SQLite database: (seconds, peak bytes or 0, result)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "INSTANCE_PATH": folder,
                          "SECRET_KEY": "bench" * 8, "ROSTER_MAX_ROWS": MAX_ROWS, "ROSTER_MAX_BYTES": MAX_BYTES})
        with app.app_context():
            db.create_all()
            for n in range(1, ENTERPRISES + 1):
                make_enterprise(credit_code=credit_code(n), name=f"基准企业{n}")
            event = make_event("open")
            db.session.commit()
            if memory:
                tracemalloc.start()
            started = time.perf_counter()
            result = import_roster(SYSTEM, event, data, today=TODAY, filename=name)
            db.session.commit()
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if memory else 0
            if memory:
                tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()
    return seconds, peak, result


def best(action, repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds, with the cyclic GC paused as the import pauses it."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
        gc.enable()
    return min(times)


def measure(kind: str, data: bytes, rows: int, repeat: int) -> dict:
    """(a), (r) and (b) for one format, and the two ratios."""
    assert len(read_upload(data, sheet=TEMPLATE_SHEET, limits=LIMITS)) == rows + 1
    alone = best(reader_alone(kind, data), repeat * 3)
    reading = best(lambda: read_upload(data, sheet=TEMPLATE_SHEET, limits=LIMITS), repeat * 3)
    runs = [fresh_import(data, f"bench.{kind}") for _ in range(repeat)]
    assert all(r[2] == {"created": rows, "existing": 0} for r in runs), runs[0][2]
    imported = min(r[0] for r in runs)
    return {"file_bytes": len(data), "reader_s": round(alone, 4), "read_upload_s": round(reading, 4),
            "import_s": round(imported, 4), "import_ratio": round(imported / alone, 2),
            "read_ratio": round(reading / alone, 3), "read_meets_target": reading / alone <= TARGET,
            "import_meets_target": imported / alone <= TARGET}


def verdict(ok: bool) -> str:
    """OK or MISSED."""
    return "OK" if ok else "MISSED"


def main() -> None:
    """Build, time, print JSON and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--streamed", action="store_true", help="the .xlsx as openpyxl's write-only mode saves it")
    args = parser.parse_args()
    files = build_files(args.rows, args.streamed)
    formats = {kind: measure(kind, data, args.rows, args.repeat) for kind, data in files.items()}
    xlsx = files["xlsx"]
    assert openpyxl_pass(xlsx) == args.rows + 1
    read = best(lambda: openpyxl_pass(xlsx), args.repeat)
    imported = formats["xlsx"]["import_s"]
    _, peak, _ = fresh_import(xlsx, "bench.xlsx", memory=True)
    ratio = imported / read
    report = {"rows": args.rows, "file": "streamed" if args.streamed else "openpyxl", "file_bytes": len(xlsx),
              "openpyxl_read_s": round(read, 4), "import_s": imported, "ratio": round(ratio, 3),
              "target": OPENPYXL_TARGET, "meets_target": ratio <= OPENPYXL_TARGET,
              "openpyxl_read_gc_paused_s": round(read, 4), "ratio_gc_paused": round(ratio, 3),
              "import_peak_mib": round(peak / 2 ** 20, 1), "peak_within_limit": peak < PEAK_MIB * 2 ** 20,
              "calamine_target": TARGET, "calamine": formats}
    save_report("import", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'measure (' + str(args.rows) + ' rows)':<58}{'value':>10}")
    for kind, f in formats.items():
        reader = "csv module, decoded text" if kind == "csv" else "python-calamine's own read"
        print(f"import of .{kind} ÷ {reader}: {f['import_s']:.3f} s ÷ {f['reader_s'] * 1000:.1f} ms")
        print(f"  {'whole import (read + check + insert + commit) ÷ (a)':<56}{f['import_ratio']:>10.2f}  "
              f"{verdict(f['import_meets_target'])} (target ≤ {TARGET})")
        print(f"  {'reading phase (read_upload: checks + read) ÷ (a)':<56}{f['read_ratio']:>10.2f}  "
              f"{verdict(f['read_meets_target'])} (target ≤ {TARGET}; {f['read_upload_s'] * 1000:.1f} ms)")
    print(f"{'.xlsx import ÷ openpyxl read-only pass, target ≤ 2.0':<58}{ratio:>10.2f}  {verdict(ratio <= 2.0)} "
          f"({imported:.3f} s ÷ {read:.3f} s)")
    print(f"{'import peak memory (MiB), limit ' + str(PEAK_MIB):<58}{peak / 2 ** 20:>10.1f}  "
          f"{verdict(peak < PEAK_MIB * 2 ** 20)}")


if __name__ == "__main__":
    main()
