"""The append-only audit log (RULES.md §13), sealed into a hash chain when each transaction commits.

Append-only holds at three depths:
- the ORM refuses to update or delete an audit row (`before_flush`);
- on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE of `audit_entries` (created with the table,
  and by migration 0009), except the one UPDATE that seals a new row;
- every committed row is sealed: `seq` (its place), `prev_hash` and `row_hash` (rules/audit_chain.py), so
  a change made by anyone with database rights, around the trigger, is found by `flask --app competition
  audit-verify`, which names the first broken link.

Sealing happens in `before_commit`, after the transaction's last flush: the chain head (`audit_chain`, one
row) is locked last, so writers queue on it only for the moment before their commit and never deadlock
on it, and the chain's order is the order in which transactions committed.
"""
from datetime import datetime

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, attributes, mapped_column

from ..extensions import db
from ..rules.audit_chain import CONTENT, GENESIS, row_digest
from ..rules.messages import Message
from .types import UTCDateTime, utcnow

UNSEALED = "audit_unsealed"  # session.info key: audit rows flushed in this transaction, not yet sealed


class AuditEntry(db.Model):
    """One state change or refused attempt: who, when, what, which object, before/after, address; sealed."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(String(500))
    client_address: Mapped[str | None] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(unique=True)  # its place in the chain, set when sealed
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChain(db.Model):
    """The head of the hash chain: the last sealed row's place and digest (one row, id 1)."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, flush_context, instances):
    """Audit rows are never updated or deleted by the application; new ones wait to be sealed at commit."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditIsAppendOnly(Message("审计日志只可追加，不可修改或删除。"))
    new = [obj for obj in session.new if isinstance(obj, AuditEntry)]
    if new:
        session.info.setdefault(UNSEALED, []).extend(new)


@event.listens_for(Session, "after_transaction_end")
def _forget_unsealed(session, transaction):
    """Rows of a rolled-back transaction were never written. Only the outermost transaction's end forgets them: a
    savepoint rolled back keeps the rows flushed before it, which the commit must still seal (the rows added inside
    it are no longer persistent, and _seal passes them over). after_rollback, used before, also fired for a
    savepoint and let those earlier rows be committed unsealed."""
    if transaction.parent is None:
        session.info.pop(UNSEALED, None)


@event.listens_for(Session, "before_commit")
def _seal(session):
    """Give this transaction's audit rows their places and digests, under the chain head's lock."""
    if not session.info.get(UNSEALED) and not any(isinstance(obj, AuditEntry) for obj in session.new):
        return
    session.flush()
    rows = sorted((row for row in session.info.pop(UNSEALED, []) if inspect(row).persistent), key=lambda r: r.id)
    if not rows:
        return
    connection = session.connection()
    seq, last = _lock_head(connection)
    sealed = []
    for row in rows:
        seq += 1
        digest = row_digest(seq, last, {name: getattr(row, name) for name in CONTENT})
        sealed.append({"row_id": row.id, "seq": seq, "prev_hash": last, "row_hash": digest})
        for name in ("seq", "prev_hash", "row_hash"):
            attributes.set_committed_value(row, name, sealed[-1][name])
        last = digest
    table, head = AuditEntry.__table__, AuditChain.__table__
    connection.execute(table.update().where(table.c.id == db.bindparam("row_id"))
                       .values(seq=db.bindparam("seq"), prev_hash=db.bindparam("prev_hash"),
                               row_hash=db.bindparam("row_hash")), sealed)
    connection.execute(head.update().where(head.c.id == 1).values(seq=seq, last_hash=last))


def _lock_head(connection) -> tuple[int, str]:
    """The chain head, locked until commit; created (race-free) when missing."""
    head = AuditChain.__table__
    query = db.select(head.c.seq, head.c.last_hash).where(head.c.id == 1).with_for_update()
    found = connection.execute(query).first()
    if found is None:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        connection.execute(dialect.insert(head).values(id=1, seq=0, last_hash=GENESIS).on_conflict_do_nothing())
        found = connection.execute(query).first()
    return found[0], found[1]


# PostgreSQL: the database itself refuses to change or remove audit rows (migration 0009 creates the same).
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.row_hash IS NULL AND NEW.row_hash IS NOT NULL
       AND (NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.action, NEW.object_type, NEW.object_id,
            NEW.before::text, NEW.after::text, NEW.message, NEW.client_address)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.user_id, OLD.username, OLD.action, OLD.object_type, OLD.object_id,
            OLD.before::text, OLD.after::text, OLD.message, OLD.client_address) THEN
      RETURN NEW;  -- sealing a new row: only seq, prev_hash and row_hash change, once
    END IF;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
    MESSAGE = 'audit_entries is append-only: ' || TG_OP || ' refused';
END
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
)
for _statement in (APPEND_ONLY_FUNCTION, *APPEND_ONLY_TRIGGERS):
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
event.listen(AuditChain.__table__, "after_create",
             DDL(f"INSERT INTO audit_chain (id, seq, last_hash) VALUES (1, 0, '{GENESIS}')"))
