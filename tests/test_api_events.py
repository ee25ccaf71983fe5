"""Events through the API: create with a scheme, list and read by role, edit, scheme lock, copy a scheme."""
from datetime import date, timedelta

import pytest

from competition.models import AuditEntry, EntryStatus, Event, EventStatus, Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers
from tests.payloads import SCHEME, event_body

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)


def headers(client, db, role=Role.ORGANISER, **overrides) -> tuple[dict, object]:
    """Bearer headers for a new committed user of the role, and the user."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user), user


def events(db) -> int:
    """Events stored."""
    return db.session.scalar(db.select(db.func.count()).select_from(Event))


def test_organiser_creates_a_district_event_with_its_scheme(client, db):
    season = make_season()
    auth, _ = headers(client, db)
    response = client.post("/api/v1/events", headers=auth, json=event_body(season))
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert (got["status"], got["status_label"], got["kind"], got["host"]) == ("draft", "草稿", "district", None)
    assert [m["weight"] for m in got["modules"]] == [30, 70]
    practical = got["modules"][1]["criteria"]
    assert [(c["name"], c["max_score"], c["kind"]) for c in practical] == [
        ("工艺质量", "60.00", "judgement"), ("安全文明", "40.00", "judgement")]
    assert all(isinstance(c["id"], int) for m in got["modules"] for c in m["criteria"])
    assert got["counts"] == {"registered": 0, "present": 0, "absent": 0, "withdrawn": 0, "disqualified": 0,
                             "total": 0}
    assert (got["panel_size"], got["draw_seed"], got["scheme_locked"], got["warnings"]) == (0, None, False, [])
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.create")).one()
    assert audit.object_id == got["id"]


def test_enterprise_user_applies_for_their_own_enterprise_and_it_is_submitted(client, db):
    season = make_season()
    auth, user = headers(client, db, Role.ENTERPRISE)
    response = client.post("/api/v1/events", headers=auth, json=event_body(season, kind="enterprise"))
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert (got["status"], got["host"]["id"]) == ("submitted", user.enterprise_id)


@pytest.mark.parametrize("overrides", [{"kind": "district"}, {"kind": "enterprise", "host_enterprise_id": "other"}])
def test_enterprise_user_may_not_host_for_others_or_run_district_events(client, db, overrides):
    season, other = make_season(), make_enterprise()
    auth, _ = headers(client, db, Role.ENTERPRISE)
    if overrides.get("host_enterprise_id") == "other":
        overrides = overrides | {"host_enterprise_id": other.id}
    response = client.post("/api/v1/events", headers=auth, json=event_body(season, **overrides))
    assert response.status_code == 403
    assert events(db) == 0


def test_judges_may_not_create_events(client, db):
    season = make_season()
    auth, _ = headers(client, db, Role.JUDGE)
    assert client.post("/api/v1/events", headers=auth, json=event_body(season)).status_code == 403
    assert events(db) == 0


@pytest.mark.parametrize("change, field", [
    ({"modules": [SCHEME[0] | {"weight": 20}, SCHEME[1]]}, "modules"),
    ({"registration_deadline": (LATER + timedelta(days=1)).isoformat()}, "registration_deadline"),
    ({"event_date": "2026-13-01"}, "event_date"),
    ({"level": 9}, "level"),
    ({"kind": "enterprise"}, "host_enterprise_id"),
    ({"venue": "场" * 121}, "venue"),
    ({"modules": [SCHEME[0] | {"criteria": [{"name": "理论", "max_score": "1e30", "kind": "measurement"}]}, SCHEME[1]]},
     "modules.0.criteria.0.max_score"),
])
def test_invalid_events_are_400_with_field_details_and_nothing_saved(client, db, change, field):
    season = make_season()
    auth, _ = headers(client, db)
    response = client.post("/api/v1/events", headers=auth, json=event_body(season, **change))
    assert response.status_code == 400
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]
    assert events(db) == 0


def test_a_heavy_theory_weight_is_saved_with_a_warning(client, db):
    season = make_season()
    auth, _ = headers(client, db)
    scheme = [SCHEME[0] | {"weight": 40}, SCHEME[1] | {"weight": 60}]
    got = client.post("/api/v1/events", headers=auth, json=event_body(season, modules=scheme)).get_json()
    assert got["warnings"] == ["理论知识权重合计40%，高于国家指导的30%。"]


@pytest.fixture
def spread(db):
    """Events in several states and hosts, and the users who look at them."""
    season, host, elsewhere = make_season(), make_enterprise(), make_enterprise()
    judge = make_user(Role.JUDGE)
    made = {
        "district_draft": make_event("draft", season=season),
        "host_draft": make_event("draft", season=season, kind="enterprise", host_enterprise_id=host.id,
                                 name="恒力焊工大赛", occupation="焊工"),
        "elsewhere_submitted": make_event("submitted", season=season, kind="enterprise",
                                          host_enterprise_id=elsewhere.id),
        "elsewhere_open": make_event("open", season=season, kind="enterprise", host_enterprise_id=elsewhere.id),
        "panel": make_event("closed", season=make_season()),
    }
    assign_judge(SYSTEM, made["panel"], judge, False)
    users = {"organiser": make_user(Role.ORGANISER), "host": make_user(Role.ENTERPRISE, enterprise=host),
             "judge": judge}
    db.session.commit()
    return made, users, {"season": season, "host": host, "elsewhere": elsewhere}


def _listed(client, user, query="") -> set[int]:
    """Ids of the events a user gets from the list."""
    response = client.get(f"/api/v1/events{query}", headers=api_headers(client, user))
    assert response.status_code == 200
    return {item["id"] for item in response.get_json()["items"]}


def test_each_role_lists_only_the_events_it_may_see(client, spread):
    made, users, _ = spread
    ids = {name: event.id for name, event in made.items()}
    assert _listed(client, users["organiser"]) == set(ids.values())
    assert _listed(client, users["host"]) == {ids["host_draft"], ids["elsewhere_open"], ids["panel"]}
    assert _listed(client, users["judge"]) == {ids["panel"]}


def test_list_filters(client, spread):
    made, users, orgs = spread
    organiser = users["organiser"]
    assert _listed(client, organiser, "?status=submitted") == {made["elsewhere_submitted"].id}
    assert _listed(client, organiser, "?kind=district") == {made["district_draft"].id, made["panel"].id}
    assert _listed(client, organiser, f"?host_enterprise_id={orgs['host'].id}") == {made["host_draft"].id}
    assert _listed(client, organiser, "?q=恒力") == {made["host_draft"].id}
    assert _listed(client, organiser, "?occupation=焊工") == {made["host_draft"].id}
    assert len(_listed(client, organiser, f"?season_id={orgs['season'].id}")) == 4
    response = client.get("/api/v1/events?status=nonsense", headers=api_headers(client, organiser))
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["field"] == "status"


def test_reading_an_event_follows_can_view_event(client, db, spread):
    made, users, _ = spread
    host, judge = api_headers(client, users["host"]), api_headers(client, users["judge"])
    assert client.get(f"/api/v1/events/{made['host_draft'].id}", headers=host).status_code == 200
    assert client.get(f"/api/v1/events/{made['elsewhere_submitted'].id}", headers=host).status_code == 403
    assert client.get(f"/api/v1/events/{made['elsewhere_open'].id}", headers=host).status_code == 200
    assert client.get(f"/api/v1/events/{made['district_draft'].id}", headers=judge).status_code == 403
    assert client.get(f"/api/v1/events/{made['panel'].id}", headers=judge).get_json()["panel_size"] == 1
    assert client.get("/api/v1/events/999999", headers=host).status_code == 404


def test_detail_counts_entries_and_shows_the_draw(client, db):
    event = make_event("open", event_date=LATER, registration_deadline=SOON)
    entries = [enrol(SYSTEM, event, EntryData(f"选手{'甲乙丙丁'[i]}", id_number(i))) for i in range(4)]
    for entry, status in zip(entries, ["present", "present", "absent", "withdrawn"]):
        entry.status = EntryStatus(status)
    event.status, event.draw_seed = EventStatus.DRAWN, "abc123"
    auth, _ = headers(client, db)
    got = client.get(f"/api/v1/events/{event.id}", headers=auth).get_json()
    assert got["counts"] == {"registered": 0, "present": 2, "absent": 1, "withdrawn": 1, "disqualified": 0,
                             "total": 4}
    assert (got["status_label"], got["draw_seed"]) == ("已抽签", "abc123")


def test_patch_changes_only_the_fields_given(client, db):
    event = make_event("draft", venue="旧场地", min_age=18)
    auth, _ = headers(client, db)
    response = client.patch(f"/api/v1/events/{event.id}", headers=auth, json={"name": "新名称赛项", "min_age": None})
    assert response.status_code == 200, response.get_json()
    got = response.get_json()
    assert (got["name"], got["venue"], got["min_age"], got["occupation"], len(got["modules"])) == \
        ("新名称赛项", "旧场地", None, "电工", 2)
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.update")).one()


def test_patch_replaces_the_scheme_and_refuses_nulls_and_kind_changes(client, db):
    event = make_event("open")
    auth, _ = headers(client, db)
    url = f"/api/v1/events/{event.id}"
    one = [{"name": "实操", "kind": "practical", "weight": 100,
            "criteria": [{"name": "成品", "max_score": 100, "kind": "judgement"}]}]
    assert [m["name"] for m in client.patch(url, headers=auth, json={"modules": one}).get_json()["modules"]] == ["实操"]
    response = client.patch(url, headers=auth, json={"name": None, "tie_breaks": None})
    assert response.status_code == 400
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["name", "tie_breaks"]
    response = client.patch(url, headers=auth, json={"kind": "enterprise", "host_enterprise_id": make_enterprise().id})
    assert response.status_code == 409


def test_the_scheme_is_locked_once_scoring_starts(client, db):
    event = make_event("scoring")
    auth, _ = headers(client, db)
    url = f"/api/v1/events/{event.id}"
    got = client.get(url, headers=auth).get_json()
    assert got["scheme_locked"] is True
    response = client.patch(url, headers=auth, json={"modules": [SCHEME[1] | {"weight": 100}]})
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == "评分已开始，评分方案已锁定，不能修改。"
    db.session.expire_all()
    assert [m.weight for m in db.session.get(Event, event.id).modules] == [30, 70]
    assert client.patch(url, headers=auth, json={"venue": "新场地"}).status_code == 200


def test_the_host_edits_its_own_application_only_while_draft_or_rejected(client, db):
    host = make_enterprise()
    auth, _ = headers(client, db, Role.ENTERPRISE, enterprise=host)
    other_auth, _ = headers(client, db, Role.ENTERPRISE)
    drafted = make_event("rejected", kind="enterprise", host_enterprise_id=host.id)
    submitted = make_event("submitted", kind="enterprise", host_enterprise_id=host.id, venue="原场地")
    db.session.commit()
    assert client.patch(f"/api/v1/events/{drafted.id}", headers=auth, json={"venue": "车间"}).status_code == 200
    assert client.patch(f"/api/v1/events/{submitted.id}", headers=auth, json={"venue": "车间"}).status_code == 403
    assert client.patch(f"/api/v1/events/{drafted.id}", headers=other_auth, json={"venue": "X"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Event, submitted.id).venue == "原场地"


def test_copy_scheme_from_an_earlier_event(client, db):
    earlier = make_event("final", name="往年赛项")
    earlier.modules[0].name = "应知考试"
    target = make_event("draft")
    auth, _ = headers(client, db)
    response = client.post(f"/api/v1/events/{target.id}/copy-scheme", headers=auth,
                           json={"from_event_id": earlier.id})
    assert response.status_code == 200, response.get_json()
    assert [m["name"] for m in response.get_json()["modules"]] == ["应知考试", "操作技能"]
    locked = make_event("scoring")
    db.session.commit()
    response = client.post(f"/api/v1/events/{locked.id}/copy-scheme", headers=auth, json={"from_event_id": earlier.id})
    assert response.status_code == 409


def test_copy_scheme_refuses_what_the_host_may_not_see_or_edit(client, db):
    host, elsewhere = make_enterprise(), make_enterprise()
    auth, _ = headers(client, db, Role.ENTERPRISE, enterprise=host)
    own = make_event("draft", kind="enterprise", host_enterprise_id=host.id)
    secret = make_event("draft", kind="enterprise", host_enterprise_id=elsewhere.id)
    theirs = make_event("draft", kind="enterprise", host_enterprise_id=elsewhere.id)
    db.session.commit()
    response = client.post(f"/api/v1/events/{own.id}/copy-scheme", headers=auth, json={"from_event_id": secret.id})
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["field"] == "from_event_id"
    response = client.post(f"/api/v1/events/{theirs.id}/copy-scheme", headers=auth, json={"from_event_id": own.id})
    assert response.status_code == 403
