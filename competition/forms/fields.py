"""Fields and coercions shared by the forms."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField

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
                raise ValueError(_l("数值过大，绝对值不能超过 %(max)s。", max=f"{MAX_INT:,}"))
            raise ValueError(_l("请输入整数。"))
