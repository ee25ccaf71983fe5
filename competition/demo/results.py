"""Demo events with marks and results for `flask seed-demo`: scored by real panels, signed off, published.

Three events go all the way through the marking journey with the same services the pages use:
- a 恒力 enterprise event with 56 registered, 52 participants (one disqualified after check-in), five judges,
  final — eligible for the competition subsidy;
- a district event with five judges, signed off and under public notice (公示中) as of the seeding day;
- a 亨通 enterprise event with 36 participants and three judges, final — below the subsidy threshold.
Marks are drawn from a seeded generator: each contestant has a skill, each judge a small bias and noise.
"""
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..errors import InvalidState
from ..extensions import db
from ..models import CriterionKind, Enterprise, Entry, EntryStatus, Event, Season, User
from ..models.types import beijing_at, beijing_today
from ..rules.events import CriterionSpec as C
from ..rules.events import ModuleSpec as M
from ..services.audit import SYSTEM, Actor
from ..services.events.entries import assign_judge, check_in, disqualify, draw
from ..services.events.lifecycle import change_status
from ..services.marking.marks import save_marks, submit_marks
from ..services.results.lifecycle import finalize, publish, sign_off
from .events import _enrol_all, _event, demo_people

WINDING = (
    M("理论知识", "theory", 30, (C("络筒工艺理论", "100", "measurement"),)),
    M("操作技能", "practical", 70, (
        C("筒子成形质量", "35", "judgement"), C("接头质量与速度", "30", "judgement"),
        C("设备点检与保养", "20", "judgement"), C("安全文明生产", "15", "judgement"),
    )),
)
LATHE = (
    M("理论知识", "theory", 30, (C("车工工艺理论", "100", "measurement"),)),
    M("操作技能", "practical", 70, (
        C("尺寸精度（三坐标测量）", "40", "measurement"), C("表面质量", "25", "judgement"),
        C("工艺与工装", "20", "judgement"), C("安全文明生产", "15", "judgement"),
    )),
)
CABLE = (
    M("理论知识", "theory", 25, (C("电缆制造理论", "100", "measurement"),)),
    M("操作技能", "practical", 75, (
        C("绞线工艺", "40", "judgement"), C("绝缘挤出质量", "40", "judgement"), C("安全文明生产", "20", "judgement"),
    )),
)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Timeline:
    """The days an event went through: the results are backdated to these for a believable demo."""

    signed_off: date
    published: date
    finalised: date | None = None


def seed_demo_results(season: Season, enterprises: list[Enterprise], judges: list[User],
                      organiser: User) -> dict[str, Event]:
    """The three scored events; returns them by key (winding, lathe, cable)."""
    rng = random.Random(20261123)
    hengli, hengtong = enterprises[0], enterprises[1]
    today = beijing_today()
    winding = _scored_event(
        rng, organiser, _event(season, "恒力化纤2026年络筒工技能竞赛", "络筒工", 4, WINDING, date(2026, 10, 16),
                               kind="enterprise", host_enterprise_id=hengli.id, venue="恒力化纤盛泽厂区"),
        people=demo_people(rng, 56, 250), employers=[hengli], panel=judges, absent=3, withdrawn=1,
        disqualified="比赛中违规使用自带工具，经裁判组核实取消资格。",
        timeline=Timeline(date(2026, 10, 16), date(2026, 10, 19), date(2026, 10, 27)))
    lathe = _scored_event(
        rng, organiser, _event(season, "2026年吴江区车工职业技能竞赛", "车工", 3, LATHE, date(2026, 11, 13),
                               venue="吴江中等专业学校实训中心"),
        people=demo_people(rng, 30, 150), employers=[hengli], panel=judges, absent=2, withdrawn=0,
        timeline=Timeline(today - timedelta(days=1), today))
    cable = _scored_event(
        rng, organiser, _event(season, "亨通电线电缆制造工技能比武", "电线电缆制造工", 4, CABLE, date(2026, 9, 25),
                               kind="enterprise", host_enterprise_id=hengtong.id, venue="亨通集团七都产业园"),
        people=demo_people(rng, 40, 330), employers=[hengtong], panel=[judges[1], judges[2], judges[3]],
        absent=3, withdrawn=1, timeline=Timeline(date(2026, 9, 25), date(2026, 9, 28), date(2026, 10, 12)))
    return {"winding": winding, "lathe": lathe, "cable": cable}


def _scored_event(rng: random.Random, organiser: User, event: Event, *, people, employers, panel: list[User],
                  absent: int, withdrawn: int, timeline: Timeline, disqualified: str | None = None) -> Event:
    """Take a new event through enrolment, check-in, draw, five-judge marking, sign-off and publication."""
    if event.kind.value == "enterprise":
        for action in ("submit", "approve"):
            change_status(SYSTEM, event, action)
    change_status(SYSTEM, event, "open")
    entries = _enrol_all(event, people, employers)
    present = len(entries) - absent - withdrawn
    check_in(SYSTEM, entries[:present], "present")
    check_in(SYSTEM, entries[present:present + absent], "absent")
    check_in(SYSTEM, entries[present + absent:], "withdrawn")
    change_status(SYSTEM, event, "close")
    for i, judge in enumerate(panel):
        assign_judge(SYSTEM, event, judge, i == 0)
    db.session.expire(event, ["panel"])
    draw(SYSTEM, event, seed=f"wujiang-demo-{event.occupation}")
    change_status(SYSTEM, event, "start_scoring")
    if disqualified:
        disqualify(SYSTEM, entries[present - 1], disqualified)
    _mark(rng, event, entries, panel)
    staff = Actor(organiser)
    sign_off(Actor(panel[0]), event)
    try:
        publish(staff, event, today=timeline.published)
    except InvalidState as refused:
        if refused.code != "calendar_missing" or timeline.finalised is not None:
            raise
        # Seeded near a year the working calendar does not know yet: the event waits, signed off, as it would in
        # the office, and the calendar page names the year to enter (RULES.md §9).
        event.signed_off_at = beijing_at(timeline.signed_off, 17)
        return event
    if timeline.finalised is not None:
        finalize(staff, event, today=timeline.finalised)
    _backdate(event, timeline)
    return event


def _mark(rng: random.Random, event: Event, entries: list[Entry], panel: list[User]) -> None:
    """Every judge marks every markable entry (one batch each, as the grid would), then submits."""
    markable = [e for e in entries if e.status in (EntryStatus.PRESENT, EntryStatus.DISQUALIFIED)]
    skill = {e.id: min(0.97, max(0.45, rng.gauss(0.76, 0.1))) for e in markable}
    criteria = [c for module in event.modules for c in module.criteria]
    measured = [(e.number, c.id, _value(c.max_score, skill[e.id] + rng.gauss(0, 0.04)), None)
                for e in markable for c in criteria if c.kind is CriterionKind.MEASUREMENT]
    save_marks(Actor(panel[0]), event, measured)
    for judge in panel:
        bias = rng.gauss(0, 0.025)
        items = [(e.number, c.id, _value(c.max_score, skill[e.id] + bias + rng.gauss(0, 0.03)), None)
                 for e in markable for c in criteria if c.kind is CriterionKind.JUDGEMENT]
        save_marks(Actor(judge), event, items)
        submit_marks(Actor(judge), event)


def _value(maximum: Decimal, share: float) -> Decimal:
    """A mark of `share` of the maximum, to one decimal place, within 0..maximum."""
    share = min(1.0, max(0.0, share))
    return min(maximum, (maximum * Decimal(str(round(share, 4)))).quantize(TENTH, rounding=ROUND_HALF_UP))


def _backdate(event: Event, timeline: Timeline) -> None:
    """Stamp sign-off, publication and finalisation with the demo's days (the services stamp 'now')."""
    event.signed_off_at = beijing_at(timeline.signed_off, 17)
    event.published_at = beijing_at(timeline.published, 10)
    if timeline.finalised is not None:
        event.finalised_at = beijing_at(timeline.finalised, 9)
    db.session.flush()

