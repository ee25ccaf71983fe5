"""Builders for marked events: an event in scoring with its panel and entries (make_world), marks entered and
submitted through the services, events taken on to final results, and the published scene the security tests
walk."""
from dataclasses import dataclass, field
from datetime import date

from competition.extensions import db
from competition.models import ExpertTitle, NominationRoute, PanelMember, Role, Season
from competition.services.audit import Actor
from competition.services.marking.marks import save_marks, submit_marks
from competition.services.results.lifecycle import finalize, publish, sign_off
from tests.builders import make_enterprise, make_entry, make_event, make_season, make_user

# RULES §6 worked example: theory 88.5; practical totals 80, 85, 86, 90, 95 (quality /60 + safety /40).
WORKED = ("88.5", [("50", "30"), ("51", "34"), ("52", "34"), ("54", "36"), ("57", "38")])
# Four entries' (theory, quality /60, safety /40), every judge giving the same (final_world); 003 fails theory.
FOUR = {"001": ("90", "55", "38"), "002": ("85", "50", "35"), "003": ("50", "55", "38"), "004": ("70", "45", "30")}
FRIDAY, AFTER_NOTICE = date(2026, 6, 19), date(2026, 6, 27)


@dataclass
class World:
    """An event in scoring with a panel, entries by number, and the scheme's criteria."""

    event: object
    judges: list
    organiser: object
    entries: dict = field(default_factory=dict)

    @property
    def criteria(self) -> tuple[int, int, int]:
        """Ids of 理论考试 (measurement /100), 工艺质量 (judgement /60), 安全文明 (judgement /40)."""
        theory, practical = self.event.modules
        return (theory.criteria[0].id, practical.criteria[0].id, practical.criteria[1].id)

    def actor(self, i: int) -> Actor:
        """The i-th judge as an actor (judge 0 is the chief)."""
        return Actor(self.judges[i])


def make_world(entries=1, judges=5, *, statuses=(), judge_employers=(), entry_employers=(), **event) -> World:
    """An event in scoring: `judges` judges (the first is chief), `entries` present entries 001, 002, …"""
    world = World(make_event("scoring", **event), [], make_user(Role.ORGANISER))
    for i in range(judges):
        employer = judge_employers[i] if i < len(judge_employers) else None
        judge = make_user(Role.JUDGE, employer=employer)
        world.event.panel.append(PanelMember(user_id=judge.id, is_chief=i == 0))
        world.judges.append(judge)
    for i in range(entries):
        number = f"{i + 1:03d}"
        status = statuses[i] if i < len(statuses) else "present"
        employer = entry_employers[i] if i < len(entry_employers) else None
        world.entries[number] = make_entry(world.event, number, status, employer)
    db.session.flush()
    return world


def fill(world: World, number: str, theory: str | None, pairs, judges=None) -> None:
    """Enter one entry's marks: the theory value by the first judge, then each judge's two judgements."""
    t, q, s = world.criteria
    if theory is not None:
        save_marks(world.actor(0), world.event, [(number, t, theory, None)])
    for i, (quality, safety) in enumerate(pairs):
        if judges is None or i in judges:
            save_marks(world.actor(i), world.event, [(number, q, quality, None), (number, s, safety, None)])


def submit_all(world: World) -> None:
    """Every judge submits."""
    for i in range(len(world.judges)):
        submit_marks(world.actor(i), world.event)


def final_world(scores: dict, *, quota: int = 3, judges: int = 3, employers=(), season=None, before_final=None):
    """An event made final through the services; scores = {number: (theory, quality /60, safety /40)}, every
    judge giving the same marks. `before_final(world)` runs just before finalisation (e.g. to award a title)."""
    world = make_world(len(scores), judges=judges, entry_employers=employers, nomination_quota=quota,
                       season=season or make_season(year=2026))
    for number, (theory, quality, safety) in scores.items():
        fill(world, number, theory, [(quality, safety)] * judges)
    submit_all(world)
    sign_off(world.actor(0), world.event)
    organiser = Actor(world.organiser)
    publish(organiser, world.event, today=FRIDAY)
    if before_final:
        before_final(world)
    finalize(organiser, world.event, today=AFTER_NOTICE)
    return world


def give_title(person_id: int, year: int = 2025) -> ExpertTitle:
    """A title awarded in an earlier season (no nomination), as if imported from last year's register."""
    season = db.session.scalar(db.select(Season).where(Season.year == year)) or make_season(year=year)
    title = ExpertTitle(person_id=person_id, season_id=season.id, year=year, route=NominationRoute.ENTERPRISE,
                        subsidy=2000)
    db.session.add(title)
    db.session.flush()
    return title


def build_published_scene():
    """A published event of 恒力 (two contestants with mobiles, one unpublished-era name check), a second event
    still in scoring, the panel judges, an enterprise user and an organiser; ids for URL building. Committed."""
    firm = make_enterprise(name="恒力化纤集团")
    season = make_season()
    published = make_world(2, judges=5, entry_employers=(firm, firm), season=season)
    scoring = make_world(1, judges=5, entry_employers=(firm,), season=season)
    for world in (published, scoring):
        for entry in world.entries.values():
            entry.person.phone = f"139{entry.person.id_number[-8:-1]}0"
        fill(world, "001", *WORKED)
    fill(published, "002", "70", [("40", "30")] * 5)
    submit_all(published)
    sign_off(published.actor(0), published.event)
    publish(Actor(published.organiser), published.event)
    users = {"judge": published.judges[1], "chief": published.judges[0], "scoring_judge": scoring.judges[1],
             "organiser": published.organiser, "enterprise": make_user(Role.ENTERPRISE, enterprise=firm)}
    db.session.commit()
    people = [e.person for w in (published, scoring) for e in w.entries.values()]
    secrets = {p.id_number for p in people} | {p.phone for p in people}
    ids = {"event_id": published.event.id, "season_id": season.id, "enterprise_id": firm.id,
           "entry_id": published.entries["001"].id, "code": "zh_CN", "filename": "css/app.css"}
    scoring_ids = ids | {"event_id": scoring.event.id, "entry_id": scoring.entries["001"].id}
    names = {p.name for p in people}
    return users, ids, scoring_ids, secrets, names
