"""Audit rows appended already sealed, at commit, in one statement (PostgreSQL): for the busiest writes.

record() adds an ORM row; at commit models/audit.py locks the chain head, seals the row with an UPDATE (through the
append-only trigger) and moves the head: four round trips, an UPDATE of every sealed row, and the head held from
the first of them to the end of the commit. record_at_commit() keeps the row's fields until the commit instead,
then writes it in one statement that locks the head, inserts the row with its place and digest and moves the head
(SEALED_ROW). The digest is rules/audit_chain.row_text framed in SQL exactly as row_digest frames it, so
audit-verify recomputes it like any other; the head is locked last, just before the commit, as sealing at commit
does. A savepoint rolled back takes its rows with it. Elsewhere (SQLite) record_at_commit() is record().
"""
import json

from sqlalchemy import event, text
from sqlalchemy.orm import Session, SessionTransaction

from ..extensions import db
from ..rules.audit_chain import CONTENT, GENESIS, row_text
from .audit import Actor, record, row_content

PENDING = "audit_sealed_at_commit"  # session.info: (transaction, parameters) of the rows to write at commit

SEALED_ROW = text("""
WITH head AS MATERIALIZED (
    SELECT seq, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE
), link AS (
    SELECT seq + 1 AS seq, last_hash AS prev_hash,
           encode(sha256(convert_to('{"prev":"' || last_hash || '","row":' || CAST(:row AS text)
                                    || ',"seq":' || (seq + 1) || '}', 'UTF8')), 'hex') AS row_hash
    FROM head
), sealed AS (
    INSERT INTO audit_entries (at, user_id, username, action, object_type, object_id, before, after, message,
                               client_address, seq, prev_hash, row_hash)
    SELECT CAST(:at AS timestamptz), CAST(:user_id AS integer), CAST(:username AS text), CAST(:action AS text),
           CAST(:object_type AS text), CAST(:object_id AS integer), CAST(:before AS json), CAST(:after AS json),
           CAST(:message AS text), CAST(:client_address AS text), seq, prev_hash, row_hash
    FROM link
    RETURNING id
), moved AS (
    UPDATE audit_chain SET seq = link.seq, last_hash = link.row_hash FROM link WHERE audit_chain.id = 1
)
SELECT id FROM sealed
""")
# The chain's head, for a database that has never sealed a row (race-free, as models/audit._lock_head).
HEAD = text("INSERT INTO audit_chain (id, seq, last_hash) VALUES (1, 0, :genesis) ON CONFLICT (id) DO NOTHING")


def record_at_commit(actor: Actor, action: str, target: tuple[str, int], *, after: dict | None = None,
                     message: str | None = None) -> None:
    """Append one audit row (as record() would) when the transaction commits, sealed in one statement."""
    if db.session.get_bind().dialect.name != "postgresql":
        record(actor, action, target=target, after=after, message=message)
        return
    content = row_content(actor, action, target, after=after, message=message)
    parameters = {name: content[name] for name in CONTENT} | {"row": row_text(content)}
    for name in ("before", "after"):
        parameters[name] = None if content[name] is None else json.dumps(content[name], ensure_ascii=False)
    session = db.session()  # the request's Session itself, not its scoped proxy
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(PENDING, []).append((transaction, parameters))


@event.listens_for(Session, "before_commit")
def _write_sealed(session: Session) -> None:
    """At the outermost commit: this transaction's other changes first, then its pending rows, each sealed."""
    if session.get_nested_transaction() is not None or not session.info.get(PENDING):
        return
    session.flush()  # the chain head is locked last
    connection = session.connection()
    for _, parameters in session.info.pop(PENDING):
        if connection.execute(SEALED_ROW, parameters).first() is None:  # no chain head yet
            connection.execute(HEAD, {"genesis": GENESIS})
            connection.execute(SEALED_ROW, parameters).one()


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Rows of a rolled-back transaction, or of a savepoint rolled back, are never written."""
    pending = session.info.get(PENDING)
    if pending:
        session.info[PENDING] = [(t, p) for t, p in pending if not _within(t, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    """Nothing pending outlives its transaction (a closed session's, say)."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    """Whether `transaction` is `ancestor` or one of its savepoints."""
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
