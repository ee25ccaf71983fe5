"""events.policy_version_id: the policy version an event's decisions used, pinned

A back-dated policy version (created on 2026-12-31 with effect from 2026-06-01) used to govern events that
were already decided: a final 49-participant event became eligible under its lower threshold and a paid
event showed the new figures (issue 16, item 2). An event now pins the version that governs it when the
first decision uses it: approval into the plan, sign-off, a subsidy claim or a nomination.

This revision pins the events already decided: to the version their first subsidy claim used, else to the
version in force on their date (the founding version for a date before it) when they were approved into
the plan, signed off, or have nominations.

Revision ID: 0012_event_policy_pin
Revises: 0011_entry_withdraw_reason
Create Date: 2026-12-04 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_event_policy_pin'
down_revision = '0011_entry_withdraw_reason'
branch_labels = None
depends_on = None

APPROVED_ONWARD = "('approved', 'open', 'closed', 'drawn', 'scoring', 'signed_off', 'notice', 'final')"
SIGNED_OFF_ONWARD = "('signed_off', 'notice', 'final')"


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # Not batch mode: recreating `events` drops the old table, and with foreign keys on SQLite that cascades
        # into every entry and snapshot. SQLite adds a nullable column with its reference in place.
        op.execute("ALTER TABLE events ADD COLUMN policy_version_id INTEGER"
                   " CONSTRAINT fk_events_policy_version_id_policy_versions REFERENCES policy_versions (id)")
    else:
        op.add_column('events', sa.Column('policy_version_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_events_policy_version_id_policy_versions'), 'events', 'policy_versions',
                              ['policy_version_id'], ['id'])
    op.create_index(op.f('ix_events_policy_version_id'), 'events', ['policy_version_id'], unique=False)
    op.execute(
        "UPDATE events SET policy_version_id = (SELECT c.policy_version_id FROM subsidy_claims c"
        " WHERE c.event_id = events.id ORDER BY c.id LIMIT 1)"
        " WHERE EXISTS (SELECT 1 FROM subsidy_claims c WHERE c.event_id = events.id)")
    op.execute(
        "UPDATE events SET policy_version_id = COALESCE("
        " (SELECT p.id FROM policy_versions p WHERE p.effective_from <= events.event_date"
        "  ORDER BY p.effective_from DESC LIMIT 1),"
        " (SELECT p.id FROM policy_versions p ORDER BY p.effective_from LIMIT 1))"
        " WHERE policy_version_id IS NULL AND (signed_off_at IS NOT NULL"
        f" OR status IN {SIGNED_OFF_ONWARD}"
        f" OR (kind = 'enterprise' AND status IN {APPROVED_ONWARD})"
        " OR EXISTS (SELECT 1 FROM nominations n WHERE n.event_id = events.id))")


def downgrade():
    op.drop_index(op.f('ix_events_policy_version_id'), table_name='events')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE events DROP COLUMN policy_version_id")  # SQLite 3.35+: no table rebuild
    else:
        op.drop_constraint(op.f('fk_events_policy_version_id_policy_versions'), 'events', type_='foreignkey')
        op.drop_column('events', 'policy_version_id')
