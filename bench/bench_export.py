"""Benchmark: the 成绩册 (results workbook) of a 10,000-row event against openpyxl write-only of the same rows.

    .venv/bin/python bench/bench_export.py [--rows 10000] [--judges 3] [--criteria 2] [--repeat 3]

The event is built with bulk inserts (present entries with names and employers, every mark, every
judge submitted) in a fresh SQLite database, then signed off with the real service, so the export
reads the frozen snapshot exactly as the route /events/<id>/results.xlsx does after sign-off.
(a) openpyxl alone: Workbook(write_only=True), a header and the same rows of plain values (ranks and scores as
    numbers, as the 成绩册 holds them), unstyled, saved to bytes.
(b) result_exports.results_workbook(event, "full"), what the organiser's download runs: snapshot,
    names, shaping, styled text cells, print setup, saved to bytes.
(a2) openpyxl alone writing the same rows as styled cells (border, wrap, text format: one style array
    copied onto every cell, openpyxl's cheapest way), so (b)/(a2) shows what the app adds beyond the
    cost of styled cells themselves, like for like.
Prints JSON (also bench/out/export.json) and a table with the times (best of --repeat, run in turn,
the export on a fresh session), the ratio (b)/(a) against the target ≤ 1.5, and the export's peak memory
(tracemalloc, in a separate run so it does not skew the time).
"""
import argparse
import io
from decimal import Decimal
import json
import tempfile
import time
import tracemalloc

from _common import app_for, build_event, save_report, verdict

from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Alignment, Border, Side  # noqa: E402
from openpyxl.styles.cell_style import StyleArray  # noqa: E402

from competition.extensions import db  # noqa: E402
from competition.models import Event, Role  # noqa: E402
from competition.services.audit import Actor  # noqa: E402
from competition.services.results.lifecycle import sign_off  # noqa: E402
from tests.builders import make_user  # noqa: E402

TARGET = 1.5


def build(rows: int, judges: int, criteria: int) -> int:
    """A signed-off event of `rows` ranked entries; returns its id."""
    event, _panel = build_event("scoring", entries=rows, judges=judges, judged=criteria, marked=True)
    sign_off(Actor(make_user(Role.ORGANISER), "bench"), event)
    db.session.commit()
    return event.id


def plain_rows(event) -> tuple[list[str], list[list]]:
    """The same header and row values the 成绩册 holds, as plain Python values, computed before timing."""
    from competition.services.results.exports import module_names, shaped_rows, time_text
    rows, _ = shaped_rows(event, "full")
    modules = module_names(rows, event)
    header = ["名次", "参赛号", "姓名", "工作单位", *modules, "总分", "实操得分", "用时", "状态"]
    number = lambda text: Decimal(text) if text else None  # noqa: E731  the 成绩册 holds scores as numbers
    return header, [[r["rank"], r["number"], r["name"], r["employer"], *[number(m["score"]) for m in r["modules"]],
                     number(r["total"]), number(r["practical"]), time_text(r["time_used"]), r["status_text"]]
                    for r in rows]


def openpyxl_write(header: list[str], rows: list[list]) -> bytes:
    """openpyxl alone: a write-only workbook of the header and rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成绩册")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def openpyxl_styled(header: list[str], rows: list[list]) -> bytes:
    """openpyxl alone: the same rows as bordered, wrapped, text-formatted cells sharing one style."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成绩册")
    proto = WriteOnlyCell(sheet)
    thin = Side(style="thin", color="999999")
    proto.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    proto.alignment, proto.number_format = Alignment(vertical="center", wrap_text=True), "@"
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell._style = StyleArray(proto._style)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(event_id: int) -> bytes:
    """The organiser's download, on a fresh session: load the event, then the workbook."""
    from competition.services.results.exports import results_workbook  # after the app: api/ imports it first
    db.session.remove()
    return results_workbook(db.session.get(Event, event_id), "full")


def interleaved(actions: dict, repeat: int) -> tuple[dict, dict]:
    """The fastest of `repeat` runs of each action, run in turn so that a busy moment of the shared machine
    does not fall on one side of a ratio only: ({name: seconds}, {name: last result})."""
    times, results = {name: [] for name in actions}, {}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            results[name] = action()
            times[name].append(time.perf_counter() - started)
    return {name: min(t) for name, t in times.items()}, results


def peak_of(action) -> int:
    """Peak traced memory of one run of `action`, in bytes."""
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    """Build, time both, print JSON and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--judges", type=int, default=3)
    parser.add_argument("--criteria", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = app_for(f"sqlite:///{folder}/bench.sqlite3", folder)
        with app.app_context():
            db.create_all()
            event_id = build(args.rows, args.judges, args.criteria)
            header, rows = plain_rows(db.session.get(Event, event_id))
            times, results = interleaved({"plain": lambda: openpyxl_write(header, rows),
                                          "styled": lambda: openpyxl_styled(header, rows),
                                          "export": lambda: export(event_id)}, args.repeat)
            (written, styled, exported), (plain, data) = times.values(), (results["plain"], results["export"])
            peak = peak_of(lambda: export(event_id))
            plain_peak = peak_of(lambda: openpyxl_write(header, rows))
            db.session.remove()
            db.engine.dispose()
    lines = sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert lines == args.rows + 6 and len(rows) == args.rows, (lines, len(rows))  # 2 heading, header, 3 notes
    ratio, like_for_like = exported / written, exported / styled
    report = {"rows": args.rows, "columns": len(header), "openpyxl_write_only_s": round(written, 4),
              "results_workbook_s": round(exported, 4), "ratio": round(ratio, 3), "target": TARGET,
              "openpyxl_styled_s": round(styled, 4), "ratio_styled": round(like_for_like, 3),
              "meets_target": ratio <= TARGET, "export_peak_mib": round(peak / 2 ** 20, 1),
              "openpyxl_peak_mib": round(plain_peak / 2 ** 20, 1), "export_bytes": len(data), "plain_bytes": len(plain)}
    save_report("export", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'measure':<40}{'value':>12}")
    print(f"{'rows':<40}{args.rows:>12}")
    print(f"{'(a) openpyxl write-only, same rows (s)':<40}{written:>12.3f}")
    print(f"{'(b) results_workbook 成绩册 (s)':<40}{exported:>12.3f}")
    print(f"{'ratio (b)/(a), target <= 1.5':<40}{ratio:>12.2f}  {verdict(ratio <= TARGET)}")
    print(f"{'(a2) openpyxl, styled cells (s)':<40}{styled:>12.3f}")
    print(f"{'ratio (b)/(a2), like for like':<40}{like_for_like:>12.2f}")
    print(f"{'export peak memory (MiB)':<40}{peak / 2 ** 20:>12.1f}")
    print(f"{'openpyxl write-only peak memory (MiB)':<40}{plain_peak / 2 ** 20:>12.1f}")


if __name__ == "__main__":
    main()
