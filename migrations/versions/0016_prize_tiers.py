"""prize tiers: the policy version's default tiers, an event's own tiers and prize floor

RULES.md §15 (issue 19, item 2): prize tiers (获奖等级) per event, by default the policy version's: 一等奖 10%,
二等奖 20%, 三等奖 30% of the ranked entries. An event may set its own tier names with shares or fixed counts, and
its own prize floor (by default the policy's pass mark on the total).

policy_versions.prize_tiers holds the version's tiers as JSON; every existing version gets the default tiers (the
column's server default fills them in place). events.prize_tiers and events.prize_floor are null for every existing
event: it follows its policy version.

Revision ID: 0016_prize_tiers
Revises: 0015_objections
Create Date: 2026-12-08 21:00:00
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0016_prize_tiers'
down_revision = '0015_objections'
branch_labels = None
depends_on = None

# The league's default tiers as the migration wrote them (ASCII: the names as \u escapes).
DEFAULT_TIERS = json.dumps([{"name": "一等奖", "share": 10}, {"name": "二等奖", "share": 20},
                            {"name": "三等奖", "share": 30}])


def upgrade():
    # Not batch mode: recreating `policy_versions` or `events` on SQLite with foreign keys on would cascade into the
    # rows that refer to them (see 0012). SQLite adds a NOT NULL column with a default, and nullable ones, in place.
    op.add_column('policy_versions', sa.Column('prize_tiers', sa.JSON(), nullable=False,
                                               server_default=sa.text(f"'{DEFAULT_TIERS}'")))
    op.add_column('events', sa.Column('prize_tiers', sa.JSON(), nullable=True))
    op.add_column('events', sa.Column('prize_floor', sa.Numeric(precision=5, scale=2), nullable=True))


def downgrade():
    for table, column in (('events', 'prize_floor'), ('events', 'prize_tiers'), ('policy_versions', 'prize_tiers')):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35+: no table rebuild
        else:
            op.drop_column(table, column)
