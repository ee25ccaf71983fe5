"""Fields and coercions shared by the forms."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField

from ..rules.text import MAX_INT, ascii_int, identifier_text

_WHOLE = re.compile(r"[+-]?[0-9]+")


def optional_id(value) -> int | None:
    """Coerce a select's value to an id; the empty choice, or anything that can not name a row, means None."""
    if value in (None, "", "None"):
        return None
    return ascii_int(value, low=1)


class WholeNumberField(IntegerField):
    """A whole number; thousands separators and spaces are ignored, blank means None; at most 2,147,483,647
    (the database's integer), so an absurd budget is a message under the field, not a server error."""

    def process_formdata(self, valuelist):
        """Parse '1,234,567', '1234567' or full-width digits; a blank field leaves None for InputRequired to report."""
        if not valuelist:
            return
        text = identifier_text(str(valuelist[0])).replace(",", "").replace(" ", "")
        if not text:
            self.data = None
            return
        self.data = ascii_int(text)
        if self.data is None:
            if _WHOLE.fullmatch(text):
                raise ValueError(_l("数值过大，绝对值不能超过 %(max)s。", max=format(MAX_INT, ",")))
            raise ValueError(_l("请输入整数。"))


_DURATION = re.compile(r"(?:(?:([0-9]{1,2}):)?([0-9]{1,3}):)?([0-9]{1,6})")


def parse_duration(text: str | None) -> int | None:
    """Seconds from 1234, 20:34 (minutes:seconds) or 1:20:34 (hours:minutes:seconds); None if not one of them."""
    match = _DURATION.fullmatch(identifier_text(text).replace("：", ":"))
    if match is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if (match.group(2) is not None and seconds >= 60) or (match.group(1) is not None and minutes >= 60):
        return None
    return hours * 3600 + minutes * 60 + seconds


class DurationField(StringField):
    """A time used, typed as 分:秒 (45:30), 时:分:秒 (1:05:30) or whole seconds; the data is seconds, or None."""

    def process_formdata(self, valuelist):
        """Parse the typed text; blank is None, anything else must be a duration."""
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_text = text
        if not text:
            self.data = None
            return
        self.data = parse_duration(text)
        if self.data is None:
            raise ValueError(_l("用时请写作 分:秒（如 45:30）、时:分:秒（如 1:05:30）或整数秒。"))

    def _value(self):
        """Show what was typed, or the stored seconds as 分:秒."""
        if getattr(self, "raw_text", None) is not None:
            return self.raw_text
        if self.data is None:
            return ""
        minutes, seconds = divmod(int(self.data), 60)
        return f"{minutes}:{seconds:02d}"
