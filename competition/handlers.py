"""App-wide hooks: sessions, locale, error pages and JSON errors, security headers, health."""
import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as translate_text
from flask_wtf.csrf import CSRFError
from flask_login import current_user, login_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from . import permissions
from .context import current_actor, wants_json
from .errors import AppError, NotAllowed
from .extensions import db, login_manager
from .limits import retry_after_seconds
from .models import ROLE_LABELS, Role, User
from .rules.identity import mask_id_number, mask_mobile, mask_name
from .services.audit import named_object, record

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

STATUS_TITLES = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限",
    404: "页面不存在",
    405: "不支持的请求方式",
    409: "当前状态不允许此操作",
    413: "上传文件过大",
    429: "操作过于频繁",
    500: "服务器内部错误",
    503: "服务暂时不可用",
}


def select_locale() -> str:
    """Chinese by default; English when the user switched to it."""
    chosen = session.get("lang") if request else None
    return chosen if chosen in ("zh_CN", "en") else "zh_CN"


def select_timezone() -> str:
    """The league runs on Beijing time."""
    return "Asia/Shanghai"


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


def is_htmx() -> bool:
    """A request made by htmx from a page (it must never receive a whole page to paste into a fragment)."""
    return request.headers.get("HX-Request") == "true"


@login_manager.unauthorized_handler
def _login_needed():
    """Not logged in (never, or the session ended): htmx gets a 401 it can act on, a page the login form."""
    if is_htmx():
        page = urlsplit(request.headers.get("HX-Current-URL", ""))  # back to the page, not to the fragment
        target = url_for("auth.login", next=(page.path + (f"?{page.query}" if page.query else "")) or None)
        response = jsonify({"error": {"code": "login_required", "message": "登录已失效，请重新登录。",
                                      "details": [], "login_url": target}})
        response.status_code = 401
        response.headers["HX-Login-URL"] = target
        return response
    flash(translate_text(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def init_app(app: Flask) -> None:
    """Install hooks, handlers and context processors."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"
    app.after_request(_security_headers)
    app.register_error_handler(AppError, _app_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(Exception, _unexpected)
    app.context_processor(_template_globals)
    app.teardown_request(_forget_api_user)
    app.add_url_rule("/healthz", "healthz", healthz)


def _forget_api_user(exc) -> None:
    """The API caller belongs to one request only, even where an app context outlives it (tests, CLI)."""
    g.pop("api_user", None)
    g.pop("api_token", None)


def healthz():
    """Health check: 200 after a database round trip, 503 when the database does not answer."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except OperationalError:
        db.session.rollback()
        return jsonify({"status": "error", "message": "数据库不可用"}), 503
    return jsonify({"status": "ok"})


def _security_headers(response):
    """Security headers on every response; a CSP allowing only the app's own scripts."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if getattr(g, "no_store", False) or request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    return response


def error_response(status: int, code: str, message: str, details: list | None = None):
    """The API's error shape, or the Chinese error page (which never needs the database)."""
    if wants_json():
        body = {"error": {"code": code, "message": message, "details": details or []}}
        return jsonify(body), status
    _viewer_for_error_page(database_down=status == 503)
    title = STATUS_TITLES.get(status, "出错了")
    return render_template("errors/error.html", status=status, title=title, message=message,
                           details=details or []), status


def _viewer_for_error_page(*, database_down: bool) -> None:
    """The user the error page's menu shows: the one already loaded, else the session's if the database
    answers, else nobody. Flask-Login's context processor loads the user while rendering; with the database
    down that load would fail inside the error handler and the browser would get a bare server error."""
    if "_login_user" in g:
        return
    if not database_down:
        try:
            current_user._get_current_object()
            return
        except SQLAlchemyError:
            db.session.rollback()
    g._login_user = login_manager.anonymous_user()


def _app_error(error: AppError):
    """Expected failures: roll back, audit refusals, render."""
    db.session.rollback()
    if isinstance(error, NotAllowed):
        audit_refusal(error)
    return error_response(error.status, error.code, error.message, error.details)


def audit_refusal(error: NotAllowed, **after) -> None:
    """A refused attempt, written to the audit log in its own small transaction against the object the URL names
    (the innermost id: the entry of /events/<event_id>/entries/<entry_id>/…), with the refusal's code: the one
    function every refusal goes through, whether it is answered as a page, a grid cell or JSON (issue 17), so the
    mark grid and the API write the same row for the same 回避."""
    try:
        record(current_actor(), "refused", message=f"{request.method} {request.path}: {error.message}",
               target=named_object(request.view_args), after={"code": error.code, **after})
        db.session.commit()
    except Exception:  # the refusal must still be answered if the audit write fails
        db.session.rollback()
        log.exception("could not audit a refusal")


def _csrf_error(error: CSRFError):
    """A missing or stale CSRF token: explain, change nothing (htmx gets JSON, never a page to paste)."""
    db.session.rollback()
    message = "页面已过期或缺少安全令牌，请刷新页面后重试。"
    if is_htmx():
        response = jsonify({"error": {"code": "csrf", "message": message, "details": []}})
        response.status_code = 400
        return response
    return error_response(400, "csrf", message)


HTTP_MESSAGES = {
    400: "请求格式有误。",
    401: "请先登录。",
    403: "您没有权限访问此页面。",
    404: "您访问的页面或数据不存在。",
    405: "不支持该请求方式。",
    413: "上传的文件超过大小限制。",
}


def _http_error(error: HTTPException):
    """Werkzeug's HTTP errors (404, 405, 413…) in Chinese."""
    db.session.rollback()
    status = error.code or 500
    if status == 403:
        audit_refusal(NotAllowed(error.description or "forbidden", code="forbidden"))
    message = HTTP_MESSAGES.get(status, error.description or "请求无法处理。")
    code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 413: "too_large", 429: "too_many_requests"}.get(status, "http_error")
    retry_after = retry_after_seconds() if status == 429 else None
    if retry_after is not None:
        message = f"操作过于频繁，请 {retry_after} 秒后再试。"
    response = make_response(error_response(status, code, message))
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _database_down(error: OperationalError):
    """The database does not answer: a clear 503, not a stack trace."""
    db.session.rollback()
    log.error("database error: %s", error)
    return error_response(503, "database_unavailable", "数据库暂时无法访问，请稍后重试。如持续出现，请联系系统管理员。")


def _unexpected(error: Exception):
    """Anything else: log it, roll back, and show a Chinese 500 page without internals."""
    db.session.rollback()
    if current_app.config.get("PROPAGATE_UNEXPECTED"):
        raise error  # tests see the real traceback
    log.exception("unhandled error")
    return error_response(500, "internal_error", "服务器出现意外错误，操作未保存。请稍后重试或联系系统管理员。")


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
