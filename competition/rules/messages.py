"""Messages that the layer above translates (issue 17, item 4), as the rules and services speak them.

Contract: a rule or service that has something to tell a user returns or raises a `Message`: its Chinese
template is the gettext msgid (babel.cfg extracts `Message("…")`), its keyword arguments are the parameters.
A `Message` *is* the Chinese text as a `str`, so comparisons, JSON and logs see what they always saw; the page
and API layers render it in the reader's language with `competition.i18n.localise`, which looks the template up
in the catalog and fills in the parameters then. Nothing here imports Flask or Babel.

`Message` itself, `render` and `_rebuild` (which unpickles one) live in scoring/messages.py, the lowest layer,
because scoring's explanations, tie notes and problems are messages too and scoring/ imports only the standard
library; they are imported here so that every `competition.rules.messages` import keeps working. The enumerations
below (`listing`, `clauses`) are the rules' own.
"""
from collections.abc import Iterable

from scoring.messages import Message, _rebuild, joined, render

__all__ = ["Message", "_rebuild", "clauses", "listing", "render"]


def listing(items: Iterable[str]) -> str:
    """Items joined with 、 as one Message whose parts stay translatable ("a、b、c"; in English "a, b, c")."""
    return joined(list(items), lambda head, tail: Message("%(head)s、%(tail)s", head=head, tail=tail))


def clauses(items: Iterable[str]) -> str:
    """Sentences joined with ； as one Message whose parts stay translatable (in English "a; b")."""
    return joined(list(items), lambda head, tail: Message("%(head)s；%(tail)s", head=head, tail=tail))
