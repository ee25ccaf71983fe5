"""Fields and coercions shared by the forms."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField


def optional_id(value) -> int | None:
    """Coerce a select's value to an id; the empty choice means None."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class WholeNumberField(IntegerField):
    """A whole number; thousands separators and spaces are ignored, blank means None."""

    def process_formdata(self, valuelist):
        """Parse '1,234,567' or '1234567'; a blank field leaves None for InputRequired to report."""
        if not valuelist:
            return
        text = str(valuelist[0]).replace(",", "").replace("，", "").replace(" ", "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("请输入整数。")) from exc
