"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from competition.extensions import db

pytestmark = pytest.mark.db


def test_upgrade_matches_models(bare_app):
    """upgrade() on an empty database leaves no difference from the models' metadata."""
    app = bare_app
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == []


def test_upgrade_creates_the_founding_policy_version(bare_app):
    """The first policy version, effective 2012-12-05 with the founding figures, comes with the schema."""
    app = bare_app
    with app.app_context():
        upgrade()
        row = db.session.execute(text(
            "SELECT effective_from, participant_threshold, subsidy_amount, subsidies_per_enterprise_year,"
            " expert_subsidy, nomination_quota, pass_mark, notice_working_days FROM policy_versions"
        )).one()
        db.session.remove()
        db.engine.dispose()
    assert str(row[0]) == "2012-12-05"
    assert tuple(row[1:]) == (50, 20000, 1, 2000, 3, 60, 5)


def test_downgrade_to_base_and_up_again(bare_app):
    """Every migration can be undone and redone (a bad release can be rolled back)."""
    app = bare_app
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        count = db.session.scalar(text("SELECT count(*) FROM policy_versions"))
        db.session.remove()
        db.engine.dispose()
    assert count == 1


def test_0006_moves_explanations_out_of_existing_snapshots_and_back(bare_app):
    """A snapshot frozen before 0006 keeps every explanation: split out on upgrade, put back on downgrade."""
    import json

    from sqlalchemy.orm import undefer

    from competition.models import ResultSnapshot
    from competition.services.results.snapshots import explained_rows

    app = bare_app
    rows = [{"entry_id": 7, "rank": 1, "total": "87.45", "explanation": {"text": "88.5×30% + 87×70% = 87.45"}},
            {"entry_id": 8, "rank": None, "total": None, "explanation": {"text": "缺考"}}]
    with app.app_context():
        upgrade(revision="0005_nominations")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO seasons (id, year, name, budget, created_at) VALUES (1, 2026, 's', 0, :t)"),
                         {"t": "2026-01-01 00:00:00"})
            conn.execute(text(
                "INSERT INTO events (id, season_id, name, occupation, level, kind, status, event_date,"
                " registration_deadline, aggregation, aggregation_level, tie_breaks, strict_ranking, nomination_quota,"
                " created_at, updated_at) VALUES (1, 1, 'e', '电工', 3, 'district', 'signed_off', '2026-06-15',"
                " '2026-06-01', 'mean', 'judge_total', '[]', false, 3, :t, :t)"), {"t": "2026-01-01 00:00:00"})
            conn.execute(text("INSERT INTO result_snapshots (id, event_id, sequence, created_at, participants, payload)"
                              " VALUES (1, 1, 1, :t, 1, :p)"), {"t": "2026-01-01 00:00:00",
                                                                "p": json.dumps({"method": "mean", "rows": rows})})
        upgrade()
        snapshot = db.session.scalar(db.select(ResultSnapshot).options(undefer(ResultSnapshot.explanations)))
        assert all("explanation" not in row for row in snapshot.payload["rows"])
        assert snapshot.explanations == {"7": rows[0]["explanation"], "8": rows[1]["explanation"]}
        assert explained_rows(snapshot) == rows
        db.session.remove()
        downgrade(revision="0005_nominations")
        with db.engine.connect() as conn:
            payload = conn.execute(text("SELECT payload FROM result_snapshots")).scalar_one()
        assert (json.loads(payload) if isinstance(payload, str) else payload)["rows"] == rows
        db.engine.dispose()


def test_0012_pins_the_events_already_decided(bare_app):
    """Events decided before 0012 are pinned: to their claim's version first (even when a later version covers
    their date), else to the version in force on their date if approved into the plan, signed off or nominated;
    events no decision used stay unpinned, so a new version can still govern them."""
    app = bare_app
    t = {"t": "2026-01-01 00:00:00"}
    with app.app_context():
        upgrade(revision="0011_entry_withdraw_reason")
        with db.engine.begin() as conn:
            founding = conn.execute(text("SELECT id FROM policy_versions")).scalar()
            conn.execute(text(
                "INSERT INTO policy_versions (id, effective_from, participant_threshold, subsidy_amount,"
                " subsidies_per_enterprise_year, expert_subsidy, nomination_quota, pass_mark, notice_working_days,"
                " created_at) VALUES (99, '2026-01-01', 40, 30000, 1, 2000, 2, 60, 5, :t)"), t)
            conn.execute(text("INSERT INTO seasons (id, year, name, budget, created_at) VALUES (1, 2026, 's', 0, :t)"), t)
            conn.execute(text("INSERT INTO enterprises (id, name, credit_code, created_at)"
                              " VALUES (1, '恒力', '91320509MA1MXXXX01', :t)"), t)
            events = {1: ("enterprise", "final"), 2: ("enterprise", "approved"), 3: ("district", "open"),
                      4: ("district", "notice"), 5: ("enterprise", "cancelled"), 6: ("enterprise", "submitted")}
            for event_id, (kind, status) in events.items():
                conn.execute(text(
                    "INSERT INTO events (id, season_id, name, occupation, level, kind, host_enterprise_id, status,"
                    " event_date, registration_deadline, aggregation, aggregation_level, tie_breaks, strict_ranking,"
                    " nomination_quota, created_at, updated_at) VALUES (:id, 1, :name, '电工', 3, :kind, :host,"
                    " :status, '2026-06-15', '2026-06-01', 'mean', 'judge_total', '[]', false, 3, :t, :t)"),
                    {"id": event_id, "name": f"e{event_id}", "kind": kind, "status": status,
                     "host": 1 if kind == "enterprise" else None, **t})
            conn.execute(text(
                "INSERT INTO subsidy_claims (id, event_id, season_id, host_enterprise_id, policy_version_id, state,"
                " amount, participants, checks, created_at) VALUES (1, 1, 1, 1, :v, 'paid', 20000, 55, '[]', :t)"),
                {"v": founding, **t})
        upgrade()
        pins = dict(db.session.execute(text("SELECT id, policy_version_id FROM events ORDER BY id")).all())
        db.session.remove()
        db.engine.dispose()
    assert pins == {1: founding, 2: 99, 3: None, 4: 99, 5: None, 6: None}


def test_0018_numbers_the_tiers_of_the_certificates_already_issued(bare_app):
    """Prize certificates issued before 0018 get their tier's position from their event's tiers: the event's own, else
    its policy version's; a name no tier has any more gets none (it earns no standings points)."""
    app = bare_app
    t = {"t": "2026-01-01 00:00:00"}
    with app.app_context():
        upgrade(revision="0017_certificates")
        with db.engine.begin() as conn:
            founding = conn.execute(text("SELECT id FROM policy_versions")).scalar()
            conn.execute(text("INSERT INTO seasons (id, year, name, budget, created_at) VALUES (1, 2026, 's', 0, :t)"), t)
            own = '[{"name": "金奖", "count": 1}, {"name": "银奖", "count": 2}]'
            for event_id, tiers in ((1, None), (2, own)):
                conn.execute(text(
                    "INSERT INTO events (id, season_id, name, occupation, level, kind, status, event_date,"
                    " registration_deadline, aggregation, aggregation_level, tie_breaks, strict_ranking,"
                    " nomination_quota, open_to, policy_version_id, prize_tiers, created_at, updated_at) VALUES (:id, 1,"
                    " :name, '电工', 3, 'district', 'final', '2026-06-15', '2026-06-01', 'mean', 'judge_total', '[]',"
                    " false, 3, 'host', :v, :tiers, :t, :t)"),
                    {"id": event_id, "name": f"e{event_id}", "v": founding, "tiers": tiers, **t})
            certificates = {1: (1, "二等奖"), 2: (2, "银奖"), 3: (2, "一等奖"), 4: (1, "三等奖")}
            for serial, (event_id, prize) in certificates.items():
                conn.execute(text("INSERT INTO persons (id, id_number, name, birth_date, gender, created_at)"
                                  " VALUES (:id, :number, '张三', '1949-12-31', '女', :t)"),
                             {"id": serial, "number": f"1101051949123100{serial}X", **t})
                conn.execute(text("INSERT INTO entries (id, event_id, person_id, status, created_at)"
                                  " VALUES (:id, :event, :id, 'present', :t)"), {"id": serial, "event": event_id, **t})
                conn.execute(text(
                    "INSERT INTO certificates (id, number, year, serial, kind, event_id, entry_id, person_id, prize_name,"
                    " issued_at) VALUES (:id, :number, 2026, :id, 'prize', :event, :id, :id, :prize, :t)"),
                    {"id": serial, "number": f"WJ2026-{serial:06d}", "event": event_id, "prize": prize, **t})
        upgrade()
        tiers = dict(db.session.execute(text("SELECT id, prize_tier FROM certificates ORDER BY id")).all())
        points = db.session.execute(text("SELECT standing_points, rewards FROM policy_versions")).one()
        db.session.remove()
        db.engine.dispose()
    assert tiers == {1: 2, 2: 2, 3: None, 4: 3}
    decoded = [json.loads(value) if isinstance(value, str) else value for value in points]
    assert decoded == [{"prizes": [10, 6, 3], "participant": 1, "hosted_event": 5}, []]
