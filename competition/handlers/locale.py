"""The reader's language and time zone."""
from flask import request, session


def select_locale() -> str:
    """Chinese by default; English when the user switched to it."""
    chosen = session.get("lang") if request else None
    return chosen if chosen in ("zh_CN", "en") else "zh_CN"


def select_timezone() -> str:
    """The league runs on Beijing time."""
    return "Asia/Shanghai"
