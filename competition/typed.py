"""Typed input shared by the JSON API's models and the HTML pages' query filters (issue 14).

One policy for every field a caller types, so a page and the API can never treat the same hostile value
differently:
- text may not hold control characters or direction overrides (rules/text.py); a field marked
  `Paragraph` may hold line breaks, a `Secret` (a password) is taken as typed;
- whole numbers stay within PostgreSQL's integer, so `2**31` is a field error, not a database overflow;
- `Identifier` fields (ID numbers, credit codes, mobiles, competition numbers) arrive NFKC-normalised.

Models get the policy by deriving from `TypedInput`; nothing has to remember to ask for it.
"""
import functools
from typing import Annotated, Any, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .rules.messages import Message
from .rules.text import MAX_INT, identifier_text, text_problem

MAX_ID = MAX_INT  # ids are 32-bit integers on PostgreSQL; larger values can not name a row


class _Marker:
    """A marker in a field's metadata that changes how the text policy treats it."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


MULTILINE = _Marker("multiline")
SECRET = _Marker("secret")

Paragraph = Annotated[str, MULTILINE]  # reasons, justifications, notes: line breaks allowed
Secret = Annotated[str, SECRET]  # passwords: compared, never shown or put in a file name
Identifier = Annotated[str, AfterValidator(identifier_text)]
Id = Annotated[int, Field(ge=1, le=MAX_ID, description=Message("编号"))]
SearchText = Annotated[str, Field(max_length=100, description=Message("搜索文字"))]
OUT_OF_RANGE = Message("数值超出允许范围（绝对值不超过 %(limit)s）。", limit=format(MAX_INT, ","))


def _checked(value: Any, multiline: bool) -> Any:
    """The value if the policy allows it (recursing into lists and dicts), else ValueError."""
    if isinstance(value, str):
        if (why := text_problem(value, multiline=multiline)):
            raise ValueError(why)
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > MAX_INT:
            raise ValueError(OUT_OF_RANGE)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _checked(item, multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _checked(key, False)
            _checked(item, multiline)
    return value


def _marks(annotation: Any) -> frozenset:
    """The markers anywhere in a type (`Paragraph | None` carries MULTILINE inside the union)."""
    found = set()
    if get_origin(annotation) is Annotated:
        args = get_args(annotation)
        found |= {m for m in args[1:] if isinstance(m, _Marker)}
        return frozenset(found | _marks(args[0]))
    for arg in get_args(annotation):
        found |= _marks(arg)
    return frozenset(found)


@functools.cache
def _field_marks(model: type, name: str) -> frozenset:
    """The markers of one field of a model, worked out once."""
    field = model.model_fields.get(name)
    if field is None:
        return frozenset()
    return frozenset({m for m in field.metadata if isinstance(m, _Marker)}) | _marks(field.annotation)


class TypedInput(BaseModel):
    """The policy above, applied to every field of every derived model (nested models derive from it too)."""

    @field_validator("*", mode="after")
    @classmethod
    def _text_and_range(cls, value: Any, info: ValidationInfo) -> Any:
        """Refuse control characters, direction overrides and integers beyond the database's."""
        marks = _field_marks(cls, info.field_name or "")
        if SECRET in marks:
            return value
        return _checked(value, MULTILINE in marks)


class TypedQuery(TypedInput):
    """A query string: text converted to the declared types, unknown names ignored, empty values meaning
    "not given" (`?status=` is no status filter). The API's query models and the pages' filters derive from it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        """Leave out the parameters given empty."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v not in ("", None)}
        return data
