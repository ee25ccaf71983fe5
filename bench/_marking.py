"""Judges saving marks over HTTP, and the check afterwards that every successful save is stored (nothing lost).

Each judge PUTs one entry's judgement criteria per request (a small batch of their own cells), entries
in order; when every entry is marked they go round again, changing each value and sending the value
they last saw as `expected`, as the marking page does. Cells are the judge's own (judge key = their
id) and measurement values are left alone, so no two judges ever race for a cell and a 409 is an error.
"""
import random
import threading
import time
from decimal import Decimal

from _common import build_event, percentile
from _server import Client, token_for

from competition.extensions import db
from competition.models import MEASUREMENT_KEY, Entry, Mark, MarkChange
from tests.builders import PASSWORD


def seed_scoring(app, *, events: int, judges: int, entries: int, judged: int) -> list[dict]:
    """`events` events in scoring, each with its own panel of `judges`; returns what the judges' clients need."""
    plans = []
    with app.app_context():
        for n in range(events):
            event, panel = build_event("scoring", entries=entries, judges=judges, judged=judged, marked=False,
                                       employers=0, tag=f"评分{n + 1}")
            practical = max(event.modules, key=lambda m: m.position)
            plans.append({"event_id": event.id, "numbers": [f"{i + 1:04d}" for i in range(entries)],
                          "criteria": [(c.id, int(c.max_score)) for c in practical.criteria],
                          "judges": [(j.id, j.username) for j in panel]})
        db.session.commit()
        db.session.remove()
    return plans


class Judge:
    """One judge's tablet: a token, one keep-alive connection, saves until a deadline with think time between."""

    def __init__(self, port: int, token: str, plan: dict, judge_id: int, *, think=(0, 0), seed=0,
                 path: str = "/api/v1/events/{event_id}/marks"):
        """A judge of plan's event, starting at a different entry from the other judges, PUTting to `path`."""
        self.client, self.token, self.plan, self.judge_id = Client(port), token, plan, judge_id
        self.path = path.format(event_id=plan["event_id"])
        self.think, self.rng = think, random.Random(seed)
        self.index = seed % len(plan["numbers"])
        self.saved: dict[tuple, str] = {}
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.last_sent: list[dict] = []
        self.cells = 0

    def work(self, deadline: float) -> None:
        """Save batches until the deadline (again after an earlier call: the judge remembers what they saved)."""
        path, numbers = self.path, self.plan["numbers"]
        if self.think[1]:
            time.sleep(self.rng.uniform(0, self.think[1]))  # judges do not all start on the same second
        while time.monotonic() < deadline:
            number = numbers[self.index % len(numbers)]
            self.index += 1
            self._save(path, number)
            if self.think[1]:
                time.sleep(self.rng.uniform(*self.think))
        self.client.close()

    def _save(self, path: str, number: str) -> None:
        """PUT one entry's criteria; remember the values only when the server said 200."""
        marks = [{"number": number, "criterion_id": cid, "value": self._value(maximum, self.saved.get((number, cid))),
                  "expected": self.saved.get((number, cid))} for cid, maximum in self.plan["criteria"]]
        self.last_sent = marks  # what the last request carried (its outcome is unknown when the answer is lost)
        try:
            status, body, seconds = self.client.request("PUT", path, {"marks": marks}, self.token)
        except Exception as exc:  # noqa: BLE001  (any failure is an error to report, not a crash)
            self.errors.append(f"PUT marks: {type(exc).__name__}: {exc}")
            return
        self.latencies.append(seconds)
        if status != 200:
            self.errors.append(f"PUT marks: {status} {body[:200].decode(errors='replace')}")
            return
        for mark in marks:
            self.saved[(mark["number"], mark["criterion_id"])] = mark["value"]
        self.cells += len(marks)

    def _value(self, maximum: int, old: str | None) -> str:
        """A new mark with 2 decimals within the maximum, different from the old one (so every save changes it)."""
        while True:
            value = f"{self.rng.randint(0, maximum * 100) / 100:.2f}"
            if value != old:
                return value


def make_judges(port: int, plans: list[dict], tokens: dict, think=(0, 0), **options) -> list[Judge]:
    """Every judge of every plan, each with their token (options: Judge's path)."""
    return [Judge(port, tokens[username], plan, judge_id, think=think, seed=judge_id * 7919, **options)
            for plan in plans for judge_id, username in plan["judges"]]


def run_judges(judges: list[Judge], seconds: float) -> list[Judge]:
    """Every judge saving, each on their own thread, for `seconds`; returns them when all have stopped."""
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=judge.work, args=(deadline,), daemon=True) for judge in judges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return judges


def tokens_for(port: int, plans: list[dict]) -> dict:
    """One bearer token per judge (POST /api/v1/tokens with the builders' password)."""
    return {username: token_for(port, username, PASSWORD) for plan in plans for _, username in plan["judges"]}


def check_stored(app, plans: list[dict], judges: list[Judge]) -> dict:
    """Compare the database with what the judges were told was saved: every cell, value and change."""
    expected = {(j.judge_id, number, cid): Decimal(value) for j in judges for (number, cid), value in j.saved.items()}
    stored, changes = stored_marks(app, plans)
    lost = sum(1 for cell, value in expected.items() if stored.get(cell) != value)
    saves = sum(j.cells for j in judges)
    return {"cell_saves_ok": saves, "mark_changes_stored": changes, "cells_saved": len(expected),
            "marks_stored": len(stored), "lost": lost + max(0, saves - changes),
            "unexpected": len(set(stored) - set(expected)) + max(0, changes - saves)}


def stored_marks(app, plans: list[dict]) -> tuple[dict, int]:
    """The judges' marks stored for the plans' events, {(judge key, number, criterion id): value}, and the number of
    their change rows."""
    event_ids = [plan["event_id"] for plan in plans]
    with app.app_context():
        stored = {(key, number, cid): value for number, cid, key, value in db.session.execute(
            db.select(Entry.number, Mark.criterion_id, Mark.judge_key, Mark.value)
            .join(Entry, Entry.id == Mark.entry_id)
            .where(Mark.event_id.in_(event_ids), Mark.judge_key != MEASUREMENT_KEY))}
        changes = db.session.scalar(db.select(db.func.count()).select_from(MarkChange)
                                    .where(MarkChange.event_id.in_(event_ids), MarkChange.judge_key != MEASUREMENT_KEY))
        db.session.remove()
    return stored, changes


def latency_ms(values: list[float]) -> dict:
    """p50/p95/p99 and max of latencies in milliseconds."""
    return {f"p{p}_ms": round(percentile(values, p) * 1000, 1) for p in (50, 95, 99)} | \
        {"max_ms": round(max(values, default=0) * 1000, 1)}

