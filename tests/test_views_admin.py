"""HTML views: user administration (administrators only)."""
from datetime import timedelta

from competition.models import AuditEntry, LoginThrottle, Role, User, utcnow
from tests.builders import PASSWORD, make_enterprise, make_user
from tests.clients import html, login


def actions_for(db, user_id: int) -> list[str]:
    """Audit actions written about one user, oldest first."""
    return list(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == user_id).order_by(AuditEntry.id)))


def user_count(db) -> int:
    """How many accounts exist."""
    return db.session.scalar(db.select(db.func.count(User.id)))


def as_admin(client, db) -> User:
    """Log in a fresh administrator."""
    admin = make_user(Role.ADMIN, username="boss", display_name="管理员甲")
    db.session.commit()
    login(client, admin)
    return admin


def test_user_list_searches_and_filters(client, db):
    as_admin(client, db)
    make_user(Role.JUDGE, username="judge_li", display_name="李裁判")
    make_user(Role.JUDGE, username="judge_off", display_name="停用裁判", is_disabled=True)
    make_user(Role.ORGANISER, username="org_wang", display_name="王老师")
    db.session.commit()
    body = html(client.get("/admin/users"))
    assert "judge_li" in body and "org_wang" in body and "boss" in body
    body = html(client.get("/admin/users?q=李裁"))
    assert "judge_li" in body and "org_wang" not in body
    body = html(client.get("/admin/users?role=judge&disabled=0"))
    assert "judge_li" in body and "judge_off" not in body and "org_wang" not in body
    body = html(client.get("/admin/users?disabled=1"))
    assert "judge_off" in body and "judge_li" not in body


def test_user_list_pages_by_fifty(client, db):
    as_admin(client, db)
    for n in range(55):
        make_user(Role.JUDGE, username=f"j{n:03d}")
    db.session.commit()
    first = html(client.get("/admin/users?role=judge"))
    assert first.count('data-user="j') == 50
    assert "共 55 条" in first and "page=2" in first
    second = html(client.get("/admin/users?role=judge&page=2"))
    assert second.count('data-user="j') == 5


def test_user_list_empty_state(client, db):
    as_admin(client, db)
    body = html(client.get("/admin/users?q=nobody-at-all"))
    assert "没有符合条件的用户" in body and "data-empty-state" in body


def test_admin_creates_a_user(client, db):
    admin = as_admin(client, db)
    employer = make_enterprise(name="亨通集团有限公司")
    db.session.commit()
    response = client.post("/admin/users/new", data={
        "username": "judge_new", "display_name": "新裁判", "password": "Caipan-2026x",
        "role": "judge", "employer_id": str(employer.id), "enterprise_id": ""})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.username == "judge_new"))
    assert user.role is Role.JUDGE and user.employer_id == employer.id and user.enterprise_id is None
    assert actions_for(db, user.id) == ["user.create"]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.user_id == admin.id
    assert "已创建用户 judge_new。" in html(client.get(response.location))


def test_duplicate_username_shows_the_message_and_saves_nothing(client, db):
    as_admin(client, db)
    make_user(Role.JUDGE, username="taken")
    db.session.commit()
    before = user_count(db)
    response = client.post("/admin/users/new", data={
        "username": "TAKEN", "display_name": "重名", "password": "Caipan-2026x", "role": "judge"})
    body = html(response)
    assert response.status_code == 409
    assert "用户名已被使用。" in body and "is-invalid" in body
    assert 'value="TAKEN"' in body and 'value="重名"' in body
    assert user_count(db) == before
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "user.create")) == 0


def test_enterprise_user_needs_an_enterprise(client, db):
    as_admin(client, db)
    before = user_count(db)
    response = client.post("/admin/users/new", data={
        "username": "hr_zhang", "display_name": "张敏", "password": "short", "role": "enterprise"})
    body = html(response)
    assert response.status_code == 400
    assert "企业用户必须属于一家企业。" in body and "密码至少需要10个字符。" in body
    assert user_count(db) == before


def test_admin_edits_display_name_and_enterprise(client, db):
    as_admin(client, db)
    first, second = make_enterprise(), make_enterprise(name="新东家有限公司")
    hr = make_user(Role.ENTERPRISE, enterprise=first, display_name="旧名字")
    db.session.commit()
    page = html(client.get(f"/admin/users/{hr.id}/edit"))
    assert 'value="旧名字"' in page
    response = client.post(f"/admin/users/{hr.id}/edit", data={
        "display_name": "新名字", "enterprise_id": str(second.id)})
    assert response.status_code == 302
    db.session.expire_all()
    hr = db.session.get(User, hr.id)
    assert hr.display_name == "新名字" and hr.enterprise_id == second.id
    assert actions_for(db, hr.id) == ["user.update"]


def test_disable_ends_the_users_sessions_and_enable_restores(app, client, db):
    as_admin(client, db)
    judge = make_user(Role.JUDGE)
    db.session.commit()
    tablet = app.test_client()
    login(tablet, judge)
    assert tablet.get("/").status_code == 200
    response = client.post(f"/admin/users/{judge.id}/disable")
    assert response.status_code == 302
    assert tablet.get("/").status_code == 302
    assert "该账户已停用" in html(login(tablet, judge))
    assert "已停用" in html(client.get(f"/admin/users/{judge.id}/edit"))
    client.post(f"/admin/users/{judge.id}/enable")
    assert login(tablet, judge).status_code == 302
    assert actions_for(db, judge.id)[1:4] == ["user.disable", "login.refused_disabled", "user.enable"]


def test_admin_cannot_disable_themselves(client, db):
    admin = as_admin(client, db)
    response = client.post(f"/admin/users/{admin.id}/disable")
    assert response.status_code == 409
    assert "不能停用自己的账户。" in html(response)
    db.session.expire_all()
    assert not db.session.get(User, admin.id).is_disabled
    assert "user.disable" not in actions_for(db, admin.id)


def test_reset_password_lifts_the_lock_and_ends_sessions(app, client, db):
    as_admin(client, db)
    hr = make_user(Role.ENTERPRISE)
    db.session.add(LoginThrottle(user_id=hr.id, client_address="10.0.0.9", failures=0, locks=1,
                                 locked_until=utcnow() + timedelta(minutes=10)))
    db.session.commit()
    page = html(client.get(f"/admin/users/{hr.id}/edit"))
    assert "锁定至" in page and "data-locked-until" in page
    assert "锁定至" in html(client.get("/admin/users"))
    response = client.post(f"/admin/users/{hr.id}/reset-password",
                           data={"password": "Fresh2026x", "confirm": "Fresh2026x"})
    assert response.status_code == 302
    assert login(app.test_client(), hr, "Fresh2026x").status_code == 302
    assert actions_for(db, hr.id)[0] == "user.reset_password"


def test_reset_password_confirmation_must_match(client, db):
    as_admin(client, db)
    judge = make_user(Role.JUDGE)
    db.session.commit()
    old_hash = judge.password_hash
    response = client.post(f"/admin/users/{judge.id}/reset-password",
                           data={"password": "Fresh2026x", "confirm": "Other2026x"})
    assert response.status_code == 400
    assert "两次输入的新密码不一致。" in html(response)
    db.session.expire_all()
    assert db.session.get(User, judge.id).password_hash == old_hash
    assert actions_for(db, judge.id) == []


def test_reset_password_rule_message(client, db):
    as_admin(client, db)
    judge = make_user(Role.JUDGE)
    db.session.commit()
    response = client.post(f"/admin/users/{judge.id}/reset-password",
                           data={"password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert response.status_code == 400
    assert "该密码过于常见" in html(response)
    assert actions_for(db, judge.id) == []


def test_admin_resetting_own_password_stays_logged_in(client, db):
    admin = as_admin(client, db)
    client.post(f"/admin/users/{admin.id}/reset-password", data={"password": "Fresh2026x", "confirm": "Fresh2026x"})
    assert client.get("/admin/users").status_code == 200


def test_missing_user_is_404(client, db):
    as_admin(client, db)
    response = client.get("/admin/users/9999/edit")
    assert response.status_code == 404
    assert "页面不存在" in html(response)


def test_non_admins_get_a_chinese_403_and_nothing_changes(client, db):
    target = make_user(Role.JUDGE)
    for role in (Role.ORGANISER, Role.JUDGE, Role.ENTERPRISE):
        user = make_user(role)
        db.session.commit()
        login(client, user)
        for method, url in (("get", "/admin/users"), ("get", "/admin/users/new"),
                            ("post", f"/admin/users/{target.id}/disable"),
                            ("post", f"/admin/users/{target.id}/reset-password")):
            response = getattr(client, method)(url, data={"password": "Hacked2026x", "confirm": "Hacked2026x"})
            assert response.status_code == 403, (role, url)
            assert "没有权限" in html(response)
        client.post("/logout")
    db.session.expire_all()
    assert not db.session.get(User, target.id).is_disabled
    assert login(client, target, PASSWORD).status_code == 302


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_role_must_be_chosen(client, db):
    as_admin(client, db)
    page = html(client.get("/admin/users/new"))
    assert '<option selected value="">请选择角色</option>' in page or 'value="">请选择角色</option>' in page
    response = client.post("/admin/users/new", data={
        "username": "no_role", "display_name": "无角色", "password": "Caipan-2026x", "role": ""})
    assert response.status_code == 400
    assert "请选择角色。" in html(response)
    assert db.session.scalar(db.select(User).where(User.username == "no_role")) is None
