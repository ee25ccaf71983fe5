"""技术能手 forms: an enterprise's recommendation, and an organiser's reason for not approving."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class RecommendationForm(FlaskForm):
    """An employee recommended by their enterprise (the service checks the ID number and name)."""

    name = StringField(_l("姓名"), validators=[InputRequired(_l("请填写姓名。")), Length(max=30)])
    id_number = StringField(_l("身份证号码"), validators=[InputRequired(_l("请填写身份证号码。")), Length(max=18)],
                            description=_l("18位居民身份证号码；性别和出生日期由号码得出。"))
    justification = TextAreaField(_l("推荐理由"), validators=[InputRequired(_l("请填写推荐理由。")),
                                                            Length(max=2000)],
                                  description=_l("写明该员工的技能水平、主要业绩和获奖情况，不超过2000字。"))


class NominationReasonForm(FlaskForm):
    """Why a nomination is not approved (the enterprise sees it)."""

    reason = TextAreaField(_l("不予通过的理由"), validators=[InputRequired(_l("请填写理由。")), Length(max=500)])
