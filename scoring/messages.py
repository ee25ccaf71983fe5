"""Messages that the layer above translates (issue 17, item 4).

Contract: code that has something to tell a user returns or raises a `Message`: its Chinese template is the gettext
msgid (babel.cfg extracts `Message("…")`), its keyword arguments are the parameters (a Message among them is
translated too). A `Message` *is* the Chinese text as a `str`, so comparisons, JSON and logs see what they always
saw; the page and API layers render it in the reader's language with `render` (competition.i18n.localise), which
looks each template up in the catalog and fills in the parameters then.

It lives here, at the lowest layer, because scoring's own texts are messages too: a row's explanation, its tie notes
and the problems that block sign-off are built in scoring/, which may import only the standard library.
competition/rules/messages.py re-exports it, with the enumerations the rules use. `to_data`/`from_data` keep Messages
through JSON (a frozen snapshot's explanations), as {"template": …, "params": {…}}.
"""
from collections.abc import Callable, Mapping
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

    def __copy__(self) -> "Message":
        return self  # immutable like the str it is (dataclasses.asdict deep-copies every value)

    def __deepcopy__(self, memo: dict) -> "Message":
        return self


def _rebuild(template: str, params: dict) -> Message:
    """Unpickle a Message (keyword arguments cannot go through __reduce__'s positional tuple)."""
    return Message(template, **params)


def render(message: str, translate: Callable[[str], str]) -> str:
    """A message in the language `translate` (a gettext function) speaks; plain strings pass through. Each template
    is looked up once per call, however often a long explanation repeats it."""
    if not isinstance(message, Message):
        return str(message)
    looked_up: dict[str, str] = {}

    def lookup(template: str) -> str:
        if template not in looked_up:
            looked_up[template] = translate(template)
        return looked_up[template]
    return _render(message, lookup)


def _render(message: Message, lookup: Callable[[str], str]) -> str:
    """One Message and the Messages among its parameters, rendered with `lookup`."""
    params = {key: _render(value, lookup) if isinstance(value, Message) else value
              for key, value in message.params.items()}
    text = lookup(message.template)
    return text % params if params else text


def joined(items: list[str], pair: Callable[[str, str], str]) -> str:
    """The items joined by `pair` (a Message template of head and tail) as a balanced tree, so that a list of
    thousands nests only a dozen deep when rendered; one item as it is, none as ""."""
    if len(items) < 2:
        return items[0] if items else ""
    middle = len(items) // 2
    return pair(joined(items[:middle], pair), joined(items[middle:], pair))


JSON_SCALARS = (str, int, float, bool, type(None))


def to_data(value: Any) -> Any:
    """JSON-ready data in which every Message, nested ones too, is {"template": …, "params": {…}}; dicts, lists and
    tuples are walked, other parameters stored as their text (templates format them with %s)."""
    if isinstance(value, Message):
        return {"template": value.template, "params": {key: to_data(v) for key, v in value.params.items()}}
    if isinstance(value, Mapping):
        return {key: to_data(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    return value if isinstance(value, JSON_SCALARS) else str(value)


def from_data(value: Any) -> Any:
    """`to_data`'s output with its Messages rebuilt; data without them (plain text) comes back as it is."""
    if isinstance(value, dict):
        if value.keys() == {"template", "params"} and isinstance(value["params"], dict):
            return Message(value["template"], **{key: from_data(v) for key, v in value["params"].items()})
        return {key: from_data(v) for key, v in value.items()}
    if isinstance(value, list):
        return [from_data(v) for v in value]
    return value

