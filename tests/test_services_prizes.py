"""Prizes through the services (RULES.md §15): the policy's default tiers and pass mark, an event's own tiers and
floor, live rows before sign-off and frozen ones after, the settings fixed from sign-off on, policy versions with
their tiers, and the enterprise's view of its employees' prizes."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from competition.errors import Invalid, InvalidState
from competition.models import FOUNDING_FIGURES, PolicyVersion, Role
from competition.rules.prizes import DEFAULT_TIERS, TierSpec, default_tiers_data
from competition.services.audit import SYSTEM, Actor
from competition.services.events.lifecycle import update_event
from competition.services.policy import PolicyData, create_policy_version, update_policy_version
from competition.services.reports.figures import employee_results
from competition.services.results.exports import shaped_rows
from competition.services.results.lifecycle import publish, reopen, sign_off
from competition.services.results.prizes import event_prizes, prize_legend, prize_settings
from tests.builders import event_data, make_enterprise, make_event, make_user
from tests.counting import statements
from tests.marking_builders import fill, make_world, submit_all

GOLD, SILVER, BRONZE = "一等奖", "二等奖", "三等奖"


def ranked_world(theories, statuses=(), **event):
    """Entries 001, 002, … marked the same by three judges (quality 50, safety 30) with the given theory marks, so
    total = 0.3 × theory + 56 and the order follows the theory marks; all submitted. Unmarked where None."""
    world = make_world(len(theories), judges=3, statuses=statuses, aggregation="mean", **event)
    for number, theory in zip(world.entries, theories):
        if theory is not None:
            fill(world, number, theory, [("50", "30")] * 3)
    submit_all(world)
    return world


def by_number(world, prizes: dict) -> dict:
    """{number: prize} for the entries that got one."""
    numbers = {entry.id: number for number, entry in world.entries.items()}
    return {numbers[entry_id]: name for entry_id, name in prizes.items()}


TEN = [str(100 - 5 * i) for i in range(10)]  # totals 86, 84.5, … 72.5
TEN_PRIZES = {"001": GOLD, "002": SILVER, "003": SILVER, "004": BRONZE, "005": BRONZE, "006": BRONZE}


def test_the_policy_s_default_tiers_live_then_frozen_in_ranking_order(db):
    world = ranked_world(TEN)
    live = event_prizes(world.event)
    assert by_number(world, live) == TEN_PRIZES
    sign_off(world.actor(0), world.event)
    frozen = event_prizes(world.event)
    assert frozen == live and list(frozen) == [world.entries[n].id for n in TEN_PRIZES]
    settings = prize_settings(world.event)
    assert settings.tiers == DEFAULT_TIERS and settings.floor == Decimal(60)
    assert not settings.own_tiers and not settings.own_floor


def test_nobody_gets_a_prize_before_scoring_or_in_a_tiny_event(db):
    assert event_prizes(make_event("open")) == {}
    assert event_prizes(ranked_world(["90", "80", "70"]).event) == {}  # 10/20/30% of 3 all floor to 0


def test_below_the_pass_mark_no_prize_and_unranked_entries_none(db):
    # 10 ranked (two below 60: theory 0 → 56) and two absent: the sizes come from the 10 ranked only
    theories = ["100", "95", "0", "85", "0", "75", "70", "65", "60", "55", None, None]
    world = ranked_world(theories, statuses=("present",) * 10 + ("absent", "withdrawn"))
    assert by_number(world, event_prizes(world.event)) == {"001": GOLD, "002": SILVER, "004": SILVER,
                                                           "006": BRONZE, "007": BRONZE, "008": BRONZE}


def test_an_event_s_own_tiers_and_floor_replace_the_policy_s(db):
    world = ranked_world(TEN)
    world.event.prize_tiers = [{"name": "金奖", "count": 1}, {"name": "银奖", "share": 20}]
    world.event.prize_floor = Decimal("80.00")
    assert by_number(world, event_prizes(world.event)) == {"001": "金奖", "002": "银奖", "003": "银奖"}
    world.event.prize_tiers = None  # the policy's tiers with the event's own floor: 006 (78.5) falls below 80
    assert by_number(world, event_prizes(world.event)) == {"001": GOLD, "002": SILVER, "003": SILVER,
                                                           "004": BRONZE, "005": BRONZE}
    settings = prize_settings(world.event)
    assert (settings.own_tiers, settings.own_floor, settings.floor) == (False, True, Decimal("80.00"))
    assert prize_legend(world.event, [{"rank": 1}] * 10) == (
        "获奖等级：一等奖 10%（1 人）、二等奖 20%（2 人）、三等奖 30%（3 人）（按名次累计，并列时取较高等级）；"
        "总分低于 80 分不设奖。")


def _settings(event, **prizes):
    """The event's own fields as EventData, with prize settings changed."""
    values = {"name": event.name, "venue": event.venue, "event_date": event.event_date,
              "registration_deadline": event.registration_deadline, "nomination_quota": event.nomination_quota,
              "aggregation": event.aggregation.value}
    return event_data(event.season, **values, **prizes)


def test_the_event_service_stores_validated_prize_settings(db):
    world = ranked_world(TEN)
    event = world.event
    update_event(SYSTEM, event, _settings(event, prize_tiers=(TierSpec(" 金奖 ", count=2),), prize_floor="75.5"))
    assert (event.prize_tiers, event.prize_floor) == ([{"name": "金奖", "count": 2}], Decimal("75.50"))
    with pytest.raises(Invalid) as refused:
        update_event(SYSTEM, event, _settings(event, prize_tiers=(TierSpec("金奖", share=60), TierSpec("金奖", share=50)),
                                              prize_floor="六十"))
    fields = [d["field"] for d in refused.value.details]
    assert fields.count("prize_tiers") == 2 and "prize_floor" in fields
    db.session.rollback()


@pytest.mark.parametrize("change", [
    {"prize_tiers": (TierSpec(GOLD, share=50),)}, {"prize_floor": "70"},
])
def test_the_prize_settings_are_fixed_from_sign_off_until_a_reopen(db, change):
    world = ranked_world(TEN)
    event = world.event
    sign_off(world.actor(0), event)
    publish(Actor(world.organiser), event, today=date(2026, 6, 19))
    with pytest.raises(InvalidState) as refused:
        update_event(SYSTEM, event, _settings(event, **change))
    assert refused.value.code == "results_frozen" and [d["field"] for d in refused.value.details] == list(change)
    update_event(SYSTEM, event, _settings(event))  # unchanged settings still save (a name or venue correction)
    reopen(Actor(world.organiser), event, "更正评分")
    update_event(SYSTEM, event, _settings(event, **change))
    assert event_prizes(event) != {} and (event.prize_tiers is not None or event.prize_floor is not None)


def _policy(effective_from: date, tiers=None, **figures) -> PolicyData:
    return PolicyData(effective_from, {**FOUNDING_FIGURES, **figures}, None, tiers)


def test_a_policy_version_carries_tiers_inherited_when_not_given(db):
    admin = Actor(make_user(Role.ADMIN))
    first = create_policy_version(admin, _policy(date(2026, 1, 1), (TierSpec("金奖", share=5),), pass_mark=70))
    assert first.prize_tiers == [{"name": "金奖", "share": 5}]
    second = create_policy_version(admin, _policy(date(2026, 7, 1)))
    assert second.prize_tiers == [{"name": "金奖", "share": 5}]  # the version it follows
    world = ranked_world([str(100 - i) for i in range(20)], event_date=date(2026, 3, 1),
                         registration_deadline=date(2026, 2, 1))
    assert by_number(world, event_prizes(world.event)) == {"001": "金奖"}
    settings = prize_settings(world.event)
    assert settings.floor == Decimal(70) and settings.tiers == (TierSpec("金奖", share=5),)
    update_policy_version(admin, second, _policy(date(2026, 7, 1)), today=date(2026, 6, 1))
    assert second.prize_tiers == [{"name": "金奖", "share": 5}]  # an edit without tiers keeps them
    update_policy_version(admin, second, _policy(date(2026, 7, 1), DEFAULT_TIERS), today=date(2026, 6, 1))
    assert second.prize_tiers == default_tiers_data()


@pytest.mark.parametrize("tiers", [(), (TierSpec("", share=10),), (TierSpec(GOLD, share=80), TierSpec(SILVER, share=30))])
def test_a_policy_version_refuses_bad_tiers(db, tiers):
    with pytest.raises(Invalid) as refused:
        create_policy_version(Actor(make_user(Role.ADMIN)), _policy(date(2031, 1, 1), tiers))
    assert "prize_tiers" in {d["field"] for d in refused.value.details}
    db.session.rollback()


def test_existing_and_new_policy_versions_have_the_default_tiers(db):
    founding = db.session.scalar(db.select(PolicyVersion).order_by(PolicyVersion.effective_from))
    assert founding.prize_tiers == default_tiers_data()
    stored = db.session.execute(text("SELECT prize_tiers FROM policy_versions WHERE id = :id"),
                                {"id": founding.id}).scalar_one()
    assert "一等奖" in str(stored) or "\\u4e00" in str(stored)


def test_the_migration_s_default_tiers_are_the_rules_defaults():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "migrations/versions/0016_prize_tiers.py"
    spec = importlib.util.spec_from_file_location("prize_tiers_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import json
    assert json.loads(module.DEFAULT_TIERS) == default_tiers_data()


def test_an_enterprise_sees_its_employees_prizes_once_published(db):
    firm = make_enterprise()
    world = make_world(10, judges=3, aggregation="mean", entry_employers=(firm,) * 2)
    for number, theory in zip(world.entries, TEN):
        fill(world, number, theory, [("50", "30")] * 3)
    submit_all(world)
    sign_off(world.actor(0), world.event)
    assert employee_results(firm.id) == []  # signed off, not published
    publish(Actor(world.organiser), world.event, today=date(2026, 6, 19))
    results = employee_results(firm.id)
    assert [(r.number, r.rank, r.prize) for r in results] == [("001", 1, GOLD), ("002", 2, SILVER)]


def test_the_pages_rows_carry_prizes_only_when_asked_and_at_a_constant_cost(db):
    small, large = ranked_world(TEN), ranked_world([str(100 - i) for i in range(40)])
    for world in (small, large):
        sign_off(world.actor(0), world.event)
        rows, frozen = shaped_rows(world.event, "full")
        assert frozen and {row["prize"] for row in rows} == {None}
        rows, _ = shaped_rows(world.event, "full", prizes=True)
        assert [row["prize"] for row in rows][:3] == [GOLD] * (3 if world is large else 1) + (
            [] if world is large else [SILVER, SILVER])
    costs = [statements(db, lambda w=w: shaped_rows(w.event, "full", prizes=True)) for w in (small, large)]
    plain = statements(db, lambda: shaped_rows(small.event, "full"))
    assert costs[0] == costs[1] <= plain + 1
