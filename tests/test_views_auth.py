"""HTML views: logging in and out, lockout, sessions ending, password change, safe redirects."""
from competition.models import AuditEntry, User
from tests.builders import PASSWORD, make_user
from tests.clients import html, login


def audit_actions(db, user=None) -> list[str]:
    """The audit actions written so far (for one user's rows when given), oldest first."""
    query = db.select(AuditEntry.action).order_by(AuditEntry.id)
    if user is not None:
        query = query.where(AuditEntry.object_type == "User", AuditEntry.object_id == user.id)
    return list(db.session.scalars(query))


def test_login_page_is_chinese_and_has_the_fields(client):
    response = client.get("/login")
    body = html(response)
    assert response.status_code == 200
    assert 'lang="zh-CN"' in body
    assert 'name="username"' in body and 'name="password"' in body
    assert "吴江职业技能联赛管理系统" in body
    assert 'href="/public" data-public-link' in body  # the public results need no account


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_login_success_goes_home_and_is_audited(client, db):
    user = make_user(display_name="王老师")
    db.session.commit()
    response = login(client, user)
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "欢迎，王老师。" in html(home)
    assert "login" in audit_actions(db, user)
    assert db.session.get(User, user.id).last_login_at is not None


def test_login_failure_shows_message_and_the_counter_persists(client, db):
    user = make_user()
    db.session.commit()
    response = login(client, user, "wrong-password1")
    body = html(response)
    assert response.status_code == 200
    assert "用户名或密码错误。" in body and "再失败" not in body  # nothing that tells an account exists
    db.session.expire_all()
    assert [t.failures for t in db.session.get(User, user.id).throttles] == [1]
    assert audit_actions(db, user) == ["login.failed"]
    assert client.get("/").status_code == 302


def test_unknown_username_gets_the_same_message(client, db):
    response = client.post("/login", data={"username": "nobody", "password": "x"})
    assert "用户名或密码错误。" in html(response)
    assert audit_actions(db) == ["login.failed"]


def test_five_failures_lock_the_account_and_the_right_password_is_refused(client, db):
    user = make_user()
    db.session.commit()
    for _ in range(4):
        login(client, user, "wrong-password1")
    fifth = html(login(client, user, "wrong-password1"))
    assert "用户名或密码错误。" in fifth and "锁定" not in fifth.split("login-card")[1].split("在同一设备上")[0]
    refused = login(client, user, PASSWORD)
    assert refused.status_code == 200
    assert "账户已暂时锁定，请 15 分钟后再试" in html(refused)
    assert client.get("/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None
    assert audit_actions(db, user)[-2:] == ["login.locked", "login.refused_locked"]


def test_disabled_account_is_refused(client, db):
    user = make_user(is_disabled=True)
    db.session.commit()
    response = login(client, user)
    assert "该账户已停用，请联系系统管理员。" in html(response)
    assert client.get("/").status_code == 302
    assert audit_actions(db, user) == ["login.refused_disabled"]


def test_empty_form_is_refused_with_field_messages(client):
    response = client.post("/login", data={"username": "", "password": ""})
    body = html(response)
    assert response.status_code == 400
    assert "请输入用户名。" in body and "请输入密码。" in body and "is-invalid" in body


def test_safe_next_is_followed(client, db):
    user = make_user()
    db.session.commit()
    response = client.post("/login?next=/seasons", data={"username": user.username, "password": PASSWORD})
    assert response.location == "/seasons"


def test_unsafe_next_goes_home(client, db):
    user = make_user()
    db.session.commit()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        client.post("/logout")
        response = client.post("/login", query_string={"next": target},
                               data={"username": user.username, "password": PASSWORD})
        assert response.location == "/", target


def test_login_required_page_returns_after_login(client, db):
    user = make_user()
    db.session.commit()
    first = client.get("/seasons")
    assert first.status_code == 302 and "next=" in first.location
    response = client.post(first.location, data={"username": user.username, "password": PASSWORD})
    assert response.location == "/seasons"


def test_logout_ends_this_session_and_every_other_session(app, db):
    user = make_user()
    db.session.commit()
    tablet, laptop = app.test_client(), app.test_client()
    login(tablet, user)
    login(laptop, user)
    assert tablet.get("/").status_code == 200 and laptop.get("/").status_code == 200
    response = tablet.post("/logout", follow_redirects=True)
    assert "已退出登录" in html(response)
    assert tablet.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    assert "logout" in audit_actions(db, user)


def test_logout_by_get_is_not_allowed(client, db):
    user = make_user()
    db.session.commit()
    login(client, user)
    response = client.get("/logout")
    assert response.status_code == 405 and response.headers["Allow"]
    assert "不支持该请求方式。" in html(response)
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app, db):
    user = make_user()
    db.session.commit()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    response = here.post("/account/password", data={
        "old_password": PASSWORD, "new_password": "NewPassw0rd9", "confirm_password": "NewPassw0rd9"})
    assert response.status_code == 302
    assert "密码已修改" in html(here.get("/"))
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert "user.change_password" in audit_actions(db, user)
    fresh = app.test_client()
    assert login(fresh, user, "NewPassw0rd9").status_code == 302
    assert "用户名或密码错误" in html(login(app.test_client(), user, PASSWORD))


def test_password_change_with_wrong_old_password(client, db):
    user = make_user()
    db.session.commit()
    old_hash = user.password_hash
    login(client, user)
    response = client.post("/account/password", data={
        "old_password": "not-it-123", "new_password": "NewPassw0rd9", "confirm_password": "NewPassw0rd9"})
    body = html(response)
    assert response.status_code == 400
    assert "原密码不正确。" in body and "is-invalid" in body
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash
    assert "user.change_password" not in audit_actions(db, user)
    assert client.get("/").status_code == 200


def test_password_change_confirmation_must_match(client, db):
    user = make_user()
    db.session.commit()
    login(client, user)
    response = client.post("/account/password", data={
        "old_password": PASSWORD, "new_password": "NewPassw0rd9", "confirm_password": "Other0000x"})
    assert response.status_code == 400
    assert "两次输入的新密码不一致。" in html(response)


def test_weak_new_password_shows_the_rule(client, db):
    user = make_user()
    db.session.commit()
    login(client, user)
    response = client.post("/account/password", data={
        "old_password": PASSWORD, "new_password": "short", "confirm_password": "short"})
    assert response.status_code == 400
    assert "密码至少需要10个字符。" in html(response)


def test_password_page_needs_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and response.location.startswith("/login")
