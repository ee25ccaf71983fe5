"""Previewed roster uploads kept until confirmed (issue 14, finding 5): in the database, never on a node's disk.

- One staged file per user and event: a new preview replaces the earlier one, whatever cookie the browser
  replays (the old design kept every preview whose session cookie did not name it, so replaying one
  cookie filled the disk).
- A quota per user (files and bytes) and a ceiling for the whole league; files expire after 30 minutes
  and are swept whenever a new one is stored.
- Confirming needs the token the preview page carries, for the same user and event; any node can answer.
Services flush; the view commits.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from ...errors import InvalidState, TooLarge
from ...extensions import db
from ...models import StagedUpload, utcnow
from ...rules.text import download_name
from ...rules.messages import Message

TTL = timedelta(minutes=30)
GONE = Message("没有待确认的名单，或名单已超过30分钟未确认而失效。请重新上传。")
MiB = 1024 * 1024


@dataclass(frozen=True)
class StagingLimits:
    """What one user, and the league, may keep staged at a time."""

    files_per_user: int = 5
    bytes_per_user: int = 20 * MiB
    bytes_in_all: int = 500 * MiB


def staging_limits() -> StagingLimits:
    """The limits, from the app's config where set."""
    config = current_app.config
    defaults = StagingLimits()
    return StagingLimits(config.get("STAGED_FILES_PER_USER", defaults.files_per_user),
                         config.get("STAGED_BYTES_PER_USER", defaults.bytes_per_user),
                         config.get("STAGED_BYTES_IN_ALL", defaults.bytes_in_all))


def sweep_expired() -> None:
    """Delete every staged file older than the TTL (whoever left it)."""
    db.session.execute(db.delete(StagedUpload).where(StagedUpload.created_at < utcnow() - TTL))


def discard_upload(user_id: int, event_id: int) -> None:
    """Delete a user's staged file for an event, if any."""
    db.session.execute(db.delete(StagedUpload).where(StagedUpload.user_id == user_id,
                                                     StagedUpload.event_id == event_id))


def store_upload(user_id: int, event_id: int, data: bytes, filename: str) -> str:
    """Stage a previewed file for this user and event, replacing their earlier one; returns its token.
    Refused (413) beyond the user's quota or the league's ceiling."""
    sweep_expired()
    discard_upload(user_id, event_id)
    _check_quota(user_id, len(data))
    token = secrets.token_urlsafe(32)
    db.session.add(StagedUpload(user_id=user_id, event_id=event_id, token=token, size=len(data), data=data,
                                filename=download_name(filename, fallback="roster.xlsx")[:200]))
    db.session.flush()
    return token


def _check_quota(user_id: int, size: int) -> None:
    """The user's other staged files and the league's total must leave room for this one."""
    limits = staging_limits()
    files, mine = db.session.execute(
        db.select(db.func.count(StagedUpload.id), db.func.coalesce(db.func.sum(StagedUpload.size), 0))
        .where(StagedUpload.user_id == user_id)).one()
    if files >= limits.files_per_user or mine + size > limits.bytes_per_user:
        raise TooLarge(Message("您已有%(files)s份待确认的名单（共%(size)sMB），每人最多保留%(max_files)s份、"
                               "共%(max_size)sMB。请先确认或放弃其他赛项的名单，或等待其30分钟后失效。",
                               files=files, size=format(mine / MiB, ".1f"), max_files=limits.files_per_user,
                               max_size=format(limits.bytes_per_user / MiB, "g")),
                       code="staging_quota")
    everyone = db.session.scalar(db.select(db.func.coalesce(db.func.sum(StagedUpload.size), 0))) or 0
    if everyone + size > limits.bytes_in_all:
        raise TooLarge(Message("系统中待确认的名单已达上限，请稍后再试。"), code="staging_full")


def load_upload(user_id: int, event_id: int, token: str | None) -> tuple[bytes, str]:
    """The staged bytes and file name, if the token is this user's for this event and not expired."""
    staged = db.session.scalar(db.select(StagedUpload).where(StagedUpload.user_id == user_id,
                                                             StagedUpload.event_id == event_id))
    if staged is None or not token or not secrets.compare_digest(staged.token, token):
        raise InvalidState(GONE)
    if staged.created_at < utcnow() - TTL:
        raise InvalidState(GONE)
    return staged.data, staged.filename
