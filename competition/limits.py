"""Rate limits per client address (issue 14; API.md Operations: limits), on top of the per-account lock.

- Failed logins, on the login page and POST /api/v1/tokens together: at most FAILED_LOGINS_PER_MINUTE (20)
  a minute per client address, then 429 with Retry-After. Only failures count, so a venue whose judges
  share one address logs in as often as it likes.
- Uploads (roster previews and imports): at most UPLOADS_PER_MINUTE (30) a minute per client address.

The counts live in memory (one process) or, with REDIS_URL, in Redis, shared by every node.
"""
import time

from flask import current_app, g

from .extensions import limiter


def note_failed_login() -> None:
    """Count this request against the address's failed-login budget."""
    g.failed_login = True


def _failed(response) -> bool:
    """Deduct only when the request was a failed login."""
    return bool(g.get("failed_login"))


def _per_minute(setting: str):
    """The limit text for a setting, read when a request is checked."""
    return lambda: f"{current_app.config[setting]} per minute"


failed_logins = limiter.shared_limit(_per_minute("FAILED_LOGINS_PER_MINUTE"), scope="failed-logins",
                                     deduct_when=_failed, methods=["POST"])
uploads = limiter.shared_limit(_per_minute("UPLOADS_PER_MINUTE"), scope="uploads", methods=["POST"])


def retry_after_seconds() -> int:
    """How long the breached limit of this request still runs, in whole seconds (at least 1)."""
    current = limiter.current_limit
    return max(1, int(current.reset_at - time.time())) if current is not None else 60
