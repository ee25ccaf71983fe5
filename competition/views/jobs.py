"""Background jobs for the pages: a job's progress (a small JSON answer the page polls: static/js/jobs.js), its page
(the progress bar, the download, a failure's reason and 重试) and its file; only the user who started a job and the
organisers see it. Also how an export route answers (`offer_export`): the file at once, or, past EXPORT_JOB_ROWS
rows, a page offering to build it in the background, whose POST submits the job and leads to the job's page."""
from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.jobs import JobForm
from ..jobs import exports
from ..jobs.roster import KIND as ROSTER_IMPORT, import_outcome
from ..jobs.runner import requeue
from ..models import Event, Job, JobState
from ..permissions import can_view_job, require
from ..rules.messages import Message
from ..services.jobs import shown
from .blueprints import jobs as bp
from .common import file_download, saving, xlsx_download

KIND_LABELS = {"event_certificates": Message("证书 PDF"), "season_report": Message("年度报表（后台生成）")}


def job_view(job: Job) -> dict:
    """A job as the page and its poll show it: state (a stale one as failed), progress, error, download."""
    now = shown(job)
    state, percent, error = now.state.value, now.percent, now.error
    outcome = import_outcome(job)  # a JSON result (an import's counts) is shown, not downloaded
    counts = {key: outcome[key] for key in ("created", "existing") if key in outcome} if outcome else {}
    return {"id": job.id, "state": state, "done": job.done, "total": job.total, "percent": percent,
            "error": gettext(str(error)) if error else None,  # the stored text of a known reason is a msgid
            "status_url": url_for("jobs.status", job_id=job.id),
            "download_url": url_for("jobs.download", job_id=job.id) if state == "done" and outcome is None else None,
            "created_at": job.created_at, **counts}


def _job(job_id: int) -> Job:
    """The job (404), for its owner or the organisers (403)."""
    job = db.get_or_404(Job, job_id)
    require(can_view_job(current_user, job), Message("只能查看自己发起的任务。"))
    return job


@bp.get("/<int:job_id>")
@login_required
def status(job_id: int):
    """A job's state and progress as JSON: {"state", "done", "total", "percent", "error", "download_url"}."""
    view = job_view(_job(job_id))
    view.pop("created_at")
    return jsonify(view)


@bp.get("/<int:job_id>/download")
@login_required
def download(job_id: int):
    """A finished job's file (404 until it is done)."""
    job = _job(job_id)
    if job.state is not JobState.DONE:
        return jsonify({"state": job.state.value}), 404
    data = db.session.scalar(db.select(Job.result).where(Job.id == job.id)) or b""
    subject = (job.subject or "job").replace(":", "-")
    extension = (job.result_name or "").rpartition(".")[2] or "bin"
    return file_download(data, job.result_name or "download", job.result_type or "application/octet-stream",
                         ascii_name=f"{subject}-{job.kind.replace('_', '-')}.{extension}")


@bp.get("/<int:job_id>/page")
@login_required
def page(job_id: int):
    """A job's page: the progress bar (polled), the download when done, the reason and 重试 when it failed."""
    job = _job(job_id)
    if job.kind == ROSTER_IMPORT:  # its result is counts or the rows to fix, which the import page shows
        return redirect(url_for("entries.import_form", event_id=job.args.get("event_id"), job=job.id))
    label = exports.export_label(job) or KIND_LABELS.get(job.kind) or Message("后台任务")
    return render_template("jobs/show.html", job=job_view(job), label=label, form=JobForm(formdata=None),
                           event=_event_of(job))


def _event_of(job: Job) -> Event | None:
    """The event a job is about (an event's roster, results or certificates), to name it and link back to it."""
    params = job.args.get("params") or job.args
    event_id = params.get("event_id") if isinstance(params, dict) else None
    return db.session.get(Event, event_id) if isinstance(event_id, int) else None


@bp.post("/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    """Queue a failed or interrupted job again, from the start (its starter or the organisers)."""
    job = _job(job_id)
    if JobForm().validate_on_submit():
        with saving() as saved:
            requeue(job)
        if saved.error is not None:
            flash(saved.error.message, "danger")
        else:
            flash(gettext("已重新开始生成。"), "success")
    return redirect(url_for("jobs.page", job_id=job_id))


def offer_export(exporter: str, params: dict, *, back: str, ascii_name: str | None = None):
    """An export route's answer once it has authorised the reader and decided `params` (jobs/exports.py): a POST
    submits the export as a job and leads to its page; a GET sends the file at once when it has at most
    EXPORT_JOB_ROWS rows, else a page saying how many and offering to build it in the background."""
    form = JobForm()
    if request.method == "POST" and form.validate_on_submit():
        with saving() as queued:
            job_id = exports.export_job(current_actor(), exporter, params)  # queued when this commits
        if queued.error is not None:
            raise queued.error
        return redirect(url_for("jobs.page", job_id=job_id))
    rows = exports.count_rows(exporter, params)
    if request.method == "POST" or rows > current_app.config["EXPORT_JOB_ROWS"]:
        return render_template("jobs/export_confirm.html", form=form, rows=rows, back=back,
                               label=exports.EXPORTERS[exporter].label, limit=current_app.config["EXPORT_JOB_ROWS"],
                               action=request.full_path.rstrip("?")), 400 if request.method == "POST" else 200
    with saving() as built:  # an export that reveals ID numbers keeps its audit row
        data, name = exports.build_export(exporter, params, current_actor())
    if built.error is not None:  # a refusal (e.g. an unfinished scheme) goes to the error pages, as before
        raise built.error
    return xlsx_download(data, name, ascii_name=ascii_name)
