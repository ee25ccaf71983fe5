"""Authorisation as pure predicates of (user, object), checked after loading and before acting.

Every predicate takes the current user (or None for anonymous) and returns a bool. `require`
turns a False into NotAllowed (HTTP 403). Templates get them through a context processor.
"""
from .errors import NotAllowed
from .models import Enterprise, Role, Season, User

STAFF = {Role.ADMIN, Role.ORGANISER}


def _role(user: User | None) -> Role | None:
    """The role of a logged-in, active user; None for anonymous or disabled."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def is_staff(user: User | None) -> bool:
    """Admin or organiser (组委会)."""
    return _role(user) in STAFF


def can_manage_users(user: User | None) -> bool:
    """Only administrators create, disable and reset accounts."""
    return _role(user) is Role.ADMIN


def can_manage_policy(user: User | None) -> bool:
    """Administrators keep the policy versions; organisers read them."""
    return _role(user) is Role.ADMIN


def can_view_policy(user: User | None) -> bool:
    """Staff read the policy history."""
    return is_staff(user)


def can_list_enterprises(user: User | None) -> bool:
    """Any logged-in user sees the enterprise directory (names and towns)."""
    return _role(user) is not None


def can_manage_enterprises(user: User | None) -> bool:
    """Admins and organisers create and edit enterprises."""
    return is_staff(user)


def can_view_enterprise(user: User | None, enterprise: Enterprise) -> bool:
    """Staff see every enterprise; an enterprise user sees their own."""
    if is_staff(user):
        return True
    return _role(user) is Role.ENTERPRISE and user.enterprise_id == enterprise.id


def can_manage_seasons(user: User | None) -> bool:
    """Organisers (and admins) create and edit seasons."""
    return is_staff(user)


def can_view_season(user: User | None, season: Season) -> bool:
    """Any logged-in user may read a season and its budget figures."""
    return _role(user) is not None


def can_view_audit(user: User | None) -> bool:
    """Staff read the audit log."""
    return is_staff(user)


def can_reveal_id_number(user: User | None) -> bool:
    """Only organisers and admins may reveal a whole ID number, and it is audited."""
    return is_staff(user)


def require(allowed: bool, message: str = "您没有权限执行此操作。") -> None:
    """Raise NotAllowed (403) unless allowed."""
    if not allowed:
        raise NotAllowed(message)


PREDICATES = {
    name: obj
    for name, obj in dict(globals()).items()
    if callable(obj) and (name.startswith("can_") or name == "is_staff")
}
