"""User administration (administrators only): list, create, edit, disable/enable, reset password."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.filters import UserFilters
from ..forms.users import (ResetPasswordForm, UserCreateForm, UserEditForm, enterprise_choices, role_choices,
                           town_choices)
from ..models import Enterprise, Role, User, utcnow
from ..permissions import can_manage_users
from ..services import accounts, logins
from ..services.towns import town_names
from ..rules.messages import Message
from .common import apply_details, guard, page_filters, paginate, render_failed, render_invalid, saving
from .nav import NavItem, add_nav
from .blueprints import admin as bp

bp.before_request(guard(can_manage_users, Message("只有系统管理员可以管理用户。")))
add_nav(NavItem(_l("用户管理"), "admin.users", can_manage_users, order=80))


def _user_query():
    """Users filtered by ?q= (username or display name), ?role= and ?disabled=."""
    wanted = page_filters(UserFilters)
    disabled = None if wanted.disabled is None else wanted.disabled == "1"
    return accounts.user_query(wanted.q, wanted.role, disabled)


@bp.get("/users")
def users():
    """The accounts, searchable and filterable, 50 per page."""
    page = paginate(_user_query())
    return render_template("admin/users.html", page=page, roles=role_choices(), now=utcnow())


def _enterprises() -> list[Enterprise]:
    """Every enterprise by name, for the affiliation selects."""
    return list(db.session.scalars(db.select(Enterprise).order_by(Enterprise.name)))


def _fill_choices(form) -> None:
    """Enterprise options for both affiliation selects, and the league's towns for a town officer's."""
    choices = enterprise_choices(_enterprises())
    form.enterprise_id.choices = choices
    form.employer_id.choices = choices
    form.town.choices = town_choices(town_names())


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create an account with a role and, for enterprise users and judges, an affiliation."""
    form = UserCreateForm()
    _fill_choices(form)
    if not form.validate_on_submit():
        return render_invalid("admin/user_new.html", form)
    data = accounts.NewUser(
        username=form.username.data.strip(), password=form.password.data,
        display_name=form.display_name.data, role=form.role.data,
        enterprise_id=form.enterprise_id.data if form.role.data == Role.ENTERPRISE.value else None,
        employer_id=form.employer_id.data if form.role.data == Role.JUDGE.value else None,
        town=form.town.data if form.role.data == Role.TOWN.value else None,
    )
    with saving() as saved:
        user = accounts.create_user(current_actor(), data)
    if (error := saved.error) is not None:
        return render_failed("admin/user_new.html", form, error)
    flash(_("已创建用户 %(name)s。", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _edit_page(user: User, form=None, reset_form=None, status: int = 200, **extra):
    """The edit page: details form, account state and actions, password reset form."""
    form = form or UserEditForm(formdata=None, obj=user)
    _fill_choices(form)
    return render_template("admin/user_edit.html", user=user, form=form,
                           reset_form=reset_form or ResetPasswordForm(formdata=None),
                           now=utcnow(), **extra), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Change an account's display name and affiliation."""
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    _fill_choices(form)
    if not form.validate_on_submit():
        return _edit_page(user, form, status=400 if form.is_submitted() else 200)
    with saving() as saved:
        accounts.update_user(
            current_actor(), user, display_name=form.display_name.data,
            enterprise_id=form.enterprise_id.data if user.role is Role.ENTERPRISE else None,
            employer_id=form.employer_id.data if user.role is Role.JUDGE else None,
            town=form.town.data if user.role is Role.TOWN else None)
    if (error := saved.error) is not None:
        return _failed_edit(user_id, form, error)
    flash(_("已保存用户 %(name)s 的资料。", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _failed_edit(user_id: int, form, error: AppError, reset_form=None):
    """Re-render the edit page after a service refusal, with the message and field errors."""
    db.session.rollback()
    user = db.get_or_404(User, user_id)
    leftover = apply_details(form, error) if form is not None else []
    if reset_form is not None:
        leftover = apply_details(reset_form, error)
    return _edit_page(user, form, reset_form, status=error.status, error=error.message,
                      error_details=leftover)


def _set_disabled(user_id: int, disabled: bool):
    """Disable or enable an account, then go back to its page."""
    user = db.get_or_404(User, user_id)
    with saving() as saved:
        accounts.set_disabled(current_actor(), user, disabled)
    if (error := saved.error) is not None:
        return _failed_edit(user_id, None, error)
    message = _("已停用用户 %(name)s，其所有登录已结束。", name=user.username) if disabled \
        else _("已启用用户 %(name)s。", name=user.username)
    flash(message, "warning" if disabled else "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/disable")
def disable_user(user_id: int):
    """Disable an account; its sessions and API tokens end."""
    return _set_disabled(user_id, True)


@bp.post("/users/<int:user_id>/enable")
def enable_user(user_id: int):
    """Enable a disabled account and lift any lock."""
    return _set_disabled(user_id, False)


@bp.post("/users/<int:user_id>/unlock")
def unlock_user(user_id: int):
    """Lift an account's login locks from every client address."""
    user = db.get_or_404(User, user_id)
    logins.unlock(current_actor(), user)
    db.session.commit()
    flash(_("已解除用户 %(name)s 的登录锁定。", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-password")
def reset_password(user_id: int):
    """Set a new password for an account; its sessions end and any lock lifts."""
    user = db.get_or_404(User, user_id)
    reset_form = ResetPasswordForm()
    if not reset_form.validate_on_submit():
        return _edit_page(user, reset_form=reset_form, status=400)
    with saving() as saved:
        accounts.reset_password(current_actor(), user, reset_form.password.data)
    if (error := saved.error) is not None:
        return _failed_edit(user_id, None, error, reset_form=reset_form)
    if user.id == current_user.id:
        login_user(user)  # an administrator resetting their own password stays logged in here
    flash(_("已重置用户 %(name)s 的密码，其所有登录已结束。", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
