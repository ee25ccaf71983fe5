"""The real app plus one bench-only route: the least work any mark save must do, for bench/save_floor.py.

    gunicorn -k gthread "bench._floor_app:create_app()"

PUT /bench/floor/events/<id>/marks takes the same body as PUT /api/v1/events/<id>/marks and does, on
PostgreSQL only, what no correct save can skip, in as few statements as SQL allows: find the bearer token's
user (1), take the event's shared lock with the judge's open panel seat (2), read the old values, upsert
the cells and log every change in one data-modifying statement (3), append the audit row (4), commit.
It checks nothing else: no range, no stale edit, no conflict of interest, no criterion of another event,
no pydantic, no ORM; the old values it logs are those of the statement's snapshot (the upsert locks the
rows; a FOR UPDATE on them in the same statement would find them already changed by it and return nothing). It is a yardstick for the real save, never a way to save marks; the app under test
is otherwise exactly `competition:create_app()`.
"""
import hashlib

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import JSON, bindparam, text

from competition import create_app as create_competition_app
from competition.extensions import csrf, db
from competition.models import utcnow
from competition.models.types import UTCDateTime

bp = Blueprint("bench_floor", __name__, url_prefix="/bench/floor")

TOKEN = text("SELECT u.id, u.username FROM api_tokens t JOIN users u ON u.id = t.user_id"
             " WHERE t.token_hash = :digest AND t.revoked_at IS NULL AND t.expires_at > :now"
             " AND NOT u.is_disabled").bindparams(bindparam("now", type_=UTCDateTime()))
SEAT = text("SELECT e.status FROM events e JOIN panel_members p ON p.event_id = e.id AND p.user_id = :user_id"
            " AND p.submitted_at IS NULL WHERE e.id = :event_id FOR SHARE OF e")
SAVE = text("""
WITH cells AS (
    SELECT en.id AS entry_id, x.criterion_id, x.value
    FROM unnest(CAST(:criteria AS integer[]), CAST(:marks AS numeric[]), CAST(:numbers AS text[]))
         AS x(criterion_id, value, number)
    JOIN entries en ON en.event_id = :event_id AND en.number = x.number
), old AS (
    SELECT m.id, m.value FROM marks m JOIN cells c ON c.entry_id = m.entry_id AND c.criterion_id = m.criterion_id
    WHERE m.judge_key = :user_id
), saved AS (
    INSERT INTO marks (event_id, entry_id, criterion_id, judge_key, entered_by_id, value, version, updated_at)
    SELECT :event_id, entry_id, criterion_id, :user_id, :user_id, value, 1, :now FROM cells
    ON CONFLICT (entry_id, criterion_id, judge_key) DO UPDATE
        SET value = excluded.value, version = marks.version + 1, entered_by_id = excluded.entered_by_id,
            updated_at = excluded.updated_at
    RETURNING id, entry_id, criterion_id, value, version
)
INSERT INTO mark_changes (mark_id, event_id, entry_id, criterion_id, judge_key, old_value, new_value, changed_by_id,
                          changed_at)
SELECT s.id, :event_id, s.entry_id, s.criterion_id, :user_id, o.value, s.value, :user_id, :now
FROM saved s LEFT JOIN old o ON o.id = s.id
RETURNING mark_id, new_value
""").bindparams(bindparam("now", type_=UTCDateTime()))
AUDIT = text("INSERT INTO audit_entries (at, user_id, username, action, object_type, object_id, after, client_address)"
             " VALUES (:now, :user_id, :username, 'mark.change', 'Event', :event_id, :after, :address)"
             ).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("after", type_=JSON()))


@bp.put("/events/<int:event_id>/marks")
def floor_save(event_id: int):
    """The floor of a save (see the module docstring): 4 statements and a commit."""
    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    now = utcnow()
    connection = db.session.connection()
    user = connection.execute(TOKEN, {"digest": hashlib.sha256(token.encode()).hexdigest(), "now": now}).first()
    if user is None:
        abort(401)
    if connection.execute(SEAT, {"user_id": user.id, "event_id": event_id}).first() is None:
        abort(403)
    marks = request.get_json()["marks"]
    saved = connection.execute(SAVE, {
        "criteria": [int(m["criterion_id"]) for m in marks], "marks": [str(m["value"]) for m in marks],
        "numbers": [str(m["number"]) for m in marks], "event_id": event_id, "user_id": user.id, "now": now}).all()
    connection.execute(AUDIT, {"now": now, "user_id": user.id, "username": user.username, "event_id": event_id,
                               "after": {"cells": [[m["number"], m["criterion_id"], str(m["value"])] for m in marks]},
                               "address": request.remote_addr})
    db.session.commit()
    return jsonify({"marks": [{"mark_id": mark_id, "value": str(value)} for mark_id, value in saved]})


def create_app():
    """competition:create_app() with the floor route (CSRF-exempt: it authenticates with the bearer token)."""
    app = create_competition_app()
    csrf.exempt(bp)
    app.register_blueprint(bp)
    return app

