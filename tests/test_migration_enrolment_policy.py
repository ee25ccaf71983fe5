"""0013: existing events get the default enrolment policy, "host" (issue 18, item 3), and the revision undoes."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from competition.extensions import db

pytestmark = pytest.mark.db
T = {"t": "2026-01-01 00:00:00"}


def test_0013_gives_existing_events_the_hosts_roster_and_undoes(bare_app):
    app = bare_app
    with app.app_context():
        upgrade(revision="0012_event_policy_pin")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO seasons (id, year, name, budget, created_at) VALUES (1, 2026, 's', 0, :t)"), T)
            conn.execute(text("INSERT INTO enterprises (id, name, credit_code, created_at)"
                              " VALUES (1, '恒力', '91320509MA1M7Q4K01', :t)"), T)
            for event_id, kind in ((1, "enterprise"), (2, "district")):
                conn.execute(text(
                    "INSERT INTO events (id, season_id, name, occupation, level, kind, host_enterprise_id, status,"
                    " event_date, registration_deadline, aggregation, aggregation_level, tie_breaks, strict_ranking,"
                    " nomination_quota, created_at, updated_at) VALUES (:id, 1, :name, '电工', 3, :kind, :host,"
                    " 'open', '2026-06-15', '2026-06-01', 'mean', 'judge_total', '[]', false, 3, :t, :t)"),
                    {"id": event_id, "name": f"e{event_id}", "kind": kind,
                     "host": 1 if kind == "enterprise" else None, **T})
        upgrade(revision="0013_enrolment_policy")
        with db.engine.begin() as conn:
            policies = dict(conn.execute(text("SELECT id, open_to FROM events ORDER BY id")).all())
            conn.execute(text("INSERT INTO event_invitations (event_id, enterprise_id) VALUES (1, 1)"))
        downgrade(revision="0012_event_policy_pin")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("events")}
            tables = set(inspect(conn).get_table_names())
            kept = conn.execute(text("SELECT count(*) FROM events")).scalar()
        db.engine.dispose()
    assert policies == {1: "host", 2: "host"}
    assert "open_to" not in columns and "event_invitations" not in tables and kept == 2
