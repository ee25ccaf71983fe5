"""Writing and reading the audit log."""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from ..extensions import db
from ..models import (AuditChain, AuditEntry, Delegate, Enterprise, Entry, Event, ExternalCompetition, MonthlyReport,
                      Nomination, Objection, PanelMember, Person, PolicyVersion, Reward, Season, Spending,
                      SubsidyClaim, SupportRequest, User, utcnow)
from ..rules.audit_chain import CONTENT, GENESIS, row_digest
from ..rules.messages import Message
from ..rules.text import MAX_INT


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

# The URL arguments that name a row, and the model of that row: a refused request is audited against the object
# it was after, with the object_type record() writes for that model (its class name).
OBJECT_ARGUMENTS = {name: model.__name__ for name, model in {
    "event_id": Event, "entry_id": Entry, "claim_id": SubsidyClaim, "nomination_id": Nomination, "user_id": User,
    "enterprise_id": Enterprise, "season_id": Season, "version_id": PolicyVersion, "member_id": PanelMember,
    "objection_id": Objection, "competition_id": ExternalCompetition, "delegate_id": Delegate, "reward_id": Reward,
    "person_id": Person, "report_id": MonthlyReport, "request_id": SupportRequest, "spending_id": Spending,
}.items()}


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
    target: tuple[str, int] | None = None,
) -> AuditEntry:
    """Append one audit row in the current transaction; the object is `obj`, or, when the row was never loaded
    (a refused request), `target` as (object_type, object_id)."""
    object_type, object_id = target or (None, None)
    if obj is not None:
        object_type, object_id = type(obj).__name__, getattr(obj, "id", None)
    entry = AuditEntry(**row_content(actor, action, (object_type, object_id), before=before, after=after,
                                     message=message, username=username))
    db.session.add(entry)
    return entry


def row_content(actor: Actor, action: str, target: tuple[str | None, int | None], *, before: dict | None = None,
                after: dict | None = None, message: str | None = None, username: str | None = None) -> dict:
    """The hashed fields of one audit row (rules/audit_chain.CONTENT), as every writer stores them."""
    return {"at": utcnow(), "user_id": actor.user_id,
            "username": username or (actor.user.username if actor.user is not None else None),
            "action": action, "object_type": target[0], "object_id": target[1],
            "before": _plain(before) if before is not None else None,
            "after": _plain(after) if after is not None else None,
            "message": message[:500] if message else None,
            "client_address": (actor.client_address or "")[:64] or None}


def named_object(view_args: Mapping[str, object] | None) -> tuple[str, int] | None:
    """The object a request's URL names, as (object_type, object_id): the innermost of its id arguments (the entry
    of /events/<event_id>/entries/<entry_id>/…), or None when it names none. An id no row can have is left out."""
    named = [(OBJECT_ARGUMENTS[name], value) for name, value in (view_args or {}).items()
             if name in OBJECT_ARGUMENTS and type(value) is int and 0 < value <= MAX_INT]
    return named[-1] if named else None


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


@dataclass(frozen=True)
class ChainReport:
    """What `audit-verify` found: how many sealed rows it checked, and the first broken link, if any."""

    checked: int
    broken_at: int | None = None  # the seq of the first row that does not hold
    audit_id: int | None = None
    problem: str | None = None
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        """True when every link holds."""
        return self.problem is None


def verify_chain(batch: int = 2000) -> ChainReport:
    """Walk the sealed audit rows in chain order, recomputing every digest; report the first broken link."""
    columns = [AuditEntry.id, AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.row_hash,
               *(getattr(AuditEntry, name) for name in CONTENT)]
    expected_seq, last, checked = 1, GENESIS, 0
    while True:  # keyset pages: constant memory for any length of log, no cursor left open
        rows = db.session.execute(db.select(*columns).where(AuditEntry.seq >= expected_seq)
                                  .order_by(AuditEntry.seq).limit(batch)).all()
        for row in rows:
            problem = _link_problem(row, expected_seq, last)
            if problem is not None:
                return ChainReport(checked, expected_seq, row.id, problem, _unsealed())
            expected_seq, last, checked = row.seq + 1, row.row_hash, checked + 1
        if len(rows) < batch:
            break
    head = db.session.get(AuditChain, 1)
    head_seq, head_hash = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
    if head_seq != checked or head_hash != last:
        return ChainReport(checked, checked + 1, None, Message("链尾缺失：链头记录到第 %(head_seq)s 条，实际只有 %(checked)s 条"
                                                               "（末尾的记录被删除或链头被改动）。",
                                                               head_seq=head_seq, checked=checked), _unsealed())
    return ChainReport(checked, unsealed=_unsealed())


def _link_problem(row, expected_seq: int, last: str) -> str | None:
    """Why one sealed row breaks the chain, or None."""
    if row.seq != expected_seq:
        return Message("第 %(expected)s 条记录缺失（下一条是第 %(seq)s 条）：记录被删除。", expected=expected_seq, seq=row.seq)
    if row.prev_hash != last:
        return Message("前一条记录的哈希与本条记录保存的不一致：前面的记录被改动、删除或调换。")
    if row_digest(row.seq, row.prev_hash, {name: getattr(row, name) for name in CONTENT}) != row.row_hash:
        return Message("本条记录的内容与其哈希不符：记录在写入后被改动。")
    return None


def _unsealed() -> int:
    """Audit rows never sealed (written around the application)."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.seq.is_(None))) or 0
