"""Policy versions through the API gain the league's standings points and reward schedule (RULES.md §12, §16;
API.md: POST /api/v1/policy-versions also `standing_points?`, `rewards?`)."""
import pytest

from competition.extensions import db
from competition.models import PolicyVersion, Role
from tests.builders import make_user
from tests.clients import bearer
from tests.league_builders import SCHEDULE, league_world, schedule_version

POINTS = {"prizes": [12, 8, 4, 2], "participant": 2, "hosted_event": 6}
LINES = [{"level": "national", "prize": "金牌", "individual": 30000, "sending_unit": 15000},
         {"level": "city", "prize": "一等奖", "individual": 2000, "sending_unit": 500}]


def figures(**overrides) -> dict:
    """A full policy body with the founding figures, effective in the future (no back-dating to confirm)."""
    body = {"effective_from": "2030-01-01", "participant_threshold": 50, "subsidy_amount": 20000,
            "subsidies_per_enterprise_year": 1, "expert_subsidy": 2000, "nomination_quota": 3, "pass_mark": 60,
            "notice_working_days": 5, "note": "联赛奖励"}
    body.update(overrides)
    return body


@pytest.fixture
def admin(app, db):
    """An administrator's bearer headers."""
    user = make_user(Role.ADMIN)
    db.session.commit()
    return bearer(user)


def _post(client, admin, **overrides):
    return client.post("/api/v1/policy-versions", json=figures(**overrides), headers=admin)


def test_a_new_version_stores_and_shows_its_points_and_schedule(client, admin):
    response = _post(client, admin, standing_points=POINTS, rewards=LINES)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["standing_points"] == POINTS
    # the schedule is kept ordered by level (市级 before 国家级), each line as sent
    assert body["rewards"] == [LINES[1], LINES[0]]
    stored = db.session.get(PolicyVersion, body["id"])
    assert stored.standing_points == POINTS and stored.rewards == [LINES[1], LINES[0]]
    listed = client.get("/api/v1/policy-versions", headers=admin).get_json()["items"]
    assert next(v for v in listed if v["id"] == body["id"])["standing_points"] == POINTS


def test_prizes_may_be_sent_by_tier_name_and_what_is_left_out_takes_the_defaults(client, admin):
    response = _post(client, admin, standing_points={"prizes": {"一等奖": 15, "二等奖": 9}})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["standing_points"] == {"prizes": [15, 9], "participant": 1, "hosted_event": 5}


def test_a_version_without_them_inherits_those_of_the_version_it_follows(client, admin):
    schedule_version()  # from 2026-01-01 with SCHEDULE and the default points
    db.session.commit()
    body = _post(client, admin).get_json()
    assert body["rewards"] == SCHEDULE
    assert body["standing_points"] == {"prizes": [10, 6, 3], "participant": 1, "hosted_event": 5}


@pytest.mark.parametrize("league, field", [
    ({"standing_points": {"prizes": [10, -1, 3]}}, "standing_points.prizes"),
    ({"standing_points": {"prizes": [1, 1, 1, 1, 1, 1, 1]}}, "standing_points.prizes"),
    ({"standing_points": {"prizes": []}}, "standing_points.prizes"),
    ({"standing_points": {"prizes": {"一等奖": "十"}}}, "standing_points.prizes"),
    ({"standing_points": {"prizes": "10,6,3"}}, "standing_points.prizes"),
    ({"standing_points": {"participant": 1001}}, "standing_points.participant"),
    ({"standing_points": {"hosted_event": None}}, "standing_points.hosted_event"),
    ({"standing_points": {"participant": "1"}}, "standing_points.participant"),
    ({"standing_points": {"bonus": 3}}, "standing_points.bonus"),
    ({"standing_points": [10, 6, 3]}, "standing_points"),
    ({"rewards": [{"level": "county", "prize": "一等奖", "individual": 1, "sending_unit": 1}]}, "rewards.0.level"),
    ({"rewards": [{"level": "city", "prize": "", "individual": 1, "sending_unit": 1}]}, "rewards[0].prize"),
    ({"rewards": [{"level": "city", "prize": "一等奖", "individual": -5, "sending_unit": 1}]},
     "rewards[0].individual"),
    ({"rewards": [{"level": "city", "prize": "一等奖", "individual": 1, "sending_unit": 10**8}]},
     "rewards[0].sending_unit"),
    ({"rewards": [LINES[0], {**LINES[0], "individual": 1}]}, "rewards[1]"),
    ({"rewards": [{"level": "city", "prize": "一等奖", "individual": 1}]}, "rewards.0.sending_unit"),
    ({"rewards": {"level": "city"}}, "rewards"),
])
def test_bad_points_or_schedule_are_400_naming_the_field(client, admin, league, field):
    response = _post(client, admin, **league)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert field in [d["field"] for d in error["details"]], error
    assert db.session.scalar(db.select(db.func.count(PolicyVersion.id)).where(
        PolicyVersion.note == "联赛奖励")) == 0


def test_an_edit_changes_them_and_a_version_whose_schedule_proposed_rewards_is_locked(client, admin):
    created = _post(client, admin, standing_points=POINTS).get_json()
    edited = client.put(f"/api/v1/policy-versions/{created['id']}", headers=admin,
                        json=figures(rewards=LINES, standing_points={"prizes": [20, 10, 5]}))
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["standing_points"] == {"prizes": [20, 10, 5], "participant": 1, "hosted_event": 5}
    assert edited.get_json()["rewards"] == [LINES[1], LINES[0]]
    kept = client.put(f"/api/v1/policy-versions/{created['id']}", headers=admin, json=figures())
    assert kept.get_json()["rewards"] == [LINES[1], LINES[0]]  # left out: kept as they were
    bad = client.put(f"/api/v1/policy-versions/{created['id']}", headers=admin,
                     json=figures(standing_points={"prizes": [10, 6, 3], "participant": -1}))
    assert bad.status_code == 400 and bad.get_json()["error"]["details"][0]["field"] == "standing_points.participant"
    league = league_world()  # its 2026 version's schedule proposed two rewards
    used = client.put(f"/api/v1/policy-versions/{league.version.id}", headers=admin,
                      json=figures(effective_from="2031-01-01", rewards=[]))
    assert used.status_code == 409 and used.get_json()["error"]["code"] == "policy_used"
    assert db.session.get(PolicyVersion, league.version.id).rewards == SCHEDULE


def test_only_administrators_set_them(client, app, db):
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    response = client.post("/api/v1/policy-versions", json=figures(standing_points=POINTS), headers=bearer(organiser))
    assert response.status_code == 403
    assert client.post("/api/v1/policy-versions", json=figures(standing_points=POINTS)).status_code == 401
