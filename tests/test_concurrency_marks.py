"""Marks saved at the same moment, from threads with their own connections (RULES.md §8; issue 4 item 3).

Two tabs of one judge entering the same empty cell: one wins, the other is told the value changed; judges
saving their own cells together: every mark is kept. Runs on SQLite and, in CI, on PostgreSQL.
"""

from competition.models import Mark, MarkChange
from tests.clients import bearer, race
from tests.counting import count_fresh
from tests.marking_builders import make_world


def test_two_tabs_saving_the_same_empty_cell_keep_one_and_refuse_the_other(app, db):
    world = make_world(1, judges=3)
    _, q, _ = world.criteria
    url = f"/api/v1/events/{world.event.id}/marks"
    headers = bearer(world.judges[1])
    db.session.commit()
    calls = [("PUT", url, {"marks": [{"number": "001", "criterion_id": q, "value": value}]}, headers)
             for value in ("41", "42", "43", "44")]
    responses = race(app, calls)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409], [r.get_json() for r in responses]
    refused = [r.get_json() for r in responses if r.status_code == 409]
    assert all(body["error"]["code"] == "stale_mark" for body in refused)
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    assert count_fresh(Mark) == 1 and count_fresh(MarkChange) == 1
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
    responses = race(app, calls)
    assert [r.status_code for r in responses] == [200] * 5, [r.get_json() for r in responses]
    assert count_fresh(Mark) == 5 * 4 * 2 == count_fresh(MarkChange)
