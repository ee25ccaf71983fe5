"""Prizes through the JSON API (RULES.md §15; API.md): results rows' `prize` (organisers at any stage, others once
published), an event's own `prize_tiers` and `prize_floor` (null: the policy's), fixed once signed off, and
`prize_tiers` on policy versions."""
from datetime import date

from competition.models import Role
from competition.services.audit import Actor
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_season, make_user
from tests.clients import Api, api_headers
from tests.marking_builders import fill, make_world, submit_all
from tests.payloads import event_body

THEORIES = [str(100 - 5 * i) for i in range(10)]
EXPECTED = {"001": "一等奖", "002": "二等奖", "003": "二等奖", "004": "三等奖", "005": "三等奖", "006": "三等奖"}


def ten(client, db) -> Api:
    """Ten entries marked alike but for theory, every judge submitted."""
    world = make_world(10, judges=3, aggregation="mean")
    for number, theory in zip(world.entries, THEORIES):
        fill(world, number, theory, [("50", "30")] * 3)
    submit_all(world)
    return Api(client, world)


def prizes(response) -> dict:
    """{number: prize} of the rows that have one."""
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["rows"]
    assert all("prize" in row for row in rows)
    return {row["number"]: row["prize"] for row in rows if row["prize"]}


def test_results_rows_carry_the_prize_for_organisers_and_once_published_for_everyone(client, db):
    api = ten(client, db)
    assert prizes(api.get(api.world.organiser, "results")) == EXPECTED
    sign_off(api.world.actor(0), api.world.event)
    db.session.commit()
    assert prizes(api.get(api.world.judges[0], "results")) == {}  # the chief judge before publication: all null
    assert prizes(api.get(api.world.organiser, "results")) == EXPECTED
    publish(Actor(api.world.organiser), api.world.event, today=date(2026, 6, 19))
    db.session.commit()
    assert prizes(api.get(None, "results")) == EXPECTED
    assert prizes(api.get(api.world.judges[0], "results")) == EXPECTED


def test_an_event_s_own_tiers_and_floor_through_the_api(client, db):
    season = make_season(year=2026)
    organiser = api_headers(client, make_user(Role.ORGANISER))
    tiers = [{"name": "特等奖", "count": 1}, {"name": "一等奖", "share": 10}]
    created = client.post("/api/v1/events", json=event_body(season, prize_tiers=tiers, prize_floor="72.5"),
                          headers=organiser)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["prize_tiers"] == [{"name": "特等奖", "share": None, "count": 1},
                                   {"name": "一等奖", "share": 10, "count": None}]
    assert body["prize_floor"] == "72.50"
    assert body["prizes"] == {"tiers": body["prize_tiers"], "floor": "72.50", "own_tiers": True, "own_floor": True}
    url = f"/api/v1/events/{body['id']}"
    cleared = client.patch(url, json={"prize_tiers": None, "prize_floor": None}, headers=organiser).get_json()
    assert (cleared["prize_tiers"], cleared["prize_floor"]) == (None, None)
    assert cleared["prizes"]["floor"] == "60.00" and [t["name"] for t in cleared["prizes"]["tiers"]] == [
        "一等奖", "二等奖", "三等奖"] and not cleared["prizes"]["own_tiers"]
    kept = client.patch(url, json={"venue": "吴江区体育中心"}, headers=organiser).get_json()
    assert kept["prize_tiers"] is None
    refused = client.patch(url, json={"prize_tiers": [{"name": "一等奖", "share": 70}, {"name": "二等奖", "share": 40}],
                                      "prize_floor": 100.5}, headers=organiser)
    assert refused.status_code == 400
    fields = [d["field"] for d in refused.get_json()["error"]["details"]]
    assert "prize_tiers" in fields and "prize_floor" in fields
    both = client.patch(url, json={"prize_tiers": [{"name": "一等奖", "share": 10, "count": 2}]}, headers=organiser)
    assert both.status_code == 400 and "二者选一" in both.get_json()["error"]["details"][0]["message"]


def test_the_prize_settings_are_fixed_once_signed_off(client, db):
    api = ten(client, db)
    sign_off(api.world.actor(0), api.world.event)
    db.session.commit()
    headers = api.headers(api.world.organiser)
    url = f"/api/v1/events/{api.event_id}"
    refused = client.patch(url, json={"prize_floor": "80"}, headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "results_frozen"
    assert [d["field"] for d in refused.get_json()["error"]["details"]] == ["prize_floor"]
    refused = client.patch(url, json={"prize_tiers": [{"name": "金奖", "count": 3}]}, headers=headers)
    assert refused.status_code == 409
    assert client.patch(url, json={"venue": "新场地"}, headers=headers).status_code == 200


def _figures(**overrides) -> dict:
    body = {"effective_from": "2030-01-01", "participant_threshold": 50, "subsidy_amount": 20000,
            "subsidies_per_enterprise_year": 1, "expert_subsidy": 2000, "nomination_quota": 3, "pass_mark": 60,
            "notice_working_days": 5}
    return body | overrides


def test_policy_versions_take_prize_tiers(client, db):
    admin = api_headers(client, make_user(Role.ADMIN))
    tiers = [{"name": "金奖", "share": 5}, {"name": "银奖", "count": 3}]
    created = client.post("/api/v1/policy-versions", json=_figures(prize_tiers=tiers), headers=admin)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["prize_tiers"] == [{"name": "金奖", "share": 5, "count": None},
                                                 {"name": "银奖", "share": None, "count": 3}]
    inherited = client.post("/api/v1/policy-versions", json=_figures(effective_from="2031-01-01"), headers=admin)
    assert [t["name"] for t in inherited.get_json()["prize_tiers"]] == ["金奖", "银奖"]
    version = inherited.get_json()["id"]
    kept = client.put(f"/api/v1/policy-versions/{version}", json=_figures(effective_from="2031-01-01"), headers=admin)
    assert [t["name"] for t in kept.get_json()["prize_tiers"]] == ["金奖", "银奖"]
    for bad in ([], [{"name": "", "share": 10}], [{"name": "金奖", "share": 101}], [{"name": "金奖"}]):
        refused = client.post("/api/v1/policy-versions", json=_figures(effective_from="2032-01-01", prize_tiers=bad),
                              headers=admin)
        assert refused.status_code == 400, (bad, refused.get_json())
        assert {d.get("field") for d in refused.get_json()["error"]["details"]} == {"prize_tiers"}
