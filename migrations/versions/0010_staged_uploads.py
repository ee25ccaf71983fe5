"""staged_uploads: previewed rosters kept in the database, one per user and event

Previews used to be files in the instance folder, one per browser cookie, so replaying a cookie filled the
disk (issue 14, finding 5), and a preview made on one node could not be confirmed on another. Files
still pending in instance/uploads at upgrade time expire within 30 minutes; their users upload again.

Revision ID: 0010_staged_uploads
Revises: 0009_audit_chain
Create Date: 2026-12-04 15:30:00
"""
import sqlalchemy as sa
from alembic import op

import competition.models.types  # noqa: F401

revision = '0010_staged_uploads'
down_revision = '0009_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staged_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_staged_uploads_event_id_events'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staged_uploads_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staged_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_staged_uploads_token')),
    sa.UniqueConstraint('user_id', 'event_id', name=op.f('uq_staged_uploads_user_id_event_id'))
    )
    with op.batch_alter_table('staged_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staged_uploads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staged_uploads_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staged_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staged_uploads_user_id'))
        batch_op.drop_index(batch_op.f('ix_staged_uploads_created_at'))
    op.drop_table('staged_uploads')
