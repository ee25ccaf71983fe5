"""Helpers shared by the HTML views: safe redirects, paging, form errors, guards."""
import io
from typing import TypeVar
from urllib.parse import urlsplit

from flask import current_app, g, render_template, request, send_file
from flask_login import current_user
from pydantic import BaseModel, ValidationError

from ..errors import AppError
from ..extensions import db, login_manager
from ..permissions import require
from ..rules.text import ascii_int, content_disposition
from ..typed import MAX_ID
from ..xlsx import XLSX_MIMETYPE

F = TypeVar("F", bound=BaseModel)


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


def page_number(param: str = "page") -> int:
    """The ?page= argument (or another, for a page's second list), from 1 to a page no list reaches (an absurd page
    is an empty page, not a 500)."""
    return min(max(1, ascii_int(request.args.get(param, 1)) or 1), MAX_ID // 1000)


def paginate(query, per_page: int | None = None, *, param: str = "page"):
    """One page of a select, PER_PAGE rows (50) unless told otherwise; `param` names its page argument."""
    size = per_page or current_app.config.get("PER_PAGE", 50)
    return db.paginate(query, page=page_number(param), per_page=size, error_out=False)


def page_filters(model: type[F]) -> F:
    """The page's query string through its typed model (forms/filters.py): a value the model refuses is
    dropped, and the page says so, instead of reaching the database."""
    data = {name: value for name, value in request.args.items() if name in model.model_fields}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        refused = {str(error["loc"][0]) for error in exc.errors() if error.get("loc")}
    g.ignored_filters = sorted(set(ignored_filters()) | refused)
    try:
        return model.model_validate({name: value for name, value in data.items() if name not in refused})
    except ValidationError:
        return model()


def ignored_filters() -> list[str]:
    """The query-string parameters this request dropped as invalid."""
    return list(g.get("ignored_filters") or ())


def kept_args(**values) -> dict:
    """The current query string as url_for keywords, for a link or redirect back to the same filtered list:
    never a key that would collide with the route's own values or steer url_for (`_external`, `_scheme`)."""
    taken = set(request.view_args or {}) | set(values)
    kept = {k: v for k, v in request.args.items() if k not in taken and not k.startswith("_")}
    return {**kept, **values}


def next_arg() -> str | None:
    """The ?next= of a login or language switch, when it is a safe relative path."""
    return safe_next(request.args.get("next"))


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


class Saving:
    """One unit of work of a page (`with saving() as saved:`): the block's changes are committed at its end; when a
    service refuses (AppError) they are rolled back and the refusal is kept in `saved.error` for the page to show;
    any other exception is rolled back and raised for the error handlers. Every HTML view saves through it, instead
    of hand-written try/commit/rollback blocks (issue 17, item 5)."""

    def __init__(self, commit: bool = True):
        self.error: AppError | None = None
        self.commit = commit

    def __enter__(self) -> "Saving":
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None and self.commit:
            db.session.commit()
            return False
        db.session.rollback()
        if error is None:
            return False
        if isinstance(error, AppError):
            self.error = error
            return True
        return False


def saving(*, commit: bool = True) -> Saving:
    """A unit of work for a page (see Saving); commit=False is a dry run, rolled back whatever happens (a preview)."""
    return Saving(commit)


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


def xlsx_download(data: bytes, name: str, *, ascii_name: str | None = None):
    """A workbook as an attachment named in UTF-8 (e.g. 竞赛经费补贴申请表-….xlsx) with a plain ASCII name beside it
    (RFC 6266) for clients that read no UTF-8 names: `ascii_name`, else the download's own path, which is English
    and holds the ids (/events/12/sign-in-sheet.xlsx → events-12-sign-in-sheet.xlsx, the API's the same without
    /api/v1); every page and API download goes out through here."""
    response = send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name="workbook.xlsx")
    plain = ascii_name or request.path.removeprefix("/api/v1/").strip("/").replace("/", "-")
    response.headers["Content-Disposition"] = content_disposition(name, ascii_name=plain, fallback="workbook")
    return response


def file_download(data: bytes, name: str, mimetype: str, *, ascii_name: str | None = None):
    """Any other file as an attachment, named as xlsx_download names workbooks (a UTF-8 name and a plain ASCII one)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name="download")
    plain = ascii_name or request.path.removeprefix("/api/v1/").strip("/").replace("/", "-")
    response.headers["Content-Disposition"] = content_disposition(name, ascii_name=plain, fallback="download")
    return response


def public_base_url() -> str:
    """The address the public reaches this site at (the QR codes on certificates point there): PUBLIC_BASE_URL when
    set (behind a proxy), else this request's own."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root
