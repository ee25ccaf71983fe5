"""Season standings (联赛积分榜, RULES.md §16): enterprises and towns ranked by the points of the season's final events.

Points follow each event's policy version (the one its sign-off pinned): its prizes by tier position (certificates
carry the position, numbered at finalisation), one per participant (present at check-in, disqualified included,
counted to the entry's employer), and so much per hosted final enterprise event. Everything is counted in two
aggregate statements (entries with their prizes by enterprise, policy version and tier; hosted events by enterprise),
plus the policy versions and the enterprises' names: four statements whatever the size of the season, and a few rows
per enterprise. The table counts no events per unit: a row per enterprise and event (tens of thousands in a large
season) dominated the page, and a row's breakdown lists its events. Nothing here is personal: names of enterprises
and towns, and counts.
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, func

from ...extensions import db
from ...models import (Certificate, CertificateKind, Enterprise, Entry, EntryStatus, Event, EventKind, EventStatus,
                       PolicyVersion)
from ...rules.league import DEFAULT_POINTS, StandingPoints, Tally, points_from_data, rank_rows
from ...rules.messages import Message

PARTICIPANTS = (EntryStatus.PRESENT, EntryStatus.DISQUALIFIED)  # RULES.md §10
NO_TOWN = Message("未填写镇区")


@dataclass
class EventLine:
    """One final event in a unit's breakdown."""

    event_id: int
    name: str
    occupation: str
    level: int
    event_date: object
    kind: str
    hosted: bool = False
    participants: int = 0
    prizes_by_tier: dict[int, int] = field(default_factory=dict)
    points: int = 0

    @property
    def prizes(self) -> int:
        """Prizes of every tier."""
        return sum(self.prizes_by_tier.values())


@dataclass
class Standings:
    """A season's tables, best first, and the tier names for the columns (the league's default tiers)."""

    enterprises: list[Tally]
    towns: list[Tally]
    unplaced_enterprises: int  # enterprises with points but no town: in the enterprise table only
    tier_names: tuple[str, ...] = (Message("一等奖"), Message("二等奖"), Message("三等奖"))

    def place_of(self, enterprise_id: int) -> Tally | None:
        """An enterprise's row (None: nothing counted for it this season)."""
        return next((row for row in self.enterprises if row.key == enterprise_id), None)


def _points_by_version() -> dict[int | None, StandingPoints]:
    """Every policy version's points (a handful of rows); an event without a version counts by the defaults."""
    rows = db.session.execute(db.select(PolicyVersion.id, PolicyVersion.standing_points)).all()
    found: dict[int | None, StandingPoints] = {version_id: points_from_data(data) for version_id, data in rows}
    found[None] = DEFAULT_POINTS
    return found


def _final(season_id: int):
    """The season's final events."""
    return and_(Event.season_id == season_id, Event.status == EventStatus.FINAL)


def _entry_counts(season_id: int, enterprise_id: int | None = None):
    """(employer, event, policy version, prize tier or None, count) over the participants of the season's final
    events, for one enterprise's breakdown by event: one statement."""
    query = (db.select(Entry.employer_id, Entry.event_id, Event.policy_version_id, Certificate.prize_tier,
                       func.count(Entry.id))
             .select_from(Entry).join(Event, Event.id == Entry.event_id)
             .outerjoin(Certificate, and_(Certificate.entry_id == Entry.id, Certificate.kind == CertificateKind.PRIZE))
             .where(_final(season_id), Entry.status.in_(PARTICIPANTS), Entry.employer_id.is_not(None))
             .group_by(Entry.employer_id, Entry.event_id, Event.policy_version_id, Certificate.prize_tier))
    if enterprise_id is not None:
        query = query.where(Entry.employer_id == enterprise_id)
    return db.session.execute(query).all()


def _entry_totals(season_id: int):
    """(employer, policy version, prize tier or None, count) over the participants of the season's final events: one
    statement, a few rows per enterprise."""
    return db.session.execute(
        db.select(Entry.employer_id, Event.policy_version_id, Certificate.prize_tier, func.count(Entry.id))
        .select_from(Entry).join(Event, Event.id == Entry.event_id)
        .outerjoin(Certificate, and_(Certificate.entry_id == Entry.id, Certificate.kind == CertificateKind.PRIZE))
        .where(_final(season_id), Entry.status.in_(PARTICIPANTS), Entry.employer_id.is_not(None))
        .group_by(Entry.employer_id, Event.policy_version_id, Certificate.prize_tier)).all()


def _hosted(season_id: int, enterprise_id: int | None = None):
    """(host, event, policy version) of the season's final enterprise events: one statement."""
    query = db.select(Event.host_enterprise_id, Event.id, Event.policy_version_id).where(
        _final(season_id), Event.kind == EventKind.ENTERPRISE, Event.host_enterprise_id.is_not(None))
    if enterprise_id is not None:
        query = query.where(Event.host_enterprise_id == enterprise_id)
    return db.session.execute(query).all()


def season_standings(season_id: int) -> Standings:
    """The season's enterprise and town tables, best first (four statements)."""
    points = _points_by_version()
    tallies: dict[int, Tally] = {}

    def tally(enterprise_id: int) -> Tally:
        return tallies.setdefault(enterprise_id, Tally(enterprise_id, ""))

    for employer_id, version_id, tier, count in _entry_totals(season_id):
        row, rule = tally(employer_id), points.get(version_id, DEFAULT_POINTS)
        row.participants += count
        row.points += count * rule.participant
        if tier is not None:
            row.prizes_by_tier[tier] = row.prizes_by_tier.get(tier, 0) + count
            row.points += count * rule.for_tier(tier)
    for host_id, _event_id, version_id in _hosted(season_id):
        row = tally(host_id)
        row.hosted_events += 1
        row.points += points.get(version_id, DEFAULT_POINTS).hosted_event
    named = db.session.execute(db.select(Enterprise.id, Enterprise.name, Enterprise.town)
                               .where(Enterprise.id.in_(list(tallies)))).all() if tallies else []
    towns: dict[str, Tally] = {}
    unplaced = 0
    for enterprise_id, name, town in named:
        row = tallies[enterprise_id]
        row.name, row.town = name, town
        if not town:
            unplaced += 1
            continue
        place = towns.setdefault(town, Tally(town, town))
        place.participants += row.participants
        place.hosted_events += row.hosted_events
        place.points += row.points
        for tier, count in row.prizes_by_tier.items():
            place.prizes_by_tier[tier] = place.prizes_by_tier.get(tier, 0) + count
    return Standings(rank_rows(tallies.values()), rank_rows(towns.values()), unplaced)


def enterprise_breakdown(season_id: int, enterprise_id: int) -> list[EventLine]:
    """An enterprise's final events of the season with what each brought it: participants, prizes by tier, hosting
    and points; by date (three statements)."""
    points = _points_by_version()
    lines: dict[int, EventLine] = {}
    versions: dict[int, int | None] = {}
    counts = _entry_counts(season_id, enterprise_id)
    hosted = _hosted(season_id, enterprise_id)
    ids = {row[1] for row in counts} | {row[1] for row in hosted}
    if not ids:
        return []
    for event in db.session.execute(db.select(Event.id, Event.name, Event.occupation, Event.level, Event.event_date,
                                              Event.kind, Event.policy_version_id).where(Event.id.in_(ids))):
        lines[event.id] = EventLine(event.id, event.name, event.occupation, event.level, event.event_date,
                                    event.kind.value)
        versions[event.id] = event.policy_version_id
    for _employer, event_id, version_id, tier, count in counts:
        line, rule = lines[event_id], points.get(version_id, DEFAULT_POINTS)
        line.participants += count
        line.points += count * rule.participant
        if tier is not None:
            line.prizes_by_tier[tier] = line.prizes_by_tier.get(tier, 0) + count
            line.points += count * rule.for_tier(tier)
    for _host, event_id, version_id in hosted:
        lines[event_id].hosted = True
        lines[event_id].points += points.get(version_id, DEFAULT_POINTS).hosted_event
    return sorted(lines.values(), key=lambda line: (line.event_date, line.event_id))


def town_members(standings: Standings, town: str) -> list[Tally]:
    """The enterprises of a town in the season's table, best first."""
    return [row for row in standings.enterprises if row.town == town]
