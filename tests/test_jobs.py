"""Background jobs (competition/jobs): queued on commit, run by the thread pool in an app context of their own, their
progress committed as they go, a failure recorded with its reason and shown; only the owner or the organisers see a
job or download its result."""
import pytest

from competition.extensions import db as _db
from competition.jobs import KINDS, JobResult, runner_for, submit
from competition.models import Job, JobState, Role
from competition.services.audit import Actor
from competition.services.jobs import create_job, finish_job
from competition.jobs.runner import FAILED
from tests.builders import make_user
from tests.clients import login_afresh

STEPS = []


def counting(step, count: int) -> JobResult:
    """A job of `count` steps that notes the progress each step committed."""
    step.start(count)
    for done in range(1, count + 1):
        step.advance(done)
        STEPS.append(_db.session.scalar(_db.select(Job.done).where(Job.id == step.job.id)))
    return JobResult(b"%PDF-1.7 made", "结果.pdf", "application/pdf")


def failing(step) -> JobResult:
    """A job that breaks half-way."""
    step.start(2)
    step.advance(1)
    raise RuntimeError("the printer caught fire")


@pytest.fixture
def kinds(app, monkeypatch):
    """The test kinds, registered for this test; the runner stopped afterwards."""
    monkeypatch.setitem(KINDS, "counting", counting)
    monkeypatch.setitem(KINDS, "failing", failing)
    STEPS.clear()
    yield
    runner = app.extensions.get("job_runner")
    if runner is not None:
        runner.shutdown()


def run(app, kind: str, args: dict, owner) -> Job:
    """Submit a job, commit (which hands it to the runner), wait for it, and read it back."""
    job_id = submit(kind, args, actor=Actor(owner), subject="test:1")
    assert _db.session.get(Job, job_id).state is JobState.QUEUED
    _db.session.commit()
    assert runner_for(app).wait(timeout=60)
    _db.session.expire_all()
    return _db.session.get(Job, job_id)


def test_a_job_runs_to_done_and_its_progress_only_grows(app, db, kinds):
    owner = make_user(Role.ORGANISER)
    job = run(app, "counting", {"count": 4}, owner)
    assert STEPS == [1, 2, 3, 4]  # each step committed before the next
    assert (job.state, job.done, job.total, job.error) == (JobState.DONE, 4, 4, None)
    assert job.started_at <= job.finished_at and job.result_name == "结果.pdf" and job.owner_id == owner.id
    assert db.session.scalar(db.select(Job.result).where(Job.id == job.id)) == b"%PDF-1.7 made"


def test_a_rolled_back_request_queues_nothing(app, db, kinds):
    job_id = submit("counting", {"count": 1}, actor=Actor(make_user(Role.ORGANISER)), subject="test:1")
    db.session.rollback()
    assert runner_for(app).wait(timeout=10) and db.session.get(Job, job_id) is None and STEPS == []


def test_a_failure_is_recorded_and_shown_to_its_owner(app, db, client, kinds):
    owner = make_user(Role.ORGANISER)
    job = run(app, "failing", {}, owner)
    assert (job.state, job.done, job.total, job.error) == (JobState.FAILED, 1, 2, FAILED)
    login_afresh(client, owner)
    status = client.get(f"/jobs/{job.id}").get_json()
    assert status["state"] == "failed" and status["error"] == FAILED and status["download_url"] is None
    assert client.get(f"/jobs/{job.id}/download").status_code == 404


def test_only_the_owner_or_the_organisers_see_a_job(app, db, client, kinds):
    owner = make_user(Role.ENTERPRISE)
    job = create_job(Actor(owner), "counting", {"count": 1}, "test:1")
    finish_job(job, b"%PDF-1.7 x", "结果.pdf", "application/pdf")
    db.session.commit()
    for user, expected in ((owner, 200), (make_user(Role.ORGANISER), 200), (make_user(Role.ADMIN), 200),
                           (make_user(Role.ENTERPRISE), 403), (make_user(Role.JUDGE), 403)):
        db.session.commit()
        login_afresh(client, user)
        assert client.get(f"/jobs/{job.id}").status_code == expected, user.role
        download = client.get(f"/jobs/{job.id}/download")
        assert download.status_code == expected, user.role
        if expected == 200:
            assert download.data == b"%PDF-1.7 x" and download.mimetype == "application/pdf"


def test_finished_jobs_are_pruned_after_a_week_and_live_ones_never(db):
    from datetime import timedelta

    from competition.models import utcnow
    from competition.services.jobs import prune_jobs, start_job

    owner = Actor(make_user(Role.ORGANISER))
    old, recent, running = (create_job(owner, "counting", {}, "test:1") for _ in range(3))
    finish_job(old, b"x", "a.pdf", "application/pdf")
    finish_job(recent, b"y", "b.pdf", "application/pdf")
    start_job(running, 3)
    old.created_at = running.created_at = utcnow() - timedelta(days=8)
    db.session.flush()
    assert prune_jobs() == 1
    assert db.session.get(Job, old.id) is None and db.session.get(Job, recent.id) and db.session.get(Job, running.id)
