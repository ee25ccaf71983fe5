"""Counting what the database holds and how many SQL statements an action sends."""
from sqlalchemy import event as sa_event

from competition.extensions import db as _db


def count(db, model) -> int:
    """Rows of a model."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def count_fresh(model) -> int:
    """Rows of a model, read afresh (what other connections committed included)."""
    _db.session.expire_all()
    return _db.session.scalar(_db.select(_db.func.count()).select_from(model))


def statements(db, action) -> int:
    """How many SQL statements an action runs."""
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)
