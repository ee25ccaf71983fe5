"""What an enterprise user needs first on the home page (issue 15, m8): the events it can enrol in now, what is
due from it, and its refused subsidy claims with the reasons. A handful of queries, whatever the league's size."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from ...extensions import db
from ...models import ClaimState, Entry, Event, EventKind, EventStatus, SubsidyClaim
from ..money.subsidy import LIVE, check_subsidy
from .enrolment import enrollable_by

SOON = timedelta(days=7)  # a deadline this close is worth saying
SHOWN = 8


@dataclass(frozen=True)
class OpenEvent:
    """An event taking enrolments, with how many of the enterprise's employees are in it."""

    event: Event
    own_entries: int
    closes_soon: bool


@dataclass(frozen=True)
class Due:
    """One thing the enterprise should do: a code the page words, and the event it concerns."""

    code: str  # finish_application, fix_rejected, claim_subsidy, enrol_before_deadline
    event: Event


@dataclass
class Agenda:
    """The enterprise's home: open events, what is due, refused claims."""

    open_events: list[OpenEvent] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)
    rejected_claims: list[SubsidyClaim] = field(default_factory=list)


def enterprise_agenda(enterprise_id: int, today: date) -> Agenda:
    """The agenda of one enterprise on a day."""
    agenda = Agenda(open_events=_open_events(enterprise_id, today))
    agenda.due = _due(enterprise_id, agenda.open_events)
    agenda.rejected_claims = list(db.session.scalars(
        db.select(SubsidyClaim).where(SubsidyClaim.host_enterprise_id == enterprise_id,
                                      SubsidyClaim.state == ClaimState.REJECTED)
        .order_by(SubsidyClaim.decided_at.desc()).limit(SHOWN)))
    return agenda


def _open_events(enterprise_id: int, today: date) -> list[OpenEvent]:
    """Events open for registration whose deadline has not passed and that the enterprise may enrol in (another
    enterprise's event only when it invited this one or every enterprise), soonest deadline first, with own
    entries."""
    own = (db.select(db.func.count(Entry.id)).where(Entry.event_id == Event.id, Entry.employer_id == enterprise_id)
           .correlate(Event).scalar_subquery())
    rows = db.session.execute(
        db.select(Event, own).where(Event.status == EventStatus.OPEN, Event.registration_deadline >= today,
                                    enrollable_by(enterprise_id))
        .order_by(Event.registration_deadline, Event.id).limit(SHOWN)).all()
    return [OpenEvent(event, count or 0, event.registration_deadline - today <= SOON) for event, count in rows]


def _due(enterprise_id: int, open_events: list[OpenEvent]) -> list[Due]:
    """Applications to finish or fix, subsidies to claim, and deadlines coming with none of its staff enrolled."""
    hosted = list(db.session.scalars(db.select(Event).where(
        Event.host_enterprise_id == enterprise_id,
        Event.status.in_([EventStatus.DRAFT, EventStatus.REJECTED, EventStatus.FINAL])).order_by(Event.event_date)))
    due = [Due("finish_application", e) for e in hosted if e.status is EventStatus.DRAFT]
    due += [Due("fix_rejected", e) for e in hosted if e.status is EventStatus.REJECTED]
    finals = [e for e in hosted if e.status is EventStatus.FINAL and e.kind is EventKind.ENTERPRISE]
    claimed = set(db.session.scalars(db.select(SubsidyClaim.event_id).where(
        SubsidyClaim.event_id.in_([e.id for e in finals]), SubsidyClaim.state.in_(LIVE)))) if finals else set()
    due += [Due("claim_subsidy", e) for e in finals
            if e.id not in claimed and check_subsidy(e, enterprise_id)[0].eligible]
    due += [Due("enrol_before_deadline", o.event) for o in open_events if o.closes_soon and not o.own_entries]
    return due
