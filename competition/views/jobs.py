"""Background jobs' progress for the pages (a small JSON answer the page polls: static/js/jobs.js) and their
results; only the user who started a job and the organisers see it."""
from flask import jsonify, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..extensions import db
from ..jobs.roster import import_outcome
from ..models import Job, JobState
from ..permissions import can_view_job, require
from ..rules.messages import Message
from ..services.jobs import INTERRUPTED, is_stale
from .blueprints import jobs as bp
from .common import file_download


def job_view(job: Job) -> dict:
    """A job as the page and its poll show it: state (a stale one as failed), progress, error, download."""
    stale = is_stale(job)
    state = JobState.FAILED.value if stale else job.state.value
    percent = 100 if state == "done" else (job.done * 100 // job.total if job.total else 0)
    error = INTERRUPTED if stale else job.error
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
