"""Benchmark: importing a 10,000-row roster against openpyxl's own read-only pass over the same file.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--repeat 3]

(a) openpyxl alone: load_workbook(read_only=True) and iterate every row with values_only=True.
(b) the whole import_roster into a fresh SQLite database: safety checks, reading, validation,
    loading facts, bulk inserts and the audit row, then the commit.
Prints JSON (also bench/out/import.json) and a table with both times (best of --repeat), the ratio
against the target ≤ 2.0, and the import's peak memory (tracemalloc, measured in a separate run so it
does not skew time).
The import pauses the cyclic GC while it works; (a2) times openpyxl's pass the same way, so the
second ratio shows what the import adds to reading, like for like.
"""
import argparse
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

from _common import save_report  # noqa: E402
from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.rules.identity import id_check_char  # noqa: E402
from competition.rules.roster import HEADERS  # noqa: E402
from competition.services.audit import SYSTEM  # noqa: E402
from competition.services.events.roster import import_roster  # noqa: E402
from tests.builders import credit_code, make_enterprise, make_event  # noqa: E402

TARGET = 2.0
TODAY = date(2026, 5, 20)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌"
ENTERPRISES = 20


def valid_id(i: int) -> str:
    """The i-th distinct valid 居民身份证号码 (500 per birth date, born 1970 onwards)."""
    born = date(1970, 1, 1) + timedelta(days=i // 500)
    first17 = f"320584{born:%Y%m%d}{i % 500:03d}"
    return first17 + id_check_char(first17)


def build_roster(rows: int, *, streamed: bool = False) -> bytes:
    """A valid roster: the template's headers, then `rows` distinct contestants of 20 enterprises.

    By default the file is laid out as Excel saves it (shared strings, the dimension at the top),
    which openpyxl reads fastest, so the ratio is the harder one; `streamed` writes it the way
    openpyxl's write-only mode does (inline strings, no dimension), which is slower to read.
    """
    workbook = Workbook(write_only=streamed)
    sheet = workbook.create_sheet("报名表") if streamed else workbook.active
    sheet.title = "报名表"
    sheet.append(list(HEADERS))
    for i in range(rows):
        name = SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + (GIVEN[(i // 600) % len(GIVEN)] if i % 3 else "")
        sheet.append([name, valid_id(i), f"139{i:08d}", credit_code(i % ENTERPRISES + 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def openpyxl_pass(data: bytes) -> int:
    """openpyxl alone: the read-only pass over every row."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def fresh_import(data: bytes, *, memory: bool = False) -> tuple[float, int, dict]:
    """Import into a brand-new SQLite database: (seconds, peak bytes or 0, result)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "INSTANCE_PATH": folder,
                          "SECRET_KEY": "bench" * 8, "ROSTER_MAX_ROWS": 100_000, "ROSTER_MAX_BYTES": 50 << 20})
        with app.app_context():
            db.create_all()
            for n in range(1, ENTERPRISES + 1):
                make_enterprise(credit_code=credit_code(n), name=f"基准企业{n}")
            event = make_event("open")
            db.session.commit()
            if memory:
                tracemalloc.start()
            started = time.perf_counter()
            result = import_roster(SYSTEM, event, data, today=TODAY, filename="bench.xlsx")
            db.session.commit()
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if memory else 0
            if memory:
                tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()
    return seconds, peak, result


def best(action, repeat: int, *, gc_paused: bool = False) -> float:
    """The fastest of `repeat` runs, in seconds (optionally with the cyclic GC paused, as the import does)."""
    times = []
    for _ in range(repeat):
        if gc_paused:
            gc.disable()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
        gc.enable()
    return min(times)


def main() -> None:
    """Build, time both, print JSON and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--streamed", action="store_true", help="inline strings, as openpyxl's write-only mode saves")
    args = parser.parse_args()
    data = build_roster(args.rows, streamed=args.streamed)
    assert openpyxl_pass(data) == args.rows + 1
    read = best(lambda: openpyxl_pass(data), args.repeat)
    read_paused = best(lambda: openpyxl_pass(data), args.repeat, gc_paused=True)
    runs = [fresh_import(data) for _ in range(args.repeat)]
    assert all(r[2] == {"created": args.rows, "existing": 0} for r in runs), runs[0][2]
    imported = min(r[0] for r in runs)
    _, peak, _ = fresh_import(data, memory=True)
    ratio, like_for_like = imported / read, imported / read_paused
    report = {"rows": args.rows, "file": "streamed" if args.streamed else "excel-like", "file_bytes": len(data),
              "openpyxl_read_s": round(read, 4),
              "import_s": round(imported, 4), "ratio": round(ratio, 3), "target": TARGET,
              "openpyxl_read_gc_paused_s": round(read_paused, 4), "ratio_gc_paused": round(like_for_like, 3),
              "meets_target": ratio <= TARGET, "import_peak_mib": round(peak / 2 ** 20, 1)}
    save_report("import", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'rows':<34}{args.rows:>12}")
    print(f"{'(a) openpyxl read-only pass (s)':<34}{read:>12.3f}")
    print(f"{'(b) import_roster + commit (s)':<34}{imported:>12.3f}")
    print(f"{'ratio (b)/(a), target <= 2.0':<34}{ratio:>12.2f}  {'OK' if ratio <= TARGET else 'MISSED'}")
    print(f"{'(a2) the same, cyclic GC paused (s)':<34}{read_paused:>12.3f}")
    print(f"{'ratio (b)/(a2), like for like':<34}{like_for_like:>12.2f}")
    print(f"{'import peak memory (MiB)':<34}{peak / 2 ** 20:>12.1f}")


if __name__ == "__main__":
    main()
