"""events.open_to and event_invitations: an enterprise event's enrolment policy

An enterprise event's roster belongs to its host (RULES.md §4; issue 18, item 3): any enterprise user could add
entries to another enterprise's approved event and change its count toward the 50-person subsidy. An enterprise
event now says who else enrols: its host only ("host", the default), the enterprises it invites ("invited", named
in event_invitations) or every enterprise ("all"). District events are unaffected.

Every existing event gets "host". Entries already made by other enterprises are kept: only new enrolments are
refused.

Revision ID: 0013_enrolment_policy
Revises: 0012_event_policy_pin
Create Date: 2026-12-04 20:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_enrolment_policy'
down_revision = '0012_event_policy_pin'
branch_labels = None
depends_on = None


def upgrade():
    # Not batch mode: recreating `events` on SQLite with foreign keys on would cascade into every entry (see 0012).
    # SQLite adds a NOT NULL column with a default in place; the default fills the existing rows with "host".
    op.add_column('events', sa.Column(
        'open_to', sa.Enum('host', 'invited', 'all', name='opento', native_enum=False, length=20),
        server_default='host', nullable=False))
    op.create_table(
        'event_invitations',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'],
                                name=op.f('fk_event_invitations_enterprise_id_enterprises')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_invitations_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'enterprise_id', name=op.f('pk_event_invitations')),
    )
    with op.batch_alter_table('event_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_invitations_enterprise_id'), ['enterprise_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_invitations_enterprise_id'))
    op.drop_table('event_invitations')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE events DROP COLUMN open_to")  # SQLite 3.35+: no table rebuild
    else:
        op.drop_column('events', 'open_to')
