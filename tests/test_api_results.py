"""Results through the JSON API: the worked example, aggregation methods, sign-off, ties, reopen, publication."""
import json
from datetime import date

import pytest

from competition.models import Role
from competition.rules.identity import mask_name
from tests.builders import make_enterprise, make_user
from tests.clients import Api, bearer
from tests.marking_builders import WORKED, make_world

FRIDAY = date(2026, 6, 19)


def scored(client, entries: dict, **world) -> Api:
    """A world marked through the API: {number: (theory, [(quality, safety) per judge])}; every judge submits."""
    api = Api(client, make_world(len(entries), judges=len(next(iter(entries.values()))[1]), **world))
    for number, (theory, pairs) in entries.items():
        api.fill(number, theory, pairs)
    api.submit_all()
    return api


@pytest.fixture
def today(monkeypatch):
    """Set the league's 'today' (Beijing) for publish and finalize."""
    def set_today(day: date):
        monkeypatch.setattr("competition.services.results.lifecycle.beijing_today", lambda: day)
    set_today(FRIDAY)
    return set_today


def results(api: Api, user):
    """GET results as a user (None: the public)."""
    return api.get(user, "results")


def test_the_worked_example_through_the_api(client, db):
    api = scored(client, {"001": WORKED})
    response = results(api, api.world.organiser)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["frozen"]) == ("scoring", False)
    row = body["rows"][0]
    assert (row["rank"], row["number"], row["total"], row["practical"]) == (1, "001", "87.45", "60.90")
    assert row["modules"] == [{"name": "理论知识", "score": "88.50"}, {"name": "操作技能", "score": "87.00"}]
    assert row["name"] == api.world.entries["001"].person.name and row["status"] == "present"
    assert "去掉最高分 95（裁判 5）、最低分 80（裁判 1），(85+86+90)/3 = 87" in row["explanation"]["text"]
    assert "88.5×30% + 87×70% = 87.45" in row["explanation"]["text"]
    signed = api.post(api.judge(0), "sign-off")
    assert signed.status_code == 200 and signed.get_json() == {"status": "signed_off", "participants": 1, "sequence": 1}
    frozen = results(api, api.world.organiser).get_json()
    assert frozen["frozen"] is True and frozen["rows"][0]["total"] == "87.45" and frozen["participants"] == 1


# Theory 80 (measured); judges' (quality /60, safety /40): (50, 30), (54, 20), (40, 38) → subtotals 80, 74, 78.
SMALL = {"001": ("80", [("50", "30"), ("54", "20"), ("40", "38")])}


@pytest.mark.parametrize("method, level, practical, total", [
    ("mean", "judge_total", "77.33", "78.13"),   # (80+74+78)/3 = 77.33…; 24 + 54.133… = 78.13
    ("mean", "criterion", "77.33", "78.13"),     # 48 + 29.33… = 77.33…: the mean is linear
    ("median", "judge_total", "78.00", "78.60"),  # median 78; 24 + 54.6
    ("median", "criterion", "80.00", "80.00"),   # median 50 + median 30 = 80; 24 + 56
])
def test_mean_and_median_at_both_levels(client, db, method, level, practical, total):
    api = scored(client, SMALL, aggregation=method, aggregation_level=level)
    row = results(api, api.world.organiser).get_json()["rows"][0]
    assert (row["modules"][1]["score"], row["total"]) == (practical, total)


def test_sign_off_is_409_with_the_missing_list_then_200(client, db):
    api = Api(client, make_world(2, judges=2, aggregation="mean"))
    api.fill("001", "80", [("50", "30"), ("50", "30")])
    api.fill("002", None, [("50", "30")], judges={0})
    refused = api.post(api.judge(0), "sign-off")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "marks_incomplete"
    missing = [(d.get("judge_id"), d["number"]) for d in error["details"] if d["field"] == "marks"]
    assert missing == [(None, "002"), (api.judge(1).id, "002"), (api.judge(1).id, "002")]
    assert {d["judge_id"] for d in error["details"] if d["field"] == "judges"} == {api.judge(0).id, api.judge(1).id}
    assert any("安全文明" in d["message"] for d in error["details"])
    assert api.post(api.judge(1), "sign-off").status_code == 403  # not the chief
    t, q, s = api.world.criteria
    fixed = api.put_marks(api.judge(0), [("002", t, "70")])
    assert fixed.status_code == 200, fixed.get_json()
    assert api.put_marks(api.judge(1), [("002", q, "40"), ("002", s, "20")]).status_code == 200
    api.submit_all()
    signed = api.post(api.world.organiser, "sign-off")
    assert signed.status_code == 200 and signed.get_json()["status"] == "signed_off", signed.get_json()
    assert api.post(api.judge(0), "sign-off").status_code == 409  # already signed off


def test_a_strict_tie_blocks_sign_off_until_an_organiser_orders_it(client, db):
    same = ("80", [("50", "30")] * 3)
    api = scored(client, {"001": same, "002": same}, strict_ranking=True)
    first, second = api.world.entries["001"].id, api.world.entries["002"].id
    refused = api.post(api.judge(0), "sign-off")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "unresolved_tie"
    assert refused.get_json()["error"]["details"][0]["numbers"] == ["001", "002"]
    body = {"entry_ids": [second, first], "reason": "现场加赛，002号用时更短"}
    assert api.post(api.judge(0), "tie-order", body).status_code == 403
    assert api.post(api.world.organiser, "tie-order", {"entry_ids": [second, first], "reason": " "}).status_code == 400
    ordered = api.post(api.world.organiser, "tie-order", body)
    assert ordered.status_code == 201 and ordered.get_json()["entry_ids"] == [second, first]
    assert api.post(api.judge(0), "sign-off").status_code == 200
    rows = results(api, api.world.organiser).get_json()["rows"]
    assert [(r["number"], r["rank"]) for r in rows] == [("002", 1), ("001", 2)]


def test_reopen_needs_a_reason_and_returns_to_scoring(client, db, today):
    api = scored(client, {"001": WORKED})
    assert api.post(api.judge(0), "reopen", {"reason": "复核"}).status_code == 409  # not signed off yet
    assert api.post(api.judge(0), "sign-off").status_code == 200
    assert api.post(api.judge(0), "reopen", {"reason": "  "}).status_code == 400
    assert api.post(api.judge(1), "reopen", {"reason": "复核"}).status_code == 403
    reopened = api.post(api.judge(0), "reopen", {"reason": "裁判 2 录入有误"})
    assert reopened.status_code == 200 and reopened.get_json() == {"status": "scoring", "notice_ends_on": None}
    _, q, _ = api.world.criteria
    no_reason = api.put_marks(api.judge(1), [("001", q, "55", "51")])
    assert no_reason.status_code == 400 and no_reason.get_json()["error"]["details"][0]["field"] == "reason"
    assert api.put_marks(api.judge(1), [("001", q, "55", "51")], reason="看错评分表").status_code == 200
    corrected = api.put_marks(api.world.organiser, [("001", q, "56", "52")], reason="复核", judge_id=api.judge(2).id)
    assert corrected.status_code == 200 and corrected.get_json()["marks"][0]["judge_id"] == api.judge(2).id
    api.submit_all()
    assert api.post(api.judge(0), "sign-off").get_json()["sequence"] == 2
    assert results(api, api.world.organiser).get_json()["rows"][0]["total"] != "87.45"


def test_judges_see_no_names_before_publication_and_masked_names_after(client, db, today):
    """Before publication the chief judge reads the rows without names, and another panel judge not at all, as on
    the results page (one rule, permissions.can_read_results; issue 17); once published, everyone, masked."""
    employer = make_enterprise(name="吴江精密机械有限公司")
    api = scored(client, {"001": WORKED}, entry_employers=[employer])
    name = api.world.entries["001"].person.name
    for step in ("before sign-off", "signed off"):
        response = results(api, api.judge(0))
        assert response.status_code == 200, step
        text = response.get_data(as_text=True)
        assert name not in text and mask_name(name) not in text and employer.name not in text, step
        row = response.get_json()["rows"][0]
        assert (row["name"], row["employer"], row["total"]) == (None, None, "87.45")
        refused = results(api, api.judge(1))
        assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_published", step
        assert name not in json.dumps(api.get(api.judge(1), "marks").get_json(), ensure_ascii=False)
        if step == "before sign-off":
            assert api.post(api.judge(0), "sign-off").status_code == 200
    assert api.post(api.world.organiser, "publish").status_code == 200
    row = results(api, api.judge(1)).get_json()["rows"][0]
    assert (row["name"], row["employer"]) == (mask_name(name), employer.name)
    assert results(api, make_user(Role.JUDGE)).status_code == 200  # published: anyone may read


def test_public_results_are_404_before_publication_and_masked_after(client, db, today):
    api = scored(client, {"001": WORKED, "002": ("70", [("40", "30")] * 5)})
    name = api.world.entries["001"].person.name
    enterprise, outsider = make_user(Role.ENTERPRISE), make_user(Role.JUDGE)
    db.session.commit()  # an error answer rolls the shared test session back
    for user in (None, enterprise, outsider):
        response = results(api, user)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_published"
    assert api.post(api.judge(0), "sign-off").status_code == 200
    assert results(api, None).status_code == 404
    assert client.get(api.url("results"), headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.get("/api/v1/events/999999/results").status_code == 404
    assert api.post(api.world.organiser, "publish").status_code == 200
    public = results(api, None)
    assert public.status_code == 200
    body = public.get_json()
    assert (body["status"], body["notice_ends_on"]) == ("notice", "2026-06-26")
    assert name not in public.get_data(as_text=True)
    assert [(r["rank"], r["number"], r["name"], r["total"]) for r in body["rows"]] == [
        (1, "001", mask_name(name), "87.45"), (2, "002", mask_name(api.world.entries["002"].person.name), "70.00")]
    assert all(r["entry_id"] is None for r in body["rows"])
    assert results(api, enterprise).get_json()["rows"][0]["name"] == mask_name(name)
    assert results(api, api.world.organiser).get_json()["rows"][0]["name"] == name


def test_publish_and_finalize_dates(client, db, today):
    api = scored(client, {"001": WORKED})
    assert api.post(api.world.organiser, "publish").status_code == 409  # not signed off
    assert api.post(api.judge(0), "sign-off").status_code == 200
    assert api.post(api.judge(0), "publish").status_code == 403
    published = api.post(api.world.organiser, "publish")
    assert published.status_code == 200
    assert published.get_json() == {"status": "notice", "notice_ends_on": "2026-06-26"}  # 5 working days from Friday
    for day in (FRIDAY, date(2026, 6, 26)):
        today(day)
        early = api.post(api.world.organiser, "finalize")
        assert early.status_code == 409 and early.get_json()["error"]["code"] == "notice_running"
    today(date(2026, 6, 27))
    assert api.post(api.judge(0), "finalize").status_code == 403
    final = api.post(api.world.organiser, "finalize")
    assert final.status_code == 200 and final.get_json()["status"] == "final"
    public = results(api, None)
    assert public.status_code == 200 and public.get_json()["status"] == "final"
    assert api.post(api.judge(0), "reopen", {"reason": "太晚了"}).status_code == 409  # after final nothing changes


def test_results_before_scoring_are_empty_for_staff_and_hidden_from_the_public(client, db):
    from tests.builders import make_event
    event = make_event("open")
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    response = client.get(f"/api/v1/events/{event.id}/results", headers=bearer(organiser))
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["rows"]) == ("open", [])
    assert client.get(f"/api/v1/events/{event.id}/results").status_code == 404
