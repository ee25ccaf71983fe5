"""Jinja filters: money in yuan, Beijing time, role names."""
from flask_babel import format_datetime, gettext

from ..models import ROLE_LABELS, Role


def yuan(value) -> str:
    """Whole yuan as ￥1,234,567 (negative as -￥1,000)."""
    if value is None:
        return "—"
    amount = int(value)
    return f"{'-' if amount < 0 else ''}￥{abs(amount):,}"


def format_dt(value, pattern: str = "yyyy-MM-dd HH:mm") -> str:
    """A UTC datetime shown in Beijing time."""
    return format_datetime(value, pattern) if value is not None else "—"


def role_label(role) -> str:
    """A role's name in the current language."""
    try:
        return gettext(ROLE_LABELS[Role(role)])
    except ValueError:
        return str(role)
