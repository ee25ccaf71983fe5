"""The league's services (RULES.md §16): standings from final events, delegates to higher-level competitions, and the
rewards a recorded result proposes, decided like subsidy claims within the season budget."""
from datetime import date, timedelta

import pytest

from competition.errors import Duplicate, Invalid, InvalidState, NotFound
from competition.models import (AuditEntry, Delegate, EntryStatus, EventKind, EventStatus, PolicyVersion, Reward,
                                RewardKind, RewardState)
from competition.models.types import beijing_today
from competition.services.audit import Actor
from competition.services.league import delegates as d
from competition.services.league import rewards as r
from competition.services.league.standings import enterprise_breakdown, season_standings, town_members
from competition.services.money.budget import REWARDS, committed, committed_parts
from competition.services.policy import PolicyData, update_policy_version
from tests.builders import id_number, make_enterprise, make_entry, make_event
from tests.league_builders import PROVINCE, league_world, schedule_version

TODAY = beijing_today()


def _table(season_id):
    standings = season_standings(season_id)
    return ([(row.rank, row.name, row.points, row.participants, row.prizes_by_tier)
             for row in standings.enterprises], [(row.rank, row.name, row.points) for row in standings.towns])


def test_standings_count_participants_prizes_by_tier_and_towns(db):
    lw = league_world()
    season_id = lw.world.event.season_id
    enterprises, towns = _table(season_id)
    assert enterprises == [(1, lw.firm.name, 24, 5, {1: 1, 2: 1, 3: 1}), (2, lw.other.name, 17, 5, {2: 1, 3: 2})]
    assert towns == [(1, "松陵街道", 24), (2, "盛泽镇", 17)]
    standings = season_standings(season_id)
    assert standings.place_of(lw.other.id).rank == 2 and standings.place_of(10**6) is None
    assert [row.name for row in town_members(standings, "盛泽镇")] == [lw.other.name]
    [line] = enterprise_breakdown(season_id, lw.firm.id)
    assert (line.name, line.participants, line.prizes, line.points, line.hosted) == ("电工技能竞赛", 5, 3, 24, False)


def test_hosting_a_final_enterprise_event_earns_its_points_and_an_unplaced_enterprise_no_town_row(db):
    lw = league_world()
    event = lw.world.event
    event.kind, event.host_enterprise_id = EventKind.ENTERPRISE, lw.other.id
    lw.firm.town = None
    db.session.flush()
    enterprises, towns = _table(event.season_id)
    assert enterprises[0][1:3] == (lw.firm.name, 24) and enterprises[1][1:3] == (lw.other.name, 22)  # 17 + 5
    assert towns == [(1, "盛泽镇", 22)]
    assert season_standings(event.season_id).unplaced_enterprises == 1
    [line] = enterprise_breakdown(event.season_id, lw.other.id)
    assert line.hosted and line.points == 22


def test_only_final_events_and_participants_count_under_the_events_own_version(db):
    lw = league_world()
    event = lw.world.event
    entries = lw.world.entries
    entries["009"].status = EntryStatus.ABSENT  # no longer a participant: firm 24 - 1
    entries["007"].status = EntryStatus.DISQUALIFIED  # still a participant (RULES.md §10)
    db.session.flush()
    assert _table(event.season_id)[0][0][2] == 23
    version = db.session.get(PolicyVersion, event.policy_version_id)
    version.standing_points = {"prizes": [20, 10], "participant": 2, "hosted_event": 5}
    db.session.flush()
    # firm: 4 participants × 2 + 20 + 10 + 0 (a third tier beyond the list); other: 5 × 2 + 10 + 0 + 0
    assert [row[2] for row in _table(event.season_id)[0]] == [38, 20]
    event.status = EventStatus.NOTICE  # not final: nothing counts
    db.session.flush()
    assert _table(event.season_id) == ([], [])
    make_event("final", season=event.season)  # a final event without entries counts for nobody
    assert season_standings(event.season_id).enterprises == []


def test_a_delegate_comes_from_a_final_event_once_with_a_sending_enterprise(db):
    lw = league_world()
    organiser = Actor(lw.world.organiser)
    with pytest.raises(Duplicate):
        d.add_from_entry(organiser, lw.competition, lw.world.entries["001"].id)
    with pytest.raises(NotFound):
        d.add_from_entry(organiser, lw.competition, 10**6)
    third = d.add_from_entry(organiser, lw.competition, lw.world.entries["003"].id, sending_enterprise_id=lw.other.id)
    assert third.sending_enterprise_id == lw.other.id  # another sender named
    running = make_event("scoring", season=lw.world.event.season)
    entry = make_entry(running, "001", "present", lw.firm)
    with pytest.raises(InvalidState) as refused:
        d.add_from_entry(organiser, lw.competition, entry.id)
    assert refused.value.code == "event_not_final"


def test_a_delegate_by_id_number_reuses_the_person_and_needs_a_sender(db):
    lw = league_world()
    organiser = Actor(lw.world.organiser)
    known = lw.world.entries["005"].person
    delegate = d.add_by_id_number(organiser, lw.competition, known.id_number, known.name)
    assert delegate.person_id == known.id and delegate.sending_enterprise_id == lw.firm.id  # the latest employer
    with pytest.raises(Invalid) as wrong_name:
        d.add_by_id_number(organiser, lw.competition, lw.world.entries["007"].person.id_number, "张冠李戴")
    assert wrong_name.value.details[0]["field"] == "name"
    with pytest.raises(Invalid) as no_sender:
        d.add_by_id_number(organiser, lw.competition, id_number(4242), "王小明")
    assert no_sender.value.details[0]["field"] == "sending_enterprise_id"
    newcomer = d.add_by_id_number(organiser, lw.competition, id_number(4242), "王小明", lw.other.id)
    assert newcomer.person.name == "王小明" and newcomer.entry_id is None
    with pytest.raises(Invalid) as bad:
        d.add_by_id_number(organiser, lw.competition, "320500199001011234", "")
    assert {p["field"] for p in bad.value.details} == {"id_number", "name"}


def test_the_winners_of_an_event_are_sent_in_one_action_skipping_those_already_sent(db):
    lw = league_world()
    organiser = Actor(lw.world.organiser)
    added = d.add_event_winners(organiser, lw.competition, lw.world.event)
    numbers = sorted(a.entry.number for a in added)
    assert numbers == ["003", "004", "005", "006"]  # 001 and 002 were already sent
    assert {a.sending_enterprise_id for a in added} == {lw.firm.id, lw.other.id}
    assert d.add_event_winners(organiser, lw.competition, lw.world.event) == []
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "delegate.add_winners")
                              .order_by(AuditEntry.id))
    assert sorted(audit.after["delegates"]) == sorted(a.id for a in added)


def test_a_result_proposes_the_schedules_rewards_and_may_be_recorded_again_until_one_is_decided(db):
    lw = league_world()
    organiser = Actor(lw.world.organiser)
    assert (lw.individual.amount, lw.sending.amount) == (5000, 2000)
    assert lw.individual.person_id == lw.first.person_id and lw.individual.enterprise_id == lw.firm.id
    assert lw.sending.enterprise_id == lw.firm.id and lw.sending.policy_version_id == lw.version.id
    assert lw.individual.basis == f"{PROVINCE}（省级）一等奖"
    third = d.record_result(organiser, lw.second, "三等奖", None)
    assert [(x.kind, x.amount) for x in third] == [(RewardKind.INDIVIDUAL, 1000)]  # the sender's 0 is no reward
    again = d.record_result(organiser, lw.second, "二等奖", 5)
    assert sorted(x.amount for x in again) == [1000, 3000]
    assert db.session.scalar(db.select(db.func.count(Reward.id)).where(Reward.delegate_id == lw.second.id)) == 2
    assert d.record_result(organiser, lw.second, "优秀奖", None) == []  # no line for it: no reward
    with pytest.raises(Invalid):
        d.record_result(organiser, lw.second, "一等奖", 0)
    r.approve_reward(organiser, lw.individual)
    with pytest.raises(InvalidState) as decided:
        d.record_result(organiser, lw.first, "二等奖", 2)
    assert decided.value.code == "rewards_decided"
    with pytest.raises(InvalidState) as removed:
        d.remove_delegate(organiser, lw.first)
    assert removed.value.code == "result_recorded"


def test_rewards_are_approved_within_the_budget_rejected_with_a_reason_and_paid(db):
    lw = league_world(budget=6000)
    organiser = Actor(lw.world.organiser)
    season_id = lw.world.event.season_id
    r.approve_reward(organiser, lw.individual)
    assert committed_parts(season_id)[REWARDS] == 5000 and committed(season_id) == 5000
    with pytest.raises(InvalidState) as over:
        r.approve_reward(organiser, lw.sending)
    assert over.value.code == "over_budget" and lw.sending.state is RewardState.PROPOSED
    with pytest.raises(InvalidState) as twice:
        r.approve_reward(organiser, lw.individual)
    assert twice.value.code == "invalid_reward_state"
    with pytest.raises(Invalid):
        r.reject_reward(organiser, lw.sending, " ")
    r.reject_reward(organiser, lw.sending, "预算不足，明年再议")
    assert lw.sending.state is RewardState.REJECTED and lw.sending.reason == "预算不足，明年再议"
    with pytest.raises(Invalid) as early:
        r.pay_reward(organiser, lw.individual, TODAY + timedelta(days=1), "PZ-1")
    assert early.value.details[0]["field"] == "paid_on"
    r.pay_reward(organiser, lw.individual, TODAY, " PZ-2026-118 ")
    assert (lw.individual.state, lw.individual.voucher) == (RewardState.PAID, "PZ-2026-118")
    assert committed(season_id) == 5000  # paid stays committed
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "Reward")).all()
    assert {"reward.propose", "reward.approve", "reward.reject", "reward.pay"} <= set(actions)


def test_an_organising_unit_reward_names_an_enterprise_or_a_known_town(db):
    lw = league_world()
    organiser = Actor(lw.world.organiser)
    season_id = lw.world.event.season_id
    town = r.propose_organising_reward(organiser, r.OrganisingReward(season_id, 8000, "承办区级电工竞赛",
                                                                     town="盛泽镇"))
    assert (town.kind, town.name, town.state) == (RewardKind.ORGANISING_UNIT, "盛泽镇", RewardState.PROPOSED)
    firm = r.propose_organising_reward(organiser, r.OrganisingReward(season_id, 3000, "组织员工参赛",
                                                                     enterprise_id=lw.firm.id))
    assert firm.name == lw.firm.name
    for wrong, field in ((r.OrganisingReward(season_id, 1, "依据", enterprise_id=lw.firm.id, town="盛泽镇"),
                          "enterprise_id"),
                         (r.OrganisingReward(season_id, 1, "依据", town="火星镇"), "town"),
                         (r.OrganisingReward(season_id, 0, "依据", town="盛泽镇"), "amount"),
                         (r.OrganisingReward(season_id, 1, "", town="盛泽镇"), "basis"),
                         (r.OrganisingReward(None, 1, "依据", town="盛泽镇"), "season_id")):
        with pytest.raises(Invalid) as refused:
            r.propose_organising_reward(organiser, wrong)
        assert field in {p["field"] for p in refused.value.details}
    mine = r.season_rewards(season_id, r.RewardFilter(enterprise_id=lw.firm.id))
    assert {x.id for x in mine} == {lw.individual.id, lw.sending.id, firm.id}
    assert r.reward_totals(mine)["proposed"] == 10000


def test_a_schedule_that_proposed_rewards_locks_its_version(db):
    lw = league_world()
    version = lw.version
    data = PolicyData(version.effective_from, version.figures(), rewards=[])
    with pytest.raises(InvalidState) as used:
        update_policy_version(Actor(lw.world.organiser), version, data, date(2025, 1, 1))
    assert used.value.code == "policy_used"


def test_a_new_version_inherits_points_and_schedule_unless_given(db):
    lw = league_world()
    later = schedule_version(date(2027, 3, 1), schedule=None)
    assert later.rewards == lw.version.rewards and later.standing_points == lw.version.standing_points
    make_enterprise()
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 2
