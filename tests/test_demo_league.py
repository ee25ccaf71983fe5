"""seed-demo's league beyond the district (RULES.md §16): standings counted from the final events, a province and a city
competition with delegates and results, the reward schedule of a new policy version, and rewards in every state."""
from competition.models import (AuditEntry, Certificate, CertificateKind, CompetitionLevel, Delegate, Entry, Event,
                                EventStatus, ExternalCompetition, PolicyVersion, Reward, RewardKind, RewardState, Season)
from competition.services.league.standings import season_standings
from competition.services.money.budget import REWARDS, committed, committed_parts
from competition.services.policy import policy_in_force


def _seed(app, db) -> Season:
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    return db.session.scalar(db.select(Season).where(Season.year == 2026))


def test_seed_demo_standings_count_every_final_prize_and_rank_enterprises_and_towns(app, db):
    season = _seed(app, db)
    standings = season_standings(season.id)
    assert len(standings.enterprises) >= 3 and len(standings.towns) >= 3 and standings.unplaced_enterprises == 0
    assert [row.rank for row in standings.enterprises][0] == 1
    points = [row.points for row in standings.enterprises]
    assert points == sorted(points, reverse=True) and points[-1] > 0
    # Every prize certificate of the final events is counted once, at its tier, for the winner's employer.
    issued = db.session.execute(
        db.select(Certificate.prize_tier, db.func.count()).join(Entry, Entry.id == Certificate.entry_id)
        .join(Event, Event.id == Certificate.event_id)
        .where(Certificate.kind == CertificateKind.PRIZE, Event.status == EventStatus.FINAL,
               Event.season_id == season.id, Entry.employer_id.is_not(None))
        .group_by(Certificate.prize_tier)).all()
    assert issued and all(tier in (1, 2, 3) for tier, _ in issued)
    counted: dict[int, int] = {}
    for row in standings.enterprises:
        for tier, count in row.prizes_by_tier.items():
            counted[tier] = counted.get(tier, 0) + count
    assert counted == dict(issued)
    assert sum(t.points for t in standings.towns) == sum(e.points for e in standings.enterprises)


def test_seed_demo_sends_winners_to_a_province_competition_and_records_their_results(app, db):
    season = _seed(app, db)
    levels = {c.level: c for c in db.session.scalars(db.select(ExternalCompetition)
                                                     .where(ExternalCompetition.season_id == season.id))}
    province, city = levels[CompetitionLevel.PROVINCE], levels[CompetitionLevel.CITY]
    assert province.held_on.year == city.held_on.year == season.year
    delegates = list(db.session.scalars(db.select(Delegate).where(Delegate.competition_id == province.id)))
    assert all(d.sending_enterprise_id is not None for d in delegates)
    # Every prize winner of the final 数控车工 event was sent (one action), and one person by ID number.
    lathe = db.session.scalar(db.select(Event).where(Event.occupation == "数控车工"))
    winners = set(db.session.scalars(db.select(Certificate.entry_id).where(
        Certificate.event_id == lathe.id, Certificate.kind == CertificateKind.PRIZE)))
    assert winners and winners == {d.entry_id for d in delegates if d.entry_id is not None}
    assert [d.entry_id for d in delegates].count(None) == 1
    recorded = [d for d in delegates if d.result_recorded_at is not None]
    assert {d.result_prize for d in recorded} == {"一等奖", "二等奖", "三等奖", None}
    assert len(recorded) < len(delegates)  # some results still to come
    city_delegates = list(db.session.scalars(db.select(Delegate).where(Delegate.competition_id == city.id)))
    assert 1 <= len(city_delegates) <= 2 and all(d.result_prize for d in city_delegates)


def test_seed_demo_rewards_follow_the_new_schedule_and_reach_every_state(app, db):
    season = _seed(app, db)
    rewards = list(db.session.scalars(db.select(Reward).where(Reward.season_id == season.id)))
    assert {r.state for r in rewards} == set(RewardState)
    rejected = [r for r in rewards if r.state is RewardState.REJECTED]
    paid = [r for r in rewards if r.state is RewardState.PAID]
    assert rejected and all(r.reason for r in rejected)
    assert paid and all(r.paid_on is not None and r.voucher for r in paid)
    organising = [r for r in rewards if r.kind is RewardKind.ORGANISING_UNIT]
    assert any(r.enterprise_id for r in organising) and any(r.town for r in organising)
    # The province 一等奖 earned the schedule's amounts of the version in force on the competition's day.
    province = db.session.scalar(db.select(ExternalCompetition).where(ExternalCompetition.level == "province"))
    version = policy_in_force(province.held_on)
    first = {r.kind: r for r in rewards if r.delegate is not None and r.delegate.competition_id == province.id
             and r.delegate.result_prize == "一等奖"}
    assert {k: r.amount for k, r in first.items()} == {RewardKind.INDIVIDUAL: 5000, RewardKind.SENDING_UNIT: 2000}
    assert {r.policy_version_id for r in first.values()} == {version.id} and version.rewards
    # Committed spending counts the approved and paid rewards, and only those.
    spent = sum(r.amount for r in rewards if r.state in (RewardState.APPROVED, RewardState.PAID))
    parts = committed_parts(season.id)
    assert spent > 0 and parts[REWARDS] == spent and committed(season.id) == sum(parts.values()) <= season.budget
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "Reward")))
    assert {"reward.propose", "reward.approve", "reward.reject", "reward.pay"} <= actions


def test_the_schedules_version_changes_no_decided_demo_event(app, db):
    """The new version keeps the figures, tiers and points of the one it follows, and every event decided before it
    stays pinned to the founding version."""
    _seed(app, db)
    founding, schedule = db.session.scalars(db.select(PolicyVersion).order_by(PolicyVersion.effective_from)).all()
    assert founding.rewards == [] and schedule.rewards
    assert schedule.figures() == founding.figures() and schedule.prize_tiers == founding.prize_tiers
    assert schedule.standing_points == founding.standing_points
    pinned = db.session.execute(db.select(Event.event_date, Event.policy_version_id)
                                .where(Event.policy_version_id.is_not(None))).all()
    assert pinned and all(version == founding.id and day < schedule.effective_from for day, version in pinned)
