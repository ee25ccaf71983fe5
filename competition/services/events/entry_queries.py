"""Read-side queries for the entry pages (roster, check-in, draw); the audited ID reveal is in entry_extras.

A `Scope` says which entries of an event a viewer may see: everything (staff), one employer's
(an enterprise user), or the numbered entries only (panel judges after the draw, blind).
"""
from dataclasses import dataclass

from ...extensions import db
from ...models import Enterprise, Entry, EntryStatus, Event, Person
from ...rules.text import identifier_text

NOBODY = -1  # an employer id no row has: an enterprise account without an enterprise sees nothing


@dataclass(frozen=True)
class Scope:
    """Which entries of an event a viewer sees, and whether names may be searched."""

    employer_id: int | None = None  # only this employer's entries (None: every employer)
    numbered_only: bool = False  # only entries with a competition number (judges)
    identities: bool = True  # names, employers and ID numbers may be shown and searched


@dataclass(frozen=True)
class RosterFilter:
    """The roster page's search box and selects."""

    search: str = ""
    status: str = ""
    employer_id: int | None = None


def entries_of(event: Event, scope: Scope):
    """A select of the event's entries within a scope (no ordering)."""
    query = db.select(Entry).join(Person, Entry.person_id == Person.id).where(Entry.event_id == event.id)
    if scope.employer_id is not None:
        query = query.where(Entry.employer_id == scope.employer_id)
    if scope.numbered_only:
        query = query.where(Entry.number.is_not(None))
    return query


def roster_query(event: Event, scope: Scope, wanted: RosterFilter = RosterFilter()):
    """The roster: by competition number once drawn, else by employer and name; filtered."""
    query = entries_of(event, scope)
    text = wanted.search.strip()
    if text and scope.identities:
        # An ID number is searched by its end (the masked form shows the last four characters).
        query = query.where(Person.name.icontains(text, autoescape=True) | Entry.number.icontains(text, autoescape=True)
                            | Person.id_number.endswith(identifier_text(text), autoescape=True))
    elif text:
        query = query.where(Entry.number.icontains(text, autoescape=True))  # blind: never match on a name
    if wanted.status in {s.value for s in EntryStatus}:
        query = query.where(Entry.status == EntryStatus(wanted.status))
    if wanted.employer_id is not None and scope.identities:
        query = query.where(Entry.employer_id == wanted.employer_id)
    return query.order_by(Entry.number.is_(None), Entry.number, Entry.employer_id.is_(None), Entry.employer_id,
                          Person.name, Entry.id)


def entry_status_counts(event_ids, scope: Scope | None = None) -> dict[int, dict[str, int]]:
    """How many entries each event has per status (every status present, zero when none), with the total, in one
    grouped query: {event_id: {"registered": n, …, "total": n}}. The one entry counter of the app (issue 17)."""
    ids = list(event_ids)
    counts = {event_id: {status.value: 0 for status in EntryStatus} for event_id in ids}
    if ids:
        query = (db.select(Entry.event_id, Entry.status, db.func.count(Entry.id)).where(Entry.event_id.in_(ids))
                 .group_by(Entry.event_id, Entry.status))
        if scope is not None and scope.employer_id is not None:
            query = query.where(Entry.employer_id == scope.employer_id)
        if scope is not None and scope.numbered_only:
            query = query.where(Entry.number.is_not(None))
        for event_id, status, number in db.session.execute(query):
            counts[event_id][EntryStatus(status).value] = number
    return {event_id: {**by_status, "total": sum(by_status.values())} for event_id, by_status in counts.items()}


def status_counts(event: Event, scope: Scope | None = None) -> dict[str, int]:
    """One event's entries per status (as a viewer's scope sees them), with the total."""
    return entry_status_counts([event.id], scope)[event.id]


def employers_in(event: Event, scope: Scope) -> list[Enterprise]:
    """The employers that have entries in the event (for the roster's employer filter)."""
    if not scope.identities:
        return []
    ids = entries_of(event, scope).with_only_columns(Entry.employer_id).distinct()
    return list(db.session.scalars(db.select(Enterprise).where(Enterprise.id.in_(ids)).order_by(Enterprise.name)))


def entries_by_ids(event: Event, ids: list[int]) -> tuple[list[Entry], list[int]]:
    """The event's entries with these ids, and the ids that are not entries of this event."""
    wanted = sorted(set(ids))
    found = list(db.session.scalars(db.select(Entry).where(Entry.event_id == event.id, Entry.id.in_(wanted))))
    known = {e.id for e in found}
    return found, [i for i in wanted if i not in known]


def sheet_query(event: Event):
    """Who signs the sign-in sheet, in roster order: everyone except those who withdrew."""
    return roster_query(event, Scope()).where(Entry.status != EntryStatus.WITHDRAWN)


def drawn_entries(event: Event) -> list[Entry]:
    """The entries that received a competition number, by number."""
    return list(db.session.scalars(entries_of(event, Scope(numbered_only=True)).order_by(Entry.number)))


def not_checked_in(event: Event) -> list[Entry]:
    """The entries still only registered: the draw records them as absent (缺考)."""
    return list(db.session.scalars(entries_of(event, Scope()).where(Entry.status == EntryStatus.REGISTERED)
                                   .order_by(Entry.employer_id.is_(None), Entry.employer_id, Person.name)))


def present_count(event: Event) -> int:
    """How many entries are present (the draw's candidates)."""
    return db.session.scalar(db.select(db.func.count(Entry.id)).where(
        Entry.event_id == event.id, Entry.status == EntryStatus.PRESENT)) or 0
