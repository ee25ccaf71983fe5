"""Rendering `Message`s (scoring/messages.py, re-exported by competition/rules/messages.py) in the reader's language,
at the page and API boundary."""
from flask_babel import gettext

from .rules.messages import Message, render


def localise(message):
    """A Message in the current locale; anything else unchanged (None stays None, plain text stays as it is)."""
    if isinstance(message, Message):
        return render(message, gettext)
    return message


def finalize(value):
    """Jinja's finalize hook: every {{ expression }} that is a Message is printed in the reader's language."""
    return localise(value)


def localise_details(details: list | None) -> list:
    """An error's details for the reader: each {"field"|"row", "message"} with its message localised (a copy; the
    error keeps its Messages), anything else as it is."""
    return [{**detail, "message": localise(detail["message"])} if isinstance(detail, dict) and "message" in detail
            else localise(detail) for detail in details or ()]


def as_text(message) -> str:
    """Plain text in the reader's language: a Message rendered, a lazy_gettext string resolved, text as it is
    (for a flash, which the session stores as plain text, or a message built into other text)."""
    return str(localise(message))
