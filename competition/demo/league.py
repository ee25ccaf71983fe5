"""Demo league beyond the district for `flask seed-demo` (RULES.md §16), through the services only:

- a policy version effective 2026-11-16 (after every scored demo event's date, so no decided event changes version):
  the same figures, prize tiers and standings points as the version in force, plus a reward schedule (市级, 省级,
  国家级 and 世界级 prizes: an amount for the person and one for the sending unit);
- 2026年苏州市职业技能竞赛（络筒工）, 2026-11-18: 络筒工's first two prize winners, sent by 恒力, both with results;
- 2026年江苏省职业技能大赛（数控车工）, 2026-11-25: every prize winner of the final 数控车工 event sent in one action,
  and one more person added by ID number, sent by 永鼎; results 一等奖, 二等奖, 三等奖 and one without a prize;
- rewards in every state: the results proposed them through the schedule; some approved (within the season budget),
  one paid with a date and a voucher, one rejected with a reason, the rest waiting; and two organising-unit rewards,
  one to 恒力 (approved) and one to 盛泽镇 (proposed).
The standings need nothing more: they are counted from the final events and their prize certificates.
"""
import random
from datetime import date

from ..extensions import db
from ..models import (Certificate, CertificateKind, Delegate, Enterprise, Event, EventStatus, Reward, RewardKind,
                      Season, User)
from ..models.types import beijing_today
from ..services.audit import Actor
from ..services.league import delegates as sending
from ..services.league import rewards as service
from ..services.policy import PolicyData, create_policy_version, policy_in_force
from .events import demo_people

SCHEDULE_FROM = date(2026, 11, 16)
CITY_DAY, PROVINCE_DAY = date(2026, 11, 18), date(2026, 11, 25)
SCHEDULE = [  # level, prize, for the person, for the sending unit (whole yuan)
    ("city", "一等奖", 2000, 1000), ("city", "二等奖", 1000, 500), ("city", "三等奖", 500, 300),
    ("province", "一等奖", 5000, 2000), ("province", "二等奖", 3000, 1000), ("province", "三等奖", 1000, 500),
    ("national", "一等奖", 20000, 10000), ("national", "二等奖", 10000, 5000), ("national", "三等奖", 5000, 2000),
    ("world", "金牌", 100000, 50000), ("world", "银牌", 60000, 30000), ("world", "铜牌", 40000, 20000),
    ("world", "优胜奖", 20000, 10000),
]


def seed_league(season: Season, enterprises: list[Enterprise], users: dict[str, User],
                events: dict[str, Event]) -> None:
    """The reward schedule, a city and a province competition with delegates and results, and rewards in every
    state (after the final events, their certificates and the other demo money exist)."""
    organiser = Actor(users["organiser"])
    _reward_schedule(Actor(users["admin"]))
    city = _city_competition(organiser, season, events["winding"])
    province = _province_competition(organiser, season, enterprises)
    _decide(organiser, city, province, season, enterprises)


def _reward_schedule(admin: Actor) -> None:
    """A version from SCHEDULE_FROM: the figures (and, inherited, the tiers and points) of the version in force, plus
    the reward schedule."""
    current = policy_in_force(SCHEDULE_FROM)
    figures = current.figures() if current is not None else None
    create_policy_version(admin, PolicyData(
        SCHEDULE_FROM, figures or {}, note="区人社局、区财政局：增设选送参加市级及以上竞赛获奖的奖励标准。",
        rewards=[{"level": level, "prize": prize, "individual": person, "sending_unit": unit}
                 for level, prize, person, unit in SCHEDULE]))


def _city_competition(organiser: Actor, season: Season, winding: Event):
    """络筒工's two best prize winners at the city's competition: a 一等奖 and a 三等奖."""
    city = sending.create_competition(organiser, sending.CompetitionData(
        season.id, "2026年苏州市职业技能竞赛（络筒工）", "city", "络筒工", CITY_DAY, "苏州市人力资源和社会保障局"))
    firsts = db.session.scalars(db.select(Certificate.entry_id).where(
        Certificate.event_id == winding.id, Certificate.kind == CertificateKind.PRIZE)
        .order_by(Certificate.prize_tier, Certificate.serial).limit(2)).all()
    delegates = [sending.add_from_entry(organiser, city, entry_id) for entry_id in firsts]
    for delegate, prize, rank in zip(delegates, ("一等奖", "三等奖"), (1, 9)):
        sending.record_result(organiser, delegate, prize, rank)
    return city


def _province_competition(organiser: Actor, season: Season, enterprises: list[Enterprise]):
    """数控车工's prize winners in one action, and one more by ID number sent by 永鼎; four results."""
    lathe = db.session.scalar(db.select(Event).where(Event.season_id == season.id, Event.occupation == "数控车工",
                                                     Event.status == EventStatus.FINAL))
    province = sending.create_competition(organiser, sending.CompetitionData(
        season.id, "2026年江苏省职业技能大赛（数控车工）", "province", "数控车工", PROVINCE_DAY,
        "江苏省人力资源和社会保障厅"))
    winners = sending.add_event_winners(organiser, province, lathe) if lathe is not None else []
    (name, id_number), = demo_people(random.Random(20261125), 1, 880)
    extra = sending.add_by_id_number(organiser, province, id_number, name, enterprises[3].id)
    results = [("一等奖", 3), ("二等奖", 11), ("三等奖", 24), (None, 41)]
    for delegate, (prize, rank) in zip([*winners[:2], extra, *winners[2:]], results):
        sending.record_result(organiser, delegate, prize, rank)
    return province


def _rewards_of(competition, prize: str) -> dict[RewardKind, Reward]:
    """The rewards a competition's result with this prize proposed, by kind."""
    return {r.kind: r for r in db.session.scalars(
        db.select(Reward).join(Delegate, Delegate.id == Reward.delegate_id)
        .where(Delegate.competition_id == competition.id, Delegate.result_prize == prize))}


def _decide(organiser: Actor, city, province, season: Season, enterprises: list[Enterprise]) -> None:
    """Approve the province 一等奖 (the person's paid), the city 一等奖 and 恒力's organising reward; reject the
    province 三等奖's sending-unit reward; the rest wait (待审批)."""
    first = _rewards_of(province, "一等奖")
    for reward in first.values():
        service.approve_reward(organiser, reward)
    service.pay_reward(organiser, first[RewardKind.INDIVIDUAL], beijing_today(), "吴人社财〔2026〕记字第0458号")
    for reward in _rewards_of(city, "一等奖").values():
        service.approve_reward(organiser, reward)
    third = _rewards_of(province, "三等奖").get(RewardKind.SENDING_UNIT)
    if third is not None:
        service.reject_reward(organiser, third, "该选手以个人身份报名参加省赛，选送单位未履行推荐和集训职责，"
                                                "按奖励办法不予奖励选送单位。")
    hengli = service.propose_organising_reward(organiser, service.OrganisingReward(
        season.id, 10000, "承办恒力化纤2026年络筒工技能竞赛（参赛52人），组织规范、保障有力。",
        enterprise_id=enterprises[0].id))
    service.approve_reward(organiser, hengli)
    service.propose_organising_reward(organiser, service.OrganisingReward(
        season.id, 5000, "盛泽镇动员辖区企业承办和参加联赛赛项，组织职工踊跃参赛、赛前集训。", town=enterprises[0].town))
