"""entries.withdraw_reason: why a contestant withdrew after the draw

Before the draw an entry can be corrected or removed; after it, only a withdrawal with a reason is recorded
(issue 15, M5).

Revision ID: 0011_entry_withdraw_reason
Revises: 0010_staged_uploads
Create Date: 2026-12-04 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_entry_withdraw_reason'
down_revision = '0010_staged_uploads'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdraw_reason', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_column('withdraw_reason')
