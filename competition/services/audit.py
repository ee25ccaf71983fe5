"""Writing and reading the audit log."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from ..extensions import db
from ..models import AuditEntry, User


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where; built by the view, API handler or CLI command."""

    user: User | None
    client_address: str | None = None

    @property
    def user_id(self) -> int | None:
        """The acting user's id, or None for anonymous and system actions."""
        return self.user.id if self.user is not None else None


SYSTEM = Actor(None, "cli")


def _plain(value):
    """Make a value JSON-safe for before/after snapshots."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The named attributes of an object, JSON-safe, for before/after."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    actor: Actor,
    action: str,
    obj=None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    message: str | None = None,
    username: str | None = None,
) -> AuditEntry:
    """Append one audit row in the current transaction."""
    entry = AuditEntry(
        user_id=actor.user_id,
        username=username or (actor.user.username if actor.user is not None else None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        message=message[:500] if message else None,
        client_address=(actor.client_address or "")[:64] or None,
    )
    db.session.add(entry)
    return entry


def list_audit(*, object_type: str | None = None, object_id: int | None = None,
               action: str | None = None, user_id: int | None = None):
    """A select of audit rows, newest first, filtered by object, action or user."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    return query
