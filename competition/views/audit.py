"""The audit log for staff: newest first, filtered by action, object and user."""
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..forms.filters import AuditFilters
from ..models import AuditEntry, Role, User
from ..permissions import can_view_audit
from ..rules.text import ascii_int
from ..services.audit import list_audit
from ..rules.messages import Message
from .common import guard, page_filters, paginate
from .filters import role_label
from .labels import field_label
from .nav import NavItem, add_nav
from .blueprints import audit as bp

bp.before_request(guard(can_view_audit, Message("只有系统管理员和组委会可以查看审计日志。")))
add_nav(NavItem(_l("审计日志"), "audit.index", can_view_audit, order=90))


def _shown(value, name: str = ""):
    """A snapshot value as people read it (roles by name, booleans as 是/否)."""
    if name == "role" and value in {r.value for r in Role}:
        return role_label(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return "—" if value is None or value == "" else value


def changes(entry: AuditEntry) -> list[dict]:
    """before/after as rows of (field label, before, after); on an update only the changed fields."""
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for name in dict.fromkeys([*before, *after]):
        both = name in before and name in after
        if both and before[name] == after[name]:
            continue
        rows.append({"field": field_label(name), "before": _shown(before.get(name), name),
                     "after": _shown(after.get(name), name), "has_before": name in before,
                     "has_after": name in after, "changed": both})
    return rows


def _user_filter(text: str | None) -> tuple[int | None, bool]:
    """The ?user= filter (username or id) as a user id; False when the user does not exist."""
    if not text:
        return None, True
    user_id = db.session.scalar(db.select(User.id).where(db.func.lower(User.username) == text.lower()))
    as_id = ascii_int(text, low=1)
    if user_id is None and as_id is not None and db.session.get(User, as_id) is not None:
        user_id = as_id
    return user_id, user_id is not None


@bp.get("")
def index():
    """The audit log, 50 rows a page."""
    wanted = page_filters(AuditFilters)
    user_id, user_found = _user_filter(wanted.user)
    query = list_audit(object_type=wanted.object_type, object_id=wanted.object_id, action=wanted.action,
                       user_id=user_id)
    if not user_found:
        query = query.where(db.false())
    page = paginate(query)
    actions = db.session.scalars(db.select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    types = db.session.scalars(db.select(AuditEntry.object_type).where(AuditEntry.object_type.is_not(None))
                               .distinct().order_by(AuditEntry.object_type)).all()
    return render_template("audit/index.html", page=page, actions=actions, types=types,
                           changes=changes, user_found=user_found)
