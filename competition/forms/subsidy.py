"""Subsidy claim decisions and policy versions: field validation only (the services check the rest)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FormField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from .base import AppForm
from .events import DayField
from .fields import WholeNumberField
from .league import PointsForm
from .league import reward_rows as schedule_rows
from .prizes import tier_rows


class RejectClaimForm(AppForm):
    """The written reason for rejecting a claim (the enterprise sees it)."""

    reason = TextAreaField(_l("驳回理由"), validators=[InputRequired(_l("请填写驳回理由。")),
                                                   Length(max=500, message=_l("原因最多500个字符。"))])


class PaymentForm(AppForm):
    """The payment of an approved claim: date and voucher number."""

    paid_on = DayField(_l("拨付日期"), validators=[InputRequired(_l("请填写拨付日期。"))])
    voucher = StringField(_l("凭证号"), validators=[InputRequired(_l("请填写凭证号。")), Length(max=60)])


def _figure(label, description=None):
    """A required whole-number policy figure."""
    return WholeNumberField(label, validators=[InputRequired(_l("请填写该项。"))], description=description)


class PolicyForm(AppForm):
    """A policy version: the date it takes effect and every figure."""

    effective_from = DayField(_l("生效日期"), validators=[InputRequired(_l("请填写生效日期。"))],
                              description=_l("赛项采用其举办日期当天有效的版本。"))
    participant_threshold = _figure(_l("参赛人数门槛"), _l("“50人以上”含本数。"))
    subsidy_amount = _figure(_l("补贴金额（元）"))
    subsidies_per_enterprise_year = _figure(_l("每企业每年补贴次数"),
                                            _l("数据库唯一索引按创始政策限定每企业每年1项；调高须同时调整索引。"))
    expert_subsidy = _figure(_l("技术能手补贴（元）"))
    nomination_quota = _figure(_l("技术能手推荐名额"))
    pass_mark = _figure(_l("合格分数线"))
    notice_working_days = _figure(_l("公示工作日"))
    prize_tiers = tier_rows(_l("默认获奖等级"))
    points = FormField(PointsForm, label=_l("联赛积分"))
    reward_rows = schedule_rows(_l("奖励标准"))
    note = StringField(_l("备注"), validators=[Length(max=500)])
    confirm_backdated = BooleanField(_l("确认：生效日期早于今天，新版本适用于上列尚未确定政策版本的赛项（已作出决定的赛项保持原版本）"))
