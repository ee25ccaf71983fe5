"""result_snapshots.explanations: each row's explanation kept apart from the rows

The explanations are 87% of a frozen snapshot's JSON, and the results workbook, the dashboards and
the nominations never read them; apart, and deferred in the model, they are read only by the pages
and the API that show them. Existing snapshots are split here, so every snapshot has one layout.

Revision ID: 0006_snapshot_explanations
Revises: 0005_nominations
Create Date: 2026-11-23 23:05:00
"""
import json

from alembic import op
import sqlalchemy as sa

revision = '0006_snapshot_explanations'
down_revision = '0005_nominations'
branch_labels = None
depends_on = None

snapshots = sa.table('result_snapshots', sa.column('id', sa.Integer), sa.column('payload', sa.JSON),
                     sa.column('explanations', sa.JSON))


def upgrade():
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explanations', sa.JSON(), nullable=True))
    connection = op.get_bind()
    for snapshot_id, payload in connection.execute(sa.select(snapshots.c.id, snapshots.c.payload)).all():
        payload = json.loads(payload) if isinstance(payload, str) else payload
        rows = payload.get("rows", [])
        explanations = {str(row["entry_id"]): row.get("explanation", {}) for row in rows}
        payload["rows"] = [{k: v for k, v in row.items() if k != "explanation"} for row in rows]
        connection.execute(snapshots.update().where(snapshots.c.id == snapshot_id)
                           .values(payload=payload, explanations=explanations))


def downgrade():
    connection = op.get_bind()
    for snapshot_id, payload, explanations in connection.execute(
            sa.select(snapshots.c.id, snapshots.c.payload, snapshots.c.explanations)).all():
        payload = json.loads(payload) if isinstance(payload, str) else payload
        explanations = (json.loads(explanations) if isinstance(explanations, str) else explanations) or {}
        payload["rows"] = [row | {"explanation": explanations.get(str(row["entry_id"]), {})} for row in payload["rows"]]
        connection.execute(snapshots.update().where(snapshots.c.id == snapshot_id).values(payload=payload))
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.drop_column('explanations')
