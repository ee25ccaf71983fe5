"""login_throttles: failed logins and locks per account and client address

Five wrong passwords used to lock an account everywhere, so anyone could keep an administrator out
(issue 14, finding 2). Failures and locks now belong to an account and the address they came from;
users.failed_logins and users.locked_until go (a lock running at upgrade time is lifted).

Revision ID: 0008_login_throttles
Revises: 0007_identity_normalise
Create Date: 2026-12-04 15:10:00
"""
import sqlalchemy as sa
from alembic import op

import competition.models.types  # noqa: F401

revision = '0008_login_throttles'
down_revision = '0007_identity_normalise'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locks', sa.Integer(), nullable=False),
    sa.Column('locked_until', competition.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', competition.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_throttles_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('user_id', 'client_address', name=op.f('uq_login_throttles_user_id_client_address'))
    )
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttles_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', competition.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttles_user_id'))
    op.drop_table('login_throttles')
