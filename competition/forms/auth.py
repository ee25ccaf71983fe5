"""Login and password forms."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from .base import AppForm


class LoginForm(AppForm):
    """Username and password."""

    username = StringField(_l("用户名"), validators=[InputRequired(_l("请输入用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[InputRequired(_l("请输入密码。")), Length(max=128)])


class PasswordChangeForm(AppForm):
    """The user's own password change: old, new, and the new one again."""

    old_password = PasswordField(_l("原密码"), validators=[InputRequired(_l("请输入原密码。")), Length(max=128)])
    new_password = PasswordField(_l("新密码"), validators=[InputRequired(_l("请输入新密码。")), Length(max=128)])
    confirm_password = PasswordField(_l("确认新密码"), validators=[
        InputRequired(_l("请再次输入新密码。")),
        EqualTo("new_password", _l("两次输入的新密码不一致。")),
    ])
