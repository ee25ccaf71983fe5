"""The job that prints an event's certificates as one PDF (organisers; a batch of 500 takes a while), and how a
request gets one: the job already running, a fresh finished one (the API), or a new one."""
from datetime import timedelta

from ..errors import InvalidState
from ..extensions import db
from ..models import Certificate, Event, EventStatus, Job, JobState, utcnow
from ..pdf import PDF_TYPE, render_certificates
from ..rules.messages import Message
from ..services.audit import Actor, record
from ..services.certificates.issue import ensure_event_certificates
from ..services.certificates.queries import card, event_certificates
from ..services.jobs import latest_job, pending_job, prune_jobs
from .runner import JobResult, Step, register, submit

KIND = "event_certificates"
FRESH = timedelta(minutes=30)  # a finished PDF handed out again (API) while no certificate was issued since


def subject(event: Event) -> str:
    """What an event's certificate jobs are about (to find the newest one, and not start a second)."""
    return f"event:{event.id}"


def print_event_certificates(step: Step, event_id: int, base_url: str) -> JobResult:
    """Every certificate of the event, one page each, in one PDF; progress counts pages."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError(f"event {event_id} is gone")
    cards = [card(certificate) for certificate in event_certificates(event)]
    name = str(Message("%(event)s-证书.pdf", event=event.name))
    step.start(len(cards))
    data = render_certificates(cards, base_url, title=name.removesuffix(".pdf"), progress=step.advance)
    return JobResult(data, name, PDF_TYPE)


register(KIND, print_event_certificates)


def _fresh(job: Job | None, event: Event) -> bool:
    """A finished PDF of the event made recently, after its last certificate was issued."""
    if job is None or job.state is not JobState.DONE or job.finished_at is None or utcnow() - job.finished_at > FRESH:
        return False
    last = db.session.scalar(db.select(db.func.max(Certificate.issued_at)).where(Certificate.event_id == event.id))
    return last is None or last <= job.created_at


def printing_job(actor: Actor, event: Event, base_url: str, *, reuse_done: bool = False) -> Job:
    """The job printing a final event's certificates (issuing any still missing first): the one already queued or
    running, with `reuse_done` a fresh finished one, else a new one (queued when the caller commits)."""
    if event.status is not EventStatus.FINAL:
        raise InvalidState(Message("成绩确认为最终成绩后才能打印证书。"), code="not_final")
    ensure_event_certificates(actor, event)
    if not db.session.scalar(db.select(db.func.count(Certificate.id)).where(Certificate.event_id == event.id)):
        raise InvalidState(Message("该赛项没有获奖或技术能手证书。"), code="no_certificates")
    job = pending_job(KIND, subject(event)) or (latest_job(KIND, subject(event)) if reuse_done else None)
    if job is not None and (not job.is_finished or _fresh(job, event)):
        return job
    prune_jobs()
    job = db.session.get(Job, submit(KIND, {"event_id": event.id, "base_url": base_url}, actor=actor,
                                     subject=subject(event)))
    record(actor, "certificates.print", event, after={"job_id": job.id})
    return job
