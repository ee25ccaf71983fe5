"""Reading certificates: by number (verification), by event, entry and enterprise (downloads), by entry id for the
results rows, and as the cards a PDF prints."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Certificate, CertificateKind, Entry, Event, ExpertTitle
from ...models.types import beijing_day
from ...rules.certificates import TITLE_NAME, canonical_number
from ...rules.identity import mask_name

ORDER = (Certificate.kind, Certificate.year, Certificate.serial)  # prizes before titles ('prize' < 'title')


def by_number(text: str | None) -> Certificate | None:
    """The certificate with this number as typed (any case, spaces around), or None."""
    number = canonical_number(text)
    if number is None:
        return None
    return db.session.scalar(db.select(Certificate).where(Certificate.number == number))


def event_certificates(event: Event) -> list[Certificate]:
    """A final event's certificates: its prizes in number order, then the titles its results brought."""
    return list(db.session.scalars(db.select(Certificate).where(Certificate.event_id == event.id)
                                   .options(selectinload(Certificate.title)).order_by(*ORDER)))


def entry_certificates(entry: Entry) -> list[Certificate]:
    """One entry's certificates: its prize's, then the title's it brought, if any."""
    return list(db.session.scalars(db.select(Certificate).where(Certificate.entry_id == entry.id)
                                   .options(selectinload(Certificate.title)).order_by(*ORDER)))


def numbers_by_entry(event: Event) -> dict[int, str]:
    """Entry id → its prize certificate's number, for the results rows of a final event."""
    rows = db.session.execute(db.select(Certificate.entry_id, Certificate.number).where(
        Certificate.event_id == event.id, Certificate.kind == CertificateKind.PRIZE))
    return {row.entry_id: row.number for row in rows}


def certificates_list(enterprise_id: int | None = None, year: int | None = None):
    """A select of certificates, newest year first: an enterprise's own employees' (issued while they worked there),
    or all (enterprise_id None: the organisers)."""
    # No join to the holder for the list's own sake (every certificate has one; the row's person is loaded with it):
    # the page's count then reads the certificates alone, not every person too.
    query = db.select(Certificate).options(selectinload(Certificate.title)).order_by(Certificate.year.desc(),
                                                                                      Certificate.serial)
    if enterprise_id is not None:
        query = query.where(Certificate.enterprise_id == enterprise_id)
    if year is not None:
        query = query.where(Certificate.year == year)
    return query


def prize_text(certificate: Certificate) -> str:
    """What the certificate awards: the prize tier's name, or the 技术能手 title."""
    if certificate.kind is CertificateKind.TITLE:
        return TITLE_NAME
    return certificate.prize_name or ""  # a prize certificate always names its prize (a check constraint)


def verification(certificate: Certificate) -> dict:
    """What anyone may read of a certificate (RULES.md §15): the masked name, event, occupation, level, prize and
    year; never an ID number, a mobile or the employer."""
    event = certificate.event
    return {"number": certificate.number, "name": mask_name(certificate.person.name) or None,
            "event": event.name if event is not None else None,
            "occupation": event.occupation if event is not None else None,
            "level": event.level if event is not None else None,
            "prize": prize_text(certificate), "year": certificate.year}


@dataclass(frozen=True)
class CertificateCard:
    """What one printed certificate shows (full name: the paper goes to its holder)."""

    number: str
    kind: str
    name: str
    event: str | None
    occupation: str | None
    level: int | None
    prize: str
    year: int
    dated: date


def _dated(certificate: Certificate) -> date:
    """The certificate's date: the day the results became final, or the title was awarded."""
    title: ExpertTitle | None = certificate.title
    if certificate.kind is CertificateKind.TITLE and title is not None:
        return beijing_day(title.awarded_at)
    if certificate.event is not None and certificate.event.finalised_at is not None:
        return beijing_day(certificate.event.finalised_at)
    return beijing_day(certificate.issued_at)


def card(certificate: Certificate) -> CertificateCard:
    """The printed face of a certificate."""
    event = certificate.event
    return CertificateCard(
        number=certificate.number, kind=certificate.kind.value, name=certificate.person.name,
        event=event.name if event is not None else None, occupation=event.occupation if event is not None else None,
        level=event.level if event is not None else None, prize=str(prize_text(certificate)),
        year=certificate.year, dated=_dated(certificate))
