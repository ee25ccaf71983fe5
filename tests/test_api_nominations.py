"""技术能手 through the API: the season's list by role, recommendations, decisions, the budget, the register."""
from competition.services.marking.facts import beijing_today
from competition.models import AuditEntry, ExpertTitle, Nomination, NominationState, Role
from tests.builders import id_number, make_season, make_user
from tests.clients import bearer
from tests.marking_builders import FOUR, final_world, give_title


def listed(client, season_id, headers, **query):
    """GET the season's nominations."""
    response = client.get(f"/api/v1/seasons/{season_id}/nominations", headers=headers, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_organisers_see_proposals_and_exclusions_with_reasons_and_enterprises_only_their_own(client, db):
    world = final_world(FOUR, employers=[None, None, None, None],
                        before_final=lambda w: give_title(w.entries["002"].person_id))
    organiser = bearer(world.organiser)
    body = listed(client, world.event.season_id, organiser)
    assert body["total"] == 4
    first = body["items"][0]
    assert (first["state"], first["rank"], first["total"], first["route"]) == ("proposed", 1, "92.10", "competition")
    assert "*" in first["id_number"] and first["event_name"] == world.event.name
    excluded = listed(client, world.event.season_id, organiser, state="excluded")["items"]
    assert {e["reason_code"] for e in excluded} == {"already_holder", "module_below_pass", "outside_quota"}
    assert all(e["reason"] for e in excluded)
    assert listed(client, world.event.season_id, organiser, route="enterprise")["total"] == 0
    assert listed(client, world.event.season_id, organiser, event_id=world.event.id, per_page=1)["total"] == 4
    hr = make_user(Role.ENTERPRISE)
    assert listed(client, world.event.season_id, bearer(hr))["total"] == 0
    judge = client.get(f"/api/v1/seasons/{world.event.season_id}/nominations", headers=bearer(world.judges[0]))
    assert judge.status_code == 403


def test_recommend_approve_and_the_register(client, db):
    season = make_season(year=2026, budget=2000)
    hr, organiser, other = make_user(Role.ENTERPRISE), make_user(Role.ORGANISER), make_user(Role.ENTERPRISE)
    body = {"id_number": id_number(11), "name": "张三丰", "justification": "技术骨干", "season_id": season.id,
            "confirm_employee": True}
    created = client.post("/api/v1/nominations", json=body, headers=bearer(hr))
    assert created.status_code == 201, created.get_json()
    nomination = created.get_json()
    assert (nomination["state"], nomination["route"], nomination["enterprise_id"]) == ("proposed", "enterprise",
                                                                                       hr.enterprise_id)
    again = client.post("/api/v1/nominations", json=body, headers=bearer(other))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_nominated"
    assert listed(client, season.id, bearer(other))["total"] == 0
    assert listed(client, season.id, bearer(hr))["total"] == 1
    assert client.post(f"/api/v1/nominations/{nomination['id']}/approve", headers=bearer(hr)).status_code == 403
    approved = client.post(f"/api/v1/nominations/{nomination['id']}/approve", headers=bearer(organiser))
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["title"]["subsidy"] == 2000 and approved.get_json()["nomination"]["state"] == "approved"
    twice = client.post(f"/api/v1/nominations/{nomination['id']}/approve", headers=bearer(organiser))
    assert twice.status_code == 409
    assert client.get(f"/api/v1/seasons/{season.id}", headers=bearer(organiser)).get_json()["committed"] == 2000
    experts = client.get("/api/v1/experts", headers=bearer(hr)).get_json()
    assert experts["total"] == 1 and experts["items"][0]["name"] == "张*丰"
    assert "id_number" not in experts["items"][0] and "phone" not in experts["items"][0]
    staff_view = client.get("/api/v1/experts?year=2026", headers=bearer(organiser)).get_json()
    assert staff_view["items"][0]["name"] == "张三丰" and staff_view["items"][0]["year"] == 2026
    assert client.get("/api/v1/experts?year=2025", headers=bearer(organiser)).get_json()["total"] == 0
    assert client.get("/api/v1/experts").status_code == 401
    held = client.post("/api/v1/nominations", headers=bearer(hr),
                       json={**body, "season_id": make_season(year=2027).id})
    assert held.status_code == 409 and held.get_json()["error"]["code"] == "already_holder"


def test_over_budget_and_reject_with_reason(client, db):
    season = make_season(year=2026, budget=1000)
    hr, organiser = make_user(Role.ENTERPRISE), make_user(Role.ORGANISER)
    body = {"id_number": id_number(12), "name": "李四", "justification": "技术骨干", "season_id": season.id,
            "confirm_employee": True}
    nomination = client.post("/api/v1/nominations", json=body, headers=bearer(hr)).get_json()
    over = client.post(f"/api/v1/nominations/{nomination['id']}/approve", headers=bearer(organiser))
    assert over.status_code == 409 and over.get_json()["error"]["code"] == "over_budget"
    assert db.session.scalar(db.select(db.func.count()).select_from(ExpertTitle)) == 0
    empty = client.post(f"/api/v1/nominations/{nomination['id']}/reject", json={"reason": " "},
                        headers=bearer(organiser))
    assert empty.status_code == 400
    rejected = client.post(f"/api/v1/nominations/{nomination['id']}/reject", json={"reason": "材料不全"},
                           headers=bearer(organiser))
    assert rejected.status_code == 200 and rejected.get_json()["nomination"]["reason"] == "材料不全"
    db.session.expire_all()
    assert db.session.get(Nomination, nomination["id"]).state is NominationState.REJECTED
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.action == "nomination.reject"))


def test_bad_recommendations_are_400_with_fields(client, db):
    make_season(year=beijing_today().year)  # the default season is this year's
    hr = make_user(Role.ENTERPRISE)
    response = client.post("/api/v1/nominations", headers=bearer(hr), json={
        "id_number": "123", "name": "1", "justification": "", "season_id": 999})
    assert response.status_code == 400
    response = client.post("/api/v1/nominations", headers=bearer(hr), json={
        "id_number": "123", "name": "1", "justification": ""})
    assert response.status_code == 400
    assert {d["field"] for d in response.get_json()["error"]["details"]} >= {"id_number", "name", "justification"}
    organiser = make_user(Role.ORGANISER)
    assert client.post("/api/v1/nominations", headers=bearer(organiser), json={
        "id_number": id_number(3), "name": "李四", "justification": "x"}).status_code == 403
