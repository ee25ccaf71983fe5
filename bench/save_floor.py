"""Diagnosis, not a target: the mark save beside the least work any save must do, on one server, in one run.

    .venv/bin/python bench/save_floor.py [--seconds 15] [--rounds 3] [--judges 8] [--workers 4] [--threads 4]

`make bench` measures PUT marks ÷ GET /healthz (target ≥ 0.4). This script asks whether any save written
on this stack (Flask, SQLAlchemy, psycopg, PostgreSQL, gunicorn) could reach that on this machine. One
gunicorn serves `bench._floor_app:create_app()`, which is the real app plus a bench-only route doing the
floor of a save: the token's user, the event's lock with the judge's seat, one SQL statement that reads
the old values, upserts the cells and logs the changes, the audit row, and the commit; no validation, no
stale check, no ORM (see bench/_floor_app.py). In turn, for --rounds rounds, `judges` clients run:
(a) GET /healthz; (b) PUT /api/v1/events/<id>/marks, the real save; (c) PUT to the floor route, on an
event of its own. For each it prints requests/s, the ratio to (a), p50/p95, and the CPU milliseconds per
request spent by the gunicorn workers, by PostgreSQL and by this client, read from /proc. Afterwards it
checks that every cell either side said it saved is stored with its change row.
PostgreSQL only; JSON also goes to bench/out/save_floor.json. Not part of `make bench`.
"""
import argparse
import json
import os
import resource
import time

from _common import app_for, save_report
from _marking import check_stored, latency_ms, make_judges, run_judges, seed_scoring, tokens_for
from _server import database, gunicorn, migrate
from bench_marks_server import TARGET, hammer

TICKS = os.sysconf("SC_CLK_TCK")
FLOOR_PATH = "/bench/floor/events/{event_id}/marks"


def cpu_seconds() -> dict:
    """CPU seconds used so far by the gunicorn processes, the PostgreSQL processes and this client."""
    used = {"gunicorn": 0.0, "postgres": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read()
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        kind = "gunicorn" if b"gunicorn" in command else "postgres" if command.startswith(b"postgres") else None
        if kind:
            used[kind] += (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    mine = resource.getrusage(resource.RUSAGE_SELF)
    return used | {"client": mine.ru_utime + mine.ru_stime}


class Side:
    """One kind of request: its latencies, errors, seconds run and CPU used, summed over the rounds."""

    def __init__(self):
        """Nothing measured yet."""
        self.latencies, self.errors, self.seconds, self.cpu = [], [], 0.0, dict.fromkeys(cpu_seconds(), 0.0)

    def run(self, work) -> None:
        """Run work() -> (latencies, errors) and add what it took."""
        before, started = cpu_seconds(), time.monotonic()
        latencies, errors = work()
        self.seconds += time.monotonic() - started
        after = cpu_seconds()
        self.latencies += latencies
        self.errors += errors
        self.cpu = {kind: self.cpu[kind] + after[kind] - before[kind] for kind in self.cpu}

    def report(self, baseline: float | None) -> dict:
        """req/s, ratio to the baseline's req/s, latency and CPU ms per request."""
        count = len(self.latencies)
        rps = count / self.seconds if self.seconds else 0.0
        return {"rps": round(rps, 1), "ratio": round(rps / baseline, 3) if baseline else None,
                "latency": latency_ms(self.latencies), "errors": len(self.errors), "error_samples": self.errors[:3],
                "cpu_ms_per_request": {kind: round(s / count * 1000, 2) if count else None
                                       for kind, s in self.cpu.items()}}


def judges_work(judges, seconds: float):
    """A work function: the judges save for `seconds`; their new latencies and errors."""
    def work():
        seen = [(len(j.latencies), len(j.errors)) for j in judges]
        run_judges(judges, seconds)
        return ([t for j, (n, _) in zip(judges, seen) for t in j.latencies[n:]],
                [e for j, (_, n) in zip(judges, seen) for e in j.errors[n:]])
    return work


def measure(args) -> dict:
    """Database, seed (two events: the real save's and the floor's), the server, the rounds, the checks."""
    with database("floor") as (url, kind, folder):
        if kind != "postgresql":
            raise SystemExit("save_floor.py needs PostgreSQL on 127.0.0.1:5432 (the floor is PostgreSQL SQL)")
        migrate(url, folder)
        app = app_for(url, folder)
        real, floor = seed_scoring(app, events=2, judges=args.judges, entries=args.entries, judged=args.criteria)
        with gunicorn(url, folder, workers=args.workers, threads=args.threads, app="bench._floor_app:create_app()") \
                as port:
            tokens = tokens_for(port, [real, floor])
            hammer(port, "/healthz", args.judges, 1)  # warm every worker and connection pool
            saving = make_judges(port, [real], tokens)
            flooring = make_judges(port, [floor], tokens, path=FLOOR_PATH)
            run_judges(saving + flooring, 1)  # warm both routes' statements in every worker
            sides = {"healthz": Side(), "save": Side(), "floor": Side()}
            turn = args.seconds / args.rounds
            for _ in range(args.rounds):
                sides["healthz"].run(lambda: hammer(port, "/healthz", args.judges, turn))
                sides["save"].run(judges_work(saving, turn))
                sides["floor"].run(judges_work(flooring, turn))
        stored = {"save": check_stored(app, [real], saving), "floor": check_stored(app, [floor], flooring)}
        with app.app_context():
            from competition.extensions import db
            db.engine.dispose()
    health = sides["healthz"].report(None)
    return {"database": kind, "server": f"gunicorn -w {args.workers} -k gthread --threads {args.threads}",
            "seconds": args.seconds, "rounds": args.rounds, "clients": args.judges, "cells_per_save": args.criteria,
            "target": TARGET, "healthz": health,
            "save": sides["save"].report(health["rps"]) | {"stored": stored["save"]},
            "floor": sides["floor"].report(health["rps"]) | {"stored": stored["floor"]}}


def main() -> None:
    """Measure, print JSON and a table; exit 1 if a request failed or a mark was lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per side, split over the rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--judges", type=int, default=8)
    parser.add_argument("--entries", type=int, default=400)
    parser.add_argument("--criteria", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    report = measure(parser.parse_args())
    save_report("save_floor", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'request (' + report['server'] + ')':<44}{'req/s':>8}{'÷ health':>10}{'p50/p95 ms':>14}"
          f"{'CPU ms/request: app':>22}{'db':>7}{'client':>8}")
    for name, label in (("healthz", "(a) GET /healthz"), ("save", "(b) PUT marks (the real save)"),
                        ("floor", "(c) the floor of a save")):
        side = report[name]
        ratio = "" if side.get("ratio") is None else f"{side['ratio']:.3f}"
        cpu = side["cpu_ms_per_request"]
        print(f"{label:<44}{side['rps']:>8.1f}{ratio:>10}"
              f"{side['latency']['p50_ms']:>7.1f}/{side['latency']['p95_ms']:<6.1f}"
              f"{cpu['gunicorn']:>22.2f}{cpu['postgres']:>7.2f}{cpu['client']:>8.2f}")
    failed = [name for name in ("healthz", "save", "floor") if report[name]["errors"]]
    failed += [name for name in ("save", "floor") if report[name]["stored"]["lost"] or report[name]["stored"]["unexpected"]]
    if failed:
        raise SystemExit(f"FAILED: errors or lost marks in {', '.join(failed)}")


if __name__ == "__main__":
    main()
