"""Account use cases: creation rules, login lockout, sessions, tokens, and the audit trail."""
from datetime import timedelta

import pytest

from competition.errors import Duplicate, Invalid, InvalidState
from competition.models import ApiToken, AuditEntry, Role, utcnow
from competition.models.audit import AuditIsAppendOnly
from competition.services import accounts, logins
from competition.services.audit import SYSTEM, Actor
from tests.builders import PASSWORD, make_enterprise, make_user


def new_user(**overrides):
    values = {"username": "wang.li", "password": "Secret-2026", "display_name": "王力", "role": "organiser"}
    values.update(overrides)
    return accounts.NewUser(**values)


def audit_actions(db):
    return [a.action for a in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_create_user_hashes_with_scrypt_and_audits(db):
    user = accounts.create_user(SYSTEM, new_user())
    assert user.password_hash.startswith("scrypt:")
    assert "Secret-2026" not in user.password_hash
    assert audit_actions(db)[-1] == "user.create"


@pytest.mark.parametrize("overrides, field", [
    ({"username": "ab"}, "username"),
    ({"username": "有中文"}, "username"),
    ({"password": "short1"}, "password"),
    ({"password": "qwertyuiop"}, "password"),
    ({"password": "wang.li-2026"}, "password"),
    ({"display_name": " "}, "display_name"),
    ({"role": "superuser"}, "role"),
    ({"role": "enterprise"}, "enterprise_id"),
    ({"role": "organiser", "enterprise_id": 1}, "enterprise_id"),
    ({"role": "organiser", "employer_id": 1}, "employer_id"),
    ({"role": "judge", "employer_id": 999}, "employer_id"),
])
def test_create_user_refuses_bad_fields(db, overrides, field):
    make_enterprise()
    with pytest.raises(Invalid) as caught:
        accounts.create_user(SYSTEM, new_user(**overrides))
    assert field in {d["field"] for d in caught.value.details}


def test_duplicate_username_is_case_insensitive(db):
    accounts.create_user(SYSTEM, new_user(username="Judge01"))
    with pytest.raises(Duplicate):
        accounts.create_user(SYSTEM, new_user(username="judge01"))


def test_lockout_after_five_failures_and_release_after_fifteen_minutes(db):
    user = make_user(Role.JUDGE)
    start = utcnow()
    for attempt in range(4):
        assert not logins.authenticate(SYSTEM, user.username, "wrong", now=start).ok
    result = logins.authenticate(SYSTEM, user.username, "wrong", now=start)
    assert result.error == "用户名或密码错误。"
    # the right password is refused while locked, and only it learns of the lock
    locked = logins.authenticate(SYSTEM, user.username, PASSWORD, now=start + timedelta(minutes=14))
    assert not locked.ok and "锁定" in locked.error
    assert logins.authenticate(SYSTEM, user.username, PASSWORD, now=start + timedelta(minutes=15, seconds=1)).ok
    actions = audit_actions(db)
    assert actions.count("login.failed") == 4 and "login.locked" in actions
    assert "login.refused_locked" in actions and actions[-1] == "login"


def test_unknown_user_and_disabled_user(db):
    assert logins.authenticate(SYSTEM, "nobody", "x").error == "用户名或密码错误。"
    user = make_user(is_disabled=True)
    assert "停用" in logins.authenticate(SYSTEM, user.username, PASSWORD).error


def test_change_password_ends_sessions_and_tokens(db):
    user = make_user()
    accounts.issue_token(SYSTEM, user, hours=1)
    generation = user.session_generation
    with pytest.raises(Invalid):
        accounts.change_password(SYSTEM, user, "wrong-old", "NewPassw0rd")
    accounts.change_password(SYSTEM, user, PASSWORD, "NewPassw0rd")
    assert user.session_generation == generation + 1
    assert db.session.scalar(db.select(ApiToken)).revoked_at is not None


def test_tokens_expire_and_are_stored_hashed(db):
    user = make_user()
    text, token = accounts.issue_token(SYSTEM, user, hours=1)
    assert token.token_hash != text and len(token.token_hash) == 64
    assert accounts.user_for_token(text) is user
    assert accounts.user_for_token(text, now=utcnow() + timedelta(hours=2)) is None
    assert accounts.user_for_token("not-a-token") is None


def test_an_admin_cannot_disable_themselves(db):
    admin = make_user(Role.ADMIN)
    with pytest.raises(InvalidState):
        accounts.set_disabled(Actor(admin, "127.0.0.1"), admin, True)


def test_audit_rows_are_append_only(db):
    accounts.create_user(SYSTEM, new_user())
    db.session.commit()
    row = db.session.scalar(db.select(AuditEntry))
    row.message = "tampered"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    row = db.session.scalar(db.select(AuditEntry))
    db.session.delete(row)
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
