"""Users through the API: administrators only; every refusal a 403 that changes nothing."""
import pytest

from competition.models import AuditEntry, Role, User
from tests.builders import PASSWORD, make_enterprise, make_user
from tests.clients import api_headers

NEW_PASSWORD = "Another1Passw0rd"


def _headers(client, db, role=Role.ADMIN, **overrides):
    """A committed user of the role and their bearer headers."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user)


def _count(db, model):
    """Rows in a table."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _audited(db, action, object_id=None):
    """Whether an audit row with this action (and object) exists."""
    query = db.select(AuditEntry).where(AuditEntry.action == action)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    return db.session.scalars(query).first() is not None


def _new_user_body(**overrides):
    """A valid new-account body."""
    body = {"username": "zhang.san", "password": PASSWORD, "display_name": "张三", "role": "organiser"}
    body.update(overrides)
    return body


def test_admin_creates_a_user(client, db):
    admin = _headers(client, db)
    response = client.post("/api/v1/users", headers=admin, json=_new_user_body())
    assert response.status_code == 201
    body = response.get_json()
    assert body["username"] == "zhang.san" and body["role"] == "organiser" and body["role_label"] == "组委会"
    assert "password_hash" not in body and "password" not in body
    assert body["created_at"].endswith("+08:00")
    assert _audited(db, "user.create", body["id"])
    assert client.post("/api/v1/tokens", json={"username": "zhang.san", "password": PASSWORD}).status_code == 201


def test_enterprise_user_and_judge_affiliations(client, db):
    admin = _headers(client, db)
    enterprise = make_enterprise()
    db.session.commit()
    hr = client.post("/api/v1/users", headers=admin,
                     json=_new_user_body(username="hr01", role="enterprise", enterprise_id=enterprise.id))
    assert hr.status_code == 201 and hr.get_json()["enterprise_id"] == enterprise.id
    judge = client.post("/api/v1/users", headers=admin,
                        json=_new_user_body(username="judge01", role="judge", employer_id=enterprise.id))
    assert judge.status_code == 201 and judge.get_json()["employer_id"] == enterprise.id
    missing = client.post("/api/v1/users", headers=admin, json=_new_user_body(username="hr02", role="enterprise"))
    assert missing.status_code == 400
    assert missing.get_json()["error"]["details"][0]["field"] == "enterprise_id"


def test_invalid_user_fields_are_400_and_nothing_saved(client, db):
    admin = _headers(client, db)
    before = _count(db, User)
    response = client.post("/api/v1/users", headers=admin,
                           json=_new_user_body(username="x", password="short", role="boss"))
    assert response.status_code == 400
    fields = {d["field"] for d in response.get_json()["error"]["details"]}
    assert "role" in fields
    response = client.post("/api/v1/users", headers=admin, json=_new_user_body(username="x", password="short"))
    assert {d["field"] for d in response.get_json()["error"]["details"]} == {"username", "password"}
    assert _count(db, User) == before


def test_duplicate_username_is_409_and_nothing_saved(client, db):
    admin = _headers(client, db)
    assert client.post("/api/v1/users", headers=admin, json=_new_user_body()).status_code == 201
    before = _count(db, User)
    response = client.post("/api/v1/users", headers=admin,
                           json=_new_user_body(username="ZHANG.SAN", display_name="另一个张三"))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "duplicate"
    assert _count(db, User) == before


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.JUDGE, Role.ENTERPRISE])
def test_only_admins_manage_users(client, db, role):
    headers = _headers(client, db, role)
    target = make_user(Role.JUDGE)
    db.session.commit()
    before = _count(db, User)
    attempts = [
        client.post("/api/v1/users", headers=headers, json=_new_user_body()),
        client.get("/api/v1/users", headers=headers),
        client.get(f"/api/v1/users/{target.id}", headers=headers),
        client.patch(f"/api/v1/users/{target.id}", headers=headers, json={"display_name": "改名"}),
        client.post(f"/api/v1/users/{target.id}/disable", headers=headers),
        client.post(f"/api/v1/users/{target.id}/enable", headers=headers),
        client.post(f"/api/v1/users/{target.id}/reset-password", headers=headers, json={"password": NEW_PASSWORD}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.request.path
        assert response.get_json()["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert _count(db, User) == before
    assert db.session.get(User, target.id).display_name != "改名"
    assert not db.session.get(User, target.id).is_disabled
    assert _audited(db, "refused")


def test_list_users_search_role_and_pagination(client, db):
    admin = _headers(client, db, username="admin.root")
    make_user(Role.JUDGE, username="judge.li", display_name="李裁判")
    make_user(Role.JUDGE, username="judge.wang", display_name="王裁判")
    make_user(Role.ORGANISER, username="org.zhao", display_name="赵老师")
    db.session.commit()
    everyone = client.get("/api/v1/users?per_page=2", headers=admin).get_json()
    assert everyone["total"] == 4 and len(everyone["items"]) == 2
    assert [u["username"] for u in everyone["items"]] == ["admin.root", "judge.li"]
    judges = client.get("/api/v1/users?role=judge", headers=admin).get_json()
    assert {u["username"] for u in judges["items"]} == {"judge.li", "judge.wang"}
    by_name = client.get("/api/v1/users?q=王", headers=admin).get_json()
    assert [u["username"] for u in by_name["items"]] == ["judge.wang"]
    by_username = client.get("/api/v1/users?q=ORG", headers=admin).get_json()
    assert [u["username"] for u in by_username["items"]] == ["org.zhao"]
    assert client.get("/api/v1/users?q=%25", headers=admin).get_json()["total"] == 0
    bad_role = client.get("/api/v1/users?role=boss", headers=admin)
    assert bad_role.status_code == 400
    assert bad_role.get_json()["error"]["details"][0]["field"] == "role"


def test_get_user_and_404(client, db):
    admin = _headers(client, db)
    judge = make_user(Role.JUDGE)
    db.session.commit()
    response = client.get(f"/api/v1/users/{judge.id}", headers=admin)
    assert response.status_code == 200 and response.get_json()["username"] == judge.username
    missing = client.get("/api/v1/users/999999", headers=admin)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_patch_user_keeps_fields_left_out(client, db):
    admin = _headers(client, db)
    employer = make_enterprise()
    judge = make_user(Role.JUDGE, employer_id=employer.id)
    db.session.commit()
    response = client.patch(f"/api/v1/users/{judge.id}", headers=admin, json={"display_name": "新名字"})
    assert response.status_code == 200
    assert response.get_json()["display_name"] == "新名字"
    assert response.get_json()["employer_id"] == employer.id
    cleared = client.patch(f"/api/v1/users/{judge.id}", headers=admin, json={"employer_id": None})
    assert cleared.get_json()["employer_id"] is None and cleared.get_json()["display_name"] == "新名字"
    assert _audited(db, "user.update", judge.id)
    bad = client.patch(f"/api/v1/users/{judge.id}", headers=admin, json={"role": "admin"})
    assert bad.status_code == 400 and bad.get_json()["error"]["details"][0]["field"] == "role"


def test_disable_and_enable(client, db):
    admin = _headers(client, db)
    target = make_user(Role.ORGANISER)
    db.session.commit()
    target_headers = api_headers(client, target)
    disabled = client.post(f"/api/v1/users/{target.id}/disable", headers=admin)
    assert disabled.status_code == 200 and disabled.get_json()["is_disabled"] is True
    assert client.get("/api/v1/me", headers=target_headers).status_code == 401
    enabled = client.post(f"/api/v1/users/{target.id}/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.get_json()["is_disabled"] is False
    assert _audited(db, "user.disable", target.id) and _audited(db, "user.enable", target.id)


def test_admin_can_not_disable_self(client, db):
    admin_user = make_user(Role.ADMIN)
    db.session.commit()
    response = client.post(f"/api/v1/users/{admin_user.id}/disable", headers=api_headers(client, admin_user))
    assert response.status_code == 409


def test_reset_password(client, db):
    admin = _headers(client, db)
    target = make_user(Role.JUDGE)
    db.session.commit()
    old_headers = api_headers(client, target)
    response = client.post(f"/api/v1/users/{target.id}/reset-password", headers=admin,
                           json={"password": NEW_PASSWORD})
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=old_headers).status_code == 401
    assert client.post("/api/v1/tokens", json={"username": target.username, "password": NEW_PASSWORD}).status_code == 201
    weak = client.post(f"/api/v1/users/{target.id}/reset-password", headers=admin, json={"password": "abc"})
    assert weak.status_code == 400 and weak.get_json()["error"]["details"][0]["field"] == "password"
    assert _audited(db, "user.reset_password", target.id)
