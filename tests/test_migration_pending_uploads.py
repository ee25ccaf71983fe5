"""0020: roster previews still pending in instance/uploads at upgrade time move into staged_uploads under their
token, so the preview page that is open confirms them on any node; stale, unreadable and orphaned files go."""
import json
import os
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from competition.extensions import db
from competition.services.events.uploads import load_upload

pytestmark = pytest.mark.db
T = {"t": "2026-01-01 00:00:00"}


def seed_rows(conn) -> None:
    """One season, enterprise, event and two users, as 0019 left the schema."""
    conn.execute(text("INSERT INTO seasons (id, year, name, budget, created_at) VALUES (1, 2026, 's', 0, :t)"), T)
    conn.execute(text("INSERT INTO enterprises (id, name, credit_code, created_at)"
                      " VALUES (1, '恒力', '91320509MA1M7Q4K01', :t)"), T)
    conn.execute(text(
        "INSERT INTO events (id, season_id, name, occupation, level, kind, host_enterprise_id, status,"
        " event_date, registration_deadline, aggregation, aggregation_level, tie_breaks, strict_ranking,"
        " nomination_quota, open_to, created_at, updated_at) VALUES (1, 1, 'e1', '电工', 3, 'enterprise', 1,"
        " 'open', '2026-06-15', '2026-06-01', 'mean', 'judge_total', '[]', false, 3, 'host', :t, :t)"), T)
    for user_id in (1, 2):
        conn.execute(text(
            "INSERT INTO users (id, username, display_name, password_hash, role, enterprise_id, is_disabled,"
            " session_generation, created_at) VALUES (:id, :name, :name, 'x', 'enterprise', 1, false, 0, :t)"),
            {"id": user_id, "name": f"hr{user_id}", **T})


def stage_file(folder, token: str, *, user_id: int, event_id: int, age: float, data: bytes = b"PK-roster",
               filename: str = "名单.xlsx") -> str:
    """A preview as the release before 0010 kept it: <token>.xlsx and its JSON sidecar."""
    token = token.ljust(43, "a")
    (folder / f"{token}.xlsx").write_bytes(data)
    meta = {"user_id": user_id, "event_id": event_id, "filename": filename, "stored_at": time.time() - age}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return token


def test_0020_moves_fresh_previews_into_the_database_and_empties_the_folder(bare_app, tmp_path):
    app = bare_app
    folder = tmp_path / "uploads"
    folder.mkdir()
    fresh = stage_file(folder, "fresh", user_id=1, event_id=1, age=60, data=b"PK-newest")
    stage_file(folder, "older", user_id=1, event_id=1, age=600, data=b"PK-older")  # the same user and event: newest wins
    stale = stage_file(folder, "stale", user_id=2, event_id=1, age=31 * 60)
    stage_file(folder, "orphan", user_id=2, event_id=99, age=60)  # its event is gone
    broken = stage_file(folder, "broken", user_id=2, event_id=1, age=60)
    (folder / f"{broken}.json").write_text("{not json", encoding="utf-8")
    with app.app_context():
        upgrade(revision="0019_towns_fund")
        with db.engine.begin() as conn:
            seed_rows(conn)
        upgrade(revision="0020_pending_uploads")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT user_id, event_id, token, filename, size FROM staged_uploads")).all()
        data, filename = load_upload(1, 1, fresh)  # the open preview page's token confirms it
        db.session.remove()
        upgrade()  # to head: the revision left nothing behind that a later one trips over
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [(1, 1, fresh, "名单.xlsx", len(b"PK-newest"))]
    assert (data, filename) == (b"PK-newest", "名单.xlsx")
    assert stale not in {row.token for row in rows}
    assert not folder.exists()


def test_0020_with_no_uploads_folder_changes_nothing(bare_app, tmp_path):
    app = bare_app
    with app.app_context():
        upgrade(revision="0020_pending_uploads")
        count = db.session.scalar(text("SELECT count(*) FROM staged_uploads"))
        db.session.remove()
        db.engine.dispose()
    assert count == 0 and not os.path.exists(tmp_path / "uploads")
