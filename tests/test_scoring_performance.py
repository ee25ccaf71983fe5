"""Speed guard: a large event (2,000 entries × 5 judges × 20 criteria) computes in well under seconds."""
import random
import time
from decimal import Decimal

import pytest

from scoring import Criterion, Entry, Module, Scheme, compute_results

JUDGES = (1, 2, 3, 4, 5)
LIMIT_SECONDS = 3.0  # CPU seconds; typically 0.3 (judge_total) and 0.8 (criterion) on one core
# CPU time of this thread, not the wall clock: CI runs the SQLite and PostgreSQL suites side by side on two cores,
# and a wall-clock limit failed when the other suite had the core, though the computation was as fast as ever.


def make_large_event(level):
    """Theory measured once; 20 judged practical criteria of 5; times and ties included."""
    rng = random.Random(2012)
    modules = (Module("T", "理论知识", "theory", 30), Module("P", "操作技能", "practical", 70))
    criteria = (Criterion("t", "T", "理论考试", "100", "measurement"),
                *(Criterion(f"c{i}", "P", f"评分项{i}", "5", "judgement") for i in range(20)))
    entries = [Entry(n, f"{n:04d}", "present", rng.choice([None, rng.randint(600, 660)]),
                     {"t": Decimal(rng.randint(6000, 10000)).scaleb(-2)},
                     {(j, f"c{i}"): Decimal(rng.randint(300, 500)).scaleb(-2) for j in JUDGES for i in range(20)},
                     JUDGES)
               for n in range(1, 2001)]
    return Scheme(modules, criteria, "trimmed_mean", level), entries


@pytest.mark.parametrize("level", ["judge_total", "criterion"])
def test_large_event_is_fast(level):
    scheme, entries = make_large_event(level)
    started = time.thread_time()
    results = compute_results(scheme, entries)
    elapsed = time.thread_time() - started
    assert len(results.rows) == 2000 and results.complete
    assert [row.rank for row in results.rows[:1]] == [1]
    assert elapsed < LIMIT_SECONDS, f"{level}: {elapsed:.2f} CPU seconds"
