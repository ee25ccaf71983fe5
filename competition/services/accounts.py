"""Accounts: creating users, logging in with lockout, passwords, sessions and API tokens."""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import joinedload, lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Duplicate, Invalid, InvalidState
from ..extensions import db
from ..models import ApiToken, Enterprise, Role, User, utcnow
from .audit import Actor, record, snapshot
from .common import flush_unique

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
USER_FIELDS = ("username", "display_name", "role", "enterprise_id", "employer_id", "is_disabled")
# A real hash to compare against when the username is unknown, so timing does not reveal it.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    """scrypt hash of a password."""
    return generate_password_hash(password, method="scrypt")


def password_problem(password: str | None) -> str | None:
    """Why a new password is not acceptable, or None."""
    if not password or len(password) < 8:
        return "密码至少需要8个字符。"
    if len(password) > 128:
        return "密码不能超过128个字符。"
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return "密码需同时包含字母和数字。"
    return None


@dataclass(frozen=True)
class NewUser:
    """What an administrator types to create an account."""

    username: str
    password: str
    display_name: str
    role: str
    enterprise_id: int | None = None
    employer_id: int | None = None


def _check_new_user(data: NewUser) -> list[dict]:
    """Field problems of a new account, as API-style details."""
    problems = []
    if not USERNAME_RE.match(data.username or ""):
        problems.append({"field": "username", "message": "用户名为3至64位字母、数字、下划线、点或连字符。"})
    if (why := password_problem(data.password)):
        problems.append({"field": "password", "message": why})
    if not (data.display_name or "").strip() or len(data.display_name.strip()) > 60:
        problems.append({"field": "display_name", "message": "请填写显示名称（不超过60个字符）。"})
    if data.role not in {r.value for r in Role}:
        problems.append({"field": "role", "message": "角色应为 admin、organiser、judge 或 enterprise。"})
    problems += _affiliation_problems(data.role, data.enterprise_id, data.employer_id)
    return problems


def _affiliation_problems(role: str, enterprise_id: int | None, employer_id: int | None) -> list[dict]:
    """Enterprise users belong to one enterprise; judges may name an employer; nobody else has either."""
    problems = []
    if role == Role.ENTERPRISE.value:
        if enterprise_id is None:
            problems.append({"field": "enterprise_id", "message": "企业用户必须属于一家企业。"})
        elif db.session.get(Enterprise, enterprise_id) is None:
            problems.append({"field": "enterprise_id", "message": "所选企业不存在。"})
    elif enterprise_id is not None:
        problems.append({"field": "enterprise_id", "message": "只有企业用户可以关联企业。"})
    if employer_id is not None:
        if role != Role.JUDGE.value:
            problems.append({"field": "employer_id", "message": "只有裁判可以填写工作单位。"})
        elif db.session.get(Enterprise, employer_id) is None:
            problems.append({"field": "employer_id", "message": "所选工作单位不存在。"})
    return problems


def create_user(actor: Actor, data: NewUser) -> User:
    """Create an account after checking every field; audited."""
    problems = _check_new_user(data)
    if problems:
        raise Invalid("账户信息有误，请修改后重试。", details=problems)
    exists = db.session.scalar(db.select(User.id).where(db.func.lower(User.username) == data.username.lower()))
    if exists:
        raise Duplicate(f"用户名“{data.username}”已被使用。", details=[{"field": "username", "message": "用户名已被使用。"}])
    user = User(
        username=data.username,
        display_name=data.display_name.strip(),
        password_hash=hash_password(data.password),
        role=Role(data.role),
        enterprise_id=data.enterprise_id if data.role == Role.ENTERPRISE.value else None,
        employer_id=data.employer_id,
    )
    db.session.add(user)
    flush_unique(f"用户名“{data.username}”已被使用。")
    record(actor, "user.create", user, after=snapshot(user, USER_FIELDS))
    return user


def update_user(actor: Actor, user: User, *, display_name: str, enterprise_id: int | None,
                employer_id: int | None) -> User:
    """Change an account's display name and affiliation; the role stays."""
    problems = _affiliation_problems(user.role.value, enterprise_id, employer_id)
    if not (display_name or "").strip() or len(display_name.strip()) > 60:
        problems.append({"field": "display_name", "message": "请填写显示名称（不超过60个字符）。"})
    if problems:
        raise Invalid("账户信息有误，请修改后重试。", details=problems)
    before = snapshot(user, USER_FIELDS)
    user.display_name = display_name.strip()
    user.enterprise_id = enterprise_id
    user.employer_id = employer_id
    db.session.flush()
    record(actor, "user.update", user, before=before, after=snapshot(user, USER_FIELDS))
    return user


def set_disabled(actor: Actor, user: User, disabled: bool) -> User:
    """Disable or enable an account; disabling ends its sessions and tokens."""
    if actor.user is not None and actor.user.id == user.id and disabled:
        raise InvalidState("不能停用自己的账户。")
    before = snapshot(user, USER_FIELDS)
    user.is_disabled = disabled
    if disabled:
        end_sessions(user)
    else:
        user.failed_logins = 0
        user.locked_until = None
    db.session.flush()
    record(actor, "user.disable" if disabled else "user.enable", user, before=before,
           after=snapshot(user, USER_FIELDS))
    return user


def reset_password(actor: Actor, user: User, new_password: str) -> User:
    """An administrator sets a new password; the user's sessions and tokens end and the lock lifts."""
    if (why := password_problem(new_password)):
        raise Invalid(why, details=[{"field": "password", "message": why}])
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)
    db.session.flush()
    record(actor, "user.reset_password", user, message="管理员重置密码")
    return user


def change_password(actor: Actor, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password; every other session and every token ends."""
    if not check_password_hash(user.password_hash, old_password or ""):
        raise Invalid("原密码不正确。", details=[{"field": "old_password", "message": "原密码不正确。"}])
    if (why := password_problem(new_password)):
        raise Invalid(why, details=[{"field": "new_password", "message": why}])
    if old_password == new_password:
        raise Invalid("新密码不能与原密码相同。", details=[{"field": "new_password", "message": "新密码不能与原密码相同。"}])
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    db.session.flush()
    record(actor, "user.change_password", user)
    return user


def end_sessions(user: User) -> None:
    """End every browser session (generation bump) and revoke every API token of a user."""
    user.session_generation = (user.session_generation or 0) + 1
    now = utcnow()
    db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


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


def _lock_settings() -> tuple[int, int]:
    """How many failures lock an account, and for how many minutes."""
    config = current_app.config
    return config.get("LOGIN_MAX_FAILURES", 5), config.get("LOGIN_LOCK_MINUTES", 15)


def authenticate(actor: Actor, username: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a login; count failures, lock after too many; audit every attempt. The caller commits."""
    now = now or utcnow()
    user = db.session.scalar(
        db.select(User).where(db.func.lower(User.username) == (username or "").strip().lower())
        .with_for_update(of=User)
    )
    generic = "用户名或密码错误。"
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        record(actor, "login.failed", message=f"未知用户名：{(username or '')[:64]}")
        return LoginResult(None, generic, "invalid_credentials")
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() + 59) // 60)
        record(actor, "login.refused_locked", user, username=user.username)
        return LoginResult(None, f"连续登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试。", "account_locked")
    if not check_password_hash(user.password_hash, password or ""):
        return _count_failure(actor, user, now, generic)
    if user.is_disabled:
        record(actor, "login.refused_disabled", user, username=user.username)
        return LoginResult(None, "该账户已停用，请联系系统管理员。", "account_disabled")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record(Actor(user, actor.client_address), "login", user)
    return LoginResult(user)


def _count_failure(actor: Actor, user: User, now: datetime, generic: str) -> LoginResult:
    """One more failed password; the limit locks the account."""
    max_failures, lock_minutes = _lock_settings()
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= max_failures:
        user.locked_until = now + timedelta(minutes=lock_minutes)
        user.failed_logins = 0
        record(actor, "login.locked", user, username=user.username,
               message=f"连续{max_failures}次密码错误，锁定{lock_minutes}分钟")
        return LoginResult(None, f"连续{max_failures}次密码错误，账户已锁定{lock_minutes}分钟。", "account_locked")
    left = max_failures - user.failed_logins
    record(actor, "login.failed", user, username=user.username, message="密码错误")
    return LoginResult(None, f"{generic}再失败{left}次，账户将被锁定{lock_minutes}分钟。", "invalid_credentials")


def logout(actor: Actor, user: User) -> None:
    """Log out: every session of this user ends (generation bump); audited."""
    user.session_generation = (user.session_generation or 0) + 1
    record(actor, "logout", user)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(actor: Actor, user: User, *, hours: int) -> tuple[str, ApiToken]:
    """Create an API token; only its hash is stored. Returns the token text once."""
    text = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=token_digest(text), expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(token)
    db.session.flush()
    record(actor, "token.issue", token, after={"user_id": user.id, "expires_at": token.expires_at})
    return text, token


def revoke_token(actor: Actor, text: str) -> None:
    """Revoke one token (logout of an API client); audited."""
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == token_digest(text or "")))
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        record(actor, "token.revoke", token)


def user_for_token(text: str, *, now: datetime | None = None) -> User | None:
    """The active user a bearer token belongs to, or None if unknown, revoked or expired."""
    # Every API request asks this: the token and its user in one light statement (the user's enterprises are
    # read, from the session or in one query, only by the requests that need them).
    light_user = joinedload(ApiToken.user).options(lazyload(User.enterprise), lazyload(User.employer))
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == token_digest(text or ""))
                              .options(light_user))
    now = now or utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    return token.user if token.user.is_active else None

