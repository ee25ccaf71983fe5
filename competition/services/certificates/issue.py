"""Issuing certificates (RULES.md §15): one per prize of a final event and one per 技术能手 title, numbered once.

Numbers run per league year (WJ2026-000001, …, rules/certificates.py) and are handed out under the season's row lock
(PostgreSQL; SQLite's BEGIN IMMEDIATE serialises writers anyway), so two events finalised at once never take the same
serial; the unique (year, serial) and number constraints hold whatever happens. Certificates are issued when an event
is finalised and when a title is awarded; `ensure_event_certificates` issues the missing ones on first need (events
finalised, titles awarded before certificates existed), and never touches one already issued: a number is never
renumbered, and the prize it names is the one it was issued for.
"""
from ...extensions import db
from ...models import (Certificate, CertificateKind, Entry, Event, EventStatus, ExpertTitle, Nomination, Season,
                       utcnow)
from ...rules.certificates import certificate_number
from ...rules.messages import Message
from ..audit import Actor, record
from ..common import flush_unique
from ..results.prizes import event_prizes, prize_settings

RACE = Message("证书编号刚被同时签发，请重试。")


def _lock_year(season_id: int) -> None:
    """Serialise the numbering of a season's year: take its season row's lock until commit."""
    db.session.execute(db.select(Season.id).where(Season.id == season_id).with_for_update())


def _next_serial(year: int) -> int:
    """The next unused serial of a year (call it under the year's lock)."""
    last = db.session.scalar(db.select(db.func.max(Certificate.serial)).where(Certificate.year == year))
    return (last or 0) + 1


def _new(actor: Actor, year: int, serial: int, **fields) -> Certificate:
    """A numbered certificate, added to the session."""
    certificate = Certificate(number=certificate_number(year, serial), year=year, serial=serial,
                              issued_at=utcnow(), issued_by_id=actor.user_id, **fields)
    db.session.add(certificate)
    return certificate


def issue_event_certificates(actor: Actor, event: Event) -> list[Certificate]:
    """Number a certificate for every prize of a final event that has none yet, in ranking order (event_prizes'
    order); returns the new ones (none before the event is final)."""
    if event.status is not EventStatus.FINAL:
        return []
    prizes = event_prizes(event)
    issued = set(db.session.scalars(db.select(Certificate.entry_id).where(
        Certificate.event_id == event.id, Certificate.kind == CertificateKind.PRIZE)))
    wanted = [entry_id for entry_id in prizes if entry_id not in issued]
    if not wanted:
        return []
    _lock_year(event.season_id)
    entries = {e.id: e for e in db.session.scalars(db.select(Entry).where(Entry.id.in_(wanted)))}
    year, serial = event.season.year, _next_serial(event.season.year)
    positions = {str(tier.name): index for index, tier in enumerate(prize_settings(event).tiers, start=1)}
    made = []
    for offset, entry_id in enumerate(e for e in wanted if e in entries):
        entry = entries[entry_id]
        made.append(_new(actor, year, serial + offset, kind=CertificateKind.PRIZE, event_id=event.id,
                         entry_id=entry.id, person_id=entry.person_id, enterprise_id=entry.employer_id,
                         prize_name=str(prizes[entry_id])[:40], prize_tier=positions.get(str(prizes[entry_id]))))
    flush_unique(RACE)
    record(actor, "certificate.issue", event, after={"certificates": [
        {"number": c.number, "entry_id": c.entry_id, "prize": c.prize_name} for c in made]})
    return made


def issue_title_certificate(actor: Actor, title: ExpertTitle) -> Certificate:
    """The certificate of a 技术能手 title: numbered once (the one already issued is returned as it is)."""
    found = db.session.scalar(db.select(Certificate).where(Certificate.title_id == title.id))
    if found is not None:
        return found
    _lock_year(title.season_id)
    entry_id = None
    if title.nomination_id is not None:
        entry_id = db.session.scalar(db.select(Nomination.entry_id).where(Nomination.id == title.nomination_id))
    certificate = _new(actor, title.year, _next_serial(title.year), kind=CertificateKind.TITLE,
                       event_id=title.event_id, entry_id=entry_id, person_id=title.person_id,
                       title_id=title.id, enterprise_id=title.enterprise_id)
    flush_unique(RACE)
    record(actor, "certificate.issue", certificate, after={"number": certificate.number, "title_id": title.id,
                                                           "person_id": title.person_id, "year": title.year})
    return certificate


def ensure_event_certificates(actor: Actor, event: Event) -> list[Certificate]:
    """Issue what a final event still lacks (its prizes' certificates and those of the titles its results brought);
    returns the new ones."""
    made = issue_event_certificates(actor, event)
    titles = db.session.scalars(db.select(ExpertTitle).where(
        ExpertTitle.event_id == event.id, ExpertTitle.id.not_in(
            db.select(Certificate.title_id).where(Certificate.title_id.is_not(None)))).order_by(ExpertTitle.id))
    return made + [issue_title_certificate(actor, title) for title in titles]


def issue_missing(actor: Actor) -> list[Certificate]:
    """Every certificate not issued yet: the prizes of every final event and every title (after an upgrade)."""
    made = []
    for event in db.session.scalars(db.select(Event).where(Event.status == EventStatus.FINAL)
                                    .order_by(Event.finalised_at, Event.id)).all():
        made += issue_event_certificates(actor, event)
    titles = db.session.scalars(db.select(ExpertTitle).where(ExpertTitle.id.not_in(
        db.select(Certificate.title_id).where(Certificate.title_id.is_not(None)))).order_by(ExpertTitle.id)).all()
    return made + [issue_title_certificate(actor, title) for title in titles]
