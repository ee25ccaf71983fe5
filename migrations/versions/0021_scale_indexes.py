"""scale indexes: what the plans of the pages on league-scale data asked for (issue 22, item 5)

bench/bench_pages.py runs every list, dashboard, results, public and standings page on a league of 3 seasons, 300
events, 30,000 entries and some 3,000,000 marks, and prints EXPLAIN ANALYZE of each page's slowest statements.
- ix_certificates_year_desc_serial: the certificates list shows the newest year first, then by serial; the unique
  (year, serial) serves neither direction of that order, so each page of the list sorted every certificate
  (33 ms for a page of 50 at 18,000 certificates, growing every year); with it, a page reads its 50 rows in order.

Revision ID: 0021_scale_indexes
Revises: 0020_pending_uploads
Create Date: 2026-12-05 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_scale_indexes'
down_revision = '0020_pending_uploads'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_year_desc_serial', [sa.text('year DESC'), 'serial'], unique=False)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_year_desc_serial')
