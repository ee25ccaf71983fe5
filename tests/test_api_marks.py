"""Marks through the JSON API: save all-or-nothing, stale and invalid cells, conflicts, reading, submitting, progress."""
import json

from competition.extensions import db as _db
from competition.models import Mark, Role
from tests.builders import make_enterprise, make_user
from tests.clients import Api
from tests.counting import statements
from tests.marking_builders import WORKED, make_world


def stored(event) -> dict:
    """(number-less) stored cells: (entry id, criterion id, judge key) → value text."""
    _db.session.expire_all()
    return {(m.entry_id, m.criterion_id, m.judge_key): str(m.value)
            for m in _db.session.scalars(_db.select(Mark).where(Mark.event_id == event.id))}


def test_saving_marks_returns_the_saved_cells_as_strings(client, db):
    api = Api(client, make_world(1, judges=3))
    t, q, s = api.world.criteria
    response = api.put_marks(api.judge(1), [("001", q, 50.5), ("001", s, "30"), ("001", t, 88)])
    assert response.status_code == 200, response.get_json()
    marks = response.get_json()["marks"]
    judge = api.judge(1).id
    assert [(m["number"], m["criterion_id"], m["judge_id"], m["value"], m["version"]) for m in marks] == [
        ("001", q, judge, "50.50", 1), ("001", s, judge, "30.00", 1), ("001", t, None, "88.00", 1)]
    again = api.put_marks(api.judge(1), [("001", q, 52.451, "50.50")])  # refused, never rounded
    assert again.status_code == 400
    fixed = api.put_marks(api.judge(1), [("001", q, 52.45, 50.5)])
    assert fixed.status_code == 200 and fixed.get_json()["marks"][0]["value"] == "52.45"
    assert fixed.get_json()["marks"][0]["version"] == 2


def test_a_stale_mark_is_refused_and_the_batch_saves_nothing(client, db):
    api = Api(client, make_world(1, judges=3))
    t, q, s = api.world.criteria
    assert api.put_marks(api.judge(1), [("001", q, "50")]).status_code == 200
    before = stored(api.world.event)
    for seen in (None, "45"):
        response = api.put_marks(api.judge(1), [("001", s, "30"), ("001", q, "55", seen)])
        body = response.get_json()["error"]
        assert response.status_code == 409 and body["code"] == "stale_mark"
        assert body["details"][0]["field"] == "marks[1]" and "工艺质量" in body["details"][0]["message"]
        assert stored(api.world.event) == before
    # a measurement value another judge entered meanwhile is stale too
    assert api.put_marks(api.judge(0), [("001", t, "80")]).status_code == 200
    assert api.put_marks(api.judge(2), [("001", t, "81")]).status_code == 409
    # … and, seen, it is still not overwritten silently: the change needs a reason (issue 16)
    assert api.put_marks(api.judge(2), [("001", t, "81", "80.00")]).status_code == 409
    assert api.put_marks(api.judge(2), [("001", t, "81", "80.00")], reason="复测").status_code == 200


def test_three_decimals_and_out_of_range_are_refused_naming_the_criterion(client, db):
    api = Api(client, make_world(1, judges=3))
    t, q, s = api.world.criteria
    cases = [("50.123", "工艺质量"), (50.125, "工艺质量"), ("60.01", "工艺质量"), (-1, "工艺质量"), (1e-7, "工艺质量")]
    for value, name in cases:
        response = api.put_marks(api.judge(1), [("001", s, "30"), ("001", q, value)])
        assert response.status_code == 400, (value, response.get_json())
        details = response.get_json()["error"]["details"]
        assert details[0]["field"] == "marks[1]"
        assert name in details[0]["message"] and "0 至 60" in details[0]["message"], details
    response = api.put_marks(api.judge(1), [("001", t, "100.5")])
    assert response.status_code == 400 and "理论考试" in response.get_json()["error"]["details"][0]["message"]
    for value in (True, None, [], {"v": 1}):
        assert api.put_marks(api.judge(1), [("001", q, value)]).status_code == 400
    assert api.put_marks(api.judge(1), [("001", q, "60"), ("001", t, "0")]).status_code == 200  # the bounds
    assert stored(api.world.event) == {(api.world.entries["001"].id, q, api.judge(1).id): "60.00",
                                       (api.world.entries["001"].id, t, 0): "0.00"}


def test_conflict_of_interest_is_403_and_audited(client, db):
    employer = make_enterprise()
    api = Api(client, make_world(2, judges=3, judge_employers=[None, employer], entry_employers=[employer]))
    _, q, _ = api.world.criteria
    response = api.put_marks(api.judge(1), [("002", q, "50"), ("001", q, "50")])
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "conflict_of_interest" and "001" in error["message"] and "002" not in error["message"]
    assert stored(api.world.event) == {}
    assert api.put_marks(api.judge(1), [("002", q, "50")]).status_code == 200


def test_who_may_save_marks(client, db):
    api = Api(client, make_world(1, judges=2))
    _, q, _ = api.world.criteria
    outsider, enterprise = make_user(Role.JUDGE), make_user(Role.ENTERPRISE)
    assert api.put_marks(outsider, [("001", q, "50")]).status_code == 403
    assert api.put_marks(enterprise, [("001", q, "50")]).status_code == 403
    assert api.put_marks(api.world.organiser, [("001", q, "50")]).status_code == 403  # organisers enter no marks
    assert api.put_marks(None, [("001", q, "50")]).status_code == 401
    assert client.put("/api/v1/events/999999/marks", json={"marks": [{"number": "001", "criterion_id": q,
                      "value": "1"}]}, headers=api.headers(api.judge(0))).status_code == 404
    assert api.put_marks(api.judge(1), [("009", q, "50")]).status_code == 400  # no such number
    assert api.put_marks(api.judge(1), [("001", q, "50"), ("001", q, "51")]).status_code == 400  # twice
    assert api.put_marks(api.judge(1), []).status_code == 400


def test_reading_marks_by_role_shows_numbers_never_names(client, db):
    api = Api(client, make_world(2, judges=3))
    api.fill("001", "88.5", [("50", "30"), ("51", "34"), ("52", "34")])
    names = [e.person.name for e in api.world.entries.values()]
    own = api.get(api.judge(1), "marks")
    assert own.status_code == 200
    items = own.get_json()["items"]
    assert {m["judge_id"] for m in items} == {None, api.judge(1).id} and len(items) == 3
    assert own.get_json()["total"] == 3
    for user in (api.judge(0), api.world.organiser):
        every = api.get(user, "marks")
        assert every.status_code == 200 and every.get_json()["total"] == 7
        assert not any(name in every.get_data(as_text=True) for name in names)
    assert not any(name in json.dumps(items, ensure_ascii=False) for name in names)
    assert api.get(make_user(Role.JUDGE), "marks").status_code == 403
    assert api.get(make_user(Role.ENTERPRISE), "marks").status_code == 403


def test_the_marks_list_is_paged_in_sql_in_scheme_order(client, db):
    api = Api(client, make_world(2, judges=3))
    api.fill("001", "88.5", [("50", "30"), ("51", "34"), ("52", "34")])
    api.fill("002", "70", [("40", "20"), ("41", "21"), ("42", "22")])
    organiser = api.world.organiser
    every = api.get(organiser, "marks?per_page=200").get_json()["items"]
    pages = [api.get(organiser, f"marks?per_page=5&page={n}").get_json() for n in (1, 2, 3)]
    assert [page["total"] for page in pages] == [14, 14, 14]
    assert [m for page in pages for m in page["items"]] == every  # the pages, in turn, are the whole list
    assert [m["number"] for m in every] == ["001"] * 7 + ["002"] * 7
    small = statements(db, lambda: api.get(organiser, "marks?per_page=2"))
    large = statements(db, lambda: api.get(organiser, "marks?per_page=200"))
    assert small == large  # a count and a slice, however many marks the page holds


def test_submitting_makes_marks_read_only_and_needs_every_cell(client, db):
    api = Api(client, make_world(1, judges=2))
    t, q, s = api.world.criteria
    assert api.put_marks(api.judge(0), [("001", q, "50")]).status_code == 200
    incomplete = api.post(api.judge(0), "marks/submit")
    assert incomplete.status_code == 409 and incomplete.get_json()["error"]["code"] == "marks_incomplete"
    assert "安全文明" in incomplete.get_json()["error"]["details"][0]["message"]
    assert api.put_marks(api.judge(0), [("001", s, "30"), ("001", t, "70")]).status_code == 200
    submitted = api.post(api.judge(0), "marks/submit")
    assert submitted.status_code == 200 and submitted.get_json()["judge_id"] == api.judge(0).id
    assert submitted.get_json()["submitted_at"].endswith("+08:00")
    refused = api.put_marks(api.judge(0), [("001", q, "51", "50")])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "marks_submitted"
    assert api.post(api.judge(0), "marks/submit").status_code == 409
    assert api.post(api.world.organiser, "marks/submit").status_code == 403


def test_progress_counts_each_judge_and_lists_what_is_missing(client, db):
    employer = make_enterprise()
    api = Api(client, make_world(2, judges=3, judge_employers=[None, None, employer], entry_employers=[None, employer]))
    api.fill("001", "80", [("50", "30"), ("50", "30"), ("50", "30")])
    api.fill("002", None, [("50", "30")], judges={0})
    response = api.get(api.judge(0), "progress")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    judges = {j["judge_id"]: (j["marked"], j["expected"], j["is_chief"]) for j in body["judges"]}
    assert judges == {api.judge(0).id: (4, 4, True), api.judge(1).id: (2, 4, False), api.judge(2).id: (2, 2, False)}
    assert (body["measured"], body["measurements_expected"], body["complete"]) == (1, 2, False)
    missing = [(m["judge_id"], m["number"], m["criterion_name"]) for m in body["missing"]]
    assert missing == [(None, "002", "理论考试"), (api.judge(1).id, "002", "工艺质量"), (api.judge(1).id, "002", "安全文明")]
    assert api.get(api.world.organiser, "progress").status_code == 200
    assert api.get(api.judge(1), "progress").status_code == 403  # not the chief
    assert api.get(make_user(Role.ENTERPRISE), "progress").status_code == 403


def test_worked_example_marks_round_trip_exactly(client, db):
    api = Api(client, make_world(1, judges=5))
    theory, pairs = WORKED
    api.fill("001", float(theory), pairs)
    every = api.get(api.world.organiser, "marks").get_json()["items"]
    assert sorted(m["value"] for m in every if m["judge_id"] is None) == ["88.50"]
    assert len(every) == 11
