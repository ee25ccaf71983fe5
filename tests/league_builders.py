"""Builders for the league (RULES.md §16): a final event with prizes, a policy version with a reward schedule, a
province competition with delegates, a result and its proposed rewards.

`league_world()` builds, in season 2026 (budget 1,000,000):
- certificate_world's final 电工 event of ten: `firm` (松陵街道) employs 001, 003, 005, 007, 009 and `other` (盛泽镇)
  002, 004, 006, 008, 010; prizes 一等奖 001, 二等奖 002 003, 三等奖 004 005 006. Standings under the default points:
  firm 5 + 10 + 6 + 3 = 24, other 5 + 6 + 3 + 3 = 17; towns 松陵街道 24, 盛泽镇 17.
- a policy version from 2026-01-01 with the schedule SCHEDULE (省级 一等奖: 5000 to the person, 2000 to the sender, …);
- 江苏省电工职业技能竞赛 (province, 2026-09-20) with 001 sent by firm (its employer) and 002 sent by other;
- 001's result recorded as 一等奖: two proposed rewards (5000 individual, 2000 sending unit to firm).
Committed. Returns a LeagueWorld with the users of certificate_world (organiser, enterprise = firm's HR, other, judge).
"""
from dataclasses import dataclass
from datetime import date

from competition.extensions import db
from competition.models import Delegate, Enterprise, ExternalCompetition, PolicyVersion, Reward, RewardKind
from competition.services.audit import Actor
from competition.services.league.delegates import CompetitionData, add_from_entry, create_competition, record_result
from competition.services.policy import PolicyData, create_policy_version
from tests.certificate_builders import certificate_world

SCHEDULE = [
    {"level": "province", "prize": "一等奖", "individual": 5000, "sending_unit": 2000},
    {"level": "province", "prize": "二等奖", "individual": 3000, "sending_unit": 1000},
    {"level": "province", "prize": "三等奖", "individual": 1000, "sending_unit": 0},
    {"level": "national", "prize": "一等奖", "individual": 20000, "sending_unit": 10000},
]
PROVINCE = "江苏省电工职业技能竞赛"


@dataclass
class LeagueWorld:
    """What league_world built."""

    world: object  # certificate_world's FinalWorld: .event, .entries by number, .organiser
    users: dict
    firm: Enterprise
    other: Enterprise
    version: PolicyVersion
    competition: ExternalCompetition
    first: Delegate  # 001, result 一等奖
    second: Delegate  # 002, no result yet
    individual: Reward
    sending: Reward


def schedule_version(effective_from: date = date(2026, 1, 1), schedule=None) -> PolicyVersion:
    """A policy version with the founding figures and a reward schedule (SCHEDULE unless given)."""
    figures = {"participant_threshold": 50, "subsidy_amount": 20000, "subsidies_per_enterprise_year": 1,
               "expert_subsidy": 2000, "nomination_quota": 3, "pass_mark": 60, "notice_working_days": 5}
    return create_policy_version(Actor(None), PolicyData(effective_from, figures, note="奖励标准",
                                                         rewards=SCHEDULE if schedule is None else schedule))


def league_world(*, budget: int = 1_000_000) -> LeagueWorld:
    """See the module's docstring. Committed."""
    world, users = certificate_world()
    world.event.season.budget = budget
    firm = world.entries["001"].employer
    other = world.entries["002"].employer
    firm.town, other.town = "松陵街道", "盛泽镇"
    version = schedule_version()
    organiser = Actor(world.organiser)
    competition = create_competition(organiser, CompetitionData(
        season_id=world.event.season_id, name=PROVINCE, level="province", occupation="电工",
        held_on=date(2026, 9, 20), organised_by="江苏省人力资源和社会保障厅"))
    first = add_from_entry(organiser, competition, world.entries["001"].id)
    second = add_from_entry(organiser, competition, world.entries["002"].id)
    proposed = {r.kind: r for r in record_result(organiser, first, "一等奖", 1)}
    db.session.commit()
    return LeagueWorld(world, users, firm, other, version, competition, first, second,
                       proposed[RewardKind.INDIVIDUAL], proposed[RewardKind.SENDING_UNIT])
