"""calendar_days: China's working calendar, days entered by an administrator

The statutory holidays and 调休 working weekends come from the chinesecalendar package; a day entered here
overrides it for that date (issue 18, RULES.md §9).

Revision ID: 0014_working_calendar
Revises: 0013_enrolment_policy
Create Date: 2026-12-04 21:00:00
"""
import sqlalchemy as sa
from alembic import op

import competition.models.types

revision = '0014_working_calendar'
down_revision = '0013_enrolment_policy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('entered_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f('ck_calendar_days_kind_valid')),
        sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_calendar_days_entered_by_id_users')),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days')),
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_year'), ['year'], unique=False)


def downgrade():
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_year'))
    op.drop_table('calendar_days')
