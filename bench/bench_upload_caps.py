"""Benchmark: the cell and column caps on uploads (issue 14, finding 6), measured in CPU seconds in one run.

    .venv/bin/python bench/bench_upload_caps.py [--repeat 3]

(a) the attack: a 4 MB .xlsx of 16,384 columns × 97 rows (51 MB of XML, under every byte limit):
    what openpyxl's read-only pass costs on it (what an upload cost before the caps), and what refusing it
    costs now;
(b) the worst files still allowed: 200,000 cells (the cap) as 3,125 rows × 64 columns (the widest allowed)
    and as 10,000 rows × 20 columns, read the way an import reads them (every check, then python-calamine).
Prints JSON (also bench/out/upload_caps.json): the ratio of the worst allowed file to the attack before
the caps (target ≤ 0.25: no allowed upload costs a quarter of what the attack did) and each time.
"""
import argparse
import io
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from openpyxl import load_workbook  # noqa: E402

from _common import save_report  # noqa: E402
from competition.errors import AppError  # noqa: E402
from competition.xlsx.reading import UploadLimits, read_upload  # noqa: E402
from tests.xlsx_files import workbook  # noqa: E402

TARGET = 0.25


def cpu(action, repeat: int) -> float:
    """The best CPU time of `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        action()
        best = min(best, time.process_time() - started)
    return best


def openpyxl_pass(data: bytes) -> None:
    """openpyxl's read-only pass over every row (what reading cost before the caps)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    for _ in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()


def refused(data: bytes) -> None:
    """The upload path on the attack file: refused by the cell count."""
    try:
        read_upload(data)
    except AppError:
        return
    raise SystemExit("the attack file was not refused")


def main() -> None:
    """Build the files, time each side, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    attack = workbook(97, 16_384)
    widest, longest = workbook(3_125, 64), workbook(10_000, 20)
    limits = UploadLimits()
    before = cpu(lambda: openpyxl_pass(attack), 1)  # ~20 s: once is enough
    now = cpu(lambda: refused(attack), args.repeat)
    worst = {name: cpu(lambda data=data: read_upload(data, limits=limits), args.repeat)
             for name, data in (("64_columns", widest), ("20_columns", longest))}
    ratio = max(worst.values()) / before
    report = {"attack_mib": round(len(attack) / 2**20, 1), "attack_before_s": round(before, 2),
              "attack_refused_s": round(now, 4), "worst_allowed_s": {k: round(v, 2) for k, v in worst.items()},
              "max_cells": limits.max_cells, "max_columns": limits.max_columns,
              "ratio": round(ratio, 3), "target": TARGET, "meets_target": ratio <= TARGET}
    save_report("upload_caps", report)
    print(f"attack ({report['attack_mib']} MiB, 16,384 × 97): openpyxl {before:.2f} s CPU before the caps, "
          f"refused in {now * 1000:.1f} ms now")
    for name, seconds in worst.items():
        print(f"worst allowed ({name}, {limits.max_cells:,} cells): {seconds:.2f} s CPU")
    print(f"worst allowed ÷ attack before the caps: {ratio:.3f} (target ≤ {TARGET})")


if __name__ == "__main__":
    main()
