"""certificates and jobs: numbered certificates of prizes and 技术能手 titles, and background jobs

certificates: one per prize of a final event and one per title, each with a unique number (WJ2026-000123) that is
never renumbered (RULES.md §15). jobs: long work off the request (an event's certificates as one PDF), its state,
progress and result, in the database so that any process can report it (issue 19).

Revision ID: 0017_certificates
Revises: 0016_prize_tiers
Create Date: 2026-12-10 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import competition.models.types

revision = '0017_certificates'
down_revision = '0016_prize_tiers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('serial', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('prize', 'title', name='certificatekind', native_enum=False, length=20),
                  nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=True),
        sa.Column('enterprise_id', sa.Integer(), nullable=True),
        sa.Column('prize_name', sa.String(length=40), nullable=True),
        sa.Column('issued_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind = 'title' OR (entry_id IS NOT NULL AND event_id IS NOT NULL AND prize_name IS NOT NULL)",
                           name=op.f('ck_certificates_prize_has_entry')),
        sa.CheckConstraint("kind = 'prize' OR title_id IS NOT NULL", name=op.f('ck_certificates_title_has_title')),
        sa.CheckConstraint('serial >= 1', name=op.f('ck_certificates_serial_positive')),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'],
                                name=op.f('fk_certificates_enterprise_id_enterprises')),
        sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_certificates_entry_id_entries')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_certificates_event_id_events')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_certificates_person_id_persons')),
        sa.ForeignKeyConstraint(['title_id'], ['expert_titles.id'], name=op.f('fk_certificates_title_id_expert_titles')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
        sa.UniqueConstraint('kind', 'entry_id', name=op.f('uq_certificates_kind_entry_id')),
        sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
        sa.UniqueConstraint('title_id', name=op.f('uq_certificates_title_id')),
        sa.UniqueConstraint('year', 'serial', name=op.f('uq_certificates_year_serial')),
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_person_id'), ['person_id'], unique=False)

    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=60), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='jobstate', native_enum=False,
                                   length=20), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('result', sa.LargeBinary(), nullable=True),
        sa.Column('result_name', sa.String(length=200), nullable=True),
        sa.Column('result_type', sa.String(length=80), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('created_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', competition.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', competition.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('updated_at', competition.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('done >= 0 AND total >= 0', name=op.f('ck_jobs_progress_not_negative')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_jobs_owner_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_subject'), ['subject'], unique=False)


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_subject'))
        batch_op.drop_index(batch_op.f('ix_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_jobs_owner_id'))
        batch_op.drop_index(batch_op.f('ix_jobs_created_at'))
    op.drop_table('jobs')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_person_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_event_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_enterprise_id'))
    op.drop_table('certificates')
