"""The real app plus what bench/bench_pages.py measures it with: a bare `SELECT 1` route and a statement count.

    gunicorn -k gthread "bench._pages_app:create_app()"

GET /bench/pages/select1 runs `SELECT 1` through the app's session and returns its value: the least any page
request does on the same server (routing, the session's connection from the pool, one round trip, a response).
Every response carries X-Bench-Statements: the SQL statements the request sent (a before_cursor_execute listener,
counting per request; the session's closing ROLLBACK goes through no cursor and is not counted). The app is otherwise
exactly `competition:create_app()` (with BENCH_GC_FREEZE=1, see create_app).
"""
import gc
import os

from flask import Blueprint, g, has_request_context
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from competition import create_app as create_competition_app
from competition.extensions import db

bp = Blueprint("bench_pages", __name__, url_prefix="/bench/pages")
HEADER = "X-Bench-Statements"


@bp.get("/select1")
def select1():
    """One `SELECT 1` and its value as the body."""
    return str(db.session.execute(text("SELECT 1")).scalar_one())


def _count(conn, cursor, statement, parameters, context, executemany) -> None:
    """before_cursor_execute: one more statement for the request being served (none outside a request)."""
    if has_request_context():
        g.bench_statements = g.get("bench_statements", 0) + 1


def _stamp(response):
    """after_request: the request's statement count as a header."""
    response.headers[HEADER] = str(g.get("bench_statements", 0))
    return response


def instrument(app) -> None:
    """Add the SELECT 1 route and the statement-count header to an app."""
    app.register_blueprint(bp)
    if not event.contains(Engine, "before_cursor_execute", _count):
        event.listen(Engine, "before_cursor_execute", _count)
    app.after_request(_stamp)


def create_app():
    """competition:create_app(), instrumented; with BENCH_GC_FREEZE=1 every object made so far (modules, the app) is
    moved out of the collector's sight with gc.freeze(), as a gunicorn post_worker_init hook would do, so a full
    collection walks only what requests made (bench_pages.py --gc-freeze measures what that would change)."""
    app = create_competition_app()
    instrument(app)
    if os.environ.get("BENCH_GC_FREEZE") == "1":
        gc.collect()
        gc.freeze()
    return app
