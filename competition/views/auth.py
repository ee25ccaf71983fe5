"""Logging in and out, the user's own password, and the language switch."""
from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..context import current_actor
from ..extensions import db
from ..forms.auth import LoginForm, PasswordChangeForm
from ..limits import failed_logins, note_failed_login
from ..services import accounts, logins
from .common import next_arg, render_failed, render_invalid, saving
from .blueprints import auth as bp


LANGUAGE_CODES = ("zh_CN", "en")


def _after_login_url() -> str:
    """Where to go after logging in: a safe ?next=, else home."""
    return next_arg() or url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@failed_logins
def login():
    """Show the login form; check the password with lockout; start the session."""
    if current_user.is_authenticated:
        return redirect(_after_login_url())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_invalid("auth/login.html", form)
    result = logins.authenticate(current_actor(), form.username.data, form.password.data)
    db.session.commit()  # the failure counter, the lock and the audit row persist either way
    if not result.ok:
        note_failed_login()
        return render_template("auth/login.html", form=form, error=result.error)
    login_user(result.user)
    flash(_("欢迎，%(name)s。", name=result.user.display_name), "success")
    return redirect(_after_login_url())


@bp.post("/logout")
@login_required
def logout():
    """End every session of this user (all devices), then this one."""
    accounts.logout(current_actor(), current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("已退出登录"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions end, this one continues."""
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return render_invalid("auth/password.html", form)
    user = current_user._get_current_object()
    with saving() as saved:
        accounts.change_password(current_actor(), user, form.old_password.data, form.new_password.data)
    if (error := saved.error) is not None:
        return render_failed("auth/password.html", form, error)
    login_user(user)  # the new session generation keeps this session alive
    flash(_("密码已修改，其他设备上的登录已全部退出。"), "success")
    return redirect(url_for("main.home"))


@bp.get("/lang/<code>")
def set_language(code: str):
    """Switch the interface language (中文 / English) and go back."""
    if code not in LANGUAGE_CODES:
        abort(404)
    session["lang"] = code
    return redirect(next_arg() or url_for("main.home"))
