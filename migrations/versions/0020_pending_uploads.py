"""pending uploads: roster previews still waiting in a node's instance/uploads move into staged_uploads

Before 0010, a previewed roster was kept as instance/uploads/<token>.xlsx with a JSON sidecar naming its user, event,
file name and time (views/entries_uploads.py of that release). 0010 let those expire; an office that upgrades in the
middle of an import (an HR clerk has the preview open) would have to upload again, and on a node that is later
removed the files would stay on its disk. This revision moves every pending file that is still fresh (30 minutes,
the preview's lifetime then and now) into staged_uploads under the same token, so the open preview page confirms it
on any node, then deletes the folder's files, moved or expired. Files that cannot be read, name a user or event that
is gone, or exceed today's 20 MB staging cap are dropped (their users upload again, as they would have). For one
user and event the newest file wins, and a row staged since the upgrade is kept. Run `flask db upgrade` on each
node that served uploads before (the revision is idempotent: a folder already emptied, or absent, is nothing to do).

Revision ID: 0020_pending_uploads
Revises: 0019_towns_fund
Create Date: 2026-12-05 03:10:00
"""
import json
import os
import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

revision = '0020_pending_uploads'
down_revision = '0019_towns_fund'
branch_labels = None
depends_on = None

TTL = timedelta(minutes=30)
MAX_BYTES = 20 * 1024 * 1024
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")

staged = sa.table(
    'staged_uploads', sa.column('user_id', sa.Integer), sa.column('event_id', sa.Integer),
    sa.column('token', sa.String), sa.column('filename', sa.String), sa.column('size', sa.Integer),
    sa.column('data', sa.LargeBinary), sa.column('created_at', sa.DateTime))


def uploads_folder() -> str | None:
    """The instance folder's uploads directory of the app being upgraded, when there is one."""
    if not has_app_context():
        return None
    folder = os.path.join(current_app.instance_path, 'uploads')
    return folder if os.path.isdir(folder) else None


def read_pending(folder: str, now: datetime) -> tuple[list[dict], list[str]]:
    """The fresh, readable previews in the folder (newest first) and every file of the folder (to delete)."""
    names = sorted(os.listdir(folder))
    pending = []
    for name in names:
        token, dot, extension = name.rpartition('.')
        if extension != 'json' or not dot or not TOKEN.match(token):
            continue
        try:
            with open(os.path.join(folder, name), encoding='utf-8') as handle:
                meta = json.load(handle)
            with open(os.path.join(folder, f'{token}.xlsx'), 'rb') as handle:
                data = handle.read(MAX_BYTES + 1)
            stored_at = datetime.fromtimestamp(float(meta['stored_at']), tz=timezone.utc)
            user_id, event_id = int(meta['user_id']), int(meta['event_id'])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if now - stored_at > TTL or len(data) > MAX_BYTES or not data:
            continue
        pending.append({'user_id': user_id, 'event_id': event_id, 'token': token, 'size': len(data), 'data': data,
                        'filename': str(meta.get('filename') or '')[:200], 'created_at': stored_at})
    pending.sort(key=lambda row: row['created_at'], reverse=True)
    return pending, [os.path.join(folder, name) for name in names]


def existing(conn, table: str) -> set[int]:
    """The ids of a table (users or events), to drop previews whose user or event is gone."""
    return set(conn.execute(sa.text(f'SELECT id FROM {table}')).scalars())


def upgrade():
    folder = uploads_folder()
    if folder is None:
        return
    conn = op.get_bind()
    pending, files = read_pending(folder, datetime.now(timezone.utc))
    users, events = existing(conn, 'users'), existing(conn, 'events')
    taken = set(conn.execute(sa.text('SELECT user_id, event_id FROM staged_uploads')).tuples())
    tokens = set(conn.execute(sa.text('SELECT token FROM staged_uploads')).scalars())
    rows = []
    for row in pending:
        key = (row['user_id'], row['event_id'])
        if row['user_id'] in users and row['event_id'] in events and key not in taken and row['token'] not in tokens:
            taken.add(key)
            rows.append(row)
    if rows:
        op.bulk_insert(staged, rows)
    for path in files:
        try:
            os.remove(path)
        except OSError:
            pass
    try:
        os.rmdir(folder)
    except OSError:
        pass


def downgrade():
    # Nothing to undo: the previews moved into staged_uploads stay there (0010's downgrade drops the table), and the
    # files they came from expired within 30 minutes of the upgrade in any case.
    pass
