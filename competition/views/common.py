"""Helpers shared by the HTML views: safe redirects, paging, form errors, guards."""
import io
from urllib.parse import urlsplit

from flask import current_app, render_template, request, send_file
from flask_login import current_user

from ..api.inputs import MAX_ID
from ..errors import AppError
from ..extensions import db, login_manager
from ..permissions import require
from ..xlsx import XLSX_MIMETYPE


def safe_next(target: str | None) -> str | None:
    """A redirect target only if it is a relative path on this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def page_number() -> int:
    """The ?page= argument, from 1 to a page no list reaches (an absurd page is an empty page, not a 500)."""
    try:
        return min(max(1, int(request.args.get("page", 1))), MAX_ID // 1000)
    except (TypeError, ValueError):
        return 1


def paginate(query, per_page: int | None = None):
    """One page of a select, PER_PAGE rows (50) unless told otherwise."""
    size = per_page or current_app.config.get("PER_PAGE", 50)
    return db.paginate(query, page=page_number(), per_page=size, error_out=False)


def arg(name: str) -> str:
    """A stripped query-string argument ('' when absent)."""
    return (request.args.get(name) or "").strip()


def int_arg(name: str) -> int | None:
    """A query-string argument as an int, or None when absent, not a number, or beyond any id or year we store
    (so `?season=99999999999999999999` is ignored instead of overflowing the database's integer: a 500)."""
    try:
        value = int(arg(name))
    except ValueError:
        return None
    return value if abs(value) <= MAX_ID else None


def apply_details(form, error: AppError) -> list[str]:
    """Put a service error's details under the matching form fields; return the rest."""
    leftover = []
    for detail in error.details:
        field = form._fields.get(detail.get("field") or "") if form is not None else None
        if field is None:
            leftover.append(detail.get("message", ""))
        elif detail.get("message") not in field.errors:
            field.errors = [*field.errors, detail.get("message", "")]
    return leftover


def render_failed(template: str, form, error: AppError, **context):
    """Roll back, show the service's message and field details, keep what was typed."""
    db.session.rollback()
    leftover = apply_details(form, error)
    return render_template(template, form=form, error=error.message, error_details=leftover,
                           **context), error.status


def render_invalid(template: str, form, **context):
    """Re-render a form that failed field validation (400 on a POST)."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def guard(predicate, message: str):
    """A before_request hook: anonymous → login page; a logged-in user without the right → 403."""
    def check():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        require(predicate(current_user), message)
        return None
    return check


def xlsx_download(data: bytes, name: str):
    """A workbook as an attachment named in UTF-8 (e.g. 竞赛经费补贴申请表-….xlsx; werkzeug adds a plain
    fallback name); every page and API download goes out through here."""
    safe = "".join(ch for ch in name if ch not in '\\/:*?"<>|')
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=safe)
