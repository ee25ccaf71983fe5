"""Background jobs on the shared queue (issue 22, item 2): with REDIS_URL set, a committed job waits in Redis for a
worker (`flask --app competition worker`), which runs it with its state in the database as the web process would; a
failed or interrupted job is queued again by its owner; nobody else may. Needs Redis on 127.0.0.1:6379 (.ci/run
starts it and sets REQUIRE_REDIS, so CI never skips)."""
import os
from datetime import timedelta

import pytest
import redis

from competition.jobs import KINDS, JobResult, runner_for, submit
from competition.jobs import queue
from competition.models import Job, JobState, Role
from competition.services.audit import Actor
from tests.builders import make_user
from tests.clients import bearer

URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by each test


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up() and not os.environ.get("REQUIRE_REDIS"),
                                reason="needs Redis on 127.0.0.1:6379 (.ci/run starts it and sets REQUIRE_REDIS)")
RUNS = []


def doubling(step, value: int) -> JobResult:
    """A one-step job that remembers it ran."""
    step.start(1)
    RUNS.append(value)
    step.advance(1)
    return JobResult(str(value * 2).encode(), "结果.txt", "text/plain")


@pytest.fixture
def queued(app, monkeypatch):
    """The app's jobs go to an empty queue in Redis; the test kind is registered."""
    connection = redis.Redis.from_url(URL)
    connection.flushdb()
    monkeypatch.setitem(KINDS, "doubling", doubling)
    app.config["REDIS_URL"] = URL
    queue.init_app(app)
    RUNS.clear()
    yield app
    connection.close()


def test_a_committed_job_waits_in_redis_until_a_worker_runs_it(queued, db):
    owner = make_user(Role.ORGANISER)
    job_id = submit("doubling", {"value": 21}, actor=Actor(owner), subject="test:1")
    assert queue.queued_count() == 0  # nothing leaves before the commit
    db.session.commit()
    assert isinstance(runner_for(queued), queue.RQRunner) and queue.queued_count() == 1
    assert db.session.get(Job, job_id).state is JobState.QUEUED and RUNS == []
    db.session.rollback()  # this test's read ends before the worker writes (SQLite holds the lock from BEGIN)
    assert queue.work(queued, burst=True)  # a worker: here in burst mode, in this process
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert (job.state, job.done, job.total, RUNS) == (JobState.DONE, 1, 1, [21])
    assert db.session.scalar(db.select(Job.result).where(Job.id == job_id)) == b"42"
    assert queue.queued_count() == 0


def test_a_rolled_back_request_queues_nothing_in_redis(queued, db):
    submit("doubling", {"value": 1}, actor=Actor(make_user(Role.ORGANISER)), subject="test:1")
    db.session.rollback()
    assert queue.queued_count() == 0


def test_a_job_whose_worker_died_is_queued_again_by_its_owner_only(queued, client, db):
    owner, other = make_user(Role.ENTERPRISE), make_user(Role.ENTERPRISE)
    job = Job(kind="doubling", args={"value": 5}, owner_id=owner.id, state=JobState.RUNNING, done=0, total=1)
    db.session.add(job)
    db.session.commit()
    alive = client.post(f"/api/v1/jobs/{job.id}/retry", headers=bearer(owner))
    assert alive.status_code == 409 and alive.get_json()["error"]["code"] == "job_not_failed"
    job.updated_at = job.updated_at - timedelta(hours=1)  # its worker died an hour ago: no progress since
    db.session.commit()
    assert client.post(f"/api/v1/jobs/{job.id}/retry", headers=bearer(other)).status_code == 403
    retried = client.post(f"/api/v1/jobs/{job.id}/retry", headers=bearer(owner))
    assert retried.status_code == 200 and retried.get_json()["state"] == "queued"
    assert queue.queued_count() == 1
    db.session.rollback()
    queue.work(queued, burst=True)
    db.session.expire_all()
    assert db.session.get(Job, job.id).state is JobState.DONE and RUNS == [5]
    again = client.post(f"/api/v1/jobs/{job.id}/retry", headers=bearer(owner))
    assert again.status_code == 409  # done: nothing to retry


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in str(result.exception)


def test_the_workers_daily_tick_writes_the_monthly_feedback_on_the_first_working_day_and_reschedules(
        queued, db, monkeypatch):
    from datetime import date, datetime

    from rq.registry import ScheduledJobRegistry

    from competition.models import MonthlyReport
    from competition.models.types import BEIJING
    from competition.services.reports import monthly

    monkeypatch.setattr(monthly, "beijing_today", lambda: date(2026, 10, 9))  # after the National Day holidays
    queue.monthly_tick()
    assert db.session.scalar(db.select(db.func.count(MonthlyReport.id))) == 0  # 10-08 was the first working day
    monkeypatch.setattr(monthly, "beijing_today", lambda: date(2026, 10, 8))
    queue.monthly_tick()
    queue.monthly_tick()  # a second worker's tick: the same reports, replaced
    months = db.session.scalars(db.select(MonthlyReport.month).distinct()).all()
    assert months == [date(2026, 9, 1)] and db.session.scalar(db.select(db.func.count(MonthlyReport.id))) == \
        db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["towns"]))
    scheduled = ScheduledJobRegistry(queue.QUEUE, connection=redis.Redis.from_url(URL))
    assert scheduled.get_job_ids() == [queue.TICK_ID]  # one schedule, however many ticks ran
    assert queue.next_tick(datetime(2026, 10, 8, 5, 0, tzinfo=BEIJING)) == datetime(2026, 10, 8, 6, 0, tzinfo=BEIJING)
    assert queue.next_tick(datetime(2026, 10, 8, 7, 0, tzinfo=BEIJING)) == datetime(2026, 10, 9, 6, 0, tzinfo=BEIJING)
