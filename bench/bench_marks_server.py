"""Benchmark: saving marks through the real server against its health check, under gunicorn on PostgreSQL.

    .venv/bin/python bench/bench_marks_server.py [--seconds 15] [--judges 8] [--entries 400] [--criteria 4]
                                                 [--workers 4] [--threads 4] [--sqlite]

A fresh PostgreSQL database (SQLite in a temporary folder if PostgreSQL does not answer, or with
--sqlite; the output says which) is migrated with `flask db upgrade`, an event in scoring with a
panel of `judges` is seeded through the services, and `gunicorn -k gthread "competition:create_app()"`
serves it on loopback. Then, each for --seconds in all (in --rounds turns), with no think time:
(a) GET /healthz from `judges` concurrent keep-alive clients (a database round trip per request);
(b) `judges` judges, each with their own token, PUT /api/v1/events/<id>/marks with one entry's
    `criteria` cells per request (their own cells, so nothing races).
Prints requests/s and p50/p95 of both, the ratio (b)/(a) against the target ≥ 0.4, and checks
afterwards that every cell the server said it saved is stored with that value (nothing lost).
JSON also goes to bench/out/marks_server.json. The server and the database are removed even on failure.
"""
import argparse
import json
import threading
import time

from _common import app_for, save_report, verdict
from _marking import check_stored, latency_ms, make_judges, run_judges, seed_scoring, tokens_for
from _server import Client, database, gunicorn, migrate

TARGET = 0.4


def hammer(port: int, path: str, clients: int, seconds: float) -> tuple[list[float], list[str]]:
    """`clients` threads GETting `path` back to back for `seconds`: (latencies, errors)."""
    deadline = time.monotonic() + seconds
    latencies, errors = [], []

    def loop() -> None:
        """One client's requests until the deadline."""
        client = Client(port)
        while time.monotonic() < deadline:
            try:
                status, body, took = client.request("GET", path)
            except Exception as exc:  # noqa: BLE001  (reported, not raised)
                errors.append(f"GET {path}: {type(exc).__name__}")
                continue
            latencies.append(took)
            if status != 200:
                errors.append(f"GET {path}: {status}")
        client.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def measure(args) -> dict:
    """Database, migrations, seed, server; then both phases and the check."""
    with database("marks", force_sqlite=args.sqlite) as (url, kind, folder):
        migrate(url, folder)
        app = app_for(url, folder)
        plans = seed_scoring(app, events=1, judges=args.judges, entries=args.entries, judged=args.criteria)
        with gunicorn(url, folder, workers=args.workers, threads=args.threads) as port:
            tokens = tokens_for(port, plans)
            hammer(port, "/healthz", args.judges, 1)  # warm every worker and connection pool
            judges, health, health_errors, marking_s = make_judges(port, plans, tokens), [], [], 0.0
            for _ in range(args.rounds):  # in turn, so a busy moment of the machine does not hit one side only
                latencies, errors = hammer(port, "/healthz", args.judges, args.seconds / args.rounds)
                health, health_errors = health + latencies, health_errors + errors
                started = time.monotonic()
                run_judges(judges, args.seconds / args.rounds)
                marking_s += time.monotonic() - started
        stored = check_stored(app, plans, judges)
        with app.app_context():
            from competition.extensions import db
            db.engine.dispose()
    saves = [t for j in judges for t in j.latencies]
    errors = health_errors + [e for j in judges for e in j.errors]
    health_rps, marks_rps = len(health) / args.seconds, len(saves) / marking_s
    ratio = marks_rps / health_rps if health_rps else 0.0
    return {"database": kind, "server": f"gunicorn -w {args.workers} -k gthread --threads {args.threads}",
            "seconds": args.seconds, "rounds": args.rounds, "clients": args.judges, "cells_per_save": args.criteria,
            "healthz_rps": round(health_rps, 1), "healthz": latency_ms(health),
            "marks_rps": round(marks_rps, 1), "marks": latency_ms(saves), "ratio": round(ratio, 3), "target": TARGET,
            "meets_target": ratio >= TARGET, "errors": len(errors), "error_samples": errors[:5], **stored}


def main() -> None:
    """Measure, print JSON and a table; exit 1 if a request failed or a mark was lost (a crash, not a target)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per side, split over the rounds")
    parser.add_argument("--rounds", type=int, default=3, help="the two sides are measured in turn this many times")
    parser.add_argument("--judges", type=int, default=8)
    parser.add_argument("--entries", type=int, default=400)
    parser.add_argument("--criteria", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if PostgreSQL answers")
    args = parser.parse_args()
    report = measure(args)
    save_report("marks_server", report)
    print(json.dumps(report, ensure_ascii=False))
    h, m = report["healthz"], report["marks"]
    print(f"{'measure':<44}{'value':>12}")
    print(f"{'database / server':<44}{report['database'] + ' / gunicorn gthread':>12}")
    n = report["clients"]
    print(f"{f'(a) GET /healthz, {n} clients (req/s)':<44}{report['healthz_rps']:>12.1f}")
    print(f"{'    p50 / p95 (ms)':<44}{h['p50_ms']:>6.1f} /{h['p95_ms']:>6.1f}")
    print(f"{f'(b) PUT marks, {n} judges (req/s)':<44}{report['marks_rps']:>12.1f}")
    print(f"{'    p50 / p95 (ms)':<44}{m['p50_ms']:>6.1f} /{m['p95_ms']:>6.1f}")
    print(f"{'ratio (b)/(a), target >= 0.4':<44}{report['ratio']:>12.2f}  {verdict(report['meets_target'])}")
    print(f"{'cell saves OK / changes stored':<44}{report['cell_saves_ok']:>6} /{report['mark_changes_stored']:>6}")
    print(f"{'cells saved / marks stored / lost':<44}{report['cells_saved']:>6} /{report['marks_stored']:>6}"
          f" /{report['lost']:>3}")
    print(f"{'request errors':<44}{report['errors']:>12}")
    if report["errors"] or report["lost"] or report["unexpected"]:
        raise SystemExit(f"FAILED: {report['errors']} errors, {report['lost']} lost, {report['unexpected']} unexpected")


if __name__ == "__main__":
    main()
