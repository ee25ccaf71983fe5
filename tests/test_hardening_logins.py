"""Logging in under attack (issue 14, findings 2 and 3): locks per account and client address, progressive,
liftable from the CLI; one answer for unknown users and wrong passwords; failed logins and uploads rate
limited per address with 429 and Retry-After, counted in Redis across nodes when REDIS_URL is set."""
import io
import os
import re
import socket
import uuid
from datetime import timedelta

import pytest

from competition import create_app
from competition.extensions import db as _db
from competition.models import AuditEntry, LoginThrottle, User, utcnow
from competition.services import logins
from competition.services.audit import SYSTEM, Actor
from tests.builders import PASSWORD, make_user
from tests.clients import dispose_engine, html, login

WRONG = "wrong-password-1"
HERE, THERE = "10.0.0.1", "10.0.0.2"


def from_address(client, address: str):
    """Requests of a test client as if from another machine."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(user, password, address, now=None):
    """One login through the service, committed as the views do."""
    result = logins.authenticate(Actor(None, address), user.username, password, now=now)
    _db.session.commit()
    return result


def test_five_failures_from_one_address_lock_the_account_there_only(db):
    admin = make_user("admin")
    db.session.commit()
    for _ in range(5):
        assert attempt(admin, WRONG, HERE).code == "invalid_credentials"
    locked = attempt(admin, PASSWORD, HERE)
    assert not locked.ok and locked.code == "account_locked" and "15 分钟" in locked.error
    assert attempt(admin, PASSWORD, THERE).ok  # the attacker's address is locked, the owner's is not
    actions = list(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_id == admin.id)))
    assert "login.locked" in actions and actions[-1] == "login"


def test_locks_in_a_row_grow_longer_and_a_success_forgets_them(db):
    user = make_user()
    db.session.commit()
    start = utcnow()
    for _ in range(5):
        attempt(user, WRONG, HERE, now=start)
    first = db.session.scalar(db.select(LoginThrottle.locked_until))
    later = start + timedelta(minutes=16)
    for _ in range(5):
        attempt(user, WRONG, HERE, now=later)
    second = db.session.scalar(db.select(LoginThrottle.locked_until))
    assert first - start == timedelta(minutes=15) and second - later == timedelta(minutes=30)
    assert attempt(user, PASSWORD, HERE, now=later + timedelta(minutes=31)).ok
    assert db.session.scalar(db.select(db.func.count(LoginThrottle.id))) == 0


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer_page_and_api(client, db):
    user = make_user()
    db.session.commit()
    answers = []
    for username in (user.username, "nobody-at-all"):
        page = client.post("/login", data={"username": username, "password": WRONG})
        alert = re.search(r'<div class="alert[^>]*>(.*?)</div>', html(page), re.S).group(1)
        api = client.post("/api/v1/tokens", json={"username": username, "password": WRONG})
        answers.append((page.status_code, " ".join(re.sub("<[^>]+>", " ", alert).split()), api.status_code,
                        api.get_json()["error"]))
    assert answers[0] == answers[1]
    assert answers[0][1:3] == ("用户名或密码错误。", 401)
    assert answers[0][3] == {"code": "invalid_credentials", "message": "用户名或密码错误。", "details": []}


def test_a_locked_account_says_so_only_after_the_right_password(client, db):
    user = make_user()
    db.session.commit()
    for _ in range(5):
        client.post("/api/v1/tokens", json={"username": user.username, "password": WRONG})
    wrong = client.post("/api/v1/tokens", json={"username": user.username, "password": WRONG})
    assert wrong.get_json()["error"] == {"code": "invalid_credentials", "message": "用户名或密码错误。",
                                         "details": []}
    right = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD})
    assert right.status_code == 401 and right.get_json()["error"]["code"] == "account_locked"
    page = html(login(client, user))
    assert "暂时锁定" in page


def test_an_administrator_lifts_a_lock_from_the_cli(app, db):
    admin = make_user("admin", username="only-admin")
    db.session.commit()
    for _ in range(5):
        attempt(admin, WRONG, HERE)
    assert attempt(admin, PASSWORD, HERE).code == "account_locked"
    result = app.test_cli_runner().invoke(args=["unlock-user", "--username", "ONLY-admin"])
    assert result.exit_code == 0 and "已解除 only-admin 的登录锁定" in result.output
    assert attempt(admin, PASSWORD, HERE).ok
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "user.unlock")).one()
    missing = app.test_cli_runner().invoke(args=["unlock-user", "--username", "ghost"])
    assert missing.exit_code != 0 and "没有用户名为" in missing.output


def test_an_administrator_lifts_a_lock_on_the_users_page(client, db):
    admin, locked = make_user("admin"), make_user()
    db.session.commit()
    for _ in range(5):
        attempt(locked, WRONG, HERE)
    login(client, admin)
    page = html(client.get(f"/admin/users/{locked.id}/edit"))
    assert "解除登录锁定" in page and f'data-throttle="{HERE}"' in page
    response = client.post(f"/admin/users/{locked.id}/unlock")
    assert response.status_code == 302
    assert attempt(locked, PASSWORD, HERE).ok


def test_failed_logins_are_rate_limited_per_address_with_retry_after(client, db):
    user = make_user()
    db.session.commit()
    from_address(client, HERE)
    statuses = [client.post("/api/v1/tokens", json={"username": f"nobody{i}", "password": WRONG}).status_code
                for i in range(20)]
    assert statuses == [401] * 20
    api = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD})
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(api.headers["Retry-After"]) <= 60 and "秒后再试" in api.get_json()["error"]["message"]
    page = client.post("/login", data={"username": user.username, "password": PASSWORD})  # the page shares it
    assert page.status_code == 429 and "操作过于频繁" in html(page) and page.headers["Retry-After"]
    elsewhere = from_address(client, THERE).post("/api/v1/tokens",
                                                 json={"username": user.username, "password": PASSWORD})
    assert elsewhere.status_code == 201


def test_successful_logins_from_one_address_are_not_limited(app, db):
    judges = [make_user("judge") for _ in range(22)]
    db.session.commit()
    for judge in judges:  # a venue: more tablets than the failure budget behind one address, each logging in
        venue = from_address(app.test_client(), HERE)
        assert venue.post("/api/v1/tokens", json={"username": judge.username, "password": PASSWORD}).status_code == 201


def test_uploads_are_rate_limited_per_address(app, client, db):
    app.config["UPLOADS_PER_MINUTE"] = 3
    user = make_user()
    db.session.commit()
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).get_json()["token"]
    statuses = [client.post("/api/v1/events/999/entries/import", headers={"Authorization": f"Bearer {token}"},
                            data={"file": (io.BytesIO(b"x"), "a.xlsx")}).status_code for _ in range(4)]
    assert statuses[:3] == [404] * 3 and statuses[3] == 429


def _redis_up() -> bool:
    """Redis answers on 127.0.0.1:6379."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up() and not os.environ.get("REQUIRE_REDIS"),
                    reason="needs Redis on 127.0.0.1:6379 (.ci/run starts it and sets REQUIRE_REDIS, so CI never skips)")
def test_two_nodes_share_one_budget_through_redis(app, db, tmp_path):
    user = make_user()
    db.session.commit()
    prefix = f"test-{uuid.uuid4().hex}"
    nodes = [create_app({**app.config, "REDIS_URL": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": prefix,
                         "INSTANCE_PATH": str(tmp_path / f"node{i}")}) for i in (1, 2)]
    clients = [from_address(node.test_client(), HERE) for node in nodes]
    for i in range(20):
        answer = clients[i % 2].post("/api/v1/tokens", json={"username": "nobody", "password": WRONG})
        assert answer.status_code == 401
    refused = [node_client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).status_code
               for node_client in clients]
    for node in nodes:
        dispose_engine(node)
    assert refused == [429, 429]


def test_behind_a_trusted_balancer_each_client_has_its_own_budget_and_nobody_forges_one(app, db, tmp_path):
    username = make_user().username
    db.session.commit()
    db.session.remove()  # the test's session ends (SQLite holds its write lock from BEGIN)
    behind = create_app({**app.config, "TRUSTED_PROXIES": 1, "INSTANCE_PATH": str(tmp_path / "node")})
    balancer = from_address(behind.test_client(), "10.9.9.9")  # every request arrives from the balancer
    for i in range(20):
        failed = balancer.post("/api/v1/tokens", json={"username": "nobody", "password": WRONG},
                               headers={"X-Forwarded-For": HERE})
        assert failed.status_code == 401
    same = balancer.post("/api/v1/tokens", json={"username": username, "password": PASSWORD},
                         headers={"X-Forwarded-For": HERE})
    other = balancer.post("/api/v1/tokens", json={"username": username, "password": PASSWORD},
                          headers={"X-Forwarded-For": THERE})
    dispose_engine(behind)
    assert (same.status_code, other.status_code) == (429, 201)  # the client behind the balancer, not the balancer
    direct = from_address(client_of(app), "10.9.9.8")  # no trusted proxy: a forwarded header changes nothing
    for i in range(20):
        direct.post("/api/v1/tokens", json={"username": "nobody", "password": WRONG},
                    headers={"X-Forwarded-For": f"10.1.0.{i}"})
    forged = direct.post("/api/v1/tokens", json={"username": username, "password": PASSWORD},
                         headers={"X-Forwarded-For": "10.1.1.1"})
    assert forged.status_code == 429


def client_of(app):
    """A fresh test client of the app."""
    return app.test_client()


def test_the_service_never_counts_an_unknown_username_against_anyone(db):
    user = make_user()
    db.session.commit()
    for _ in range(10):
        assert logins.authenticate(Actor(None, HERE), "ghost", WRONG).code == "invalid_credentials"
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(LoginThrottle.id))) == 0
    assert attempt(db.session.get(User, user.id), PASSWORD, HERE).ok


def test_reset_password_and_enable_lift_every_lock(db):
    from competition.services import accounts

    user = make_user()
    db.session.commit()
    for address in (HERE, THERE):
        for _ in range(5):
            attempt(user, WRONG, address)
    assert db.session.scalar(db.select(db.func.count(LoginThrottle.id))) == 2
    accounts.reset_password(SYSTEM, user, "Another-Passw0rd")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(LoginThrottle.id))) == 0
