"""Account forms for administrators."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..models import ROLE_LABELS
from .base import AppForm
from .fields import optional_id

NO_CHOICE = ("", _l("（无）"))


def role_choices() -> list[tuple[str, str]]:
    """The roles with their names in the current language."""
    return [(role.value, gettext(label)) for role, label in ROLE_LABELS.items()]


def town_choices(names) -> list[tuple[str, str]]:
    """The league's towns as select options, with an empty first choice."""
    return [("", _l("请选择镇（区）"))] + [(name, name) for name in names]


def enterprise_choices(enterprises) -> list[tuple[str, str]]:
    """Enterprises as select options, with an empty first choice."""
    return [NO_CHOICE] + [(str(e.id), e.name) for e in enterprises]


class UserCreateForm(AppForm):
    """A new account: identity, first password, role and affiliation."""

    username = StringField(_l("用户名"), validators=[InputRequired(_l("请填写用户名。")), Length(max=64)],
                           description=_l("3至64位字母、数字、下划线、点或连字符，用于登录。"))
    display_name = StringField(_l("显示名称"), validators=[InputRequired(_l("请填写显示名称。")), Length(max=60)])
    password = PasswordField(_l("初始密码"), validators=[InputRequired(_l("请填写初始密码。")), Length(max=128)],
                             description=_l("至少10个字符；不能是常见密码（如 qwertyuiop、woaini1314）；不能包含用户名。"))
    role = SelectField(_l("角色"), choices=lambda: [("", _l("请选择角色"))] + role_choices(),
                       validators=[InputRequired(_l("请选择角色。"))])
    enterprise_id = SelectField(_l("所属企业"), coerce=optional_id, validate_choice=False,
                                description=_l("企业用户必选。"))
    employer_id = SelectField(_l("工作单位"), coerce=optional_id, validate_choice=False,
                              description=_l("裁判可选；用于回避本单位选手。"))
    town = SelectField(_l("所属镇（区）"), validate_choice=False, description=_l("镇区人社用户必选，只能查看本镇（区）。"))


class UserEditForm(AppForm):
    """What may change on an account: display name and affiliation (the role stays)."""

    display_name = StringField(_l("显示名称"), validators=[InputRequired(_l("请填写显示名称。")), Length(max=60)])
    enterprise_id = SelectField(_l("所属企业"), coerce=optional_id, validate_choice=False)
    employer_id = SelectField(_l("工作单位"), coerce=optional_id, validate_choice=False,
                              description=_l("用于回避本单位选手。"))
    town = SelectField(_l("所属镇（区）"), validate_choice=False)


class ResetPasswordForm(AppForm):
    """An administrator sets a new password for someone."""

    password = PasswordField(_l("新密码"), validators=[InputRequired(_l("请填写新密码。")), Length(max=128)],
                             description=_l("至少10个字符；不能是常见密码（如 qwertyuiop、woaini1314）；不能包含用户名。"))
    confirm = PasswordField(_l("确认新密码"), validators=[
        InputRequired(_l("请再次输入新密码。")), EqualTo("password", _l("两次输入的新密码不一致。"))])
