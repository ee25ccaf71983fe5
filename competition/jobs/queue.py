"""Jobs on a shared queue (issue 22, item 2): with `REDIS_URL` set, a committed job's id goes to an RQ queue in Redis
and any `flask --app competition worker` (any number, on any machine) runs it; without it, jobs run on the web
process's threads (runner.ThreadRunner), so the embedded default needs nothing more. Either way the state, progress
and result are in the `jobs` table, so any node answers `GET /api/v1/jobs/{id}` and hands out the file.

A worker runs jobs in its own process (RQ's SimpleWorker: no fork, one app context and one connection pool for the
worker's life). A job whose worker dies stays "running" without progress until services/jobs.is_stale says it
died; the job's page then says so and `POST /api/v1/jobs/{id}/retry` queues it again.
"""
import logging
from datetime import datetime, time, timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis
from rq import Queue, SimpleWorker

from ..extensions import db
from ..models.types import BEIJING
from ..rules.calendar import CalendarMissing
from ..services.audit import SYSTEM
from ..services.reports import monthly
from .runner import run_job

LOG = logging.getLogger(__name__)
TICK_ID = "league-monthly-tick"
TICK_AT = time(6, 0)  # Beijing: the monthly feedback is written before the offices open

QUEUE = "league-jobs"
JOB_TIMEOUT = 3600  # seconds a job may run before RQ stops it (500 certificates take about 15 s)


def _queue(url: str) -> Queue:
    return Queue(QUEUE, connection=Redis.from_url(url))


class RQRunner:
    """Hands committed jobs to the shared queue."""

    def __init__(self, url: str):
        self.url = url

    def enqueue(self, job_id: int) -> None:
        """Queue the job for a worker (its row is committed, state queued)."""
        _queue(self.url).enqueue_call(perform, args=(job_id,), timeout=JOB_TIMEOUT, result_ttl=0,
                                      failure_ttl=7 * 24 * 3600, description=f"league job {job_id}")


def perform(job_id: int) -> None:
    """What a worker runs: the job, in the worker's app context."""
    try:
        run_job(job_id)
    finally:
        db.session.remove()


def work(app: Flask, *, burst: bool = False) -> bool:
    """Run a worker on the app's queue until stopped (or, with burst, until the queue is empty)."""
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set: without it, jobs run inside the web process and need no worker")
    with app.app_context():
        connection = Redis.from_url(url)
        jobs = Queue(QUEUE, connection=connection)
        if not burst:
            schedule_tick(jobs)  # the daily run of the monthly feedback, kept by whichever worker starts
        worker = SimpleWorker([jobs], connection=connection)
        return worker.work(burst=burst, logging_level="WARNING", with_scheduler=not burst)


def next_tick(now: datetime | None = None) -> datetime:
    """The next TICK_AT in Beijing, as an aware datetime."""
    now = (now or datetime.now(BEIJING)).astimezone(BEIJING)
    today = datetime.combine(now.date(), TICK_AT, BEIJING)
    return today if now < today else today + timedelta(days=1)


def schedule_tick(jobs: Queue, now: datetime | None = None) -> None:
    """Schedule the next daily run (one job id: any number of workers keep one schedule)."""
    jobs.enqueue_at(next_tick(now), monthly_tick, job_id=TICK_ID, result_ttl=0)


def monthly_tick() -> None:
    """The worker's daily run of `flask --app competition monthly-reports` without --month: on the first working day
    of a month, every town's report for the month before (replacing, never duplicating); then the next run."""
    try:
        month = monthly.scheduled_month()
        if month is not None:
            monthly.generate_month(SYSTEM, month)
            db.session.commit()
    except CalendarMissing as missing:
        db.session.rollback()
        LOG.error("monthly feedback not written: no working calendar for %s (an administrator enters it on the "
                  "calendar page)", missing.year)
    finally:
        db.session.remove()
        url = current_app.config.get("REDIS_URL")
        if url:
            schedule_tick(_queue(url))


def init_app(app: Flask) -> None:
    """With REDIS_URL set (and JOB_QUEUE not "threads"), the app's jobs go to the shared queue."""
    url = app.config.get("REDIS_URL")
    if url and app.config.get("JOB_QUEUE", "rq") == "rq":
        app.extensions["job_queue"] = lambda: RQRunner(url)


def queued_count() -> int:
    """Jobs waiting in the shared queue (0 without Redis)."""
    url = current_app.config.get("REDIS_URL")
    return len(_queue(url)) if url else 0


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (a test, or a cron run).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from the shared queue (needs REDIS_URL); start as many as the load needs, anywhere."""
    work(current_app._get_current_object(), burst=burst)
