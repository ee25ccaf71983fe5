"""Diagnosis, not a target: what one SQL statement costs the app, beside a real mark save, in one run.

    .venv/bin/python bench/statement_cost.py [--requests 300] [--sqlite]

The mark-saving bench compares a save with /healthz (one SELECT 1). This script shows why that ratio
is what it is. On a fresh database (PostgreSQL if it answers, as the server benches) it measures the
CPU time of the app process per request, in-process through Flask's test client (no server, no
network), for: a route running 0, 1, 5 and 10 `SELECT 1` statements and committing; GET /healthz;
and PUT /api/v1/events/<id>/marks with one entry's 4 cells, whose statements it counts. The kinds are
measured in turn, round after round, so a busy moment of the machine hits all of them.
Prints JSON (also bench/out/statement_cost.json) and a table; it is not part of `make bench`.
"""
import argparse
import itertools
import json
import random
import time

from _common import app_for, save_report
from _marking import seed_scoring
from _server import database, migrate
from sqlalchemy import event as sa_event
from sqlalchemy import text

from competition.extensions import db
from tests.builders import PASSWORD

SIZES = (0, 1, 5, 10)


def add_statement_routes(app) -> None:
    """/bench/statements/<n>: n × SELECT 1 and a commit, answering JSON like /healthz."""
    def view(n: int):
        for _ in range(n):
            db.session.execute(text("SELECT 1"))
        db.session.commit()
        return {"status": "ok"}
    app.add_url_rule("/bench/statements/<int:n>", "bench_statements", view)


def measure(args) -> dict:
    """Seed, then every kind of request in turn for `rounds` rounds; CPU ms per request of each."""
    with database("statements", force_sqlite=args.sqlite) as (url, kind, folder):
        migrate(url, folder)
        app = app_for(url, folder)
        add_statement_routes(app)
        plan = seed_scoring(app, events=1, judges=1, entries=args.requests * 2, judged=4)[0]
        client = app.test_client()
        _, username = plan["judges"][0]
        token = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD}).get_json()["token"]
        numbers = itertools.cycle(plan["numbers"])
        rng = random.Random(1)

        def save() -> None:
            number = next(numbers)
            marks = [{"number": number, "criterion_id": cid, "value": f"{rng.randint(0, top * 100) / 100:.2f}",
                      "expected": None} for cid, top in plan["criteria"]]
            response = client.put(f"/api/v1/events/{plan['event_id']}/marks", json={"marks": marks},
                                  headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.get_data(as_text=True)[:300]

        kinds = {f"{n} × SELECT 1 + commit": (lambda n=n: client.get(f"/bench/statements/{n}")) for n in SIZES}
        kinds |= {"GET /healthz": lambda: client.get("/healthz"), "PUT marks (4 cells)": save}
        for request in kinds.values():
            request()  # warm: compiled statements, connections, first-use imports
        with app.app_context():
            seen = []
            listener = lambda *a: seen.append(a[2])  # noqa: E731
            sa_event.listen(db.engine, "before_cursor_execute", listener)
            save()
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        cpu = dict.fromkeys(kinds, 0.0)
        rounds, per_round = 5, max(1, args.requests // 5)
        for _ in range(rounds):
            for name, request in kinds.items():
                started = time.process_time()
                for _ in range(per_round):
                    request()
                cpu[name] += time.process_time() - started
        with app.app_context():
            db.engine.dispose()
    count = rounds * per_round
    per_request = {name: round(seconds / count * 1000, 3) for name, seconds in cpu.items()}
    one, ten = per_request["1 × SELECT 1 + commit"], per_request["10 × SELECT 1 + commit"]
    return {"database": kind, "requests_each": count, "cpu_ms_per_request": per_request,
            "cpu_ms_per_statement": round((ten - one) / 9, 3), "save_statements": len(seen),
            "save_over_healthz_cpu": round(per_request["PUT marks (4 cells)"] / per_request["GET /healthz"], 2)}


def main() -> None:
    """Measure, print JSON and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind, over 5 rounds")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if PostgreSQL answers")
    report = measure(parser.parse_args())
    save_report("statement_cost", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'request (in-process, ' + report['database'] + ')':<40}{'CPU ms':>10}")
    for name, ms in report["cpu_ms_per_request"].items():
        print(f"{name:<40}{ms:>10.2f}")
    print(f"{'one more statement (from 1 to 10)':<40}{report['cpu_ms_per_statement']:>10.2f}")
    print(f"{'statements of one save':<40}{report['save_statements']:>10}")
    print(f"{'save ÷ healthz (CPU)':<40}{report['save_over_healthz_cpu']:>10.2f}")


if __name__ == "__main__":
    main()
