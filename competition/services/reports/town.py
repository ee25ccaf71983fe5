"""A town's page and dashboard (RULES.md §3, §17): what the town officer (and the organisers) read about one town.

The town's people are the entries whose employer is one of the town's enterprises (Enterprise.town); its events are
those its enterprises hosted or its people entered. Everything is masked as in the organisers' reports: names through
rules.identity.mask_name, no ID numbers and no phone numbers ever leave this module. The figures sit beside the
district's, counted the same way (season_figures for the participants, budget.committed_parts for the money).
"""
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from ...extensions import db
from ...models import (Certificate, CertificateKind, Enterprise, Entry, Event, EventStatus, ExpertTitle, Person,
                       Reward, Role, Season, SubsidyClaim, User)
from ...rules.identity import mask_name
from ..money.budget import COMMITTED_CLAIMS, COMMITTED_REWARDS, EXPERT, REWARDS, SUBSIDY, committed_parts
from .figures import PRESENT, frozen_rows, season_figures

PUBLISHED = (EventStatus.NOTICE, EventStatus.FINAL)


def town_enterprises(town: str) -> list[Enterprise]:
    """The town's enterprises, by name."""
    return list(db.session.scalars(db.select(Enterprise).where(Enterprise.town == town).order_by(Enterprise.name)))


def _town_ids(town: str):
    """The ids of the town's enterprises, as a subquery."""
    return db.select(Enterprise.id).where(Enterprise.town == town).scalar_subquery()


@dataclass(frozen=True)
class TownEvent:
    """An event of the season that the town's enterprises hosted or its people entered."""

    id: int
    name: str
    occupation: str
    status: str
    kind: str
    event_date: Any
    host: str | None
    hosted: bool
    entries: int
    participants: int


def town_events(season_id: int, town: str) -> list[TownEvent]:
    """The season's events hosted by the town's enterprises or entered by its people, with the town's own counts
    (one statement)."""
    ours = Entry.employer_id.in_(_town_ids(town))
    own = func.sum(case((ours, 1), else_=0))
    present = func.sum(case((and_(ours, Entry.status.in_(PRESENT)), 1), else_=0))
    hosted = Event.host_enterprise_id.in_(_town_ids(town))
    rows = db.session.execute(
        db.select(Event, own.label("entries"), present.label("participants"))
        .outerjoin(Entry, Entry.event_id == Event.id)
        .where(Event.season_id == season_id, Event.status != EventStatus.CANCELLED, or_(hosted, ours))
        # the event's season and host are loaded apart, not joined in: PostgreSQL groups by events.id alone
        .options(lazyload(Event.season), selectinload(Event.host))
        .group_by(Event.id).order_by(Event.event_date, Event.id)).all()
    return [TownEvent(event.id, event.name, event.occupation, event.status.value, event.kind.value, event.event_date,
                      event.host.name if event.host is not None else None,
                      event.host is not None and event.host.town == town, int(entries or 0), int(participants or 0))
            for event, entries, participants in rows]


def participants_query(season_id: int, town: str):
    """The town's people entered in the season's events (not cancelled), by event date and name, for pagination: a
    select of Entry (with its person, employer and event loaded); the page masks the names."""
    return (db.select(Entry).join(Event, Event.id == Entry.event_id).join(Person, Person.id == Entry.person_id)
            .where(Event.season_id == season_id, Event.status != EventStatus.CANCELLED,
                   Entry.employer_id.in_(_town_ids(town)))
            # the joined event and person fill the entries (not joined in a second time for every row before the
            # page is cut); the event's season and host, which the page does not show, are not loaded
            .options(contains_eager(Entry.event).lazyload(Event.season),
                     contains_eager(Entry.event).lazyload(Event.host), contains_eager(Entry.person))
            .order_by(Event.event_date.desc(), Event.id, Person.name, Entry.id))


@dataclass(frozen=True)
class MaskedEntry:
    """One of the town's people in one event, masked."""

    name: str
    enterprise: str
    event_id: int
    event_name: str
    event_date: Any
    status: str


def masked_entries(entries) -> list[MaskedEntry]:
    """Entries as the town page shows them: the name masked, no ID number, no phone."""
    return [MaskedEntry(mask_name(e.person.name), e.employer.name if e.employer else "", e.event_id, e.event.name,
                        e.event.event_date, e.status.value) for e in entries]


@dataclass(frozen=True)
class TownResult:
    """A published result of one of the town's people: masked name, enterprise, rank, total and prize."""

    event_id: int
    event_name: str
    status: str
    name: str
    enterprise: str
    rank: int | None
    total: str | None
    prize: str | None


def result_events_query(season_id: int, town: str):
    """The season's published (公示/final) events in which the town's people took part, latest first: the town page
    shows their results a page of events at a time."""
    ours = (db.select(Entry.event_id).join(Enterprise, Enterprise.id == Entry.employer_id)
            .where(Enterprise.town == town))
    return (db.select(Event).where(Event.season_id == season_id, Event.status.in_(PUBLISHED), Event.id.in_(ours))
            .order_by(Event.event_date.desc(), Event.id))


def town_results(season_id: int, town: str, event_ids: Collection[int] | None = None) -> list[TownResult]:
    """Published (公示/final) results of the town's people in the season (in these events only, when given), from the
    frozen snapshots, with their prizes (three statements: the people, the snapshots, the policy versions for the
    default prize tiers)."""
    chosen = () if event_ids is None else (Entry.event_id.in_(list(event_ids)),)
    people = db.session.execute(
        db.select(Entry.id, Entry.event_id, Person.name, Enterprise.name.label("enterprise"))
        .join(Person, Person.id == Entry.person_id).join(Event, Event.id == Entry.event_id)
        .join(Enterprise, Enterprise.id == Entry.employer_id)
        .where(Event.season_id == season_id, Event.status.in_(PUBLISHED), Enterprise.town == town, *chosen)).all()
    if not people:
        return []
    ours = {row.id: row for row in people}
    out = []
    for event, row, prize in frozen_rows({row.event_id for row in people}, ours):
        person = ours[row["entry_id"]]
        out.append(TownResult(event.id, event.name, event.status.value, mask_name(person.name),
                              person.enterprise, row["rank"], row["total"], prize))
    return out


def town_claims(season_id: int, town: str) -> list[SubsidyClaim]:
    """The season's subsidy claims of the town's enterprises, newest first."""
    return list(db.session.scalars(
        db.select(SubsidyClaim).where(SubsidyClaim.season_id == season_id,
                                      SubsidyClaim.host_enterprise_id.in_(_town_ids(town)))
        .order_by(SubsidyClaim.id.desc())))


@dataclass(frozen=True)
class TownTitle:
    """A 技术能手 title of one of the town's people, masked."""

    name: str
    enterprise: str
    year: int
    subsidy: int
    awarded_at: Any


def town_titles(season_id: int, town: str) -> list[TownTitle]:
    """The season's 技术能手 titles of the town's people (the title's enterprise is in the town)."""
    rows = db.session.execute(
        db.select(ExpertTitle, Person.name, Enterprise.name).join(Person, Person.id == ExpertTitle.person_id)
        .join(Enterprise, Enterprise.id == ExpertTitle.enterprise_id)
        .where(ExpertTitle.season_id == season_id, Enterprise.town == town)
        .order_by(ExpertTitle.awarded_at.desc(), ExpertTitle.id)).all()
    return [TownTitle(mask_name(name), enterprise, title.year, title.subsidy, title.awarded_at)
            for title, name, enterprise in rows]


@dataclass(frozen=True)
class TownReward:
    """A reward to the town, one of its enterprises or one of its people (masked)."""

    id: int
    kind: Any
    recipient: str
    amount: int
    state: Any
    basis: str | None  # None for a person's reward: free text may name the person


def _reward_filter(season_id: int, town: str):
    """The season's rewards to the town itself or to one of its enterprises (a person's reward names the sending
    enterprise)."""
    return and_(Reward.season_id == season_id, or_(Reward.town == town, Reward.enterprise_id.in_(_town_ids(town))))


def town_rewards(season_id: int, town: str) -> list[TownReward]:
    """The season's rewards to the town, its enterprises and its people, newest first, people masked."""
    rewards = db.session.scalars(db.select(Reward).where(_reward_filter(season_id, town))
                                 .order_by(Reward.id.desc())).all()
    persons = {p.id: p.name for p in db.session.scalars(
        db.select(Person).where(Person.id.in_({r.person_id for r in rewards if r.person_id})))}
    names = {e.id: e.name for e in db.session.scalars(
        db.select(Enterprise).where(Enterprise.id.in_({r.enterprise_id for r in rewards if r.enterprise_id})))}
    out = []
    for reward in rewards:
        if reward.person_id is not None:
            recipient = mask_name(persons.get(reward.person_id))
        elif reward.enterprise_id is not None:
            recipient = names.get(reward.enterprise_id, "")
        else:
            recipient = reward.town or ""
        out.append(TownReward(reward.id, reward.kind, recipient, reward.amount, reward.state,
                              None if reward.person_id is not None else reward.basis))
    return out


@dataclass(frozen=True)
class Figures:
    """The season's figures of one town, or of the whole district."""

    enterprises: int
    participants: int
    events: int
    prizes: int
    titles: int
    money: dict[str, int]  # committed, by the budget's labels (竞赛经费补贴, 技术能手补贴, 奖励)

    @property
    def committed(self) -> int:
        """Subsidies and rewards committed, in whole yuan."""
        return sum(self.money.values())


def _prizes(season_id: int, town: str | None) -> int:
    """Prizes of the season's final events (the prize certificates issued at finalisation), of the town's people or
    of everyone."""
    query = (db.select(func.count(Certificate.id)).join(Event, Event.id == Certificate.event_id)
             .where(Event.season_id == season_id, Certificate.kind == CertificateKind.PRIZE))
    if town is not None:
        query = query.join(Entry, Entry.id == Certificate.entry_id).where(Entry.employer_id.in_(_town_ids(town)))
    return int(db.session.scalar(query) or 0)


def _money(season_id: int, town: str) -> dict[str, int]:
    """The town's share of the committed money, by the same parts as budget.committed_parts."""
    claims = db.session.scalar(db.select(func.coalesce(func.sum(SubsidyClaim.amount), 0)).where(
        SubsidyClaim.season_id == season_id, SubsidyClaim.state.in_(COMMITTED_CLAIMS),
        SubsidyClaim.host_enterprise_id.in_(_town_ids(town))))
    titles = db.session.scalar(db.select(func.coalesce(func.sum(ExpertTitle.subsidy), 0)).where(
        ExpertTitle.season_id == season_id, ExpertTitle.enterprise_id.in_(_town_ids(town))))
    rewards = db.session.scalar(db.select(func.coalesce(func.sum(Reward.amount), 0)).where(
        _reward_filter(season_id, town), Reward.state.in_(COMMITTED_REWARDS)))
    return {SUBSIDY: int(claims or 0), EXPERT: int(titles or 0), REWARDS: int(rewards or 0)}


def town_figures(season: Season, town: str) -> tuple[Figures, Figures]:
    """The season's figures for the town and for the district, side by side: (town, district)."""
    district = season_figures(season)
    count_titles = db.select(func.count(ExpertTitle.id)).where(ExpertTitle.season_id == season.id)
    ours = Figures(
        enterprises=int(db.session.scalar(db.select(func.count(Enterprise.id)).where(Enterprise.town == town)) or 0),
        participants=district.by_town.get(town, 0),
        events=len(town_events(season.id, town)),
        prizes=_prizes(season.id, town),
        titles=int(db.session.scalar(count_titles.where(ExpertTitle.enterprise_id.in_(_town_ids(town)))) or 0),
        money=_money(season.id, town))
    whole = Figures(
        enterprises=int(db.session.scalar(db.select(func.count(Enterprise.id))) or 0),
        participants=district.participants, events=len(district.events), prizes=_prizes(season.id, None),
        titles=int(db.session.scalar(count_titles) or 0), money=committed_parts(season.id))
    return ours, whole


def town_counts() -> dict[str, tuple[int, int]]:
    """(enterprises, officers) per town name, for the towns list (two statements)."""
    enterprises = dict(db.session.execute(
        db.select(Enterprise.town, func.count(Enterprise.id)).where(Enterprise.town.is_not(None))
        .group_by(Enterprise.town)).tuples().all())
    officers = dict(db.session.execute(
        db.select(User.town, func.count(User.id)).where(User.role == Role.TOWN, User.town.is_not(None))
        .group_by(User.town)).tuples().all())
    return {town: (enterprises.get(town, 0), officers.get(town, 0)) for town in set(enterprises) | set(officers)}
