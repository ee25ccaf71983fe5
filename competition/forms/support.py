"""Technical support forms: the host's request and the organisers' decision (field validation only: the service
checks the rest), and the queue's filter."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..models import SupportState
from ..rules.text import ascii_int
from .base import AppForm
from .fields import WholeNumberField
from .filters import PageFilters

KIND_CHOICES = [SelectChoice("judges", _l("裁判支持")), SelectChoice("question_setting", _l("命题")),
                SelectChoice("venue", _l("场地设备"))]
DECISION_CHOICES = [SelectChoice("grant", _l("全部同意")), SelectChoice("partly_grant", _l("部分同意")),
                    SelectChoice("refuse", _l("不同意"))]


class KindsField(SelectMultipleField):
    """Support kinds from checkboxes named alike; the service refuses an unknown one."""

    def pre_validate(self, form):
        """Any value is acceptable here; the service names a bad one."""


class JudgeIdsField(SelectMultipleField):
    """Judge ids from a multi-select; anything that is not a whole number is refused (the service checks that each
    is a pool judge free of 回避)."""

    def process_formdata(self, valuelist):
        """Parse every value as an id (ASCII digits, within the database's integer)."""
        ids = [ascii_int(value, low=1) for value in valuelist]
        if None in ids:
            self.data = []
            raise ValueError(_l("所选裁判无效，请刷新页面后重试。"))
        self.data = ids

    def pre_validate(self, form):
        """Any id is acceptable here; the service refuses an unknown one."""


class SupportRequestForm(AppForm):
    """What the host asks for: kinds, how many judges, details."""

    kinds = KindsField(_l("申请的支持"), choices=KIND_CHOICES)
    judges_wanted = WholeNumberField(_l("所需裁判人数"), description=_l("申请裁判支持时填写。"))
    details = TextAreaField(_l("具体需求"), validators=[InputRequired(_l("请说明所需支持的具体内容。")),
                                                    Length(max=1000, message=_l("最多1000个字符。"))],
                            description=_l("例如：需要几名什么专业的裁判、命题范围、场地设备的要求。"))


class SupportDecisionForm(AppForm):
    """The organisers' decision: grant, partly grant or refuse; kinds granted, judges lent, cost, reason."""

    decision = RadioField(_l("处理结果"), choices=DECISION_CHOICES, validate_choice=False,
                          validators=[InputRequired(_l("请选择处理结果。"))])
    granted_kinds = KindsField(_l("同意的支持"), choices=KIND_CHOICES)
    judge_ids = JudgeIdsField(_l("借调裁判"), coerce=int)
    cost = WholeNumberField(_l("费用（元）"), description=_l("选填：计入“技术支持”预算的支出，待审批。"))
    voucher = StringField(_l("凭证号"), validators=[Length(max=60)], description=_l("选填，未填写时记为“待补”。"))
    reason = TextAreaField(_l("理由"), validators=[Length(max=500, message=_l("最多500个字符。"))],
                           description=_l("部分同意时说明未同意的部分，不同意时说明理由。"))


class SupportFilters(PageFilters):
    """/support: the requests' state."""

    state: SupportState | None = None
