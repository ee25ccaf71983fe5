"""Benchmark: compute_event_results against reading the same marks, for a large event in SQLite.

    .venv/bin/python bench/bench_results.py [--entries 2000] [--judges 5] [--criteria 20] [--repeat 3]
                                        [--level judge_total|criterion]

The event has a theory module (one measurement /100, 30%) and a practical module of `criteria`
judgement criteria (70%), `judges` panel judges and `entries` present entries, fully marked:
entries × (1 + judges × criteria) raw marks (202,000 by default).
(a) one select of (entry, criterion, judge key, value) tuples for the event: just reading the marks.
(b) compute_event_results(event): loading scheme, entries, panel, marks and tie orders, then scoring,
    ranking and explaining every row.
Prints JSON (also bench/out/results.json) and a table with both times (best of --repeat, each on a
fresh session) and the ratio (b)/(a) against the target ≤ 3.0.
"""
import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import insert  # noqa: E402

from _common import save_report  # noqa: E402
from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Entry, EntryStatus, Mark, PanelMember, Person, Role  # noqa: E402
from competition.rules.events import CriterionSpec, ModuleSpec  # noqa: E402
from competition.services.marking.facts import compute_event_results, mark_values  # noqa: E402
from tests.builders import make_event, make_user  # noqa: E402

TARGET = 3.0


def build(entries: int, judges: int, criteria: int, level: str = "judge_total") -> int:
    """A fully marked event in scoring; returns its id."""
    rng = random.Random(2012)
    share = 100 // criteria
    maxima = [share] * (criteria - 1) + [100 - share * (criteria - 1)]
    modules = (ModuleSpec("理论知识", "theory", 30, (CriterionSpec("理论考试", "100", "measurement"),)),
               ModuleSpec("操作技能", "practical", 70,
                          tuple(CriterionSpec(f"评分项{i + 1}", str(m), "judgement") for i, m in enumerate(maxima))))
    event = make_event("scoring", modules=modules, aggregation_level=level)
    panel = [make_user(Role.JUDGE) for _ in range(judges)]
    event.panel.extend(PanelMember(user_id=j.id, is_chief=i == 0) for i, j in enumerate(panel))
    people = [{"id_number": f"B{i:017d}", "name": f"选手{i}", "birth_date": date(1990, 1, 1), "gender": "男"}
              for i in range(entries)]
    db.session.execute(insert(Person), people)
    person_ids = db.session.scalars(db.select(Person.id).order_by(Person.id)).all()
    db.session.execute(insert(Entry), [{"event_id": event.id, "person_id": pid, "status": EntryStatus.PRESENT,
                                        "number": f"{i + 1:04d}", "time_used_seconds": rng.randint(600, 660)}
                                       for i, pid in enumerate(person_ids)])
    entry_ids = db.session.scalars(db.select(Entry.id).where(Entry.event_id == event.id)).all()
    theory, practical = event.modules
    rows = []
    for entry_id in entry_ids:
        rows.append(_mark(event.id, entry_id, theory.criteria[0].id, 0, Decimal(rng.randint(6000, 10000)).scaleb(-2)))
        for judge in panel:
            rows += [_mark(event.id, entry_id, c.id, judge.id,
                           Decimal(rng.randint(c.max_score * 60, c.max_score * 100)).scaleb(-2))
                     for c in practical.criteria]
    db.session.execute(insert(Mark), rows)
    db.session.commit()
    return event.id


def _mark(event_id: int, entry_id: int, criterion_id: int, key: int, value: Decimal) -> dict:
    """One raw mark row for a bulk insert."""
    return {"event_id": event_id, "entry_id": entry_id, "criterion_id": criterion_id, "judge_key": key,
            "value": value, "version": 1}


def timed(action, event_id: int, repeat: int) -> tuple[float, object]:
    """Best of `repeat` runs of action(event), each on a fresh session with the event already loaded."""
    times, result = [], None
    for _ in range(repeat):
        db.session.remove()
        from competition.models import Event
        event = db.session.get(Event, event_id)
        started = time.perf_counter()
        result = action(event)
        times.append(time.perf_counter() - started)
    db.session.remove()
    return min(times), result


def main() -> None:
    """Build, time both, print JSON and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--judges", type=int, default=5)
    parser.add_argument("--criteria", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--level", choices=("judge_total", "criterion"), default="judge_total")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "INSTANCE_PATH": folder,
                          "SECRET_KEY": "bench" * 8})
        with app.app_context():
            db.create_all()
            event_id = build(args.entries, args.judges, args.criteria, args.level)
            read, rows = timed(mark_values, event_id, args.repeat)
            computed, results = timed(compute_event_results, event_id, args.repeat)
            db.engine.dispose()
    assert len(rows) == args.entries * (1 + args.judges * args.criteria)
    assert results.complete and len(results.rows) == args.entries and results.rows[0].rank == 1
    ratio = computed / read
    report = {"level": args.level, "entries": args.entries, "judges": args.judges, "criteria": args.criteria, "marks": len(rows),
              "read_marks_s": round(read, 4), "compute_event_results_s": round(computed, 4),
              "ratio": round(ratio, 3), "target": TARGET, "meets_target": ratio <= TARGET}
    save_report("results", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'measure':<40}{'value':>12}")
    print(f"{'raw marks':<40}{len(rows):>12}")
    print(f"{'(a) one select of the marks (s)':<40}{read:>12.3f}")
    print(f"{'(b) compute_event_results (s)':<40}{computed:>12.3f}")
    print(f"{'ratio (b)/(a), target <= 3.0':<40}{ratio:>12.2f}  {'OK' if ratio <= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
