"""The roster import as a background job (issue 22, item 2): a large file is staged in the database
(services/events/uploads.py, so any node or worker reads it) and imported off the request, all or nothing as the
request's import is; the job's result is `{"created", "existing"}`, or its error with every bad row."""
import json

from ..extensions import db
from ..models import Event, User
from ..services.audit import Actor
from ..services.events import roster
from ..services.events.uploads import discard_upload, load_upload, store_upload
from .runner import JSON_TYPE, JobResult, Step, register, submit

KIND = "roster_import"


def import_staged_roster(step: Step, event_id: int, user_id: int, token: str, filename: str) -> JobResult:
    """Import the staged file as the user who uploaded it; the staged copy is dropped once it has been read."""
    event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
    if event is None or user is None:
        raise LookupError(f"event {event_id} or user {user_id} is gone")
    step.start(1)
    data, _name = load_upload(user_id, event_id, token)
    discard_upload(user_id, event_id)
    counts = roster.import_roster(Actor(user, "job"), event, data, filename=filename)
    step.advance(1)
    return JobResult.of_json(counts)


register(KIND, import_staged_roster)


def import_job(actor: Actor, event: Event, data: bytes, filename: str) -> int:
    """Stage the file and queue its import (when the caller commits); returns the job's id."""
    return staged_import_job(actor, event, store_upload(actor.user_id, event.id, data, filename), filename)


def staged_import_job(actor: Actor, event: Event, token: str, filename: str) -> int:
    """Queue the import of the file the actor staged for the event (a previewed roster, confirmed)."""
    return submit(KIND, {"event_id": event.id, "user_id": actor.user_id, "token": token, "filename": filename[:200]},
                  actor=actor, subject=f"event:{event.id}")


def import_outcome(job) -> dict | None:
    """A finished import job's JSON result ({"created", "existing"}, or {"code", "details"} of a failed one)."""
    if job.result_type != JSON_TYPE or not job.is_finished:
        return None
    data = db.session.scalar(db.select(type(job).result).where(type(job).id == job.id))
    return json.loads(data) if data else None
