"""Policy versions (read-only here): the figures in force from each effective date."""
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from ..permissions import can_view_policy
from ..services.policy import list_policy_versions
from .common import guard
from .labels import MONEY_FIGURES, POLICY_COLUMNS
from .nav import NavItem, add_nav

bp = Blueprint("policy", __name__, url_prefix="/policy")
bp.before_request(guard(can_view_policy, "只有系统管理员和组委会可以查看政策参数。"))
add_nav(NavItem(_l("政策参数"), "policy.index", can_view_policy, order=95))


@bp.get("")
def index():
    """The policy version history, newest first."""
    return render_template("policy/index.html", versions=list_policy_versions(),
                           columns=POLICY_COLUMNS, money_figures=MONEY_FIGURES)
