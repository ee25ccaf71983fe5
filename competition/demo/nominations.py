"""Demo 技术能手 for `flask seed-demo`: last year's register, this year's proposals, decisions and exclusions.

- 2025: a past season whose register holds four title holders (enterprise recommendations, approved).
- 数控车工 (district, final): scored by a real panel; its second place already holds the 2025 title, so
  finalising it proposed the others and listed that person as excluded (already_holder).
- 汽车维修工 (district): signed off and published three weeks ago, notice over, waiting for an organiser to
  confirm the final results, which proposes its nominations then and there.
- Decisions on the events demo/results.py finalised: 络筒工's first place approved (the title and the 2000
  yuan in the 2026 budget), 电线电缆制造工's third place rejected with a reason; 亨通 recommends an employee.
"""
import random
from datetime import date, timedelta

from .events import demo_people
from .results import LATHE, Timeline, _backdate, _event, _scored_event
from ..extensions import db
from ..models import Enterprise, Entry, Event, Nomination, NominationRoute, NominationState, Season, User
from ..rules.events import CriterionSpec as C
from ..rules.events import ModuleSpec as M
from ..services.titles import nominations as service
from ..services.audit import Actor
from ..services.marking.facts import beijing_today
from ..services.organisation import SeasonData, create_season
from ..services.results.lifecycle import finalize
from ..services.results.snapshots import current_snapshot

AUTO_REPAIR = (
    M("理论知识", "theory", 30, (C("汽车维修理论", "100", "measurement"),)),
    M("操作技能", "practical", 70, (
        C("故障诊断", "50", "judgement"), C("维修作业规范", "30", "judgement"), C("安全文明生产", "20", "judgement"),
    )),
)
REASONS_2025 = ("长期从事化纤生产一线，技术攻关成果获市级表彰。", "电缆绞线工艺能手，带徒12人。",
                "设备维修骨干，年度降本增效成果显著。")


def seed_nominations(season: Season, enterprises: list[Enterprise], judges: list[User], users: dict[str, User],
                     events: dict[str, Event]) -> None:
    """Last year's register, two more scored events, and decisions on this year's nominations."""
    rng = random.Random(20251231)
    organiser = Actor(users["organiser"])
    last_year = create_season(organiser, SeasonData(year=2025, name="2025年吴江职业技能联赛", budget=1_500_000))
    for i, ((name, id_number), reason) in enumerate(zip(demo_people(rng, 3, 700), REASONS_2025)):
        hr = users["enterprise" if i % 2 == 0 else "enterprise2"]
        nomination = service.recommend(Actor(hr), service.RecommendationData(id_number, name, reason, last_year.id,
                                                                             confirmed_employee=True))
        service.approve(organiser, nomination)
    employers, panel = [enterprises[0], enterprises[3], enterprises[4]], [judges[0], judges[1], judges[3]]
    _final_with_a_holder(rng, season, last_year, employers, panel, organiser)
    _awaiting_finalisation(rng, season, employers, panel, organiser)
    _decide_this_year(events, users, organiser)


def _final_with_a_holder(rng, season: Season, last_year: Season, employers, panel, organiser: Actor) -> Event:
    """数控车工, final: its second place was made a 2025 title holder before the results became final."""
    event = _scored_event(
        rng, organiser.user, _event(season, "2026年吴江区数控车工职业技能竞赛", "数控车工", 3, LATHE, date(2026, 8, 21),
                                    venue="吴江中等专业学校实训中心"),
        people=demo_people(rng, 16, 720), employers=employers, panel=panel, absent=1, withdrawn=0,
        timeline=Timeline(date(2026, 8, 21), date(2026, 8, 24)))
    second = next(row for row in current_snapshot(event).payload["rows"] if row["rank"] == 2)
    entry = db.session.get(Entry, second["entry_id"])
    past = Nomination(season_id=last_year.id, person_id=entry.person_id, route=NominationRoute.ENTERPRISE,
                      state=NominationState.PROPOSED, enterprise_id=entry.employer_id,
                      justification="2025年度由所在企业推荐：数控加工技术骨干。")
    db.session.add(past)
    db.session.flush()
    service.approve(organiser, past)
    finalize(organiser, event, today=date(2026, 9, 1))
    _backdate(event, Timeline(date(2026, 8, 21), date(2026, 8, 24), date(2026, 9, 1)))
    return event


def _awaiting_finalisation(rng, season: Season, employers, panel, organiser: Actor) -> Event:
    """汽车维修工: published three weeks ago, the notice is over, the final results wait for an organiser."""
    today = beijing_today()
    return _scored_event(
        rng, organiser.user, _event(season, "2026年吴江区汽车维修工职业技能竞赛", "汽车维修工", 4, AUTO_REPAIR,
                                    date(2026, 10, 30), venue="吴江汽车职业培训中心"),
        people=demo_people(rng, 10, 760), employers=employers, panel=panel, absent=0, withdrawn=0,
        timeline=Timeline(today - timedelta(days=22), today - timedelta(days=21)))


def _by_rank(event: Event, state: NominationState, rank: int) -> Nomination | None:
    """The event's nomination in a state at a rank."""
    return db.session.scalar(db.select(Nomination).where(Nomination.event_id == event.id, Nomination.state == state,
                                                         Nomination.rank == rank))


def _decide_this_year(events: dict[str, Event], users: dict[str, User], organiser: Actor) -> None:
    """Approve 络筒工's winner, reject 电线电缆制造工's third place, and 亨通 recommends another employee."""
    winner = _by_rank(events["winding"], NominationState.PROPOSED, 1)
    if winner is not None:
        service.approve(organiser, winner)
    third = _by_rank(events["cable"], NominationState.PROPOSED, 3)
    if third is not None:
        service.reject(organiser, third, "本人书面申请放弃本年度参评，经核实同意。")
    tenth = _by_rank(events["cable"], NominationState.EXCLUDED, 10)
    if tenth is not None:
        person = tenth.person
        service.recommend(Actor(users["enterprise2"]), service.RecommendationData(
            person.id_number, person.name, "从事电缆绝缘挤出工作十五年，主持完成两项工艺改进，带徒8人。",
            events["cable"].season_id))
