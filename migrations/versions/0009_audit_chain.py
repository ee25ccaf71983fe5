"""audit log sealed: a hash chain, and on PostgreSQL a trigger that refuses UPDATE, DELETE and TRUNCATE

The audit log was append-only only in the ORM: the database role could change or delete rows
(issue 14, finding 12). Each row now carries its place in a chain (seq), the previous row's digest and
its own (rules/audit_chain.py); the head of the chain is kept in audit_chain. Existing rows are sealed
here in id order. `flask --app competition audit-verify` names the first broken link.

Revision ID: 0009_audit_chain
Revises: 0008_login_throttles
Create Date: 2026-12-04 15:20:00
"""
import sqlalchemy as sa
from alembic import op

import competition.models.types  # noqa: F401
from competition.rules.audit_chain import CONTENT, GENESIS, row_digest

revision = '0009_audit_chain'
down_revision = '0008_login_throttles'
branch_labels = None
depends_on = None

# The same function and triggers as competition/models/audit.py creates with the table (frozen here).
FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.row_hash IS NULL AND NEW.row_hash IS NOT NULL
       AND (NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.action, NEW.object_type, NEW.object_id,
            NEW.before::text, NEW.after::text, NEW.message, NEW.client_address)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.user_id, OLD.username, OLD.action, OLD.object_type, OLD.object_id,
            OLD.before::text, OLD.after::text, OLD.message, OLD.client_address) THEN
      RETURN NEW;  -- sealing a new row: only seq, prev_hash and row_hash change, once
    END IF;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
    MESSAGE = 'audit_entries is append-only: ' || TG_OP || ' refused';
END
$$ LANGUAGE plpgsql
"""
TRIGGERS = (
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
)


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_seq'), ['seq'])
    chain = op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )
    seq, last = _seal_existing(op.get_bind())
    op.bulk_insert(chain, [{'id': 1, 'seq': seq, 'last_hash': last}])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(FUNCTION)
        for statement in TRIGGERS:
            op.execute(statement)


def _seal_existing(connection):
    """Seal the rows written before this revision, oldest first; return the head."""
    types = {'at': competition.models.types.UTCDateTime(), 'user_id': sa.Integer, 'object_id': sa.Integer,
             'before': sa.JSON, 'after': sa.JSON}
    audit = sa.table('audit_entries', sa.column('id', sa.Integer), sa.column('seq', sa.Integer),
                     sa.column('prev_hash', sa.String), sa.column('row_hash', sa.String),
                     *(sa.column(name, types.get(name, sa.String)) for name in CONTENT))
    seq, last = 0, GENESIS
    rows = connection.execute(sa.select(audit).order_by(audit.c.id)).all()
    for row in rows:
        seq += 1
        content = {name: getattr(row, name) for name in CONTENT}
        digest = row_digest(seq, last, content)
        connection.execute(audit.update().where(audit.c.id == row.id).values(seq=seq, prev_hash=last, row_hash=digest))
        last = digest
    return seq, last


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    op.drop_table('audit_chain')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_seq'), type_='unique')
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
