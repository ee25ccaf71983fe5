"""Messages that the layer above translates (issue 17, item 4).

Contract: a rule or service that has something to tell a user returns or raises a `Message`: its Chinese
template is the gettext msgid (babel.cfg extracts `Message("…")`), its keyword arguments are the parameters.
A `Message` *is* the Chinese text as a `str`, so comparisons, JSON and logs see what they always saw; the page
and API layers render it in the reader's language with `competition.i18n.localise`, which looks the template up
in the catalog and fills in the parameters then. Nothing here imports Flask or Babel.
"""
from collections.abc import Iterable, Mapping
from typing import Any


class Message(str):
    """Chinese text that remembers its template and parameters, for translation at the boundary."""

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, **params: Any) -> "Message":
        text = template % params if params else template
        message = super().__new__(cls, text)
        message.template = template
        message.params = params
        return message

    def __reduce__(self):
        return (_rebuild, (self.template, dict(self.params)))


def _rebuild(template: str, params: dict) -> Message:
    """Unpickle a Message (keyword arguments cannot go through __reduce__'s positional tuple)."""
    return Message(template, **params)


def listing(items: Iterable[str]) -> str:
    """Items joined with 、 as one Message whose parts stay translatable ("a、b、c"; in English "a, b, c")."""
    return _joined(list(items), lambda head, tail: Message("%(head)s、%(tail)s", head=head, tail=tail))


def clauses(items: Iterable[str]) -> str:
    """Sentences joined with ； as one Message whose parts stay translatable (in English "a; b")."""
    return _joined(list(items), lambda head, tail: Message("%(head)s；%(tail)s", head=head, tail=tail))


def _joined(items: list[str], pair) -> str:
    """The items joined by `pair` as a balanced tree (the separators are associative), so that a list of thousands
    (duplicate rows in a roster) nests only a dozen deep when rendered; one item as it is, none as ""."""
    if len(items) < 2:
        return items[0] if items else ""
    middle = len(items) // 2
    return pair(_joined(items[:middle], pair), _joined(items[middle:], pair))


def render(message: str, translate) -> str:
    """A message in the language `translate` (a gettext function) speaks; plain strings pass through."""
    if not isinstance(message, Message):
        return str(message)
    params = {key: render(value, translate) if isinstance(value, Message) else value
              for key, value in message.params.items()}
    text = translate(message.template)
    return text % params if params else text
