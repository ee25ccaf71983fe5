"""Load test: a venue's judges saving marks while the public reads published results, against the real server.

    .venv/bin/python bench/load_test.py [--seconds 120] [--judges 50] [--readers 200] [--json PATH] [--sqlite]

A fresh PostgreSQL database on loopback (SQLite in a temporary folder only if PostgreSQL does not
answer, or with --sqlite; the report says which) is migrated, then seeded through the services with
`--events` events in scoring (the judges split evenly over their panels, `--entries` present entries
each) and `--published` events fully marked, signed off and published (公示). gunicorn serves
"competition:create_app()" with the gthread worker. Then, for --seconds:
- judges: each with their own token and keep-alive connection, PUT one entry's criteria at a time
  (their own cells, so no two judges ever race and no 409 is expected), 0.5–2 s apart;
- readers: each GET /public, /public/events/<id> or /api/v1/events/<id>/results (no token) of a
  published event, 3–8 s apart (a person reading a results table on a phone).
Any non-2xx answer or connection error is an error. Afterwards every cell the server said it saved
must be stored with that value and every save must have its change-log row (nothing lost).
Prints p50/p95/p99 per request kind, requests/s and a verdict; JSON to bench/out/load.json (or --json).
Exit status 1 on any error or lost mark.
"""
import argparse
import json
import random
import threading
import time

from _common import app_for, build_event, save_report
from _marking import check_stored, latency_ms, make_judges, run_judges, seed_scoring, tokens_for
from _server import Client, database, gunicorn, migrate

from competition.extensions import db
from competition.models import Role
from competition.services.audit import Actor
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_user


def seed_published(app, count: int, entries: int, judged: int) -> list[int]:
    """`count` events fully marked, signed off and published (公示); returns their ids."""
    ids = []
    with app.app_context():
        organiser = Actor(make_user(Role.ORGANISER), "load-test")
        for n in range(count):
            event, _ = build_event("scoring", entries=entries, judges=3, judged=judged, marked=True, tag=f"公示{n + 1}")
            sign_off(organiser, event)
            publish(organiser, event)
            ids.append(event.id)
        db.session.commit()
        db.session.remove()
    return ids


class Reader(threading.Thread):
    """One person on a phone: reads the public index, an event's page or its results JSON, with pauses."""

    KINDS = (("public_index", 1), ("public_event", 2), ("api_results", 1))

    def __init__(self, port: int, published: list[int], deadline: float, think: tuple, seed: int):
        """A reader with their own keep-alive connection."""
        super().__init__(daemon=True)
        self.client, self.published, self.deadline, self.think = Client(port), published, deadline, think
        self.rng = random.Random(seed)
        self.latencies: dict[str, list[float]] = {kind: [] for kind, _ in self.KINDS}
        self.errors: list[str] = []

    def run(self) -> None:
        """Read until the deadline."""
        time.sleep(self.rng.uniform(0, self.think[1]))
        while time.monotonic() < self.deadline:
            kind = self.rng.choices([k for k, _ in self.KINDS], [w for _, w in self.KINDS])[0]
            event_id = self.rng.choice(self.published)
            path = {"public_index": "/public", "public_event": f"/public/events/{event_id}",
                    "api_results": f"/api/v1/events/{event_id}/results"}[kind]
            try:
                status, body, seconds = self.client.request("GET", path)
            except Exception as exc:  # noqa: BLE001  (reported, not raised)
                self.errors.append(f"GET {path}: {type(exc).__name__}: {exc}")
            else:
                self.latencies[kind].append(seconds)
                if not 200 <= status < 300:
                    self.errors.append(f"GET {path}: {status} {body[:120].decode(errors='replace')}")
            time.sleep(self.rng.uniform(*self.think))
        self.client.close()


def run(args) -> dict:
    """Database, migrations, seed, server, the load, then the check; returns the report."""
    with database("load", force_sqlite=args.sqlite) as (url, kind, folder):
        migrate(url, folder)
        app = app_for(url, folder)
        per_event = max(1, args.judges // args.events)
        plans = seed_scoring(app, events=args.events, judges=per_event, entries=args.entries, judged=args.criteria)
        published = seed_published(app, args.published, args.published_entries, args.criteria)
        with gunicorn(url, folder, workers=args.workers, threads=args.threads) as port:
            tokens = tokens_for(port, plans)
            deadline = time.monotonic() + args.seconds
            readers = [Reader(port, published, deadline, tuple(args.reader_think), seed=i) for i in range(args.readers)]
            for reader in readers:
                reader.start()
            started = time.monotonic()
            judges = run_judges(make_judges(port, plans, tokens, think=tuple(args.judge_think)), args.seconds)
            for reader in readers:
                reader.join()
            elapsed = time.monotonic() - started
        stored = check_stored(app, plans, judges)
        with app.app_context():
            db.engine.dispose()
    kinds = {"save_marks": [t for j in judges for t in j.latencies]}
    for name, _ in Reader.KINDS:
        kinds[name] = [t for r in readers for t in r.latencies[name]]
    errors = [e for j in judges for e in j.errors] + [e for r in readers for e in r.errors]
    total = sum(len(v) for v in kinds.values())
    return {"database": kind, "server": f"gunicorn -w {args.workers} -k gthread --threads {args.threads}",
            "seconds": args.seconds, "judges": len(judges), "readers": len(readers), "scoring_events": len(plans),
            "published_events": len(published), "requests": total, "rps": round(total / args.seconds, 1),
            "wall_s": round(elapsed, 1),  # requests start only before the deadline; the last ones end after it
            "kinds": {k: {"count": len(v), "rps": round(len(v) / args.seconds, 1), **latency_ms(v)}
                      for k, v in kinds.items()},
            "errors": len(errors), "error_samples": errors[:10], **stored,
            "passed": not errors and not stored["lost"] and not stored["unexpected"]}


def main() -> None:
    """Run the load, print JSON and a table; exit 1 on any error or lost mark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--events", type=int, default=5, help="events in scoring; the judges are split over them")
    parser.add_argument("--entries", type=int, default=100, help="entries per event in scoring")
    parser.add_argument("--criteria", type=int, default=4, help="judgement criteria, saved together per request")
    parser.add_argument("--published", type=int, default=3)
    parser.add_argument("--published-entries", type=int, default=60)
    parser.add_argument("--judge-think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    parser.add_argument("--reader-think", type=float, nargs=2, default=(3.0, 8.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", help="also write the report here")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if PostgreSQL answers")
    args = parser.parse_args()
    report = run(args)
    save_report("load", report)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'request kind':<16}{'count':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, k in report["kinds"].items():
        print(f"{name:<16}{k['count']:>8}{k['rps']:>8}{k['p50_ms']:>9}{k['p95_ms']:>9}{k['p99_ms']:>9}")
    print(f"{'all':<16}{report['requests']:>8}{report['rps']:>8}   ({report['database']}, {report['server']})")
    print(f"errors {report['errors']}; cell saves OK {report['cell_saves_ok']}, changes stored "
          f"{report['mark_changes_stored']}; cells {report['cells_saved']}, marks stored {report['marks_stored']}; "
          f"lost {report['lost']}, unexpected {report['unexpected']}  {'PASSED' if report['passed'] else 'FAILED'}")
    for sample in report["error_samples"]:
        print(f"  {sample}")
    if not report["passed"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
