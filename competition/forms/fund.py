"""The fund's forms (RULES.md §17): a season's budget lines in rows, a spending, its rejection, and the spending list's
filters. Field validation only: services/money/fund.py checks the rest."""
from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..i18n import localise
from ..models import CATEGORY_LABELS, SOURCE_LABELS, SPENDING_CATEGORIES, BudgetCategory, FundSource, SpendingState
from ..typed import Id
from .base import AppForm
from .events import DayField, choice
from .fields import WholeNumberField, optional_id
from .filters import PageFilters
from .subsidy import RejectClaimForm

LINE_ROWS = 8  # rows the lines editor shows at least
MAX_LINE_ROWS = 40


class SpendingFilters(PageFilters):
    """/spending: season, category, state."""

    season: Id | None = None
    category: Literal["district_events", "technical_support"] | None = None
    state: SpendingState | None = None


def category_choices(categories=tuple(BudgetCategory)) -> list:
    """The categories in the reader's language."""
    return [choice(c.value, localise(CATEGORY_LABELS[c])) for c in categories]


def _categories() -> list:
    return [choice("", _l("— 科目 —"))] + category_choices()


def _sources() -> list:
    return [choice(s.value, localise(SOURCE_LABELS[s])) for s in FundSource]


class LineRowForm(Form):
    """One budget line: category, source, the town of a 镇级 line, amount, note."""

    category = SelectField(_l("预算科目"), choices=_categories, validate_choice=False)
    source = SelectField(_l("资金来源"), choices=_sources, validate_choice=False, default=FundSource.DISTRICT.value)
    town = SelectField(_l("镇（区）"), validate_choice=False)
    amount = WholeNumberField(_l("金额（元）"))
    note = StringField(_l("备注"), validators=[Length(max=500, message=_l("备注最多500个字。"))])

    def blank(self) -> bool:
        """Nothing typed in the row (the source select always has a value)."""
        return not self.category.data and self.amount.data is None and not (self.note.data or "").strip()


class LinesForm(AppForm):
    """A season's budget lines, all at once (blank rows mean nothing)."""

    lines = FieldList(FormField(LineRowForm), label=_l("预算科目"), min_entries=LINE_ROWS, max_entries=MAX_LINE_ROWS)


class SpendingForm(AppForm):
    """A spending of the district: season, category, event (optional), amount, day spent, voucher, note."""

    season_id = SelectField(_l("联赛年度"), coerce=optional_id, validate_choice=False,
                            validators=[InputRequired(_l("请选择联赛年度。"))])
    category = SelectField(_l("支出科目"), validate_choice=False, validators=[InputRequired(_l("请选择支出科目。"))],
                           choices=lambda: category_choices(SPENDING_CATEGORIES),
                           default=BudgetCategory.DISTRICT_EVENTS.value)
    event_id = SelectField(_l("赛项"), coerce=optional_id, validate_choice=False,
                           description=_l("区级赛事经费须为区级赛；技术支持可为获支持的企业赛。可不选。"))
    amount = WholeNumberField(_l("金额（元）"), validators=[InputRequired(_l("请填写金额。"))])
    spent_on = DayField(_l("支出日期"), validators=[InputRequired(_l("请填写支出日期。"))])
    voucher = StringField(_l("凭证号"), validators=[InputRequired(_l("请填写凭证号。")), Length(max=60)])
    note = TextAreaField(_l("用途说明"), validators=[Length(max=500, message=_l("说明最多500个字。"))],
                         description=_l("例如：决赛裁判劳务费 6 人 × 2 天；实操耗材。"))


class RejectSpendingForm(RejectClaimForm):
    """The written reason for rejecting a spending."""
