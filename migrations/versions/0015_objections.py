"""objections: objections to an entry's result during the public notice

While an event is under notice (公示), an enterprise objects to one of its employees' results, or an organiser
records an objection made by phone, letter or in person (who and how to reach them); an organiser upholds it (the
event returns to scoring) or dismisses it, with a reason the filer sees (RULES.md §14; issue 19, item 1). Each
objection keeps the round of the notice it was filed in (the publication instant and the notice's last day), so it
stays recognisable after a republish. Finalisation waits while one is undecided.

Revision ID: 0015_objections
Revises: 0014_working_calendar
Create Date: 2026-12-08 20:00:00
"""
import sqlalchemy as sa
from alembic import op

import competition.models.types

revision = '0015_objections'
down_revision = '0014_working_calendar'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'objections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.Enum('received', 'upheld', 'dismissed', name='objectionstate', native_enum=False,
                                   length=20), nullable=False),
        sa.Column('reason', sa.String(length=2000), nullable=False),
        sa.Column('channel', sa.Enum('online', 'phone', 'letter', 'visit', 'other', name='objectionchannel',
                                     native_enum=False, length=20), nullable=False),
        sa.Column('objector', sa.String(length=60), nullable=True),
        sa.Column('contact', sa.String(length=100), nullable=True),
        sa.Column('filed_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('notice_published_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('notice_ends_on', sa.Date(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', competition.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.String(length=500), nullable=True),
        sa.CheckConstraint("state = 'received' OR (decided_at IS NOT NULL AND decision_reason IS NOT NULL)",
                           name=op.f('ck_objections_decided_has_reason')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_objections_decided_by_id_users')),
        sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_objections_entry_id_entries'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_objections_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_objections_filed_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_objections')),
    )
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objections_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objections_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objections_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objections_state'))
        batch_op.drop_index(batch_op.f('ix_objections_event_id'))
        batch_op.drop_index(batch_op.f('ix_objections_entry_id'))
    op.drop_table('objections')
