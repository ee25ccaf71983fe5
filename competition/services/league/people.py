"""A person's record (organisers only): everything the league knows about one contestant, across seasons.

Entries (with each event's status and the prize of a final one), 技术能手 titles, delegations with their results, and
rewards; and a search by name or ID number to find them. Who may see it is permissions.can_see_person; the ID number
is masked here like everywhere (an organiser reveals it on the entry, audited).
"""
from dataclasses import dataclass

from ...extensions import db
from ...models import (Certificate, CertificateKind, Delegate, Entry, Event, ExpertTitle, ExternalCompetition, Person,
                       Reward)
from ...rules.identity import check_id_number
from ...rules.text import is_ascii_digits

SEARCH_LIMIT = 50


@dataclass
class PersonRecord:
    """One person's league history."""

    person: Person
    entries: list  # (Entry, Event, prize name or None)
    titles: list[ExpertTitle]
    delegations: list[Delegate]
    rewards: list[Reward]


def person_record(person: Person) -> PersonRecord:
    """Everything about a person: five statements."""
    entries = db.session.execute(
        db.select(Entry, Event, Certificate.prize_name).join(Event, Event.id == Entry.event_id)
        .outerjoin(Certificate, (Certificate.entry_id == Entry.id) & (Certificate.kind == CertificateKind.PRIZE))
        .where(Entry.person_id == person.id).order_by(Event.event_date.desc(), Event.id.desc())).tuples().all()
    titles = list(db.session.scalars(db.select(ExpertTitle).where(ExpertTitle.person_id == person.id)))
    delegations = list(db.session.scalars(
        db.select(Delegate).join(ExternalCompetition, ExternalCompetition.id == Delegate.competition_id)
        .where(Delegate.person_id == person.id).order_by(ExternalCompetition.held_on.desc())))
    rewards = list(db.session.scalars(db.select(Reward).where(Reward.person_id == person.id)
                                      .order_by(Reward.id.desc())))
    return PersonRecord(person, list(entries), titles, delegations, rewards)


def find_persons(text: str | None) -> list[Person]:
    """Persons by a whole ID number, or by a name (or its start); at most SEARCH_LIMIT, by name."""
    text = (text or "").strip()
    if not text:
        return []
    checked = check_id_number(text)
    if checked.ok:
        return list(db.session.scalars(db.select(Person).where(Person.id_number == checked.value)))
    if is_ascii_digits(text.rstrip("Xx")):
        return []  # part of a number: never a search by digits (ID numbers are looked up whole)
    return list(db.session.scalars(db.select(Person).where(Person.name.startswith(text, autoescape=True))
                                   .order_by(Person.name, Person.id).limit(SEARCH_LIMIT)))
