"""Accounts: creating users, logging in with lockout, passwords, sessions and API tokens."""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import lazyload, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Duplicate, Invalid, InvalidState
from ..extensions import db
from ..models import ApiToken, Enterprise, LoginThrottle, Role, User, utcnow
from ..rules.messages import Message
from ..rules.passwords import password_problem
from .audit import Actor, record, snapshot
from .common import flush_unique
from .towns import require_town

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
USER_FIELDS = ("username", "display_name", "role", "enterprise_id", "employer_id", "town", "is_disabled")


def hash_password(password: str) -> str:
    """scrypt hash of a password."""
    return generate_password_hash(password, method="scrypt")


@dataclass(frozen=True)
class NewUser:
    """What an administrator types to create an account."""

    username: str
    password: str
    display_name: str
    role: str
    enterprise_id: int | None = None
    employer_id: int | None = None
    town: str | None = None  # a town officer's town (one of the league's towns; RULES.md §3, §17)


def _check_new_user(data: NewUser) -> list[dict]:
    """Field problems of a new account, as API-style details."""
    problems = []
    if not USERNAME_RE.match(data.username or ""):
        problems.append({"field": "username", "message": Message("用户名为3至64位字母、数字、下划线、点或连字符。")})
    if (why := password_problem(data.password, data.username)):
        problems.append({"field": "password", "message": why})
    if not (data.display_name or "").strip() or len(data.display_name.strip()) > 60:
        problems.append({"field": "display_name", "message": Message("请填写显示名称（不超过60个字符）。")})
    if data.role not in {r.value for r in Role}:
        problems.append({"field": "role", "message": Message("角色应为 admin、organiser、judge、enterprise 或 town。")})
    problems += _affiliation_problems(data.role, data.enterprise_id, data.employer_id)
    problems += _town_problems(data.role, data.town)
    return problems


def _town_problems(role: str, town: str | None) -> list[dict]:
    """A town officer is bound to one town of the league's list (services.towns.require_town checks the name);
    nobody else names a town."""
    if role == Role.TOWN.value:
        try:
            require_town(town)
        except Invalid as exc:
            return list(exc.details)
        return []
    if (town or "").strip():
        return [{"field": "town", "message": Message("只有镇区人社用户可以关联镇（区）。")}]
    return []


def _affiliation_problems(role: str, enterprise_id: int | None, employer_id: int | None) -> list[dict]:
    """Enterprise users belong to one enterprise; judges may name an employer; nobody else has either."""
    problems = []
    if role == Role.ENTERPRISE.value:
        if enterprise_id is None:
            problems.append({"field": "enterprise_id", "message": Message("企业用户必须属于一家企业。")})
        elif db.session.get(Enterprise, enterprise_id) is None:
            problems.append({"field": "enterprise_id", "message": Message("所选企业不存在。")})
    elif enterprise_id is not None:
        problems.append({"field": "enterprise_id", "message": Message("只有企业用户可以关联企业。")})
    if employer_id is not None:
        if role != Role.JUDGE.value:
            problems.append({"field": "employer_id", "message": Message("只有裁判可以填写工作单位。")})
        elif db.session.get(Enterprise, employer_id) is None:
            problems.append({"field": "employer_id", "message": Message("所选工作单位不存在。")})
    return problems


def create_user(actor: Actor, data: NewUser) -> User:
    """Create an account after checking every field; audited."""
    problems = _check_new_user(data)
    if problems:
        raise Invalid(Message("账户信息有误，请修改后重试。"), details=problems)
    exists = db.session.scalar(db.select(User.id).where(db.func.lower(User.username) == data.username.lower()))
    if exists:
        raise Duplicate(Message("用户名“%(username)s”已被使用。", username=data.username),
                        details=[{"field": "username", "message": Message("用户名已被使用。")}])
    user = User(
        username=data.username,
        display_name=data.display_name.strip(),
        password_hash=hash_password(data.password),
        role=Role(data.role),
        enterprise_id=data.enterprise_id if data.role == Role.ENTERPRISE.value else None,
        employer_id=data.employer_id,
        town=(data.town or "").strip() if data.role == Role.TOWN.value else None,
    )
    db.session.add(user)
    flush_unique(Message("用户名“%(username)s”已被使用。", username=data.username))
    record(actor, "user.create", user, after=snapshot(user, USER_FIELDS))
    return user


def user_query(search: str | None = None, role: Role | None = None, disabled: bool | None = None):
    """Accounts by username, searched by username or display name, filtered by role and state (with their
    login locks, for the state column)."""
    query = db.select(User).order_by(User.username).options(selectinload(User.throttles))
    if search:
        query = query.where(User.username.icontains(search, autoescape=True)
                            | User.display_name.icontains(search, autoescape=True))
    if role is not None:
        query = query.where(User.role == role)
    if disabled is not None:
        query = query.where(User.is_disabled.is_(disabled))
    return query


def update_user(actor: Actor, user: User, *, display_name: str, enterprise_id: int | None,
                employer_id: int | None, town: str | None = None) -> User:
    """Change an account's display name and affiliation (a town officer's town: None keeps it); the role stays."""
    if user.role is Role.TOWN and town is None:
        town = user.town
    problems = _affiliation_problems(user.role.value, enterprise_id, employer_id)
    problems += _town_problems(user.role.value, town)
    if not (display_name or "").strip() or len(display_name.strip()) > 60:
        problems.append({"field": "display_name", "message": Message("请填写显示名称（不超过60个字符）。")})
    if problems:
        raise Invalid(Message("账户信息有误，请修改后重试。"), details=problems)
    before = snapshot(user, USER_FIELDS)
    user.display_name = display_name.strip()
    user.enterprise_id = enterprise_id
    user.employer_id = employer_id
    user.town = (town or "").strip() if user.role is Role.TOWN else None
    db.session.flush()
    record(actor, "user.update", user, before=before, after=snapshot(user, USER_FIELDS))
    return user


def set_disabled(actor: Actor, user: User, disabled: bool) -> User:
    """Disable or enable an account; disabling ends its sessions and tokens."""
    if actor.user is not None and actor.user.id == user.id and disabled:
        raise InvalidState(Message("不能停用自己的账户。"))
    before = snapshot(user, USER_FIELDS)
    user.is_disabled = disabled
    if disabled:
        end_sessions(user)
    else:
        _clear_locks(user)
    db.session.flush()
    record(actor, "user.disable" if disabled else "user.enable", user, before=before,
           after=snapshot(user, USER_FIELDS))
    return user


def reset_password(actor: Actor, user: User, new_password: str) -> User:
    """An administrator sets a new password; the user's sessions and tokens end and the lock lifts."""
    if (why := password_problem(new_password, user.username)):
        raise Invalid(why, details=[{"field": "password", "message": why}])
    user.password_hash = hash_password(new_password)
    _clear_locks(user)
    end_sessions(user)
    db.session.flush()
    record(actor, "user.reset_password", user, message=Message("管理员重置密码"))
    return user


def change_password(actor: Actor, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password; every other session and every token ends."""
    if not check_password_hash(user.password_hash, old_password or ""):
        raise Invalid(Message("原密码不正确。"),
                      details=[{"field": "old_password", "message": Message("原密码不正确。")}])
    if (why := password_problem(new_password, user.username)):
        raise Invalid(why, details=[{"field": "new_password", "message": why}])
    if old_password == new_password:
        raise Invalid(Message("新密码不能与原密码相同。"),
                      details=[{"field": "new_password", "message": Message("新密码不能与原密码相同。")}])
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    db.session.flush()
    record(actor, "user.change_password", user)
    return user


def _clear_locks(user: User) -> None:
    """Forget every failed login and lock of an account (an administrator re-enabled it or set its password)."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.user_id == user.id))
    db.session.expire(user, ["throttles"])


def end_sessions(user: User) -> None:
    """End every browser session (generation bump) and revoke every API token of a user."""
    user.session_generation = (user.session_generation or 0) + 1
    now = utcnow()
    db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


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


# Every API request asks this: the user of a live token in one light statement, built once (the token's own row is
# never loaded, and the user's enterprises are read, from the session or in one query, only by the requests that
# need them).
TOKEN_USER = (db.select(User).join(ApiToken, ApiToken.user_id == User.id)
              .where(ApiToken.token_hash == db.bindparam("digest"), ApiToken.revoked_at.is_(None),
                     ApiToken.expires_at > db.bindparam("now"))
              .options(lazyload(User.enterprise), lazyload(User.employer)))


def user_for_token(text: str, *, now: datetime | None = None) -> User | None:
    """The active user a bearer token belongs to, or None if unknown, revoked or expired."""
    user = db.session.scalar(TOKEN_USER, {"digest": token_digest(text or ""), "now": now or utcnow()})
    return user if user is not None and user.is_active else None

