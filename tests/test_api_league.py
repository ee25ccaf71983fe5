"""The league's JSON API (RULES.md §16, API.md): public standings with an enterprise's breakdown; higher-level
competitions, their delegates and results; rewards proposed, approved within the budget, rejected, paid.

The world is tests/league_builders.league_world(): firm 24 points (松陵街道), other 17 (盛泽镇); 001 (firm) and 002
(other) sent to a province competition, 001's 一等奖 proposing 5000 to the person and 2000 to firm.
"""
import pytest

from competition.extensions import db
from competition.models import AuditEntry, Delegate, Reward, RewardState, Role
from competition.models.types import beijing_today
from tests.certificate_builders import certificate_world
from tests.counting import statements
from tests.builders import id_number, make_enterprise, make_entry, make_event, make_user
from tests.clients import bearer
from tests.league_builders import PROVINCE, league_world

TIERS = ("一等奖", "二等奖", "三等奖")
REWARD_KEYS = {"id", "kind", "kind_label", "name", "enterprise_id", "town", "person_id", "amount", "basis", "state",
               "state_label", "reason", "paid_on", "voucher", "delegate_id"}


class League:
    """league_world() with each user's bearer headers and the usual URLs."""

    def __init__(self, world):
        self.w = world
        self.season_id = world.world.event.season_id
        self.organiser = bearer(world.users["organiser"])
        self.firm = bearer(world.users["enterprise"])
        self.other = bearer(world.users["other"])
        self.judge = bearer(world.users["judge"])
        self.stranger = bearer(make_user(Role.ENTERPRISE, enterprise=make_enterprise()))

    def entry(self, number: str):
        return self.w.world.entries[number]


@pytest.fixture
def league(app, db):
    return League(league_world())


def _error(response, status: int, code: str | None = None) -> dict:
    """The error body of a refusal with this status (and code)."""
    assert response.status_code == status, (response.status_code, response.get_json())
    error = response.get_json()["error"]
    if code is not None:
        assert error["code"] == code, error
    return error


def _tiers(*counts) -> list[dict]:
    return [{"tier": i + 1, "name": name, "count": count} for i, (name, count) in enumerate(zip(TIERS, counts))]


# Standings

def test_the_standings_are_public_best_first_with_points_prizes_and_towns(client, league):
    response = client.get(f"/api/v1/seasons/{league.season_id}/standings")  # no token
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["season_id"] == league.season_id and body["year"] == 2026
    assert body["points"] == {"prizes": [10, 6, 3], "participant": 1, "hosted_event": 5}
    firm, other = body["enterprises"]
    assert firm == {"rank": 1, "enterprise_id": league.w.firm.id, "name": league.w.firm.name, "town": "松陵街道",
                    "points": 24, "participants": 5, "prizes": 3, "prizes_by_tier": _tiers(1, 1, 1),
                    "hosted_events": 0}
    assert (other["rank"], other["enterprise_id"], other["points"]) == (2, league.w.other.id, 17)
    assert other["prizes"] == 3 and other["prizes_by_tier"] == _tiers(0, 1, 2)
    assert [(t["rank"], t["town"], t["name"], t["points"], t["enterprises"]) for t in body["towns"]] == [
        (1, "松陵街道", "松陵街道", 24, 1), (2, "盛泽镇", "盛泽镇", 17, 1)]
    assert body["towns"][1]["prizes_by_tier"] == _tiers(0, 1, 2) and body["towns"][1]["participants"] == 5
    text = response.get_data(as_text=True)
    for entry in league.w.world.entries.values():  # nothing personal: no contestant's name or ID number
        assert entry.person.name not in text and entry.person.id_number[-6:] not in text


def test_the_standings_take_as_many_statements_whatever_the_number_of_events(client, league, db):
    url = f"/api/v1/seasons/{league.season_id}/standings"
    one = statements(db, lambda: client.get(url))
    certificate_world(season=league.w.world.event.season)  # a second final event of ten, two more enterprises
    body = client.get(url).get_json()
    assert len(body["enterprises"]) == 4 and sum(row["participants"] for row in body["enterprises"]) == 20
    assert statements(db, lambda: client.get(url)) == one


def test_the_standings_of_an_unknown_season_are_404(client, league):
    _error(client.get("/api/v1/seasons/999999/standings"), 404)
    _error(client.get(f"/api/v1/seasons/999999/standings/enterprises/{league.w.firm.id}"), 404)


def test_an_enterprise_breakdown_lists_what_each_event_brought_it(client, league):
    response = client.get(f"/api/v1/seasons/{league.season_id}/standings/enterprises/{league.w.other.id}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    event = league.w.world.event
    assert (body["enterprise_id"], body["name"], body["rank"], body["points"]) == (
        league.w.other.id, league.w.other.name, 2, 17)
    assert body["events"] == [{"event_id": event.id, "name": event.name, "event_date": event.event_date.isoformat(),
                               "kind": "district", "hosted": False, "participants": 5, "prizes": 3,
                               "prizes_by_tier": _tiers(0, 1, 2), "points": 17}]


def test_an_enterprise_without_points_has_no_place_and_an_unknown_one_is_404(client, league):
    idle = make_enterprise()
    db.session.commit()
    body = client.get(f"/api/v1/seasons/{league.season_id}/standings/enterprises/{idle.id}").get_json()
    assert (body["rank"], body["points"], body["events"]) == (None, 0, [])
    _error(client.get(f"/api/v1/seasons/{league.season_id}/standings/enterprises/999999"), 404)


# Competitions and delegates

COMPETITION = {"name": "苏州市焊工职业技能竞赛", "level": "city", "occupation": "焊工", "held_on": "2026-10-10",
               "organised_by": "苏州市人社局"}


def _competition(client, league, **overrides):
    return client.post("/api/v1/external-competitions", headers=league.organiser,
                       json={"season_id": league.season_id, **COMPETITION, **overrides})


def test_organisers_record_a_competition(client, league):
    response = _competition(client, league)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body == {"id": body["id"], "season_id": league.season_id, "name": COMPETITION["name"], "level": "city",
                    "level_label": "市级", "occupation": "焊工", "held_on": "2026-10-10",
                    "organised_by": "苏州市人社局", "delegates": []}
    got = client.get(f"/api/v1/external-competitions/{body['id']}", headers=league.organiser)
    assert got.status_code == 200 and got.get_json() == body
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.object_type == "ExternalCompetition",
                                                                AuditEntry.object_id == body["id"])) \
        == "competition.create"


@pytest.mark.parametrize("overrides, field", [
    ({"level": "county"}, "level"),
    ({"held_on": "2027-01-05"}, "held_on"),  # outside the season's year
    ({"held_on": "10/10/2026"}, "held_on"),
    ({"name": "x"}, "name"),
    ({"occupation": "  "}, "occupation"),
    ({"season_id": 999999}, "season_id"),
    ({"season_id": "1"}, "season_id"),
    ({"organised_by": "主" * 121}, "organised_by"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_competition_is_400_naming_the_field(client, league, overrides, field):
    error = _error(_competition(client, league, **overrides), 400)
    assert field in [d["field"] for d in error["details"]], error


def test_only_organisers_record_competitions(client, league):
    body = {"season_id": league.season_id, **COMPETITION}
    _error(client.post("/api/v1/external-competitions", json=body, headers=league.firm), 403)
    _error(client.post("/api/v1/external-competitions", json=body, headers=league.judge), 403)
    _error(client.post("/api/v1/external-competitions", json=body), 401)


def test_enterprises_see_only_the_competitions_they_sent_someone_to_and_only_their_delegates(client, league):
    _competition(client, league)  # nobody sent yet
    staff = client.get(f"/api/v1/external-competitions?season_id={league.season_id}", headers=league.organiser)
    assert staff.status_code == 200 and staff.get_json()["total"] == 2
    province = next(c for c in staff.get_json()["items"] if c["name"] == PROVINCE)
    assert [d["name"] for d in province["delegates"]] == [league.entry("001").person.name,
                                                          league.entry("002").person.name]
    for headers, number, enterprise in ((league.firm, "001", league.w.firm), (league.other, "002", league.w.other)):
        listed = client.get("/api/v1/external-competitions", headers=headers).get_json()
        assert [c["name"] for c in listed["items"]] == [PROVINCE]
        delegates = listed["items"][0]["delegates"]
        assert [(d["entry_id"], d["sending_enterprise_id"], d["sending_enterprise"]) for d in delegates] == [
            (league.entry(number).id, enterprise.id, enterprise.name)]
        one = client.get(f"/api/v1/external-competitions/{league.w.competition.id}", headers=headers).get_json()
        assert [d["entry_id"] for d in one["delegates"]] == [league.entry(number).id]
    assert client.get("/api/v1/external-competitions", headers=league.stranger).get_json()["items"] == []
    refused = client.get(f"/api/v1/external-competitions/{league.w.competition.id}", headers=league.stranger)
    _error(refused, 403)
    audited = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "refused").order_by(
        AuditEntry.id.desc()).limit(1))
    assert (audited.object_type, audited.object_id) == ("ExternalCompetition", league.w.competition.id)
    _error(client.get("/api/v1/external-competitions/999999", headers=league.organiser), 404)
    _error(client.get("/api/v1/external-competitions", headers=league.judge), 403)
    _error(client.get("/api/v1/external-competitions"), 401)


def test_a_delegate_from_an_entry_is_sent_by_its_employer_and_only_once(client, league):
    competition = _competition(client, league).get_json()
    url = f"/api/v1/external-competitions/{competition['id']}/delegates"
    response = client.post(url, json={"entry_id": league.entry("003").id}, headers=league.organiser)
    assert response.status_code == 201, response.get_json()
    delegate = response.get_json()
    person = league.entry("003").person
    assert delegate == {"id": delegate["id"], "competition_id": competition["id"], "person_id": person.id,
                        "name": person.name, "id_number": person.id_number[:4] + "*" * 10 + person.id_number[-4:],
                        "entry_id": league.entry("003").id, "sending_enterprise_id": league.w.firm.id,
                        "sending_enterprise": league.w.firm.name, "result": None}
    assert person.id_number not in response.get_data(as_text=True)
    _error(client.post(url, json={"entry_id": league.entry("003").id}, headers=league.organiser), 409, "duplicate")
    # another enterprise may send an entry's person
    sent = client.post(url, json={"entry_id": league.entry("005").id, "sending_enterprise_id": league.w.other.id},
                       headers=league.organiser)
    assert sent.status_code == 201 and sent.get_json()["sending_enterprise_id"] == league.w.other.id


def test_a_person_is_added_by_id_number_with_a_sending_enterprise(client, league):
    url = f"/api/v1/external-competitions/{league.w.competition.id}/delegates"
    number = id_number(321, birth="19880808")
    body = {"id_number": number, "name": "周慕云", "sending_enterprise_id": league.w.other.id}
    response = client.post(url, json=body, headers=league.organiser)
    assert response.status_code == 201, response.get_json()
    delegate = response.get_json()
    assert (delegate["name"], delegate["entry_id"], delegate["sending_enterprise_id"]) == (
        "周慕云", None, league.w.other.id)
    assert number not in response.get_data(as_text=True) and delegate["id_number"].endswith(number[-4:])
    _error(client.post(url, json=body, headers=league.organiser), 409, "duplicate")
    # a person already in the league keeps their name; their latest employer sends them when none is named
    known = league.entry("007").person
    mismatch = client.post(url, json={"id_number": known.id_number, "name": "别人"}, headers=league.organiser)
    assert "name" in [d["field"] for d in _error(mismatch, 400)["details"]]
    again = client.post(url, json={"id_number": known.id_number, "name": known.name}, headers=league.organiser)
    assert again.status_code == 201 and again.get_json()["sending_enterprise_id"] == league.w.firm.id


@pytest.mark.parametrize("body, field", [
    ({}, "body"),
    ({"entry_id": 1, "id_number": "320584199001010034", "name": "张三"}, "entry_id"),
    ({"id_number": "320584199001010035", "name": "周慕云", "sending_enterprise_id": 1}, "id_number"),
    ({"id_number": id_number(322, birth="19880808"), "name": "周慕云"}, "sending_enterprise_id"),  # no employer known
    ({"id_number": id_number(323, birth="19880808"), "name": "周慕云", "sending_enterprise_id": 999999},
     "sending_enterprise_id"),
    ({"id_number": id_number(324, birth="19880808")}, "name"),
    ({"entry_id": "1"}, "entry_id"),
])
def test_a_bad_delegate_is_400_naming_the_field(client, league, body, field):
    url = f"/api/v1/external-competitions/{league.w.competition.id}/delegates"
    error = _error(client.post(url, json=body, headers=league.organiser), 400)
    assert field in [d["field"] for d in error["details"]], error


def test_an_entry_of_an_event_not_final_is_409_and_unknown_ones_404(client, league):
    open_event = make_event("open", season=league.w.world.event.season)
    entry = make_entry(open_event, None, employer=league.w.firm)
    db.session.commit()
    url = f"/api/v1/external-competitions/{league.w.competition.id}/delegates"
    _error(client.post(url, json={"entry_id": entry.id}, headers=league.organiser), 409, "event_not_final")
    _error(client.post(url, json={"entry_id": 999999}, headers=league.organiser), 404)
    _error(client.post("/api/v1/external-competitions/999999/delegates", json={"entry_id": entry.id},
                       headers=league.organiser), 404)
    _error(client.post(url, json={"entry_id": league.entry("003").id}, headers=league.firm), 403)
    winners = f"/api/v1/external-competitions/{league.w.competition.id}/delegates/winners"
    _error(client.post(winners, json={"event_id": open_event.id}, headers=league.organiser), 409, "event_not_final")


def test_every_winner_of_a_final_event_is_sent_in_one_action(client, league):
    competition = _competition(client, league).get_json()
    url = f"/api/v1/external-competitions/{competition['id']}/delegates/winners"
    response = client.post(url, json={"event_id": league.w.world.event.id}, headers=league.organiser)
    assert response.status_code == 201, response.get_json()
    sent = [d["entry_id"] for d in response.get_json()["delegates"]]
    assert sorted(sent) == sorted(league.entry(n).id for n in ("001", "002", "003", "004", "005", "006"))
    again = client.post(url, json={"event_id": league.w.world.event.id}, headers=league.organiser)
    assert again.status_code == 201 and len(again.get_json()["delegates"]) == 6  # those sent are skipped


def test_recording_a_result_proposes_the_rewards_of_the_schedule(client, league):
    response = client.post(f"/api/v1/delegates/{league.w.second.id}/result", json={"prize": "二等奖", "rank": 5},
                           headers=league.organiser)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["delegate"]["result"]["prize"] == "二等奖" and body["delegate"]["result"]["rank"] == 5
    assert [(r["kind"], r["amount"], r["state"], r["enterprise_id"]) for r in body["rewards"]] == [
        ("individual", 3000, "proposed", league.w.other.id), ("sending_unit", 1000, "proposed", league.w.other.id)]
    assert all(set(r) >= REWARD_KEYS for r in body["rewards"])
    # recorded again while undecided: the proposals are replaced
    again = client.post(f"/api/v1/delegates/{league.w.second.id}/result", json={"prize": "优胜奖"},
                        headers=league.organiser).get_json()
    assert again["rewards"] == [] and again["delegate"]["result"]["rank"] is None
    assert db.session.scalar(db.select(db.func.count(Reward.id)).where(
        Reward.delegate_id == league.w.second.id)) == 0


def test_a_result_whose_rewards_are_decided_stands(client, league):
    assert client.post(f"/api/v1/rewards/{league.w.individual.id}/approve", headers=league.organiser).status_code == 200
    refused = client.post(f"/api/v1/delegates/{league.w.first.id}/result", json={"prize": "二等奖"},
                          headers=league.organiser)
    _error(refused, 409, "rewards_decided")
    assert db.session.get(Delegate, league.w.first.id).result_prize == "一等奖"


@pytest.mark.parametrize("body, field", [({"rank": 0}, "rank"), ({"prize": "奖" * 21}, "prize"),
                                         ({"rank": "1"}, "rank"), ({"medal": "gold"}, "medal")])
def test_a_bad_result_is_400(client, league, body, field):
    error = _error(client.post(f"/api/v1/delegates/{league.w.second.id}/result", json=body,
                               headers=league.organiser), 400)
    assert field in [d["field"] for d in error["details"]], error


def test_only_organisers_record_results_of_known_delegates(client, league):
    url = f"/api/v1/delegates/{league.w.second.id}/result"
    _error(client.post(url, json={"prize": "一等奖"}, headers=league.other), 403)
    _error(client.post(url, json={"prize": "一等奖"}), 401)
    _error(client.post("/api/v1/delegates/999999/result", json={}, headers=league.organiser), 404)


def test_a_delegate_leaves_the_list_only_before_a_result(client, league):
    second = league.w.second.id
    _error(client.delete(f"/api/v1/delegates/{league.w.first.id}", headers=league.organiser), 409, "result_recorded")
    _error(client.delete(f"/api/v1/delegates/{second}", headers=league.firm), 403)
    assert client.delete(f"/api/v1/delegates/{second}", headers=league.organiser).status_code == 204
    db.session.expunge_all()
    assert db.session.get(Delegate, second) is None
    _error(client.delete(f"/api/v1/delegates/{second}", headers=league.organiser), 404)


# Rewards

def test_organisers_list_a_seasons_rewards_with_totals(client, league):
    response = client.get(f"/api/v1/seasons/{league.season_id}/rewards", headers=league.organiser)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["page"], body["total"]) == (1, 2)
    assert body["totals"] == {"proposed": 7000, "approved": 0, "rejected": 0, "paid": 0}
    sending, individual = body["items"]  # newest first
    assert set(individual) >= REWARD_KEYS
    assert {k: individual[k] for k in REWARD_KEYS} == {
        "id": league.w.individual.id, "kind": "individual", "kind_label": "成绩优异者",
        "name": league.entry("001").person.name, "enterprise_id": league.w.firm.id, "town": None,
        "person_id": league.entry("001").person_id, "amount": 5000, "basis": f"{PROVINCE}（省级）一等奖",
        "state": "proposed", "state_label": "待审批", "reason": None, "paid_on": None, "voucher": None,
        "delegate_id": league.w.first.id}
    assert (sending["kind"], sending["kind_label"], sending["name"], sending["amount"]) == (
        "sending_unit", "优秀选送单位", league.w.firm.name, 2000)
    kind = client.get(f"/api/v1/seasons/{league.season_id}/rewards?kind=individual", headers=league.organiser)
    assert [r["id"] for r in kind.get_json()["items"]] == [league.w.individual.id]
    assert kind.get_json()["totals"]["proposed"] == 5000
    state = client.get(f"/api/v1/seasons/{league.season_id}/rewards?state=paid", headers=league.organiser)
    assert state.get_json()["items"] == [] and state.get_json()["total"] == 0
    paged = client.get(f"/api/v1/seasons/{league.season_id}/rewards?per_page=1&page=2",
                       headers=league.organiser).get_json()
    assert [r["id"] for r in paged["items"]] == [league.w.individual.id] and paged["totals"]["proposed"] == 7000
    _error(client.get(f"/api/v1/seasons/{league.season_id}/rewards?state=lost", headers=league.organiser), 400)
    _error(client.get("/api/v1/seasons/999999/rewards", headers=league.organiser), 404)


def test_an_enterprise_sees_only_its_own_rewards(client, league):
    own = client.get(f"/api/v1/seasons/{league.season_id}/rewards", headers=league.firm).get_json()
    assert {r["id"] for r in own["items"]} == {league.w.individual.id, league.w.sending.id}
    # asking for another enterprise's changes nothing
    asked = client.get(f"/api/v1/seasons/{league.season_id}/rewards?enterprise_id={league.w.other.id}",
                       headers=league.firm).get_json()
    assert asked["total"] == 2
    assert client.get(f"/api/v1/seasons/{league.season_id}/rewards", headers=league.other).get_json()["items"] == []
    assert client.get(f"/api/v1/rewards/{league.w.individual.id}", headers=league.firm).status_code == 200
    _error(client.get(f"/api/v1/rewards/{league.w.individual.id}", headers=league.other), 403)
    refusal = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "refused").order_by(
        AuditEntry.id.desc()).limit(1))
    assert (refusal.object_type, refusal.object_id) == ("Reward", league.w.individual.id)
    _error(client.get(f"/api/v1/seasons/{league.season_id}/rewards", headers=league.judge), 403)
    _error(client.get(f"/api/v1/seasons/{league.season_id}/rewards"), 401)
    _error(client.get("/api/v1/rewards/999999", headers=league.organiser), 404)


def test_organisers_propose_rewards_for_organising_units(client, league):
    body = {"season_id": league.season_id, "kind": "organising_unit", "enterprise_id": league.w.other.id,
            "amount": 3000, "basis": "承办区级电工竞赛"}
    response = client.post("/api/v1/rewards", json=body, headers=league.organiser)
    assert response.status_code == 201, response.get_json()
    reward = response.get_json()
    assert (reward["kind"], reward["state"], reward["enterprise_id"], reward["name"], reward["amount"]) == (
        "organising_unit", "proposed", league.w.other.id, league.w.other.name, 3000)
    town = client.post("/api/v1/rewards", headers=league.organiser, json={
        "season_id": league.season_id, "kind": "organising_unit", "town": "盛泽镇", "amount": 1000,
        "basis": "组织本镇企业参赛"})
    assert town.status_code == 201 and (town.get_json()["town"], town.get_json()["name"]) == ("盛泽镇", "盛泽镇")
    assert client.get(f"/api/v1/rewards/{reward['id']}", headers=league.other).status_code == 200
    _error(client.post("/api/v1/rewards", json=body, headers=league.other), 403)
    _error(client.post("/api/v1/rewards", json=body), 401)


@pytest.mark.parametrize("overrides, field", [
    ({"kind": "individual"}, "kind"),
    ({"kind": "sending_unit"}, "kind"),
    ({"town": "松陵街道"}, "enterprise_id"),  # both
    ({"enterprise_id": None}, "enterprise_id"),  # neither
    ({"enterprise_id": 999999}, "enterprise_id"),
    ({"enterprise_id": None, "town": "火星镇"}, "town"),
    ({"amount": 0}, "amount"),
    ({"amount": "3000"}, "amount"),
    ({"basis": "x"}, "basis"),
    ({"season_id": 999999}, "season_id"),
])
def test_a_bad_organising_reward_is_400_naming_the_field(client, league, overrides, field):
    body = {"season_id": league.season_id, "kind": "organising_unit", "enterprise_id": league.w.firm.id,
            "amount": 3000, "basis": "承办区级电工竞赛", **overrides}
    error = _error(client.post("/api/v1/rewards", json=body, headers=league.organiser), 400)
    assert field in [d["field"] for d in error["details"]], error


def test_approve_then_pay_and_reject_with_a_reason_each_once(client, league):
    individual, sending = league.w.individual.id, league.w.sending.id
    approved = client.post(f"/api/v1/rewards/{individual}/approve", headers=league.organiser)
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"
    assert approved.get_json()["state_label"] == "已批准" and approved.get_json()["decided_at"]
    season = client.get(f"/api/v1/seasons/{league.season_id}", headers=league.organiser).get_json()
    assert season["committed"] == 5000
    _error(client.post(f"/api/v1/rewards/{individual}/approve", headers=league.organiser), 409,
           "invalid_reward_state")
    _error(client.post(f"/api/v1/rewards/{individual}/reject", json={"reason": "重复"}, headers=league.organiser), 409)
    _error(client.post(f"/api/v1/rewards/{sending}/reject", json={}, headers=league.organiser), 400)
    rejected = client.post(f"/api/v1/rewards/{sending}/reject", json={"reason": "选送单位已另获表彰"},
                           headers=league.organiser)
    assert rejected.status_code == 200 and rejected.get_json()["reason"] == "选送单位已另获表彰"
    assert rejected.get_json()["state"] == "rejected"
    _error(client.post(f"/api/v1/rewards/{sending}/approve", headers=league.organiser), 409)
    _error(client.post(f"/api/v1/rewards/{sending}/pay", json={"paid_on": beijing_today().isoformat(),
                                                               "voucher": "记-1"}, headers=league.organiser), 409)
    today = beijing_today().isoformat()
    _error(client.post(f"/api/v1/rewards/{individual}/pay", json={"paid_on": today}, headers=league.organiser), 400)
    _error(client.post(f"/api/v1/rewards/{individual}/pay", json={"paid_on": "2026-01-02", "voucher": "记-2026-12-1"},
                       headers=league.organiser), 400)  # before the approval
    paid = client.post(f"/api/v1/rewards/{individual}/pay", json={"paid_on": today, "voucher": "记-2026-12-001"},
                       headers=league.organiser)
    assert paid.status_code == 200, paid.get_json()
    assert (paid.get_json()["state"], paid.get_json()["paid_on"], paid.get_json()["voucher"]) == (
        "paid", today, "记-2026-12-001")
    _error(client.post(f"/api/v1/rewards/{individual}/pay", json={"paid_on": today, "voucher": "记-2"},
                       headers=league.organiser), 409)
    actions = list(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "Reward", AuditEntry.object_id.in_([individual, sending])).order_by(AuditEntry.id)))
    assert [a for a in actions if a != "reward.propose"] == ["reward.approve", "reward.reject", "reward.pay"]
    listed = client.get(f"/api/v1/seasons/{league.season_id}/rewards", headers=league.organiser).get_json()
    assert listed["totals"] == {"proposed": 0, "approved": 0, "rejected": 2000, "paid": 5000}


def test_only_organisers_decide_rewards(client, league):
    url = f"/api/v1/rewards/{league.w.individual.id}"
    _error(client.post(f"{url}/approve", headers=league.firm), 403)
    _error(client.post(f"{url}/reject", json={"reason": "不符合"}, headers=league.firm), 403)
    _error(client.post(f"{url}/pay", json={"paid_on": "2026-12-01", "voucher": "x"}, headers=league.judge), 403)
    _error(client.post(f"{url}/approve"), 401)
    _error(client.post("/api/v1/rewards/999999/approve", headers=league.organiser), 404)
    assert db.session.get(Reward, league.w.individual.id).state is RewardState.PROPOSED


def test_approving_beyond_the_season_budget_is_409_over_budget(client, app, db):
    league = League(league_world(budget=6000))
    assert client.post(f"/api/v1/rewards/{league.w.individual.id}/approve",
                       headers=league.organiser).status_code == 200
    _error(client.post(f"/api/v1/rewards/{league.w.sending.id}/approve", headers=league.organiser), 409,
           "over_budget")
    assert db.session.get(Reward, league.w.sending.id).state is RewardState.PROPOSED


def test_the_document_lists_the_league_paths(client, league):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        "/api/v1/seasons/{season_id}/standings": {"get"},
        "/api/v1/seasons/{season_id}/standings/enterprises/{enterprise_id}": {"get"},
        "/api/v1/external-competitions": {"get", "post"},
        "/api/v1/external-competitions/{competition_id}": {"get"},
        "/api/v1/external-competitions/{competition_id}/delegates": {"post"},
        "/api/v1/delegates/{delegate_id}/result": {"post"},
        "/api/v1/seasons/{season_id}/rewards": {"get"},
        "/api/v1/rewards": {"post"}, "/api/v1/rewards/{reward_id}": {"get"},
        "/api/v1/rewards/{reward_id}/approve": {"post"}, "/api/v1/rewards/{reward_id}/reject": {"post"},
        "/api/v1/rewards/{reward_id}/pay": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    assert paths["/api/v1/seasons/{season_id}/standings"]["get"]["security"] == []
    assert "409" in paths["/api/v1/rewards/{reward_id}/approve"]["post"]["responses"]
