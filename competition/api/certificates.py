"""Certificates (RULES.md §15) and background jobs: an event's certificates as one PDF (a job: 202 until it is done),
one entry's certificate, the public verification of a number, and a job's progress.

`GET /events/{id}/certificates.pdf` answers 200 with the PDF when a fresh one is ready, else 202 with the job that
makes it (started by this request, or already running): poll `status_url`, then ask again (or download
`result_url`). Verification needs no token and shows the masked name, never an ID number.
"""
import json

from flask import Response, jsonify, url_for

from ..errors import InvalidState, NotFound
from ..extensions import db
from ..jobs.certificates import printing_job
from ..jobs import reports as report_jobs
from ..jobs.runner import JSON_TYPE, requeue
from ..models import Entry, Event, EventStatus, Job, JobState, Season
from ..permissions import (can_download_entry_certificate, can_print_event_certificates, can_view_job,
                           can_view_season_dashboard, is_staff,
                           require)
from ..pdf import render_certificates
from ..rules.messages import Message
from ..services.certificates.issue import ensure_event_certificates
from ..services.certificates.queries import by_number, card, entry_certificates, event_certificates, verification
from ..services.jobs import shown
from ..views.common import file_download, public_base_url
from .certificate_schemas import CertificateOut, JobOut
from .framework import EVERY_ROLE, STAFF_AND_ENTERPRISE, STAFF_ROLES, actor, api_route, api_user, get_or_404

TAGS = ["certificates"]
INLINE_PAGES = 40  # up to this many certificates (about 5 s) the PDF is made in the request; more are a job


def job_out(job: Job, result_url: str | None = None) -> dict:
    """A job as JobOut (a stale one reads as failed: its process stopped); a JSON result is shown inline, a file is
    downloaded from its result_url (the job's download address unless the caller names another)."""
    now = shown(job)
    inline = None
    if job.result_type == JSON_TYPE and job.is_finished:
        inline = json.loads(db.session.scalar(db.select(Job.result).where(Job.id == job.id)) or b"null")
    elif job.state is JobState.DONE and result_url is None:
        result_url = url_for("api.download_job", job_id=job.id)
    return {"id": job.id, "kind": job.kind, "state": now.state.value,
            "done": job.done, "total": job.total, "progress": now.percent, "result": inline,
            "error": now.error, "created_at": job.created_at, "finished_at": job.finished_at,
            "status_url": url_for("api.get_job", job_id=job.id),
            "result_url": result_url if job.state is JobState.DONE and inline is None else None}


def job_accepted(job: Job | int, result_url: str | None = None) -> Response:
    """202 with the job (JobOut) and its address in Location: the answer of every endpoint that starts one."""
    if isinstance(job, int):
        job = db.session.get_one(Job, job)
    response = jsonify(JobOut.model_validate(job_out(job, result_url)).model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_job", job_id=job.id)
    return response


def _job_result(job: Job, ascii_name: str) -> Response:
    """A finished job's file."""
    data = db.session.scalar(db.select(Job.result).where(Job.id == job.id))
    return file_download(data or b"", job.result_name or "download.pdf", job.result_type or "application/pdf",
                         ascii_name=ascii_name)


@api_route("/events/<int:event_id>/certificates.pdf", roles=STAFF_ROLES, allow=is_staff, accepted=JobOut,
           summary="赛项证书（PDF）", tags=TAGS, errors=[409])
def event_certificates_pdf(event_id: int):
    """Every certificate of a final event, one page each (prizes in number order, then 技术能手 titles). 200 with the
    PDF: made in the request for up to 40 certificates, or a fresh one a job made; for more, 202 with the background
    job making it (poll `status_url`, then ask again). 409 `not_final` before the results are final, `no_certificates` when the event has none."""
    event = get_or_404(Event, event_id)
    require(can_print_event_certificates(api_user(), event), Message("只有组委会可以打印赛项证书。"))
    if event.status is EventStatus.FINAL:
        ensure_event_certificates(actor(), event)
        certificates = event_certificates(event)
        if 0 < len(certificates) <= INLINE_PAGES:  # a few seconds: answered at once, as API.md's 200
            data = render_certificates([card(c) for c in certificates], public_base_url(), title=event.name)
            return file_download(data, f"events-{event.id}-certificates.pdf", "application/pdf")
    job = printing_job(actor(), event, public_base_url(), reuse_done=True)
    if job.state is JobState.DONE:  # the job is queued otherwise, when the framework commits this request
        return _job_result(job, f"events-{event.id}-certificates.pdf")
    return job_accepted(job, url_for("api.event_certificates_pdf", event_id=event.id))


@api_route("/entries/<int:entry_id>/certificate.pdf", roles=STAFF_AND_ENTERPRISE, summary="选手证书（PDF）",
           tags=TAGS)
def entry_certificate_pdf(entry_id: int):
    """One entry's certificate: its prize's, and the 技术能手 title's it brought, one page each. The organisers and
    the users of the entry's employer; another enterprise 403; 404 when the entry has no certificate."""
    entry = get_or_404(Entry, entry_id)
    require(can_download_entry_certificate(api_user(), entry), Message("只能下载本企业员工的证书。"))
    certificates = entry_certificates(entry)
    if not certificates:
        raise NotFound(Message("该选手没有获奖或技术能手证书。"), code="no_certificate")
    data = render_certificates([card(c) for c in certificates], public_base_url(), title=certificates[0].number)
    return file_download(data, f"{certificates[0].number}.pdf", "application/pdf")


@api_route("/certificates/<string(maxlength=40):number>", auth=False, response=CertificateOut, summary="核验证书", tags=TAGS,
           errors=[404])
def verify_certificate(number: str):
    """Anyone checks a certificate number (as printed on it, or read from its QR code): the holder's masked name,
    the event, occupation, level, prize (or the 技术能手 title) and year; never an ID number. 404 when unknown."""
    certificate = by_number(number)
    if certificate is None:
        raise NotFound(Message("没有编号为 %(number)s 的证书，请核对编号。", number=number[:40]), code="unknown_certificate")
    return verification(certificate)


@api_route("/jobs/<int:job_id>", roles=EVERY_ROLE, response=JobOut, summary="后台任务进度", tags=TAGS)
def get_job(job_id: int):
    """A background job's state and progress: the user who started it, and the organisers."""
    job = _job(job_id)
    return job_out(job, _result_url(job))


def _job(job_id: int) -> Job:
    """A job (404) of the caller's, or any for the organisers (403)."""
    job = get_or_404(Job, job_id)
    require(can_view_job(api_user(), job), Message("只能查看自己发起的任务。"))
    return job


def _result_url(job: Job) -> str | None:
    """Where a job's file downloads from."""
    if job.kind == "event_certificates" and isinstance(job.args.get("event_id"), int):
        return url_for("api.event_certificates_pdf", event_id=job.args["event_id"])
    return None


@api_route("/seasons/<int:season_id>/report-jobs", methods=["POST"], roles=STAFF_ROLES, response=JobOut, status=202,
           allow=can_view_season_dashboard, summary="后台生成年度报表", tags=TAGS)
def season_report_job(season_id: int):
    """Build the season report (xlsx, one sheet per topic, the whole year) in the background: 202 with the job; poll
    `status_url`, then download `result_url` (GET /jobs/{id}/download)."""
    season = get_or_404(Season, season_id)
    job_id = report_jobs.season_report_job(actor(), season, None)  # queued when this request commits
    return job_accepted(job_id)


@api_route("/jobs/<int:job_id>/download", roles=EVERY_ROLE, summary="下载后台任务的结果文件", tags=TAGS, errors=[409])
def download_job(job_id: int):
    """A finished job's file (its starter, or the organisers); 409 `job_not_done` before it is done."""
    job = _job(job_id)
    if job.state is not JobState.DONE or job.result_type == JSON_TYPE:
        raise InvalidState(Message("该任务没有可下载的文件（尚未完成，或结果不是文件）。"), code="job_not_done")
    return _job_result(job, f"job-{job.id}")


@api_route("/jobs/<int:job_id>/retry", methods=["POST"], roles=EVERY_ROLE, response=JobOut, summary="重试后台任务",
           tags=TAGS, errors=[409])
def retry_job(job_id: int):
    """Queue a failed job again, or one whose process died (no progress for a while), from the start: its starter
    or the organisers. A job that is done, or still running, is 409 `job_not_failed`."""
    job = requeue(_job(job_id))
    return job_out(job, _result_url(job))

