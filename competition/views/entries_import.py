"""Roster import: rules and template, upload and preview (nothing saved), confirm (all or nothing)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.entries import ConfirmImportForm, ImportForm
from ..forms.filters import ImportJobFilters
from ..jobs.roster import KIND as ROSTER_JOB
from ..jobs.roster import import_outcome, staged_import_job
from ..handlers.error_pages import error_response
from ..limits import uploads
from ..models import Event, Job
from ..permissions import can_enrol, can_view_job, require_enrolment
from ..rules.roster import COLUMNS, FIELD_ORDER, guide_lines
from ..services.events.roster import import_roster, preview_import, roster_template, upload_limits
from ..services.events.uploads import discard_upload, load_upload, store_upload
from ..xlsx.limits import MiB
from ..rules.messages import Message
from .common import page_filters, saving, xlsx_download
from .blueprints import entries as bp
from .entries_common import load_event, xlsx_name
from .entries_roster import enrolment_closed
from .jobs import job_view


ACCEPTED = (".xlsx", ".xls", ".csv")  # also the file input's accept list (templates/entries/import.html)


def max_upload_bytes() -> int:
    """The smaller of the request limit and the roster limit."""
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH") or upload_limits().max_bytes
    return min(request_limit, upload_limits().max_bytes)


def problem_rows(problems: list[dict]) -> list[dict]:
    """Problems as table rows: Excel row, column header, and the reason without the repeated prefix."""
    rows = []
    for problem in problems:
        field, message = problem.get("field"), problem.get("message", "")
        header = COLUMNS[FIELD_ORDER[field]].header if field in FIELD_ORDER else "—"
        prefix = Message("第%(row)s行 %(header)s：", row=problem.get("row"), header=header)
        rows.append({"row": problem.get("row"), "column": header, "message": _reason(message, prefix)})
    return rows


def _reason(message: str, prefix: str) -> str:
    """A problem's reason without the row-and-column prefix that the table shows in columns of its own; from a
    Message, the parameter holding that reason, so that the page renders it in the reader's language."""
    if not message.startswith(prefix):
        return message
    rest = message[len(prefix):]
    if not isinstance(message, Message):
        return rest
    return next((value for value in message.params.values() if isinstance(value, str) and value == rest), message)


def import_page(event: Event, form=None, *, error: str | None = None, status: int = 200, **preview):
    """The import page: rules, template link, upload form, and a preview or an error when there is one."""
    limits = upload_limits()
    return render_template(
        "entries/import.html", event=event, form=form or ImportForm(formdata=None), error=error,
        rules=guide_lines(limits.max_rows, max(1, limits.max_bytes // MiB)), max_bytes=max_upload_bytes(),
        max_megabytes=max_upload_bytes() / MiB, closed_reason=enrolment_closed(event),
        confirm_form=ConfirmImportForm(formdata=None), **preview), status


def _allowed_event(event_id: int) -> Event:
    """Load the event and check that the user may enrol in it."""
    event = load_event(event_id)
    require_enrolment(current_user, event, Message("您没有权限为本赛项导入报名名单。"))
    return event


@bp.get("/<int:event_id>/entries/import")
@login_required
def import_form(event_id: int):
    """The rules, the template to download and the upload form; with ?job=, the large import that job runs (its
    progress, then its counts, or every bad row it found)."""
    event = _allowed_event(event_id)
    wanted = page_filters(ImportJobFilters).job
    job = db.session.get(Job, wanted) if wanted is not None else None
    if job is None or job.kind != ROSTER_JOB or job.args.get("event_id") != event.id or not can_view_job(current_user,
                                                                                                     job):
        return import_page(event)
    view = job_view(job)
    outcome = import_outcome(job) or {}
    problems = problem_rows([d for d in outcome.get("details", []) if d.get("row")])
    return import_page(event, job=view, problems=problems)


@bp.get("/<int:event_id>/entries/template.xlsx")
@login_required
def template(event_id: int):
    """The empty import template with its 填写说明 sheet."""
    event = _allowed_event(event_id)
    return xlsx_download(roster_template(), xlsx_name(event, _("报名导入模板")))


@bp.post("/<int:event_id>/entries/import/preview")
@login_required
@uploads
def import_preview(event_id: int):
    """Check an uploaded roster without saving; keep a clean file on the server for confirmation."""
    event = _allowed_event(event_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return import_page(event, form, status=400)
    upload = form.file.data
    filename = (upload.filename or "").strip()
    if not filename.lower().endswith(ACCEPTED):  # a quick word on an obvious mistake; the bytes decide the kind
        return import_page(event, form, error=_(
            "请上传 .xlsx、.xls 或 .csv 格式的名单文件（当前文件为“%(name)s”）。其他格式请先在 Excel 或 WPS 中另存为 .xlsx。",
            name=filename[:80]), status=400)
    data = upload.read()
    with saving(commit=False) as previewed:  # a preview changes nothing in the league
        result = preview_import(current_actor(), event, data)
    if (error := previewed.error) is not None:
        return import_page(event, form, error=error.message, status=error.status)
    token = None
    if not result["problems"]:
        with saving() as saved:
            token = store_upload(current_user.id, event.id, data, filename)
        if (error := saved.error) is not None:
            return import_page(event, form, error=error.message, status=error.status)
    return import_page(event, form, result=result, problems=problem_rows(result["problems"]), token=token,
                       filename=filename)


@bp.post("/<int:event_id>/entries/import/confirm")
@login_required
def import_confirm(event_id: int):
    """Import the previewed file: every row or none; the stored file is deleted either way."""
    event = _allowed_event(event_id)
    form = ConfirmImportForm()
    token = form.token.data if form.validate_on_submit() else None
    try:
        data, filename = load_upload(current_user.id, event.id, token)
    except AppError as error:
        return import_page(event, error=error.message, status=error.status)
    if len(data) > current_app.config["IMPORT_JOB_BYTES"]:  # a large roster: imported by a job the page follows
        with saving() as queued:
            job_id = staged_import_job(current_actor(), event, token or "", filename)
        if queued.error is None:
            return redirect(url_for("entries.import_form", event_id=event.id, job=job_id))
    with saving() as saved:
        result = import_roster(current_actor(), event, data, filename=filename)
        discard_upload(current_user.id, event.id)  # in the import's transaction: both or neither
    if (error := saved.error) is not None:
        with saving():
            discard_upload(current_user.id, event.id)
        problems = problem_rows([d for d in error.details if d.get("row")])
        return import_page(event, error=error.message, status=error.status, problems=problems, filename=filename)
    flash(_("已导入%(created)s人，%(existing)s人已在名单中。", created=result["created"],
            existing=result["existing"]), "success")
    return redirect(url_for("entries.index", event_id=event.id))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """An upload beyond the request limit: the import page with the limit, not a bare error."""
    db.session.rollback()
    message = _("文件超过%(size)sMB的上限，请分批导入。", size=format(max_upload_bytes() / MiB, "g"))
    event = db.session.get(Event, (request.view_args or {}).get("event_id", 0))
    if request.endpoint == "entries.import_preview" and event is not None and can_enrol(current_user, event):
        return import_page(event, error=message, status=413)
    return error_response(413, "too_large", message)
