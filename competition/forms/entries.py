"""Entry forms: enrol one contestant, upload a roster, check in, draw, disqualify."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..rules.text import ascii_int
from .base import AppForm
from .fields import DurationField, optional_id


class IdListField(SelectMultipleField):
    """Several ids from checkboxes named alike; anything that is not a whole number is refused."""

    def process_formdata(self, valuelist):
        """Parse every value as an id (ASCII digits, within the database's integer)."""
        ids = [ascii_int(value, low=1) for value in valuelist]
        if None in ids:
            self.data = []
            raise ValueError(_l("所选选手无效，请刷新页面后重试。"))
        self.data = ids

    def pre_validate(self, form):
        """Any id is acceptable here; the view checks that each belongs to the event."""

CHECK_IN_CHOICES = [("present", _l("到场")), ("absent", _l("缺考")), ("withdrawn", _l("退赛"))]


class EntryForm(AppForm):
    """A contestant as typed; the service checks the ID number, name, mobile and age."""

    name = StringField(_l("姓名"), validators=[InputRequired(_l("请填写姓名。")), Length(max=60)])
    id_number = StringField(_l("身份证号码"), validators=[InputRequired(_l("请填写身份证号码。")), Length(max=40)],
                            description=_l("18位居民身份证号码，末位可为X；性别和出生日期由号码自动得出。"))
    phone = StringField(_l("手机号码"), validators=[Length(max=20)], description=_l("选填，11位手机号码。"))
    employer_id = SelectField(_l("工作单位"), coerce=optional_id, validate_choice=False)
    again = SubmitField(_l("保存并继续添加"))


class EntryEditForm(AppForm):
    """An entry's corrections before the draw: the mobile, and (for organisers) the employer."""

    phone = StringField(_l("手机号码"), validators=[Length(max=20)], description=_l("选填，11位手机号码。"))
    employer_id = SelectField(_l("工作单位"), coerce=optional_id, validate_choice=False)


class WithdrawForm(AppForm):
    """Why a contestant withdrew after the draw."""

    reason = TextAreaField(_l("退赛原因"), validators=[InputRequired(_l("请填写退赛原因。")), Length(max=500)])


class ImportForm(AppForm):
    """The roster upload: one .xlsx, .xls or .csv file (the kind is found from its bytes)."""

    file = FileField(_l("报名名单文件（.xlsx、.xls 或 .csv）"),
                     validators=[FileRequired(_l("请选择要上传的名单文件（.xlsx、.xls 或 .csv）。"))])


class ConfirmImportForm(AppForm):
    """Confirm the previewed upload (the token names the stored file, checked against the session)."""

    token = StringField(validators=[InputRequired(), Length(max=64)])


class CheckInForm(AppForm):
    """One contestant's check-in state."""

    status = SelectField(_l("检录状态"), choices=[SelectChoice(value, label) for value, label in CHECK_IN_CHOICES],
                         validators=[InputRequired(_l("请选择检录状态。"))])


class BulkCheckInForm(CheckInForm):
    """Several contestants at once, all or nothing."""

    entry_ids = IdListField(_l("选手"), validators=[InputRequired(_l("请先勾选选手。"))])


class DrawForm(AppForm):
    """The draw's optional seed (a random one is chosen when empty)."""

    seed = StringField(_l("随机种子（可选）"), validators=[Length(max=64, message=_l("不超过64个字符。"))],
                       description=_l("留空则由系统随机生成。种子会被保存，用于复核抽签结果。"))


class TimeUsedForm(AppForm):
    """One contestant's time used (用时), a tie-break."""

    time_used = DurationField(_l("用时"), validators=[InputRequired(_l("请填写用时。"))])


class DisqualifyForm(AppForm):
    """A written reason for disqualification."""

    reason = TextAreaField(_l("取消资格原因"), validators=[InputRequired(_l("请填写取消资格的原因。")),
                                                         Length(max=500, message=_l("不超过500个字符。"))])
