"""Sessions: loading the logged-in user, and what a request without one gets."""
from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_url

from ..context import is_htmx
from ..extensions import db, login_manager
from ..i18n import as_text
from ..models import User


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Load a session's user; a bumped generation (logout elsewhere, password change) ends it."""
    try:
        user_id, generation = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_generation != generation or not user.is_active:
        return None
    return user


@login_manager.unauthorized_handler
def _login_needed():
    """Not logged in (never, or the session ended): htmx gets a 401 it can act on, a page the login form."""
    if is_htmx():
        page = urlsplit(request.headers.get("HX-Current-URL", ""))  # back to the page, not to the fragment
        target = url_for("auth.login", next=(page.path + (f"?{page.query}" if page.query else "")) or None)
        response = jsonify({"error": {"code": "login_required", "message": _("登录已失效，请重新登录。"),
                                      "details": [], "login_url": target}})
        response.status_code = 401
        response.headers["HX-Login-URL"] = target
        return response
    flash(as_text(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))
