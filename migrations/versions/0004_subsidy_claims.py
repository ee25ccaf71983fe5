"""subsidy claims

Competition subsidy claims (竞赛经费补贴, RULES.md §10) with the checks and the policy version used at claim
time, and two partial unique indexes: one live (submitted, approved or paid) claim per event, and one per
host enterprise and season (the founding cap of one subsidy per enterprise per year). A rejected claim
frees both. Written by hand.

Revision ID: 0004_subsidy_claims
Revises: 0003_marks_results
Create Date: 2026-11-23 22:20:00

"""
from alembic import op
import sqlalchemy as sa
import competition.models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0004_subsidy_claims'
down_revision = '0003_marks_results'
branch_labels = None
depends_on = None

LIVE_CLAIM = "state IN ('submitted', 'approved', 'paid')"


def upgrade():
    op.create_table('subsidy_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('host_enterprise_id', sa.Integer(), nullable=False),
    sa.Column('policy_version_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'approved', 'rejected', 'paid', name='claimstate',
                               native_enum=False, length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', competition.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('voucher', sa.String(length=60), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', competition.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_subsidy_claims_amount_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_subsidy_claims_event_id_events')),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_subsidy_claims_season_id_seasons')),
    sa.ForeignKeyConstraint(['host_enterprise_id'], ['enterprises.id'],
                            name=op.f('fk_subsidy_claims_host_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['policy_version_id'], ['policy_versions.id'],
                            name=op.f('fk_subsidy_claims_policy_version_id_policy_versions')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_subsidy_claims_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_subsidy_claims_decided_by_id_users')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_subsidy_claims_paid_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_claims'))
    )
    with op.batch_alter_table('subsidy_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subsidy_claims_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_claims_season_id'), ['season_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_claims_host_enterprise_id'), ['host_enterprise_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_claims_policy_version_id'), ['policy_version_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_claims_state'), ['state'], unique=False)
        batch_op.create_index('uq_subsidy_claims_live_event', ['event_id'], unique=True,
                              sqlite_where=sa.text(LIVE_CLAIM), postgresql_where=sa.text(LIVE_CLAIM))
        batch_op.create_index('uq_subsidy_claims_live_host_season', ['host_enterprise_id', 'season_id'],
                              unique=True, sqlite_where=sa.text(LIVE_CLAIM), postgresql_where=sa.text(LIVE_CLAIM))


def downgrade():
    with op.batch_alter_table('subsidy_claims', schema=None) as batch_op:
        batch_op.drop_index('uq_subsidy_claims_live_host_season')
        batch_op.drop_index('uq_subsidy_claims_live_event')
        batch_op.drop_index(batch_op.f('ix_subsidy_claims_state'))
        batch_op.drop_index(batch_op.f('ix_subsidy_claims_policy_version_id'))
        batch_op.drop_index(batch_op.f('ix_subsidy_claims_host_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_subsidy_claims_season_id'))
        batch_op.drop_index(batch_op.f('ix_subsidy_claims_event_id'))

    op.drop_table('subsidy_claims')
