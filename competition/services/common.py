"""Helpers shared by services."""
from sqlalchemy.exc import IntegrityError

from ..errors import Duplicate
from ..extensions import db


def like_pattern(text: str) -> str:
    """A LIKE pattern matching the text literally anywhere (% and _ typed by a user are not wildcards)."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def flush_unique(message: str, details: list | None = None) -> None:
    """Flush, turning a uniqueness violation (e.g. from a race) into Duplicate (409); the caller rolls back."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise Duplicate(message, details=details) from exc
