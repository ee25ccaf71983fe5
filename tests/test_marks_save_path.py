"""The mark save's fast path (issue 22, speed; services/marking/store.py): on PostgreSQL one read and one write,
cells read without row locks and checked by the write, and the audit row appended already sealed at commit
(services/audit_sealed.py). The checks it must keep are the existing marks tests'; these pin what the fast path
itself promises."""
import hashlib
import logging
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, text

from competition.errors import InvalidState
from competition.models import AuditChain, AuditEntry, Mark, MarkChange
from competition.rules.audit_chain import GENESIS, row_digest, row_text
from competition.services.audit import SYSTEM, record, verify_chain
from competition.services.marking import marks as marks_service
from competition.services.marking.marks import read_for_marking, save_marks
from tests.clients import Api, bearer, race
from tests.counting import count, statements
from tests.marking_builders import make_world


def postgresql_only(db) -> None:
    """Skip on SQLite: the path under test is PostgreSQL's (CI runs every database test there too)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's one-statement save; SQLite saves step by step")


@pytest.mark.parametrize("content", [
    {"at": datetime(2026, 6, 19, 1, 2, 3, 456789, tzinfo=timezone.utc), "user_id": 7, "username": "裁判甲",
     "action": "mark.change", "object_type": "Event", "object_id": 3, "before": None,
     "after": {"judge_id": 7, "cells": [["001", 2, 7, None, "50.50"], ["００２", 3, 0, "1.00", "2.00"]]},
     "message": "复核：\"引号\"与\\反斜杠", "client_address": "10.0.0.1"},
    {"at": datetime(2012, 12, 5), "user_id": None, "username": None, "action": "x", "object_type": None,
     "object_id": None, "before": {"a": [1, 2.5]}, "after": None, "message": None, "client_address": None},
])
def test_the_row_text_framed_as_the_sql_frames_it_is_the_rows_digest(content):
    """services/audit_sealed.SEALED_ROW hashes '{"prev":"…","row":<row_text>,"seq":N}' in SQL: the same text
    row_digest hashes, so audit-verify recomputes what the database computed."""
    prev = hashlib.sha256(b"earlier").hexdigest()
    framed = '{"prev":"' + prev + '","row":' + row_text(content) + ',"seq":' + str(41) + '}'
    assert hashlib.sha256(framed.encode("utf-8")).hexdigest() == row_digest(41, prev, content)


def test_each_save_appends_one_sealed_audit_row_and_the_chain_holds(client, db):
    api = Api(client, make_world(2, judges=3))
    t, q, s = api.world.criteria
    assert api.put_marks(api.judge(1), [("001", q, "50"), ("002", s, "30")]).status_code == 200
    assert api.put_marks(api.judge(1), [("001", q, "51", "50"), ("002", s, "30", "30")]).status_code == 200
    assert api.put_marks(api.judge(1), [("001", q, "51", "51")]).status_code == 200  # nothing changes: no row
    db.session.expire_all()
    rows = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("mark.%"))
                              .order_by(AuditEntry.seq)).all()
    judge = api.judge(1)
    assert [(r.action, r.user_id, r.username, r.object_type, r.object_id) for r in rows] == [
        ("mark.enter", judge.id, judge.username, "Event", api.event_id),
        ("mark.change", judge.id, judge.username, "Event", api.event_id)]
    assert rows[0].after == {"judge_id": judge.id, "cells": [["001", q, judge.id, None, "50.00"],
                                                             ["002", s, judge.id, None, "30.00"]]}
    assert rows[1].after["cells"] == [["001", q, judge.id, "50.00", "51.00"]]
    assert rows[1].seq == rows[0].seq + 1 and rows[1].prev_hash == rows[0].row_hash
    report = verify_chain()
    assert report.ok and report.unsealed == 0, report
    head = db.session.get(AuditChain, 1)
    assert head.seq == report.checked


def test_a_save_before_the_chain_has_a_head_still_seals_its_row(client, db):
    api = Api(client, make_world(1, judges=2))
    _, q, _ = api.world.criteria
    headers = api.headers(api.judge(1))  # its token's audit row created the head: take both away again
    db.session.remove()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # past the append-only trigger
        connection.execute(delete(AuditEntry))
        connection.execute(delete(AuditChain))
    response = client.put(api.url("marks"), json={"marks": [{"number": "001", "criterion_id": q, "value": "50"}]},
                          headers=headers)
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.seq == 1)) == "mark.enter"
    assert db.session.get(AuditChain, 1).seq == 1 and verify_chain().ok
    assert db.session.scalar(db.select(AuditEntry.prev_hash).where(AuditEntry.seq == 1)) == GENESIS


def test_a_put_for_an_event_that_does_not_exist_is_404(client, db):
    api = Api(client, make_world(1, judges=2))
    _, q, _ = api.world.criteria
    response = client.put("/api/v1/events/987654/marks", json={"marks": [{"number": "001", "criterion_id": q,
                                                                          "value": "1"}]},
                          headers=api.headers(api.judge(1)))
    assert response.status_code == 404 and count(db, Mark) == 0


def test_a_put_runs_four_statements_on_postgresql(client, db):
    postgresql_only(db)
    record(SYSTEM, "test.chain")  # the chain has its head, as in any database in use
    api = Api(client, make_world(3, judges=2))
    t, q, s = api.world.criteria
    headers = api.headers(api.judge(1))

    def put(marks) -> int:
        """Statements of one PUT (the connection's own BEGIN and COMMIT are not statements)."""
        body = {"marks": [dict(zip(("number", "criterion_id", "value", "expected"), m)) for m in marks]}
        def send() -> None:
            """One PUT that must succeed."""
            response = client.put(api.url("marks"), json=body, headers=headers)
            assert response.status_code == 200, response.get_json()
        return statements(db, send)

    # the token's user; the read (event locked, panel, criteria, entries, cells); the write (cells, history); the
    # audit row, sealed, at commit
    assert put([("001", q, "50"), ("001", s, "30"), ("002", q, "40")]) == 4
    assert put([("001", q, "51", "50"), ("003", s, "20"), ("002", q, "40", "40")]) == 4
    assert count(db, MarkChange) == 5 and verify_chain().ok


def test_a_cell_someone_else_changes_after_the_read_refuses_the_batch(app, db, monkeypatch):
    """No row locks on the cells: the write's version check finds the other save, made on a real second
    connection (SQLite's writers never overlap: BEGIN IMMEDIATE)."""
    postgresql_only(db)
    world = make_world(1, judges=2)
    _, q, s = world.criteria
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    db.session.commit()
    real = marks_service._stored

    def stored_then_saved_elsewhere(event, targets):
        """The other tab's save commits between this save's read and its write."""
        found = real(event, targets)
        with db.engine.begin() as other:
            other.execute(text("UPDATE marks SET value = 41, version = version + 1"))
        return found

    monkeypatch.setattr(marks_service, "_stored", stored_then_saved_elsewhere)
    with pytest.raises(InvalidState) as caught:
        save_marks(world.actor(1), world.event, [("001", s, "30", None), ("001", q, "55", "50")])
    assert caught.value.code == "stale_mark" and caught.value.details[0]["field"] == "marks[1]"
    db.session.rollback()
    assert count(db, Mark) == 1 and count(db, MarkChange) == 1
    assert db.session.scalar(db.select(Mark.value)) == 41


def test_reading_for_the_api_brings_the_panel_and_loads_no_object(db):
    world = make_world(2, judges=3)
    _, q, _ = world.criteria
    loaded = set(db.session.identity_map.keys())
    state = read_for_marking(world.event.id, [("００２", q, "1", None)], world.actor(1))
    assert [seat.user_id for seat in state.event.panel] == [j.id for j in world.judges]
    assert [(seat.is_chief, seat.submitted_at) for seat in state.event.panel] == [(True, None), (False, None),
                                                                                 (False, None)]
    assert list(state.entries) == ["002"] and q in state.criteria and state.stored == {}
    assert set(db.session.identity_map.keys()) == loaded  # the save is authorised against the seats, not objects


def test_the_access_line_of_a_put_names_the_tokens_user(client, db, caplog):
    api = Api(client, make_world(1, judges=2))
    _, q, _ = api.world.criteria
    caplog.set_level(logging.INFO, logger="competition.requests")
    assert api.put_marks(api.judge(1), [("001", q, "50")]).status_code == 200
    [line] = [r for r in caplog.records if r.name == "competition.requests" and getattr(r, "method", "") == "PUT"]
    assert (line.endpoint, line.status, line.user_id) == ("api.save_marks", 200, api.judge(1).id)


def test_a_save_in_a_savepoint_rolled_back_leaves_no_audit_row_and_one_released_keeps_it(db):
    world = make_world(1, judges=2)
    _, q, s = world.criteria
    db.session.commit()
    with pytest.raises(RuntimeError):
        with db.session.begin_nested():
            save_marks(world.actor(1), world.event, [("001", q, "50", None)])
            raise RuntimeError("undo the savepoint")
    with db.session.begin_nested():
        save_marks(world.actor(1), world.event, [("001", s, "30", None)])
    db.session.commit()
    rows = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("mark.%"))).all()
    assert [r.after["cells"] for r in rows] == [[["001", s, world.judges[1].id, None, "30.00"]]]
    assert count(db, Mark) == 1 and verify_chain().ok


def test_a_rolled_back_save_writes_no_audit_row_at_the_next_commit(db):
    world = make_world(1, judges=2)
    _, q, _ = world.criteria
    db.session.commit()
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    db.session.rollback()
    record(SYSTEM, "test.after")
    db.session.commit()
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("%.after")
                                                                    | AuditEntry.action.like("mark.%"))).all()
    assert actions == ["test.after"] and verify_chain().ok


def test_saves_and_other_audited_writes_at_once_make_one_unbroken_chain(app, db):
    world = make_world(6, judges=4)
    _, q, s = world.criteria
    numbers = list(world.entries)
    calls = [("PUT", f"/api/v1/events/{world.event.id}/marks",
              {"marks": [{"number": n, "criterion_id": c, "value": str(10 + i)} for n in numbers for c in (q, s)]},
              bearer(judge)) for i, judge in enumerate(world.judges)]
    db.session.commit()
    errors = []

    def other_writer() -> None:
        """Rows sealed by the ORM at commit, meanwhile."""
        with app.app_context():
            try:
                for i in range(10):
                    record(SYSTEM, "test.meanwhile", message=str(i))
                    db.session.commit()
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    db.session.remove()
    thread = threading.Thread(target=other_writer)
    thread.start()
    responses = race(app, calls)
    thread.join()
    assert errors == [] and [r.status_code for r in responses] == [200] * 4
    report = verify_chain()
    assert report.ok and report.unsealed == 0
    assert report.checked == db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "mark.enter")) == 4
