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

Prize tiers (RULES.md §15): the rows the results page shows, with each entry's prize ÷ the same rows without
(today's results), best of max(--repeat, 5); live (computed from the marks, before sign-off) and frozen (read from
the snapshot after sign-off, where the prizes' share of the work is largest). The reported ratio is the larger of
the two, against the target ≤ 1.1 (under "prizes" in results.json). With and without run in turns, each after a full
garbage collection, so that other work on the machine weighs on both alike; the same pair with the collector paused
is reported beside it (ratio_gc_paused): the prizes' own work, wherever a collection of the large heap of explanations
happens to fall; and the prizes' own step timed alone on rows already read (ratio_of_the_step: (without + step) ÷
without), which the machine's noise can not hide.
"""
import argparse
import gc
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
from competition.models import Entry, EntryStatus, Event, Mark, PanelMember, Person, Role, utcnow  # noqa: E402
from competition.rules.events import CriterionSpec, ModuleSpec  # noqa: E402
from competition.services.audit import SYSTEM  # noqa: E402
from competition.services.marking.facts import compute_event_results, mark_values  # noqa: E402
from competition.services.results.exports import shaped_rows  # noqa: E402
from competition.services.results.lifecycle import sign_off  # noqa: E402
from competition.services.results.prizes import prize_settings, prizes_for_rows  # noqa: E402
from competition.services.results.rows import result_rows  # noqa: E402
from tests.builders import make_event, make_user  # noqa: E402

TARGET = 3.0
PRIZE_TARGET = 1.1


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


def interleaved(actions: dict, event_id: int, repeat: int) -> dict:
    """Best time and last result of each action(event), run in turns (a, b, a, b, …) so that a busy machine slows
    both alike; each run on a fresh session after a full garbage collection, with the collector running as usual
    and again paused (name + "_paused"), where the time is the work alone and not where a collection happens to fall; and the prizes' own step timed alone on rows already read (ratio_of_the_step: (without + step) ÷
without), which the machine's noise can not hide."""
    best: dict = {}
    results = {}
    for _ in range(repeat):
        for paused in (False, True):
            for name, action in actions.items():
                key = f"{name}_paused" if paused else name
                db.session.remove()
                gc.collect()
                event = db.session.get(Event, event_id)
                if paused:
                    gc.disable()
                started = time.perf_counter()
                try:
                    results[key] = action(event)
                finally:
                    elapsed = time.perf_counter() - started
                    gc.enable()
                best[key] = min(best.get(key, elapsed), elapsed)
    db.session.remove()
    return {key: (best[key], results[key]) for key in best}


def prize_step(event_id: int, repeat: int) -> float:
    """Best time of the prizes' own step on rows already read: the event's settings (its policy version read afresh)
    and the assignment. Too short for the machine's noise to hide, it shows what the end-to-end ratio should be."""
    rows, _frozen = result_rows(db.session.get(Event, event_id), explained=False)
    best = float("inf")
    for _ in range(repeat):
        db.session.expire_all()
        event = db.session.get(Event, event_id)
        started = time.perf_counter()
        prizes_for_rows(rows, prize_settings(event))
        best = min(best, time.perf_counter() - started)
    db.session.remove()
    return best


def prize_overhead(event_id: int, repeat: int) -> dict:
    """The results page's rows with prizes ÷ without, live and then frozen (the event is signed off in between)."""
    out = {}
    for stage in ("live", "frozen"):
        if stage == "frozen":
            event = db.session.get(Event, event_id)
            for member in event.panel:
                member.submitted_at = utcnow()
            sign_off(SYSTEM, event)
            db.session.commit()
        timings = interleaved({"without": lambda e: shaped_rows(e, "full"),
                               "with": lambda e: shaped_rows(e, "full", prizes=True)}, event_id, max(repeat, 5))
        (plain, rows), (prized, shown) = timings["without"], timings["with"]
        assert [r["total"] for r in rows[0]] == [r["total"] for r in shown[0]] and shown[1] == (stage == "frozen")
        paused = timings["with_paused"][0] / timings["without_paused"][0]
        step = prize_step(event_id, max(repeat, 20))
        out[stage] = {"without_s": round(plain, 4), "with_s": round(prized, 4), "ratio": round(prized / plain, 3),
                      "without_gc_paused_s": round(timings["without_paused"][0], 4),
                      "with_gc_paused_s": round(timings["with_paused"][0], 4), "ratio_gc_paused": round(paused, 3),
                      "prize_step_s": round(step, 5), "ratio_of_the_step": round((plain + step) / plain, 4),
                      "prizes": sum(1 for r in shown[0] if r["prize"])}
    ratio = max(out["live"]["ratio"], out["frozen"]["ratio"])
    paused = max(out["live"]["ratio_gc_paused"], out["frozen"]["ratio_gc_paused"])
    return {**out, "ratio": ratio, "ratio_gc_paused": paused, "target": PRIZE_TARGET, "meets_target": ratio <= PRIZE_TARGET}


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
            prizes = prize_overhead(event_id, args.repeat)
            db.engine.dispose()
    assert len(rows) == args.entries * (1 + args.judges * args.criteria)
    assert results.complete and len(results.rows) == args.entries and results.rows[0].rank == 1
    ratio = computed / read
    report = {"level": args.level, "entries": args.entries, "judges": args.judges, "criteria": args.criteria, "marks": len(rows),
              "read_marks_s": round(read, 4), "compute_event_results_s": round(computed, 4),
              "ratio": round(ratio, 3), "target": TARGET, "meets_target": ratio <= TARGET, "prizes": prizes}
    save_report("results", report)
    print(json.dumps(report, ensure_ascii=False))
    print(f"{'measure':<40}{'value':>12}")
    print(f"{'raw marks':<40}{len(rows):>12}")
    print(f"{'(a) one select of the marks (s)':<40}{read:>12.3f}")
    print(f"{'(b) compute_event_results (s)':<40}{computed:>12.3f}")
    print(f"{'ratio (b)/(a), target <= 3.0':<40}{ratio:>12.2f}  {'OK' if ratio <= TARGET else 'MISSED'}")
    for stage in ("live", "frozen"):
        p = prizes[stage]
        print(f"{f'{stage} rows without prizes (s)':<40}{p['without_s']:>12.3f}")
        print(f"{f'{stage} rows with prizes (s)':<40}{p['with_s']:>12.3f}  ({p['prizes']} prizes; GC paused "
              f"{p['ratio_gc_paused']:.3f}; the prize step alone {p['prize_step_s'] * 1000:.1f} ms → "
              f"{p['ratio_of_the_step']:.3f})")
    verdict = "OK" if prizes["meets_target"] else "MISSED"
    print(f"{'with ÷ without prizes, target <= 1.1':<40}{prizes['ratio']:>12.2f}  {verdict}")


if __name__ == "__main__":
    main()
