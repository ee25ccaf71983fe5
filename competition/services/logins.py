"""Logging in (issue 14): one answer for every wrong username or password, and locks that belong to an
account *and* a client address.

- A wrong password or an unknown username both answer 用户名或密码错误, with nothing more: no count of
  attempts left, no hint that the account exists.
- Five wrong passwords for one account from one client address lock that account there for 15 minutes;
  each further lock in a row doubles, up to a day. The owner logging in from anywhere else is not locked
  out, so nobody can keep an administrator out from outside. A successful login clears that address's row.
- A locked account says it is locked only to a caller who gave the right password.
- An administrator lifts locks by resetting the password, on the user's page, or from the CLI
  (`flask --app competition unlock-user --username U`).
On top of this, rate limits per client address refuse floods of failures (competition/limits.py).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy.engine import CursorResult
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginThrottle, User, utcnow
from ..rules.messages import Message
from .audit import Actor, record

GENERIC = Message("用户名或密码错误。")
STREAK_RESET = timedelta(days=1)  # a lock streak is forgotten after a day without failures
# A real hash to compare against when the username is unknown, so timing does not reveal it.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user, or the Chinese reason it was refused."""

    user: User | None
    error: str | None = None
    code: str | None = None  # invalid_credentials, account_locked, account_disabled

    @property
    def ok(self) -> bool:
        """True when the attempt succeeded."""
        return self.user is not None


def authenticate(actor: Actor, username: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a login; count failures and lock per account and address; audit every attempt. The caller commits."""
    now = now or utcnow()
    user = db.session.scalar(  # the row lock serialises attempts on one account: counts are never lost
        db.select(User).where(db.func.lower(User.username) == (username or "").strip().lower())
        .with_for_update(of=User))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        record(actor, "login.failed", message=Message("未知用户名：%(username)s", username=(username or "")[:64]))
        return LoginResult(None, GENERIC, "invalid_credentials")
    throttle = _throttle(user, actor.client_address)
    right = check_password_hash(user.password_hash, password or "")
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return _while_locked(actor, user, throttle.locked_until, now, right)
    if not right:
        return _count_failure(actor, user, throttle, now)
    if user.is_disabled:
        record(actor, "login.refused_disabled", user, username=user.username)
        return LoginResult(None, Message("该账户已停用，请联系系统管理员。"), "account_disabled")
    if throttle is not None:
        db.session.delete(throttle)
    user.last_login_at = now
    record(Actor(user, actor.client_address), "login", user)
    return LoginResult(user)


def _address(client_address: str | None) -> str:
    """The throttle's key for an address ("" when unknown)."""
    return (client_address or "")[:64]


def _throttle(user: User, client_address: str | None) -> LoginThrottle | None:
    """This account's row for this address, if it has failed from there."""
    return db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.user_id == user.id,
                                                            LoginThrottle.client_address == _address(client_address)))


def _while_locked(actor: Actor, user: User, locked_until: datetime, now: datetime, right: bool) -> LoginResult:
    """During a lock: the right password learns it is locked and for how long; a wrong one learns nothing."""
    if not right:
        record(actor, "login.failed", user, username=user.username, message=Message("密码错误（锁定期间）"))
        return LoginResult(None, GENERIC, "invalid_credentials")
    minutes = max(1, int((locked_until - now).total_seconds() + 59) // 60)
    record(actor, "login.refused_locked", user, username=user.username)
    return LoginResult(None, Message("在此设备上连续登录失败次数过多，账户已暂时锁定，请 %(minutes)s 分钟后再试，"
                                     "或请系统管理员解除锁定。", minutes=minutes), "account_locked")


def _count_failure(actor: Actor, user: User, throttle: LoginThrottle | None, now: datetime) -> LoginResult:
    """One more wrong password from this address; the limit locks the account there, longer each time."""
    config = current_app.config
    if throttle is None:
        throttle = LoginThrottle(user_id=user.id, client_address=_address(actor.client_address), failures=0, locks=0)
        db.session.add(throttle)
    if throttle.last_failure_at is not None and now - throttle.last_failure_at > STREAK_RESET:
        throttle.locks = 0
    throttle.failures = (throttle.failures or 0) + 1
    throttle.last_failure_at = now
    if throttle.failures >= config["LOGIN_MAX_FAILURES"]:
        minutes = min(config["LOGIN_LOCK_MINUTES"] * 2 ** (throttle.locks or 0), config["LOGIN_LOCK_MAX_MINUTES"])
        throttle.failures, throttle.locks = 0, (throttle.locks or 0) + 1
        throttle.locked_until = now + timedelta(minutes=minutes)
        record(actor, "login.locked", user, username=user.username,
               message=Message("自 %(address)s 连续%(failures)s次密码错误，锁定%(minutes)s分钟（第%(locks)s次）",
                               address=throttle.client_address or Message("未知地址"),
                               failures=config["LOGIN_MAX_FAILURES"], minutes=minutes, locks=throttle.locks))
    else:
        record(actor, "login.failed", user, username=user.username, message=Message("密码错误"))
    return LoginResult(None, GENERIC, "invalid_credentials")


def unlock(actor: Actor, user: User, client_address: str | None = None) -> int:
    """Lift the locks and failure counts of an account (from one address, or every address); audited."""
    query = db.delete(LoginThrottle).where(LoginThrottle.user_id == user.id)
    if client_address is not None:
        query = query.where(LoginThrottle.client_address == _address(client_address))
    # Session.execute is typed as returning Result, but a DELETE runs through a cursor and returns a CursorResult.
    removed = cast(CursorResult[Any], db.session.execute(query)).rowcount or 0
    db.session.expire(user, ["throttles"])
    record(actor, "user.unlock", user, message=Message("解除登录锁定：%(address)s，%(removed)s 条记录",
                                                       address=client_address or Message("全部地址"), removed=removed))
    return removed
