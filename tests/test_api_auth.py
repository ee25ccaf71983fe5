"""API tokens: issue, expiry, revocation, lockout, and that browser sessions never authenticate."""
from datetime import timedelta

from competition.models import ApiToken, AuditEntry, Role, User, utcnow
from tests.builders import PASSWORD, make_user
from tests.clients import api_headers

TOKENS = "/api/v1/tokens"


def _user(db, role=Role.ORGANISER, **overrides):
    """A committed user (an error answer rolls back whatever is only flushed)."""
    user = make_user(role, **overrides)
    db.session.commit()
    return user


def _actions(db, action):
    """Audit rows with the given action."""
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def test_token_is_issued_and_authenticates(client, db):
    user = _user(db)
    response = client.post(TOKENS, json={"username": user.username, "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["token"]) >= 40
    assert body["expires_at"].endswith("+08:00")
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash != body["token"]  # only the hash is kept
    assert (stored.expires_at - utcnow()) > timedelta(hours=11)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.get_json()["username"] == user.username
    assert _actions(db, "token.issue") and _actions(db, "login")


def test_token_lifetime_comes_from_config(app, client, db):
    app.config["API_TOKEN_HOURS"] = 1
    user = _user(db)
    client.post(TOKENS, json={"username": user.username, "password": PASSWORD})
    stored = db.session.scalar(db.select(ApiToken))
    assert timedelta(minutes=59) < stored.expires_at - utcnow() <= timedelta(hours=1)


def test_me_never_shows_the_password_hash(client, db):
    user = _user(db, Role.JUDGE)
    body = client.get("/api/v1/me", headers=api_headers(client, user)).get_json()
    assert "password_hash" not in body and PASSWORD not in str(body)
    assert body["role"] == "judge" and body["role_label"] == "裁判"


def test_wrong_password_is_401_and_counted(client, db):
    user = _user(db)
    response = client.post(TOKENS, json={"username": user.username, "password": "wrong-Passw0rd"})
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "invalid_credentials"
    assert "用户名或密码错误" in error["message"]
    db.session.expire_all()
    assert [t.failures for t in db.session.get(User, user.id).throttles] == [1]
    assert _actions(db, "login.failed")


def test_unknown_user_is_401(client, db):
    response = client.post(TOKENS, json={"username": "nobody", "password": PASSWORD})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_five_failures_lock_the_account(client, db):
    user = _user(db)
    for _ in range(4):
        assert client.post(TOKENS, json={"username": user.username, "password": "bad"}).status_code == 401
    fifth = client.post(TOKENS, json={"username": user.username, "password": "bad"})
    assert fifth.status_code == 401
    assert fifth.get_json()["error"]["code"] == "invalid_credentials"  # the lock shows only to the right password
    right = client.post(TOKENS, json={"username": user.username, "password": PASSWORD})
    assert right.status_code == 401
    assert right.get_json()["error"]["code"] == "account_locked"
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0
    assert _actions(db, "login.locked") and _actions(db, "login.refused_locked")


def test_lock_expires(client, db):
    user = _user(db)
    for _ in range(5):
        client.post(TOKENS, json={"username": user.username, "password": "bad"})
    db.session.expire_all()
    db.session.get(User, user.id).throttles[0].locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post(TOKENS, json={"username": user.username, "password": PASSWORD}).status_code == 201


def test_disabled_user_gets_no_token(client, db):
    user = _user(db, is_disabled=True)
    response = client.post(TOKENS, json={"username": user.username, "password": PASSWORD})
    assert response.status_code == 401
    assert "停用" in response.get_json()["error"]["message"]


def test_missing_token_is_401(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_missing"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_tokens_are_401(client, db):
    for header in ("Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer", "Token abc", "Bearer 令牌"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.get_json()["error"]["code"] in {"token_missing", "token_invalid"}


def test_expired_token_is_401(client, db):
    headers = api_headers(client, _user(db))
    db.session.execute(db.update(ApiToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_token_of_disabled_user_is_401(client, db):
    user = _user(db)
    headers = api_headers(client, user)
    db.session.get(User, user.id).is_disabled = True
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_revoke_current_token(client, db):
    user = _user(db)
    headers = api_headers(client, user)
    other = api_headers(client, user)
    response = client.delete("/api/v1/tokens/current", headers=headers)
    assert response.status_code == 204 and response.data == b""
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200  # only this token ends
    assert _actions(db, "token.revoke")


def test_session_cookie_does_not_authenticate(app, client, db):
    user = _user(db)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert client.get("/api/v1/seasons").status_code == 401


def test_api_needs_no_csrf_token(app, client, db):
    app.config["WTF_CSRF_ENABLED"] = True
    user = _user(db)
    response = client.post(TOKENS, json={"username": user.username, "password": PASSWORD})
    assert response.status_code == 201


def test_change_own_password_ends_tokens(client, db):
    user = _user(db)
    headers = api_headers(client, user)
    new = "NewPassw0rd456"
    response = client.post("/api/v1/me/password", headers=headers,
                           json={"old_password": PASSWORD, "new_password": new})
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.post(TOKENS, json={"username": user.username, "password": new}).status_code == 201
    assert _actions(db, "user.change_password")


def test_change_password_problems_are_400(client, db):
    user = _user(db)
    headers = api_headers(client, user)
    wrong = client.post("/api/v1/me/password", headers=headers,
                        json={"old_password": "nope", "new_password": "NewPassw0rd456"})
    assert wrong.status_code == 400
    assert wrong.get_json()["error"]["details"][0]["field"] == "old_password"
    weak = client.post("/api/v1/me/password", headers=headers,
                       json={"old_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 400
    assert weak.get_json()["error"]["details"][0]["field"] == "new_password"
    assert client.get("/api/v1/me", headers=headers).status_code == 200
