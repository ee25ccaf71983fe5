"""Seasons through the API: organisers create and edit; everyone logged in reads the budget figures."""
import pytest

from competition.models import AuditEntry, Role, Season
from tests.builders import make_season, make_user
from tests.clients import api_headers

NEW = {"year": 2027, "name": "2027年吴江职业技能联赛", "budget": 1_500_000}


def _headers(client, db, role=Role.ORGANISER):
    """A committed user of the role and their bearer headers."""
    user = make_user(role)
    db.session.commit()
    return api_headers(client, user)


def _count(db):
    """Seasons stored."""
    return db.session.scalar(db.select(db.func.count()).select_from(Season))


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
def test_create_season(client, db, role):
    response = client.post("/api/v1/seasons", headers=_headers(client, db, role), json=NEW)
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in NEW} == NEW
    assert (body["committed"], body["remaining"]) == (0, 1_500_000)
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "season.create")).one()
    assert entry.object_id == body["id"] and entry.after["budget"] == 1_500_000


def test_duplicate_year_is_409_and_nothing_saved(client, db):
    headers = _headers(client, db)
    make_season(year=2027)
    db.session.commit()
    response = client.post("/api/v1/seasons", headers=headers, json=NEW)
    assert response.status_code == 409
    assert response.get_json()["error"]["details"][0]["field"] == "year"
    assert _count(db) == 1


@pytest.mark.parametrize("body, field", [
    ({**NEW, "year": 2011}, "year"),
    ({**NEW, "budget": -1}, "budget"),
    ({**NEW, "name": "x"}, "name"),
])
def test_service_validation_is_400(client, db, body, field):
    response = client.post("/api/v1/seasons", headers=_headers(client, db), json=body)
    assert response.status_code == 400
    assert [d["field"] for d in response.get_json()["error"]["details"]] == [field]
    assert _count(db) == 0


@pytest.mark.parametrize("role", [Role.JUDGE, Role.ENTERPRISE])
def test_others_may_not_create_or_edit(client, db, role):
    headers = _headers(client, db, role)
    season = make_season(year=2030, budget=100)
    db.session.commit()
    assert client.post("/api/v1/seasons", headers=headers, json=NEW).status_code == 403
    assert client.patch(f"/api/v1/seasons/{season.id}", headers=headers, json={"budget": 5}).status_code == 403
    db.session.expire_all()
    assert _count(db) == 1 and db.session.get(Season, season.id).budget == 100


@pytest.mark.parametrize("role", list(Role))
def test_everyone_logged_in_reads_seasons(client, db, role):
    headers = _headers(client, db, role)
    season = make_season(year=2030, budget=800_000)
    db.session.commit()
    listed = client.get("/api/v1/seasons", headers=headers).get_json()
    assert [s["year"] for s in listed["items"]] == [2030]
    detail = client.get(f"/api/v1/seasons/{season.id}", headers=headers).get_json()
    assert (detail["budget"], detail["committed"], detail["remaining"]) == (800_000, 0, 800_000)


def test_unknown_season_is_404(client, db):
    response = client.get("/api/v1/seasons/31337", headers=_headers(client, db))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_patch_season(client, db):
    headers = _headers(client, db)
    season = make_season(year=2030, name="旧名称年度", budget=100)
    make_season(year=2031)
    db.session.commit()
    response = client.patch(f"/api/v1/seasons/{season.id}", headers=headers, json={"budget": 2_000_000})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["year"], body["name"], body["budget"], body["remaining"]) == (2030, "旧名称年度", 2_000_000, 2_000_000)
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "season.update")).one()
    assert (entry.before["budget"], entry.after["budget"]) == (100, 2_000_000)
    clash = client.patch(f"/api/v1/seasons/{season.id}", headers=headers, json={"year": 2031})
    assert clash.status_code == 409
    db.session.expire_all()
    assert db.session.get(Season, season.id).year == 2030
