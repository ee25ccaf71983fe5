"""Previewed roster uploads kept on the server until confirmed: instance/uploads/<token>.xlsx.

The page never sends a path: confirm carries only a random token, which must be the one this
browser session holds for this event, and the file's sidecar must name the same user and event.
Files expire after UPLOAD_TTL and are swept whenever a new preview is stored.
"""
import json
import os
import re
import secrets
import time

from flask import current_app, session

from ..errors import InvalidState

UPLOAD_TTL = 30 * 60  # seconds
SESSION_KEY = "roster_uploads"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
GONE = "没有待确认的名单，或名单已超过30分钟未确认而失效。请重新上传。"


def _folder() -> str:
    """instance/uploads, created on first use."""
    path = os.path.join(current_app.instance_path, "uploads")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _paths(token: str) -> tuple[str, str]:
    """The stored file and its sidecar for a well-formed token."""
    folder = _folder()
    return os.path.join(folder, f"{token}.xlsx"), os.path.join(folder, f"{token}.json")


def _write(path: str, data: bytes) -> None:
    """Write a file readable by the server's user only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _pending() -> dict:
    """event id (as text) → token of this session's previewed uploads."""
    return dict(session.get(SESSION_KEY) or {})


def store_upload(event_id: int, user_id: int, data: bytes, filename: str) -> str:
    """Keep a previewed file for this user and event; replaces their earlier one. Returns the token."""
    sweep_expired()
    discard_upload(event_id)
    token = secrets.token_urlsafe(32)
    stored, sidecar = _paths(token)
    _write(stored, data)
    meta = {"user_id": user_id, "event_id": event_id, "filename": filename[:200], "stored_at": time.time()}
    _write(sidecar, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    session[SESSION_KEY] = _pending() | {str(event_id): token}
    return token


def load_upload(event_id: int, user_id: int, token: str | None) -> tuple[bytes, str]:
    """The stored bytes and file name, if the token is this session's for this event and user and not expired."""
    if not token or not TOKEN_RE.match(token) or _pending().get(str(event_id)) != token:
        raise InvalidState(GONE)
    stored, sidecar = _paths(token)
    try:
        with open(sidecar, encoding="utf-8") as handle:
            meta = json.load(handle)
        with open(stored, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as exc:
        raise InvalidState(GONE) from exc
    if meta.get("user_id") != user_id or meta.get("event_id") != event_id \
            or time.time() - float(meta.get("stored_at", 0)) > UPLOAD_TTL:
        discard_upload(event_id)
        raise InvalidState(GONE)
    return data, str(meta.get("filename") or "")


def discard_upload(event_id: int) -> None:
    """Delete this session's stored file for an event, if any."""
    pending = _pending()
    token = pending.pop(str(event_id), None)
    if SESSION_KEY in session:
        session[SESSION_KEY] = pending
    if token and TOKEN_RE.match(token):
        for path in _paths(token):
            _remove(path)


def sweep_expired() -> None:
    """Delete every stored upload older than UPLOAD_TTL (whoever left it)."""
    folder, now = _folder(), time.time()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if now - os.path.getmtime(path) > UPLOAD_TTL:
                _remove(path)
        except OSError:
            continue


def _remove(path: str) -> None:
    """Delete a file that may already be gone."""
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
