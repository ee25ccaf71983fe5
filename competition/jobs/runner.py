"""The job runner: long work off the request, with its state and progress in the `jobs` table.

    job_id = submit("event_certificates", {"event_id": 12, "base_url": "https://…"}, actor=actor, subject="event:12")

`submit` adds a queued job row in the caller's transaction; the job is handed to the runner only when that
transaction commits (nothing runs for a request that rolled back, and the worker always finds its row). The runner
here is the simplest honest one: a thread pool in this process (concurrent.futures), each job in an app context of
its own, committing every step so a page polling the job sees its progress. A job's function takes a `Step` and its
arguments and returns a `JobResult`; an exception fails the job with a reason people can read. The interface is
`Runner.enqueue(job_id)`: with REDIS_URL set, jobs/queue.py puts the shared queue (RQ on Redis) behind it, and
`flask --app competition worker` runs them, without the callers knowing. If a process stops, its running jobs stop
too: they are reported as interrupted once they have made no progress for a while (services/jobs.py), and `requeue`
runs one again from the start.
"""
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..errors import AppError, InvalidState
from ..extensions import db
from ..models import Job, JobState
from ..rules.messages import Message
from ..services import jobs as job_rows
from ..services.audit import Actor

LOG = logging.getLogger(__name__)
JSON_TYPE = "application/json"
FAILED = Message("生成失败，请重试；如仍失败，请联系系统管理员。")
PENDING_KEY = "jobs_to_enqueue"


@dataclass(frozen=True)
class JobResult:
    """What a job made: a file, or a JSON document (`of_json`: counts, or the problems a failed job found)."""

    data: bytes
    name: str
    media_type: str

    @classmethod
    def of_json(cls, value, name: str = "result.json") -> "JobResult":
        """A JSON result (the API shows it as the job's `result`)."""
        return cls(json.dumps(value, ensure_ascii=False, default=str).encode("utf-8"), name, JSON_TYPE)


class Step:
    """A running job's progress, committed as it goes (the job's session holds no transaction between steps)."""

    def __init__(self, job: Job):
        self.job = job

    def start(self, total: int) -> None:
        """The job knows its amount of work."""
        job_rows.start_job(self.job, total)
        db.session.commit()

    def advance(self, done: int) -> None:
        """`done` units of the total are finished."""
        job_rows.advance_job(self.job, done)
        db.session.commit()


JobFunction = Callable[..., JobResult]
KINDS: dict[str, JobFunction] = {}


def register(kind: str, function: JobFunction) -> None:
    """Declare a kind of job and the function that does it: function(step, **args) -> JobResult."""
    KINDS[kind] = function


class Runner(Protocol):
    """Where queued jobs go to be run."""

    def enqueue(self, job_id: int) -> None:
        """Run the job (its row is committed, state queued) some time soon."""


class ThreadRunner:
    """Runs jobs on a small pool of threads of this process, each in its own app context."""

    def __init__(self, app: Flask, workers: int):
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="job")
        self.futures: list[Future] = []

    def enqueue(self, job_id: int) -> None:
        """Hand the job to a worker thread."""
        self.futures = [f for f in self.futures if not f.done()] + [self.pool.submit(self._run, job_id)]

    def _run(self, job_id: int) -> None:
        """One job, start to finish, in an app context of its own."""
        with self.app.app_context():
            try:
                run_job(job_id)
            finally:
                db.session.remove()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every job handed over so far (tests, shutdown); True when all finished."""
        done, pending = wait(list(self.futures), timeout=timeout)
        return not pending

    def shutdown(self) -> None:
        """Finish the running jobs and stop the threads."""
        self.pool.shutdown(wait=True)


def run_job(job_id: int) -> None:
    """Run one queued job to done or failed (the caller provides the app context)."""
    job = db.session.get(Job, job_id)
    if job is None or job.state is not JobState.QUEUED:
        db.session.rollback()
        return
    try:
        result = KINDS[job.kind](Step(job), **job.args)
        job_rows.finish_job(job, result.data, result.name, result.media_type)
        db.session.commit()
    except Exception as exc:  # any failure is the job's, recorded for its owner to read
        db.session.rollback()
        LOG.exception("job %s (%s) failed", job_id, getattr(job, "kind", "?"))
        reason = exc.message if isinstance(exc, AppError) else FAILED
        job = db.session.get(Job, job_id)
        if job is not None:
            job_rows.fail_job(job, reason)
            if isinstance(exc, AppError) and exc.details:  # every problem it found (a roster's bad rows)
                problems = JobResult.of_json({"code": exc.code, "details": exc.details})
                job.result, job.result_name, job.result_type = problems.data, problems.name, problems.media_type
            db.session.commit()


def runner_for(app: Flask) -> Runner:
    """The app's runner, made on first use: the shared queue when one is configured (jobs/queue.py puts its factory
    in app.extensions["job_queue"] when REDIS_URL is set), else JOB_WORKERS threads of this process."""
    runner = app.extensions.get("job_runner")
    if runner is None:
        factory = app.extensions.get("job_queue")
        runner = factory() if factory is not None else ThreadRunner(app, app.config.get("JOB_WORKERS", 2))
        app.extensions["job_runner"] = runner
    return runner


def submit(kind: str, args: dict, *, actor: Actor, subject: str | None = None) -> int:
    """Queue a job in the current transaction; it is handed to the runner when the transaction commits."""
    if kind not in KINDS:
        raise KeyError(f"unknown job kind {kind!r}")
    job = job_rows.create_job(actor, kind, args, subject)
    db.session.info.setdefault(PENDING_KEY, []).append((current_app._get_current_object(), job.id))
    return job.id


def requeue(job: Job) -> Job:
    """Queue a failed job again (or one whose process died: services/jobs.is_stale) from the start; it is handed to
    the runner when the transaction commits. 409 for a job that is done, or still alive."""
    if job.state is JobState.DONE or (not job.is_finished and not job_rows.is_stale(job)):
        raise InvalidState(Message("只能重试失败或已中断的任务。"), code="job_not_failed")
    job_rows.reset_job(job)
    db.session.info.setdefault(PENDING_KEY, []).append((current_app._get_current_object(), job.id))
    return job


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    """The jobs of a committed transaction go to the runner."""
    for app, job_id in session.info.pop(PENDING_KEY, []):
        runner_for(app).enqueue(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    """A rolled-back transaction's jobs never ran and never will."""
    session.info.pop(PENDING_KEY, None)
