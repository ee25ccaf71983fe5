"""The enterprise directory: list, register, edit, and one enterprise with its accounts."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.filters import EnterpriseFilters
from ..forms.organisation import EnterpriseForm
from ..models import Enterprise, Role, User
from ..permissions import can_list_enterprises, can_manage_enterprises, can_view_enterprise, require
from ..forms.users import town_choices
from ..services import organisation
from ..services.towns import town_names
from ..rules.messages import Message
from .common import page_filters, paginate, render_failed, render_invalid, saving
from .nav import NavItem, add_nav
from .blueprints import enterprises as bp



def _is_enterprise_user(user) -> bool:
    """Enterprise users see their own enterprise instead of the directory."""
    return user.role is Role.ENTERPRISE


add_nav(NavItem(_l("企业"), "enterprises.index",
                lambda u: can_list_enterprises(u) and not _is_enterprise_user(u), order=30))
add_nav(NavItem(_l("本企业"), "enterprises.detail",
                lambda u: _is_enterprise_user(u) and u.enterprise_id is not None, order=30,
                url_values=lambda u: {"enterprise_id": u.enterprise_id}))


def _account_counts(ids: list[int]) -> dict[int, int]:
    """Number of enterprise-user accounts per enterprise, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(User.enterprise_id, db.func.count(User.id))
        .where(User.enterprise_id.in_(ids)).group_by(User.enterprise_id))
    return dict(rows.all())


@bp.get("")
@login_required
def index():
    """Staff see every enterprise (search by name or credit code, filter by town); enterprise users their own."""
    user = current_user._get_current_object()
    if _is_enterprise_user(user) and user.enterprise_id is not None:
        return redirect(url_for("enterprises.detail", enterprise_id=user.enterprise_id))
    require(can_list_enterprises(user) and not _is_enterprise_user(user))
    wanted = page_filters(EnterpriseFilters)
    page = paginate(organisation.enterprise_query(wanted.q, wanted.town))
    towns = town_names()
    counts = _account_counts([e.id for e in page.items])
    return render_template("enterprises/list.html", page=page, towns=towns, counts=counts)


def _data(form: EnterpriseForm) -> organisation.EnterpriseData:
    """The typed enterprise."""
    return organisation.EnterpriseData(form.name.data or "", form.credit_code.data or "", form.town.data)


def _form(**kwargs) -> EnterpriseForm:
    """The enterprise form with the league's towns to choose from (and a town the enterprise already names)."""
    form = EnterpriseForm(**kwargs)
    names = town_names()
    current = kwargs.get("obj").town if kwargs.get("obj") is not None else None
    form.town.choices = town_choices(names + ([current] if current and current not in names else []))
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Register an enterprise (the credit code is checked)."""
    require(can_manage_enterprises(current_user), Message("只有系统管理员和组委会可以登记企业。"))
    form = _form()
    if not form.validate_on_submit():
        return render_invalid("enterprises/form.html", form, enterprise=None)
    with saving() as saved:
        enterprise = organisation.create_enterprise(current_actor(), _data(form))
    if (error := saved.error) is not None:
        return render_failed("enterprises/form.html", form, error, enterprise=None)
    flash(_("已登记企业“%(name)s”。", name=enterprise.name), "success")
    return redirect(url_for("enterprises.detail", enterprise_id=enterprise.id))


@bp.route("/<int:enterprise_id>/edit", methods=["GET", "POST"])
@login_required
def edit(enterprise_id: int):
    """Edit an enterprise's name, credit code or town."""
    enterprise = db.get_or_404(Enterprise, enterprise_id)
    require(can_manage_enterprises(current_user), Message("只有系统管理员和组委会可以修改企业信息。"))
    form = _form(obj=enterprise)
    if not form.validate_on_submit():
        return render_invalid("enterprises/form.html", form, enterprise=enterprise)
    with saving() as saved:
        organisation.update_enterprise(current_actor(), enterprise, _data(form))
    if (error := saved.error) is not None:
        enterprise = db.get_or_404(Enterprise, enterprise_id)
        return render_failed("enterprises/form.html", form, error, enterprise=enterprise)
    flash(_("已保存企业“%(name)s”。", name=enterprise.name), "success")
    return redirect(url_for("enterprises.detail", enterprise_id=enterprise.id))


@bp.get("/<int:enterprise_id>")
@login_required
def detail(enterprise_id: int):
    """One enterprise with its user accounts (and, for staff, the judges it employs)."""
    enterprise = db.get_or_404(Enterprise, enterprise_id)
    require(can_view_enterprise(current_user, enterprise), Message("您只能查看本企业的信息。"))
    accounts = db.session.scalars(db.select(User).where(User.enterprise_id == enterprise.id)
                                  .order_by(User.username)).all()
    judges = []
    if can_manage_enterprises(current_user):
        judges = db.session.scalars(db.select(User).where(User.employer_id == enterprise.id)
                                    .order_by(User.username)).all()
    return render_template("enterprises/detail.html", enterprise=enterprise, accounts=accounts, judges=judges)
