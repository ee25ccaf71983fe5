"""Marks saved at the same moment, from threads with their own connections (RULES.md §8; issue 4 item 3).

Two tabs of one judge entering the same empty cell: one wins, the other is told the value changed; judges
saving their own cells together: every mark is kept. Runs on SQLite and, in CI, on PostgreSQL.
"""
import threading

from competition.extensions import db as _db
from competition.models import Mark, MarkChange
from tests.test_api_marks import bearer
from tests.test_services_marks import make_world


def _race(app, calls):
    """Run each call in its own thread with its own client, released together; returns the responses.

    A call is (method, url, json, headers), or a function of a test client for anything else (uploads)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        client = app.test_client()
        barrier.wait()
        if callable(call):
            results[i] = call(client)
            return
        method, url, body, headers = call
        results[i] = client.open(url, method=method, json=body, headers=headers)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _count(model) -> int:
    """Rows of a model, read fresh."""
    _db.session.expire_all()
    return _db.session.scalar(_db.select(_db.func.count()).select_from(model))


def test_two_tabs_saving_the_same_empty_cell_keep_one_and_refuse_the_other(app, db):
    world = make_world(1, judges=3)
    _, q, _ = world.criteria
    url = f"/api/v1/events/{world.event.id}/marks"
    headers = bearer(world.judges[1])
    db.session.commit()
    calls = [("PUT", url, {"marks": [{"number": "001", "criterion_id": q, "value": value}]}, headers)
             for value in ("41", "42", "43", "44")]
    responses = _race(app, calls)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409], [r.get_json() for r in responses]
    refused = [r.get_json() for r in responses if r.status_code == 409]
    assert all(body["error"]["code"] == "stale_mark" for body in refused)
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    assert _count(Mark) == 1 and _count(MarkChange) == 1
    assert str(db.session.scalar(db.select(Mark.value))) == winner["marks"][0]["value"]


def test_judges_saving_their_own_cells_at_once_lose_nothing(app, db):
    world = make_world(4, judges=5)
    _, q, s = world.criteria
    url = f"/api/v1/events/{world.event.id}/marks"
    db.session.commit()
    calls = []
    for i, judge in enumerate(world.judges):
        marks = [{"number": number, "criterion_id": c, "value": str(20 + i)} for number in world.entries for c in (q, s)]
        calls.append(("PUT", url, {"marks": marks}, bearer(judge)))
    responses = _race(app, calls)
    assert [r.status_code for r in responses] == [200] * 5, [r.get_json() for r in responses]
    assert _count(Mark) == 5 * 4 * 2 == _count(MarkChange)
