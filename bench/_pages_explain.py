"""The slowest statements of a page and their plans, for bench/bench_pages.py.

A page is requested once more in this process (the real app on the bench's database, through the Flask test client,
as the same logged-in user: the server's session cookie or bearer token is valid here), every statement it sends is
recorded with its parameters and duration, and the slowest SELECTs are run again under `EXPLAIN (ANALYZE, BUFFERS)`
on PostgreSQL (`EXPLAIN QUERY PLAN` on SQLite) with the very parameters the page sent.
"""
import contextlib
import time
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine

from competition.extensions import db


@dataclass
class Statement:
    """One statement a page sent: its SQL, parameters and time (ms), and later its plan."""

    sql: str
    parameters: object
    ms: float
    plan: str = ""


@contextlib.contextmanager
def recording():
    """Yield the list every statement sent inside the block is appended to."""
    seen: list[Statement] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        """Note the start."""
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        """Record the statement and its time."""
        took = (time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())) * 1000
        seen.append(Statement(statement, parameters, took))

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)


def slowest(app, path: str, headers: dict, count: int) -> tuple[int, list[Statement]]:
    """(status, the `count` slowest SELECTs with their plans) of one request of the page in this process."""
    client = app.test_client(use_cookies=False)
    with app.app_context():
        client.get(path, headers=headers)  # warm: templates compiled, caches filled, as on the server
        with recording() as seen:
            status = client.get(path, headers=headers).status_code
        chosen = sorted((s for s in seen if s.sql.lstrip().upper().startswith(("SELECT", "WITH"))),
                        key=lambda s: s.ms, reverse=True)[:count]
        for statement in chosen:
            statement.plan = explain(statement)
        db.session.remove()
    return status, chosen


def explain(statement: Statement) -> str:
    """The statement's plan, run with its own parameters on a connection of its own (rolled back)."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        postgresql = db.engine.dialect.name == "postgresql"
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
        cursor.execute(prefix + statement.sql, statement.parameters)
        rows = cursor.fetchall()
        return "\n".join(str(row[0]) if postgresql else " ".join(str(v) for v in row) for row in rows)
    except Exception as exc:  # noqa: BLE001  (a plan that can not be had is reported, not fatal)
        return f"(no plan: {type(exc).__name__}: {str(exc)[:200]})"
    finally:
        connection.rollback()
        connection.close()


def one_line(sql: str, width: int = 160) -> str:
    """A statement on one line, cut to `width`."""
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"
