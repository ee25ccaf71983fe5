"""Rendering `Message`s (competition/rules/messages.py) in the reader's language, at the page and API boundary."""
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
