"""The real app plus what bench/bench_pages.py measures it with: a bare `SELECT 1` route and a statement count.

    gunicorn -k gthread "bench._pages_app:create_app()"

GET /bench/pages/select1 runs `SELECT 1` through the app's session and returns its value: the least any page
request does on the same server (routing, the session's connection from the pool, one round trip, a response).
Every response carries X-Bench-Statements: the SQL statements the request sent (a before_cursor_execute listener,
counting per request; the session's closing ROLLBACK goes through no cursor and is not counted). The app is otherwise
exactly `competition:create_app()`.
"""
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
    """competition:create_app(), instrumented (gunicorn.conf.py, read from the repository root where the bench starts
    gunicorn, freezes each worker's start-up objects as in production)."""
    app = create_competition_app()
    instrument(app)
    return app
