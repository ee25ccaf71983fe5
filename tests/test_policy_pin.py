"""Policy versions govern events by their date, and a decision pins the version it used (RULES.md §12; issue 16,
items 2 and 3): a back-dated version never rewrites decided money, needs a confirmation naming the events it
would govern, and the defaults of a new event (the 技术能手 quota) come from the version in force on its date."""
from datetime import date, timedelta

import pytest

from competition.errors import InvalidState
from competition.models import FOUNDING_FIGURES, ClaimState, Event, PolicyVersion, Role
from competition.services import policy
from competition.services.results import lifecycle as result_service
from competition.services.money import subsidy as subsidy_service
from competition.services.audit import SYSTEM, Actor
from competition.services.events.lifecycle import change_status, update_event
from competition.services.marking.marks import submit_marks
from competition.services.policy import PolicyData, policy_for_event
from tests.builders import event_data, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers
from tests.marking_builders import WORKED, fill, make_world
from tests.subsidy_builders import host_user

LOWER = {**FOUNDING_FIGURES, "participant_threshold": 2, "subsidy_amount": 30000, "nomination_quota": 2}
YEAR_END = date(2026, 12, 31)


def _dated(status: str, season, name: str, day: date):
    """An event of a status on a day (registration closing ten days before)."""
    return make_event(status, season, name=name, event_date=day, registration_deadline=day - timedelta(days=10))


def _admin() -> Actor:
    return Actor(make_user(Role.ADMIN))


def _signed_off_enterprise_event():
    """An enterprise event of 3 contestants signed off through the services (3 < the founding threshold of 50)."""
    host = make_enterprise()
    world = make_world(entries=3, judges=3, kind="enterprise", host_enterprise_id=host.id,
                       event_date=date(2026, 9, 1), registration_deadline=date(2026, 8, 20))
    for number in ("001", "002", "003"):
        fill(world, number, "80", WORKED[1][:3])
    for i in range(3):
        submit_marks(world.actor(i), world.event)
    result_service.sign_off(world.actor(0), world.event)
    return world.event


def test_sign_off_pins_the_version_and_a_back_dated_one_does_not_make_the_event_eligible(db):
    event = _signed_off_enterprise_event()
    founding = policy_for_event(event)
    assert event.policy_version_id == founding.id and founding.participant_threshold == 50
    policy.create_policy_version(_admin(), PolicyData(date(2026, 6, 1), LOWER), YEAR_END, confirm_backdated=True)
    event.status = event.status.FINAL  # publication and the notice have their own tests
    decision, version = subsidy_service.check_subsidy(event)
    assert version.id == founding.id and not decision.eligible and decision.amount != 30000
    with pytest.raises(InvalidState) as refused:
        subsidy_service.claim_subsidy(Actor(host_user(event)), event)
    assert refused.value.code == "not_eligible"
    assert result_service.notice_days(event) == founding.notice_working_days


def test_a_back_dated_version_needs_a_confirmation_naming_only_unpinned_events(db):
    season = make_season()
    decided = _dated("draft", season, "已签核的赛项", date(2026, 7, 1))
    decided.policy_version_id = policy.ensure_founding_policy().id
    waiting = _dated("open", season, "尚未决定的赛项", date(2026, 8, 1))
    _dated("cancelled", season, "已取消的赛项", date(2026, 8, 2))
    _dated("draft", season, "更早的赛项", date(2026, 5, 1))
    later = PolicyData(date(2026, 10, 1), FOUNDING_FIGURES)
    policy.create_policy_version(_admin(), later, YEAR_END, confirm_backdated=True)
    _dated("draft", season, "下一版本期间的赛项", date(2026, 11, 1))
    with pytest.raises(InvalidState) as asked:
        policy.create_policy_version(_admin(), PolicyData(date(2026, 6, 1), LOWER), YEAR_END)
    assert asked.value.code == "confirm_backdated" and asked.value.status == 409
    assert [d["event_id"] for d in asked.value.details] == [waiting.id]
    assert "尚未决定的赛项" in asked.value.message and "已签核的赛项" not in asked.value.message
    assert db.session.scalar(db.select(PolicyVersion.id).where(PolicyVersion.effective_from == date(2026, 6, 1))) is None
    created = policy.create_policy_version(_admin(), PolicyData(date(2026, 6, 1), LOWER), YEAR_END,
                                           confirm_backdated=True)
    assert policy_for_event(waiting).id == created.id
    assert policy_for_event(decided).id == policy.ensure_founding_policy().id
    # A version effective today or later needs no confirmation.
    policy.create_policy_version(_admin(), PolicyData(YEAR_END, FOUNDING_FIGURES), YEAR_END)


def test_a_claim_pins_and_a_paid_event_keeps_showing_its_version(db):
    host = make_enterprise()
    event = make_event("final", kind="enterprise", host_enterprise_id=host.id, event_date=date(2026, 9, 1),
                       registration_deadline=date(2026, 8, 20))
    event.participants = 50
    claim = subsidy_service.claim_subsidy(Actor(host_user(event)), event)
    assert event.policy_version_id == claim.policy_version_id
    claim.state = ClaimState.PAID
    newer = policy.create_policy_version(_admin(), PolicyData(date(2026, 6, 1), LOWER), YEAR_END,
                                         confirm_backdated=True)
    decision, version = subsidy_service.check_subsidy(event)
    assert version.id == claim.policy_version_id != newer.id and decision.threshold == 50


def test_approval_into_the_plan_pins_and_a_date_moved_before_scoring_follows_the_new_date(db):
    host = make_enterprise()
    event = make_event("submitted", kind="enterprise", host_enterprise_id=host.id, event_date=date(2027, 2, 20),
                       registration_deadline=date(2027, 2, 1))
    version_2027 = policy.create_policy_version(_admin(), PolicyData(date(2027, 1, 1), LOWER))
    change_status(SYSTEM, event, "approve")
    assert event.policy_version_id == version_2027.id
    # The version an approval used can no longer be edited.
    with pytest.raises(InvalidState) as used:
        policy.update_policy_version(_admin(), version_2027, PolicyData(date(2027, 1, 1), FOUNDING_FIGURES),
                                     date(2026, 12, 4))
    assert used.value.code == "policy_used"
    update_event(SYSTEM, event, event_data(event.season, kind="enterprise", host_enterprise_id=host.id,
                                           name=event.name, event_date=date(2026, 12, 20),
                                           registration_deadline=date(2026, 12, 10)))
    assert event.policy_version_id == policy.ensure_founding_policy().id


def test_the_api_asks_to_confirm_a_back_dated_version_and_lists_the_events(client, db):
    waiting = make_event("open", event_date=date(2026, 8, 1), registration_deadline=date(2026, 7, 20))
    admin = make_user(Role.ADMIN)
    db.session.commit()
    headers = api_headers(client, admin)
    body = {"effective_from": "2026-06-01", **LOWER, "note": "补录的版本"}
    asked = client.post("/api/v1/policy-versions", json=body, headers=headers)
    error = asked.get_json()["error"]
    assert asked.status_code == 409 and error["code"] == "confirm_backdated"
    assert [d["event_id"] for d in error["details"]] == [waiting.id]
    created = client.post("/api/v1/policy-versions", json={**body, "confirm_backdated": True}, headers=headers)
    assert created.status_code == 201, created.get_json()


def test_the_policy_page_shows_the_events_and_the_confirmation(client, db):
    make_event("open", name="八月的电工赛", event_date=date(2026, 8, 1), registration_deadline=date(2026, 7, 20))
    admin = make_user(Role.ADMIN)
    db.session.commit()
    from tests.clients import login
    login(client, admin)
    page = client.get("/policy/new").get_data(as_text=True)
    assert "data-form=\"policy\"" in page
    form = {"effective_from": "2026-06-01", **{k: str(v) for k, v in LOWER.items()}}
    asked = client.post("/policy/new", data=form)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 409 and "data-backdated" in text and "八月的电工赛" in text
    done = client.post("/policy/new", data={**form, "confirm_backdated": "y"})
    assert done.status_code == 302
    assert db.session.scalar(db.select(PolicyVersion.id).where(PolicyVersion.effective_from == date(2026, 6, 1)))


def test_an_api_event_without_a_quota_takes_the_version_in_force_on_its_date(client, db):
    policy.create_policy_version(_admin(), PolicyData(date(2027, 1, 1), LOWER))
    season = make_season()
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    headers = api_headers(client, organiser)
    body = {"season_id": season.id, "name": "2027年吴江区电工竞赛", "occupation": "电工", "level": 3,
            "kind": "district", "event_date": "2027-02-20", "registration_deadline": "2027-02-01",
            "venue": "吴江区职业技能鉴定中心",
            "modules": [{"name": "操作技能", "kind": "practical", "weight": 100,
                         "criteria": [{"name": "成品质量", "max_score": 100, "kind": "judgement"}]}]}
    created = client.post("/api/v1/events", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["nomination_quota"] == 2
    earlier = client.post("/api/v1/events", json={**body, "event_date": "2026-12-20",
                                                  "registration_deadline": "2026-12-10"}, headers=headers)
    assert earlier.get_json()["nomination_quota"] == 3
    chosen = client.post("/api/v1/events", json={**body, "nomination_quota": 5}, headers=headers)
    assert chosen.get_json()["nomination_quota"] == 5


def test_the_new_event_form_prefills_by_the_event_date(client, db):
    policy.create_policy_version(_admin(), PolicyData(date(2027, 1, 1), LOWER))
    season = make_season()
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    from tests.clients import login
    login(client, organiser)
    page = client.get("/events/new").get_data(as_text=True)
    assert "data-policy-defaults" in page and "2027-01-01" in page
    prefilled = page.split('name="quota_prefilled" type="hidden" value="')[1].split('"')[0]
    assert prefilled == "3"  # today's version, until a date is typed
    form = {"season_id": str(season.id), "kind": "district", "name": "2027年吴江区焊工竞赛",
            "occupation": "焊工", "level": "3", "venue": "吴江中等专业学校", "event_date": "2027-02-20",
            "registration_deadline": "2027-02-01", "aggregation": "trimmed_mean", "aggregation_level": "judge_total",
            "tie_breaks": "practical,time_used", "nomination_quota": "3", "quota_prefilled": "3",
            "modules-0-name": "操作技能", "modules-0-kind": "practical", "modules-0-weight": "100",
            "modules-0-criteria-0-name": "成品质量", "modules-0-criteria-0-max_score": "100",
            "modules-0-criteria-0-kind": "judgement"}
    saved = client.post("/events/new", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    event = db.session.scalar(db.select(Event).where(Event.name == "2027年吴江区焊工竞赛"))
    assert event.nomination_quota == 2
    typed = client.post("/events/new", data={**form, "name": "2027年吴江区车工竞赛", "nomination_quota": "4"})
    assert typed.status_code == 302
    assert db.session.scalar(db.select(Event.nomination_quota).where(Event.name == "2027年吴江区车工竞赛")) == 4
