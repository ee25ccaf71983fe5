"""Enterprise and season forms."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from .base import AppForm
from .fields import WholeNumberField


class EnterpriseForm(AppForm):
    """An enterprise: name, 统一社会信用代码, town (the service checks the code)."""

    name = StringField(_l("企业名称"), validators=[InputRequired(_l("请填写企业名称。")), Length(max=100)])
    credit_code = StringField(_l("统一社会信用代码"),
                              validators=[InputRequired(_l("请填写统一社会信用代码。")), Length(max=40)],
                              description=_l("18位，见营业执照。"))
    town = SelectField(_l("所属镇（区）"), validate_choice=False, description=_l("从联赛的镇（区）列表中选择。"))


class SeasonForm(AppForm):
    """A league year and its budget in whole yuan."""

    year = WholeNumberField(_l("年度"), validators=[InputRequired(_l("请填写年度。"))])
    name = StringField(_l("名称"), validators=[InputRequired(_l("请填写名称。")), Length(max=100)],
                       description=_l("例如：2026年吴江职业技能联赛"))
    budget = WholeNumberField(_l("预算（元）"), validators=[InputRequired(_l("请填写预算。"))],
                              description=_l("整数，单位：元。"))
