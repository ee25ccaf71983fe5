"""The summary `make bench` prints last: every ratio with its target, and the figures that go with it.

    .venv/bin/python bench/summary.py [--markdown]

Reads the JSON each bench script wrote to bench/out/ (and bench/out/load.json from `make load`, if
present). A missed target is printed as MISSED but does not fail: only a script that crashed (its
report missing) makes the exit status non-zero.
"""
import argparse
import json
import os
import sys
import time

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
BENCHES = ("import", "results", "export", "marks_server", "upload_caps", "certificates", "standings", "pages")


def load(name: str) -> dict | None:
    """bench/out/<name>.json, or None if the script did not write it."""
    path = os.path.join(OUT, f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    report["_age_s"] = time.time() - os.path.getmtime(path)
    return report


def rows(reports: dict) -> list[tuple[str, str, str, str, str]]:
    """(measure, value, target, verdict, extra figures) for each report there is."""
    out = []
    if r := reports.get("import"):
        out.append((f"roster import {r['rows']:,} rows ÷ openpyxl read-only pass", f"{r['ratio']:.2f}", "≤ 2",
                    _verdict(r), f"import peak {r['import_peak_mib']} MiB; "
                                 f"GC-paused like-for-like {r['ratio_gc_paused']:.2f}"))
        for kind, f in r.get("calamine", {}).items():
            reader = "the csv module" if kind == "csv" else "python-calamine's read"
            for phase, key in (("reading phase", "read"), ("whole import", "import")):
                out.append((f"roster import {r['rows']:,} rows .{kind}, {phase} ÷ {reader}", f"{f[key + '_ratio']:.2f}",
                            "≤ 1.5", "OK" if f[key + "_meets_target"] else "MISSED",
                            f"{f[key + '_upload_s' if key == 'read' else 'import_s'] * 1000:.1f} ms vs "
                            f"{f['reader_s'] * 1000:.1f} ms"))
    if r := reports.get("results"):
        out.append((f"results {r['entries']:,} entries × {r['judges']} judges × {r['criteria']} criteria "
                    "÷ reading the marks", f"{r['ratio']:.2f}", "≤ 3", _verdict(r),
                    f"{r['marks']:,} marks; {r['compute_event_results_s']:.2f} s"))
        if p := r.get("prizes"):
            out.append((f"results with prize tiers for {r['entries']:,} entries ÷ today's results without them",
                        f"{p['ratio']:.2f}", "≤ 1.1", _verdict(p),
                        "; ".join(f"{stage} {p[stage]['with_s'] * 1000:.0f} ms vs {p[stage]['without_s'] * 1000:.0f} ms"
                                  f" ({p[stage]['ratio']:.3f})" for stage in ("live", "frozen"))
                        + f"; GC-paused like-for-like {p['ratio_gc_paused']:.3f}; the prize step alone "
                          f"{p['frozen']['prize_step_s'] * 1000:.1f} ms → {p['frozen']['ratio_of_the_step']:.3f}"))
    if r := reports.get("export"):
        out.append((f"成绩册 export {r['rows']:,} rows ÷ openpyxl write-only", f"{r['ratio']:.2f}", "≤ 1.5",
                    _verdict(r), f"export peak {r['export_peak_mib']} MiB; "
                                 f"{r['results_workbook_s']:.2f} s vs {r['openpyxl_write_only_s']:.2f} s"))
    if r := reports.get("marks_server"):
        h, m = r["healthz"], r["marks"]
        out.append((f"PUT marks, {r['clients']} judges ÷ GET /healthz, {r['clients']} clients "
                    f"({r['database']}, gunicorn)", f"{r['ratio']:.3f}", "≥ 0.4", _verdict(r),
                    f"{r['marks_rps']} vs {r['healthz_rps']} req/s; p50/p95 {m['p50_ms']}/{m['p95_ms']} vs "
                    f"{h['p50_ms']}/{h['p95_ms']} ms; lost {r['lost']}"))
    if r := reports.get("upload_caps"):
        worst = r["worst_allowed_s"]
        out.append((f"worst allowed upload ({r['max_cells']:,} cells, ≤ {r['max_columns']} columns) ÷ the "
                    "16,384-column attack before the caps (CPU)", f"{r['ratio']:.3f}", "≤ 0.25", _verdict(r),
                    f"attack {r['attack_mib']} MiB: {r['attack_before_s']} s before, refused in "
                    f"{r['attack_refused_s'] * 1000:.1f} ms now; worst allowed "
                    + ", ".join(f"{k.replace('_', ' ')} {v} s" for k, v in worst.items())))
    if r := reports.get("certificates"):
        out.append((f"{r['certificates']} certificates as one PDF (the job) ÷ WeasyPrint rendering one page "
                    f"{r['certificates']} times", f"{r['ratio']:.3f}", "≤ 1.2", _verdict(r),
                    f"{r['job_s']} s vs {r['one_by_one_s']} s ({r['one_page_s'] * 1000:.0f} ms a page, {r['samples']} "
                    f"sampled); job peak {r['peak_mib']} MiB (< {r['peak_target_mib']}); PDF {r['pdf_kib']} KiB"))
    if r := reports.get("standings"):
        sides = "; ".join(f"{name} {r[name]['seconds'] * 1000:.1f} ms" if r[name]["exists"] else
                          f"{name} missing ({r[name]['status']})" for name in ("page", "api"))
        out.append((f"standings, {r['events']} final events and {r['entries']:,} entries: the page and the API "
                    f"÷ one statement summing the prizes ({r['database']})",
                    f"{r['ratio']:.2f}" if r["ratio"] is not None else "-", "≤ 2", _verdict(r),
                    f"{sides}; the service {r['service_s'] * 1000:.1f} ms ({r['service_ratio']:.2f}); "
                    f"the statement {r['base_s'] * 1000:.1f} ms"))
    if r := reports.get("pages"):
        out += _pages_rows(r)
    if r := reports.get("load"):
        kinds = "; ".join(f"{k} p50/p95/p99 {v['p50_ms']}/{v['p95_ms']}/{v['p99_ms']} ms"
                          for k, v in r["kinds"].items())
        out.append((f"load: {r['judges']} judges + {r['readers']} readers, {r['seconds']:.0f} s ({r['database']})",
                    f"{r['errors']} errors, {r['lost']} lost", "0, 0", "OK" if r["passed"] else "FAILED",
                    f"{r['rps']} req/s; {kinds}"))
    return out


def _pages_rows(r: dict) -> list[tuple[str, str, str, str, str]]:
    """bench_pages.py's two lines: the worst page's p95 against 200 ms, and the pages whose statement count differs
    between a large and a small object."""
    counts = r.get("counts") or {}
    league = (f"{counts.get('events', '?')} events, {counts.get('entries', 0):,} entries, {counts.get('marks', 0):,} "
              f"marks; seeded in {r['seed_s']} s" if "seed_s" in r else "an existing database")
    worst = max((p for p in r["pages"] if p["status"] == 200), key=lambda p: p["p95_ms"], default=None)
    figures = (f"SELECT 1 p50/p95 {r['select1']['p50_ms']}/{r['select1']['p95_ms']} ms; "
               + (f"worst {worst['name']} p50/p95 {worst['p50_ms']}/{worst['p95_ms']} ms; " if worst else "")
               + f"over: {', '.join(r['slow']) or 'none'}; {league}")
    differ = r["not_constant"]
    return [(f"{len(r['pages'])} pages' p95 on league-scale data, sequential requests ({r['database']}, gunicorn)",
             f"{r['worst_p95_ms']:.1f} ms" if r["worst_p95_ms"] is not None else "-", "≤ 200 ms",
             "MISSED" if r["slow"] else "OK", figures),
            (f"SQL statements per page, a large object against a small one ({r['compared']} pages compared)",
             f"{len(differ)} differ", "0", "MISSED" if differ else "OK", f"differ: {', '.join(differ) or 'none'}")]


def _verdict(report: dict) -> str:
    """OK or MISSED from a report's meets_target."""
    return "OK" if report["meets_target"] else "MISSED"


def main() -> None:
    """Print the table (plain or Markdown); exit 1 only if a bench script left no report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    reports = {name: report for name in (*BENCHES, "load") if (report := load(name)) is not None}
    table = rows(reports)
    if args.markdown:
        print("| measure | value | target | verdict | figures |\n|---|---|---|---|---|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        print("\n== summary (bench/out/*.json)")
        for measure, value, target, verdict, extra in table:
            print(f"{verdict:<7}{value:>12}  target {target:<7} {measure}\n{'':<28}{extra}")
    if old := [n for n, r in reports.items() if r["_age_s"] > 3600]:
        print(f"note: {', '.join(old)} older than an hour", file=sys.stderr)
    if missing := [name for name in BENCHES if name not in reports]:
        raise SystemExit(f"no report from: {', '.join(missing)} (did a bench script crash?)")


if __name__ == "__main__":
    main()
