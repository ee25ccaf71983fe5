"""Background job rows: created by a request, then advanced by the runner (competition/jobs), which commits each
step so a page polling the job sees its progress. Flush only, like every service."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..extensions import db
from ..models import Job, JobState, utcnow
from ..rules.messages import Message
from .audit import Actor

STALE_AFTER = timedelta(minutes=15)  # a running job with no progress for this long died with its process
INTERRUPTED = Message("任务中断（处理它的进程已停止），请重新生成。")
KEEP_RESULTS = timedelta(days=7)


def create_job(actor: Actor, kind: str, args: dict, subject: str | None = None) -> Job:
    """A queued job owned by the acting user."""
    job = Job(kind=kind, args=dict(args), subject=subject, owner_id=actor.user_id, state=JobState.QUEUED)
    db.session.add(job)
    db.session.flush()
    return job


def start_job(job: Job, total: int) -> None:
    """The runner took the job: running, with its amount of work."""
    job.state, job.started_at, job.done, job.total = JobState.RUNNING, utcnow(), 0, max(total, 0)
    db.session.flush()


def advance_job(job: Job, done: int) -> None:
    """Record progress (never backwards, never past the total)."""
    job.done = min(max(done, job.done), job.total) if job.total else max(done, job.done)
    db.session.flush()


def finish_job(job: Job, data: bytes, name: str, media_type: str) -> None:
    """The job's result is ready."""
    job.result, job.result_name, job.result_type = data, name[:200], media_type[:80]
    job.state, job.finished_at, job.done = JobState.DONE, utcnow(), job.total
    db.session.flush()


def fail_job(job: Job, error: str) -> None:
    """The job failed, with the reason people read."""
    job.state, job.finished_at, job.error = JobState.FAILED, utcnow(), str(error)[:500]
    db.session.flush()


def reset_job(job: Job) -> None:
    """A failed or interrupted job back to queued, from the start (its partial progress and error forgotten)."""
    job.state, job.done, job.total, job.error = JobState.QUEUED, 0, 0, None
    job.started_at = job.finished_at = None
    job.result = job.result_name = job.result_type = None
    db.session.flush()


def is_stale(job: Job, now: datetime | None = None) -> bool:
    """A job still marked queued or running whose process has stopped (no step for STALE_AFTER)."""
    return not job.is_finished and (now or utcnow()) - job.updated_at > STALE_AFTER


@dataclass(frozen=True)
class Shown:
    """A job as pages and the API show it: a stale one as failed with INTERRUPTED, its progress in whole percent."""

    state: JobState
    percent: int
    error: str | Message | None


def shown(job: Job) -> Shown:
    """What a job's page, its poll and GET /api/v1/jobs/{id} say of it."""
    stale = is_stale(job)
    percent = 100 if job.state is JobState.DONE else (job.done * 100 // job.total if job.total else 0)
    return Shown(JobState.FAILED if stale else job.state, percent, INTERRUPTED if stale else job.error)


def latest_job(kind: str, subject: str) -> Job | None:
    """The newest job of a kind on a subject, or None."""
    return db.session.scalar(db.select(Job).where(Job.kind == kind, Job.subject == subject)
                             .order_by(Job.id.desc()).limit(1))


def pending_job(kind: str, subject: str) -> Job | None:
    """A queued or running job of a kind on a subject that is still alive (so a second click does not start
    another)."""
    job = latest_job(kind, subject)
    return job if job is not None and not job.is_finished and not is_stale(job) else None


def prune_jobs(now: datetime | None = None) -> int:
    """Delete finished jobs (and their files) older than KEEP_RESULTS; returns how many."""
    cutoff = (now or utcnow()) - KEEP_RESULTS
    old = list(db.session.scalars(db.select(Job.id).where(Job.state.in_((JobState.DONE, JobState.FAILED)),
                                                          Job.created_at < cutoff)))
    if old:
        db.session.execute(db.delete(Job).where(Job.id.in_(old)))
    return len(old)
