"""Errors as pages or as the API's JSON shape, in the reader's language; refusals audited on the way out."""
import logging

from flask import current_app, g, jsonify, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from ..context import current_actor, is_htmx, wants_json
from ..errors import AppError, NotAllowed
from ..extensions import db, login_manager
from ..i18n import localise, localise_details
from ..limits import retry_after_seconds
from ..rules.messages import Message
from ..services.audit import named_object, record

log = logging.getLogger(__name__)

STATUS_TITLES = {
    400: Message("请求有误"),
    401: Message("请先登录"),
    403: Message("没有权限"),
    404: Message("页面不存在"),
    405: Message("不支持的请求方式"),
    409: Message("当前状态不允许此操作"),
    413: Message("上传文件过大"),
    429: Message("操作过于频繁"),
    500: Message("服务器内部错误"),
    503: Message("服务暂时不可用"),
}


def error_response(status: int, code: str, message: str, details: list | None = None):
    """The API's error shape, or the error page (which never needs the database), in the reader's language: the
    message and each detail's message localised here, the one place every error goes out."""
    message, details = localise(message), localise_details(details)
    if wants_json():
        body = {"error": {"code": code, "message": message, "details": details}}
        return jsonify(body), status
    _viewer_for_error_page(database_down=status == 503)
    title = STATUS_TITLES.get(status, Message("出错了"))
    return render_template("errors/error.html", status=status, title=title, message=message,
                           details=details), status


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
    message = Message("页面已过期或缺少安全令牌，请刷新页面后重试。")
    if is_htmx():
        response = jsonify({"error": {"code": "csrf", "message": localise(message), "details": []}})
        response.status_code = 400
        return response
    return error_response(400, "csrf", message)


HTTP_MESSAGES = {
    400: Message("请求格式有误。"),
    401: Message("请先登录。"),
    403: Message("您没有权限访问此页面。"),
    404: Message("您访问的页面或数据不存在。"),
    405: Message("不支持该请求方式。"),
    413: Message("上传的文件超过大小限制。"),
}


def _http_error(error: HTTPException):
    """Werkzeug's HTTP errors (404, 405, 413…) in Chinese."""
    db.session.rollback()
    status = error.code or 500
    if status == 403:
        audit_refusal(NotAllowed(error.description or "forbidden", code="forbidden"))
    message = HTTP_MESSAGES.get(status, error.description or Message("请求无法处理。"))
    code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 413: "too_large", 429: "too_many_requests"}.get(status, "http_error")
    retry_after = retry_after_seconds() if status == 429 else None
    if retry_after is not None:
        message = Message("操作过于频繁，请 %(seconds)s 秒后再试。", seconds=retry_after)
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
    return error_response(503, "database_unavailable",
                          Message("数据库暂时无法访问，请稍后重试。如持续出现，请联系系统管理员。"))


def _unexpected(error: Exception):
    """Anything else: log it, roll back, and show a Chinese 500 page without internals."""
    db.session.rollback()
    if current_app.config.get("PROPAGATE_UNEXPECTED"):
        raise error  # tests see the real traceback
    log.exception("unhandled error")
    return error_response(500, "internal_error",
                          Message("服务器出现意外错误，操作未保存。请稍后重试或联系系统管理员。"))
