"""The working calendar's form: a year's entered days, one per line (RULES.md §9)."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from .base import AppForm


class CalendarDaysForm(AppForm):
    """Lines like `2027-02-06 休 春节` or `2027-02-14 班 春节`; an empty box returns the year to the package."""

    days = TextAreaField(_l("录入的日期"), validators=[Length(max=20_000)],
                         render_kw={"rows": 14, "spellcheck": "false", "class": "font-monospace"})
