"""The enrolment policy of an enterprise event: who besides its host enrols (RULES.md §4)."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..rules.text import ascii_int
from .base import AppForm

OPEN_TO_CHOICES = [
    SelectChoice("host", _l("仅主办企业")),
    SelectChoice("invited", _l("主办企业和受邀企业")),
    SelectChoice("all", _l("所有企业")),
]
OPEN_TO_HELP = {
    "host": _l("只有主办企业为本企业员工报名（组委会可代为报名）。"),
    "invited": _l("主办企业和下面勾选的企业各自为本企业员工报名。"),
    "all": _l("任何企业都可以为本企业员工报名。"),
}


class EnterpriseIdsField(SelectMultipleField):
    """Enterprise ids from checkboxes named alike; anything that is not a whole number is refused (the service
    checks that each names an enterprise)."""

    def process_formdata(self, valuelist):
        """Parse every value as an id (ASCII digits, within the database's integer)."""
        ids = [ascii_int(value, low=1) for value in valuelist]
        if None in ids:
            self.data = []
            raise ValueError(_l("所选企业无效，请刷新页面后重试。"))
        self.data = ids

    def pre_validate(self, form):
        """Any id is acceptable here; the service refuses an unknown one."""


class EnrolmentPolicyForm(AppForm):
    """Who may enrol: the host only, the host and the enterprises ticked, or every enterprise."""

    open_to = RadioField(_l("报名范围"), choices=OPEN_TO_CHOICES, validate_choice=False,  # the service words a bad one
                         validators=[InputRequired(_l("请选择报名范围。"))])
    invited_enterprise_ids = EnterpriseIdsField(_l("受邀企业"), coerce=int)  # named as the API and the service name it
