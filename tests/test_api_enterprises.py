"""Enterprises through the API: staff register and edit; everyone logged in lists."""
import pytest

from competition.models import AuditEntry, Enterprise, Role
from tests.builders import credit_code, make_enterprise, make_user
from tests.clients import api_headers, bearer

VALID_CODE = "91350100M000100Y43"  # RULES.md §2's example


def _headers(client, db, role=Role.ORGANISER, **overrides):
    """A committed user of the role and their bearer headers."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user)


def _count(db):
    """Enterprises stored."""
    return db.session.scalar(db.select(db.func.count()).select_from(Enterprise))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANISER])
def test_staff_register_an_enterprise(client, db, role):
    headers = _headers(client, db, role)
    response = client.post("/api/v1/enterprises", headers=headers,
                           json={"name": "  吴江精密机械有限公司 ", "credit_code": VALID_CODE.lower(), "town": "盛泽镇"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "吴江精密机械有限公司" and body["credit_code"] == VALID_CODE and body["town"] == "盛泽镇"
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "enterprise.create")).one()
    assert entry.object_id == body["id"] and entry.after["credit_code"] == VALID_CODE


def test_invalid_credit_code_is_400_with_field(client, db):
    headers = _headers(client, db)
    before = _count(db)
    response = client.post("/api/v1/enterprises", headers=headers,
                           json={"name": "某某有限公司", "credit_code": "91350100M000100Y44"})
    assert response.status_code == 400
    details = response.get_json()["error"]["details"]
    assert [d["field"] for d in details] == ["credit_code"] and details[0]["message"]
    assert _count(db) == before


def test_duplicate_credit_code_is_409_and_nothing_saved(client, db):
    headers = _headers(client, db)
    existing = make_enterprise(credit_code=VALID_CODE)
    db.session.commit()
    before = _count(db)
    response = client.post("/api/v1/enterprises", headers=headers,
                           json={"name": "另一家公司", "credit_code": VALID_CODE})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "duplicate" and existing.name in error["message"]
    assert error["details"][0]["field"] == "credit_code"
    assert _count(db) == before


@pytest.mark.parametrize("role", [Role.JUDGE, Role.ENTERPRISE])
def test_others_may_not_register_or_edit(client, db, role):
    headers = _headers(client, db, role)
    enterprise = make_enterprise()
    db.session.commit()
    before = _count(db)
    created = client.post("/api/v1/enterprises", headers=headers, json={"name": "新公司", "credit_code": VALID_CODE})
    edited = client.patch(f"/api/v1/enterprises/{enterprise.id}", headers=headers, json={"name": "改名公司"})
    assert created.status_code == 403 and edited.status_code == 403
    db.session.expire_all()
    assert _count(db) == before and db.session.get(Enterprise, enterprise.id).name != "改名公司"


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.TOWN])
def test_everyone_logged_in_lists_enterprises(client, db, role):
    headers = _headers(client, db, role)
    make_enterprise(name="甲公司", town="盛泽镇")
    make_enterprise(name="乙公司", town="松陵街道", credit_code=VALID_CODE)
    db.session.commit()
    body = client.get("/api/v1/enterprises?per_page=200", headers=headers).get_json()
    assert body["total"] == _count(db)
    assert {"甲公司", "乙公司"} <= {e["name"] for e in body["items"]}
    assert client.get("/api/v1/enterprises").status_code == 401


def test_a_town_officer_has_no_directory_only_its_towns_page(client, db):
    """RULES.md §3: a town officer reads its town's enterprises on the town page (tests/test_towns.py), not the
    league's directory."""
    headers = bearer(make_user(Role.TOWN, town="盛泽镇"))
    assert client.get("/api/v1/enterprises", headers=headers).status_code == 403


def test_enterprise_search_and_town_filter(client, db):
    headers = _headers(client, db)
    make_enterprise(name="甲机械公司", town="盛泽镇")
    make_enterprise(name="乙纺织公司", town="松陵街道", credit_code=VALID_CODE)
    db.session.commit()
    assert [e["name"] for e in client.get("/api/v1/enterprises?q=纺织", headers=headers).get_json()["items"]] == ["乙纺织公司"]
    by_code = client.get("/api/v1/enterprises?q=M000100", headers=headers).get_json()["items"]
    assert [e["credit_code"] for e in by_code] == [VALID_CODE]
    by_town = client.get("/api/v1/enterprises?town=盛泽镇", headers=headers).get_json()["items"]
    assert [e["name"] for e in by_town] == ["甲机械公司"]


def test_get_enterprise_by_role(client, db):
    own = make_enterprise()
    other = make_enterprise()
    hr = make_user(Role.ENTERPRISE, enterprise_id=own.id)
    judge = make_user(Role.JUDGE)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    hr_headers = api_headers(client, hr)
    assert client.get(f"/api/v1/enterprises/{own.id}", headers=hr_headers).status_code == 200
    assert client.get(f"/api/v1/enterprises/{other.id}", headers=hr_headers).status_code == 403
    assert client.get(f"/api/v1/enterprises/{own.id}", headers=api_headers(client, judge)).status_code == 403
    staff = api_headers(client, organiser)
    assert client.get(f"/api/v1/enterprises/{other.id}", headers=staff).get_json()["name"] == other.name
    assert client.get("/api/v1/enterprises/424242", headers=staff).status_code == 404


def test_patch_enterprise(client, db):
    headers = _headers(client, db)
    enterprise = make_enterprise(town="盛泽镇")
    db.session.commit()
    response = client.patch(f"/api/v1/enterprises/{enterprise.id}", headers=headers, json={"name": "新名称有限公司"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "新名称有限公司" and body["town"] == "盛泽镇" and body["credit_code"] == enterprise.credit_code
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "enterprise.update")).one()
    assert entry.before["name"] != entry.after["name"]
    bad = client.patch(f"/api/v1/enterprises/{enterprise.id}", headers=headers, json={"credit_code": "123"})
    assert bad.status_code == 400 and bad.get_json()["error"]["details"][0]["field"] == "credit_code"


def test_patch_to_a_used_credit_code_is_409(client, db):
    headers = _headers(client, db)
    first = make_enterprise(credit_code=credit_code(9001))
    second = make_enterprise(credit_code=credit_code(9002))
    db.session.commit()
    response = client.patch(f"/api/v1/enterprises/{second.id}", headers=headers,
                            json={"credit_code": first.credit_code})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Enterprise, second.id).credit_code == credit_code(9002)
