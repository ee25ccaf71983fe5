"""技术能手 forms: an enterprise's recommendation, and an organiser's reason for not approving."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from .base import AppForm


class RecommendationForm(AppForm):
    """An employee recommended by their enterprise (the service checks the ID number and name)."""

    name = StringField(_l("姓名"), validators=[InputRequired(_l("请填写姓名。")), Length(max=30)])
    id_number = StringField(_l("身份证号码"), validators=[InputRequired(_l("请填写身份证号码。")), Length(max=18)],
                            description=_l("18位居民身份证号码；性别和出生日期由号码得出。"))
    justification = TextAreaField(_l("推荐理由"), validators=[InputRequired(_l("请填写推荐理由。")),
                                                            Length(max=2000)],
                                  description=_l("写明该员工的技能水平、主要业绩和获奖情况，不超过2000字。"))
    confirm_employee = BooleanField(_l("我确认该人员是本企业的在职员工"),
                                    description=_l("联赛中没有该人员的工作单位记录时须勾选；"
                                                   "已有记录的，须为本企业员工。"))


class NominationReasonForm(AppForm):
    """Why a nomination is not approved (the enterprise sees it)."""

    reason = TextAreaField(_l("不予通过的理由"), validators=[InputRequired(_l("请填写理由。")), Length(max=500)])
