"""The towns list (RULES.md §17): the administrator adds a town; the town pages pick a season."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..typed import Id
from .base import AppForm
from .filters import PageFilters


class TownForm(AppForm):
    """A new town at the end of the list (the service checks the name)."""

    name = StringField(_l("镇（区）名称"), validators=[InputRequired(_l("请填写镇（区）名称。")), Length(max=40)],
                       description=_l("例如：盛泽镇、汾湖高新区。"))


class TownFilters(PageFilters):
    """/towns/<town> and its dashboard: the season (default: this year's)."""

    season: Id | None = None
