"""Objection forms: an objection to one entry's result during the notice, and an organiser's decision on one."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from .base import AppForm

# How an organiser received an objection made outside the system (an enterprise's own is always 系统提交).
TAKEN_BY = [SelectChoice("phone", _l("电话")), SelectChoice("letter", _l("来信")), SelectChoice("visit", _l("来访")),
            SelectChoice("other", _l("其他"))]


class ObjectionForm(AppForm):
    """Which entry (by competition number) and why; an organiser also records who objected, how to reach them and how
    the objection came in. The number's choices are set by the view; any other number is looked up and checked."""

    number = SelectField(_l("参赛号"), validate_choice=False, validators=[InputRequired(_l("请选择参赛号。"))])
    reason = TextAreaField(_l("异议内容和理由"), validators=[InputRequired(_l("请写明异议的内容和理由。")),
                                                       Length(max=2000)],
                           description=_l("写明对哪一项成绩有异议、理由和依据，不超过2000字。"))
    objector = StringField(_l("异议人"), validators=[Optional(), Length(max=60)],
                           description=_l("代为登记时填写提出异议的人，如“选手本人”“某某公司人事部 张三”。"))
    contact = StringField(_l("联系方式"), validators=[Optional(), Length(max=100)],
                          description=_l("电话或地址，仅组委会可见。"))
    channel = SelectField(_l("受理方式"), choices=TAKEN_BY, default="phone")


class ObjectionDecisionForm(AppForm):
    """Why an objection stands or does not (the filer reads it)."""

    reason = TextAreaField(_l("处理理由"), validators=[InputRequired(_l("请填写处理理由。")), Length(max=500)])
