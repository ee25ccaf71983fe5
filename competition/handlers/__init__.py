"""The app's hooks: sessions, error pages, response headers, the health and readiness checks, request ids, logs and
metrics, and template globals.

create_app() calls init_app(); each concern has its own module here.
"""
from flask import Flask
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .. import permissions
from ..errors import AppError
from ..extensions import login_manager
from ..i18n import finalize
from ..models import ROLE_LABELS, Role
from ..rules.identity import mask_id_number, mask_mobile, mask_name
from ..rules.messages import Message
from . import login  # noqa: F401 (registers the user loader and the login-needed handler)
from . import observability
from .error_pages import _app_error, _csrf_error, _database_down, _http_error, _unexpected
from .headers import _security_headers, healthz
from .locale import select_locale


def init_app(app: Flask) -> None:
    """Install hooks, handlers and context processors."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = Message("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"
    app.after_request(_security_headers)
    app.register_error_handler(AppError, _app_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(Exception, _unexpected)
    app.context_processor(_template_globals)
    app.jinja_env.finalize = finalize
    app.add_url_rule("/healthz", "healthz", healthz)
    observability.init_app(app)  # request ids, logs, /metrics, /readyz


def _template_globals() -> dict:
    """Permission predicates, role names and masking available to every template."""
    return {
        **permissions.PREDICATES,
        "ROLE_LABELS": ROLE_LABELS,
        "Role": Role,
        "mask_id_number": mask_id_number,
        "mask_name": mask_name,
        "mask_mobile": mask_mobile,
        "current_locale": select_locale(),
    }
