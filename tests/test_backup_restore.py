"""Backup and restore (issue 22, item 6), as the README's operations section tells an operator to do it: `pg_dump
--format=custom` of the league's database, `pg_restore` into a new, empty database, and the app on the restored
database serves the same results, standings and rewards, and its audit chain still verifies. PostgreSQL only (the
database tests' second run in .ci/run); SQLite's backup is a copy of one file."""
import os
import shutil
import subprocess

import pytest
from sqlalchemy import create_engine, make_url, text

from competition import create_app
from competition.extensions import db as _db
from competition.services.audit import verify_chain
from tests.clients import bearer
from tests.league_builders import league_world

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL") or not shutil.which("pg_dump"),
                                reason="PostgreSQL and its client tools: the database tests' PostgreSQL run")


def _plain(url) -> str:
    """A libpq URL (no SQLAlchemy driver name) for the command-line tools."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_dump_restored_into_a_new_database_serves_the_same_league(app, client, db, tmp_path):
    league = league_world()
    season_id, event_id = league.world.event.season_id, league.world.event.id
    organiser = bearer(league.users["organiser"])
    paths = (f"/api/v1/events/{event_id}/results", f"/api/v1/seasons/{season_id}/standings",
             f"/api/v1/seasons/{season_id}/rewards")
    before = {path: client.get(path, headers=organiser).get_json() for path in paths}
    db.session.remove()

    source = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    target = source.set(database=f"{source.database}_restored")
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    dump = tmp_path / "league.dump"
    try:
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _plain(source)], check=True,
                       capture_output=True, timeout=300)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_plain(target)}", str(dump)],
                       check=True, capture_output=True, timeout=300)
        restored = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": target.render_as_string(hide_password=False),
                               "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": app.config["SECRET_KEY"]})
        with restored.app_context():
            other = restored.test_client()
            # the same bearer token: tokens live in the database, so they survive the restore like everything else
            after = {path: other.get(path, headers=organiser).get_json() for path in paths}
            chain = verify_chain()
            _db.session.remove()
            _db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()
    assert after == before
    assert before[paths[1]]["enterprises"][0]["points"] == 24 and len(before[paths[2]]["items"]) == 2
    assert chain.ok, chain
