"""The audit log holds in the database too (issue 14, finding 12): every committed row is sealed into a hash
chain that `flask --app competition audit-verify` checks, and on PostgreSQL a trigger refuses UPDATE, DELETE
and TRUNCATE. Tampering through raw SQL, around the application, is found and named."""
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from competition.models import AuditChain, AuditEntry
from competition.models.audit import AuditIsAppendOnly
from competition.rules.audit_chain import GENESIS, row_digest
from competition.services.audit import SYSTEM, record, verify_chain
from tests.builders import make_user


def write(db, count: int, action: str = "test.write") -> list[int]:
    """`count` audit rows, each committed in its own transaction; their ids."""
    ids = []
    for i in range(count):
        entry = record(SYSTEM, action, message=f"第{i}条", after={"n": i, "名": "张三"})
        db.session.commit()
        ids.append(entry.id)
    return ids


def tamper(db, statement: str, **params) -> None:
    """Change the table behind the application's back, as a database user could (on PostgreSQL the trigger
    must first be switched off, as only a superuser can)."""
    db.session.rollback()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(statement), params)


def test_rows_are_sealed_in_commit_order_with_digests_that_recompute(db):
    ids = write(db, 3)
    rows = db.session.scalars(db.select(AuditEntry).where(AuditEntry.id.in_(ids)).order_by(AuditEntry.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3] and rows[0].prev_hash == GENESIS
    assert rows[1].prev_hash == rows[0].row_hash and rows[2].prev_hash == rows[1].row_hash
    fields = ("at", "user_id", "username", "action", "object_type", "object_id", "before", "after", "message",
              "client_address")
    assert row_digest(3, rows[2].prev_hash, {f: getattr(rows[2], f) for f in fields}) == rows[2].row_hash
    head = db.session.get(AuditChain, 1)
    assert (head.seq, head.last_hash) == (3, rows[2].row_hash)
    assert verify_chain().ok and verify_chain().checked == 3 and verify_chain(batch=2).checked == 3


def test_a_rolled_back_transaction_leaves_no_row_and_no_gap(db):
    write(db, 1)
    record(SYSTEM, "test.never")
    db.session.flush()
    db.session.rollback()
    write(db, 1)
    assert db.session.scalars(db.select(AuditEntry.seq).order_by(AuditEntry.seq)).all() == [1, 2]
    assert verify_chain().ok


def test_a_savepoint_rolled_back_keeps_the_rows_written_before_it_sealed(db):
    kept = record(SYSTEM, "test.before_savepoint")
    db.session.flush()
    savepoint = db.session.begin_nested()  # a service tries something that may fail (a claim, a nomination)
    record(SYSTEM, "test.in_savepoint")
    db.session.flush()
    savepoint.rollback()
    db.session.commit()
    rows = db.session.execute(db.select(AuditEntry.action, AuditEntry.seq)).all()
    assert [tuple(row) for row in rows] == [("test.before_savepoint", 1)]
    assert kept.row_hash is not None and verify_chain().ok and verify_chain().unsealed == 0


def test_a_row_changed_through_raw_sql_is_found(app, db):
    ids = write(db, 4)
    tamper(db, "UPDATE audit_entries SET message = 'nothing happened' WHERE id = :id", id=ids[2])
    report = verify_chain()
    assert not report.ok and report.broken_at == 3 and report.audit_id == ids[2] and "被改动" in report.problem
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "第 3 条" in result.output and f"审计记录编号 {ids[2]}" in result.output


def test_a_deleted_row_and_a_deleted_tail_are_found(app, db):
    ids = write(db, 4)
    tamper(db, "DELETE FROM audit_entries WHERE id = :id", id=ids[1])
    report = verify_chain()
    assert not report.ok and report.broken_at == 2 and "缺失" in report.problem
    tamper(db, "DELETE FROM audit_entries WHERE id > :id", id=ids[0])
    report = verify_chain()
    assert not report.ok and "链尾缺失" in report.problem


def test_a_rehashed_row_still_breaks_the_link_after_it(db):
    ids = write(db, 3)
    row = db.session.get(AuditEntry, ids[1])
    forged = {f: getattr(row, f) for f in ("at", "user_id", "username", "action", "object_type", "object_id",
                                           "before", "after", "client_address")} | {"message": "伪造"}
    digest = row_digest(row.seq, row.prev_hash, forged)
    tamper(db, "UPDATE audit_entries SET message = '伪造', row_hash = :digest WHERE id = :id", digest=digest,
           id=ids[1])
    report = verify_chain()
    assert not report.ok and report.broken_at == 3 and "前一条记录" in report.problem


def test_the_cli_passes_an_intact_chain(app, db):
    write(db, 2)
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "审计日志校验通过：2 条记录" in result.output


def test_the_orm_refuses_to_change_an_audit_row(db):
    entry = db.session.get(AuditEntry, write(db, 1)[0])
    entry.message = "x"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET message = 'x'", "DELETE FROM audit_entries",
                                       "TRUNCATE audit_entries"])
def test_postgresql_refuses_to_change_or_remove_audit_rows(db, statement):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; on SQLite the hash chain alone finds changes")
    write(db, 2)
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement))
    assert verify_chain().ok and verify_chain().checked == 2


def test_concurrent_writers_make_one_unbroken_chain(app, db):
    make_user()
    db.session.commit()
    errors = []

    def writer(n: int) -> None:
        with app.app_context():
            try:
                for i in range(10):
                    record(SYSTEM, "test.concurrent", message=f"{n}-{i}")
                    record(SYSTEM, "test.concurrent", message=f"{n}-{i}-b")
                    db.session.commit()
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.ok and report.checked == db.session.scalar(db.select(db.func.count(AuditEntry.id))) >= 120
