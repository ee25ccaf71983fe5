"""The audit log's hash chain (RULES.md §13; issue 14): how one row's digest is computed.

Contract: pure. Each sealed audit row stores `prev_hash` (the digest of the row sealed before it, or GENESIS)
and `row_hash` = SHA-256 of its own content together with `prev_hash` and its place `seq`. Changing,
removing or reordering any sealed row breaks every digest after it, so `audit-verify` finds the first
broken link even where someone with database rights went around the application and its trigger.

The content is written as canonical JSON (sorted keys, no spaces, UTF-8); `before` and `after` go through a
JSON round trip first, so the digest is what the database gives back, not what Python held. This format is
part of every stored digest: never change it, or every chain breaks.
"""
import hashlib
import json
from datetime import datetime, timezone

GENESIS = "0" * 64
CONTENT = ("at", "user_id", "username", "action", "object_type", "object_id", "before", "after", "message",
           "client_address")


def _instant(value: datetime | None) -> str | None:
    """A timestamp as UTC with microseconds (naive values are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(value):
    """A JSON value as it comes back from the database."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False))


def _body(content: dict) -> dict:
    """The hashed fields of a row as they come back from the database."""
    body = {name: content.get(name) for name in CONTENT}
    body["at"] = _instant(body["at"])
    body["before"], body["after"] = canonical(body["before"]), canonical(body["after"])
    return body


def row_digest(seq: int, prev_hash: str, content: dict) -> str:
    """The SHA-256 hex digest of one audit row: its place, the previous digest and its content."""
    text = json.dumps({"seq": seq, "prev": prev_hash, "row": _body(content)}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_text(content: dict) -> str:
    """The row's part of the digested text, for a writer that frames it in SQL (services/audit.py): the text
    row_digest hashes is exactly '{"prev":"' + prev_hash + '","row":' + row_text(content) + ',"seq":' + seq + '}'
    (sorted keys: prev, row, seq)."""
    return json.dumps(_body(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
