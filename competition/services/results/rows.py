"""An event's result rows as callers show them: frozen at sign-off, else computed now from the raw marks;
and who the contestants are. Pages, the API and the workbooks all read rows through here."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import overload

from ...errors import InvalidState
from ...extensions import db
from ...models import Enterprise, Entry, EventStatus, Person
from ...rules.messages import Message
from ..marking.facts import evaluate
from .snapshots import current_snapshot, explained_rows, snapshot_payload

SCORED = (EventStatus.SCORING, EventStatus.SIGNED_OFF, EventStatus.NOTICE, EventStatus.FINAL)


@overload
def score_text(text: Decimal | str | int) -> str: ...


@overload
def score_text(text: None) -> None: ...


def score_text(text: Decimal | str | int | None) -> str | None:
    """A stored score as text with exactly 2 decimals."""
    return None if text is None else f"{Decimal(text):.2f}"


def contestants(event) -> dict[int, tuple]:
    """Entry id → (name, employer name) for the event, in one query."""
    rows = db.session.execute(
        db.select(Entry.id, Person.name, Enterprise.name.label("employer")).join(Person, Person.id == Entry.person_id)
        .outerjoin(Enterprise, Enterprise.id == Entry.employer_id).where(Entry.event_id == event.id))
    return {row.id: (row.name, row.employer) for row in rows}


def result_rows(event, explained: bool = True) -> tuple[list[dict], bool]:
    """The frozen rows of the snapshot in force, else rows computed now from the raw marks; and whether frozen.

    `explained=False` leaves a frozen snapshot's explanations unread (the workbook does not print them)."""
    snapshot = current_snapshot(event)
    if snapshot is not None:
        return (explained_rows(snapshot) if explained else snapshot.payload["rows"]), True
    if event.status not in SCORED:
        return [], False  # nothing is marked before scoring starts (and a draft's scheme may be unfinished)
    try:
        facts, results = evaluate(event)
    except ValueError as exc:  # a scheme scoring can not use; the lifecycle should never let one get here
        problem = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)  # a mark out of range
        raise InvalidState(Message("评分方案不完整，无法计算成绩：%(problem)s", problem=problem)) from None
    return snapshot_payload(event, facts, results)["rows"], False


@dataclass(frozen=True)
class PublishedResults:
    """The frozen rows of a published event; names and employers unmasked (the caller masks them)."""

    status: str
    notice_ends_on: date | None
    participants: int
    rows: list[dict]


def published_results(event) -> PublishedResults:
    """The snapshot rows of a published (公示 or final) event, with each contestant's name and employer."""
    snapshot = current_snapshot(event) if event.is_published else None
    if snapshot is None:
        raise InvalidState(Message("成绩尚未公示。"), code="not_published")
    people = contestants(event)
    rows = [{**row, "name": people.get(row["entry_id"], (None, None))[0],
             "employer": people.get(row["entry_id"], (None, None))[1]} for row in snapshot.payload["rows"]]
    return PublishedResults(event.status.value, event.notice_ends_on, snapshot.participants, rows)
