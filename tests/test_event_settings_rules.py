"""What an event's results depend on stays as they were computed, scoring starts only with a panel the method can
use, and every event has a venue (RULES.md §4, §6; issue 16, items 4 and 6)."""
from datetime import date

import pytest

from competition.errors import Invalid, InvalidState
from competition.models import EventStatus, PanelMember, Role
from competition.services.audit import SYSTEM, Actor
from competition.services.events.lifecycle import change_status, update_event
from competition.services.results.lifecycle import publish, sign_off
from competition.services.marking.marks import submit_marks
from tests.builders import event_data, make_enterprise, make_entry, make_event, make_user, seat_panel
from tests.clients import api_headers, login
from tests.marking_builders import WORKED, fill, make_world


def _published():
    """An event signed off and published through the services."""
    world = make_world(entries=1, judges=3)
    fill(world, "001", "80", WORKED[1][:3])
    for i in range(3):
        submit_marks(world.actor(i), world.event)
    sign_off(world.actor(0), world.event)
    publish(Actor(world.organiser), world.event, today=date(2026, 12, 4))
    return world


@pytest.mark.parametrize("change", [
    {"aggregation": "mean"}, {"nomination_quota": 1}, {"event_date": date(2026, 6, 16)},
    {"aggregation_level": "criterion"}, {"strict_ranking": True},
])
def test_after_publication_the_settings_the_results_used_can_not_change(db, change):
    world = _published()
    event = world.event
    values = {"name": event.name, "venue": event.venue, "event_date": event.event_date,
              "registration_deadline": event.registration_deadline, "nomination_quota": event.nomination_quota}
    with pytest.raises(InvalidState) as refused:
        update_event(SYSTEM, event, event_data(event.season, **{**values, **change}))
    assert refused.value.code == "results_frozen" and refused.value.status == 409
    assert [d["field"] for d in refused.value.details] == list(change)
    db.session.rollback()


def test_after_publication_the_name_and_venue_can_still_be_corrected(db):
    world = _published()
    event = world.event
    update_event(SYSTEM, event, event_data(event.season, name="更正后的赛项名称", venue="新场地",
                                           nomination_quota=event.nomination_quota))
    assert (event.name, event.venue) == ("更正后的赛项名称", "新场地")


def test_the_api_refuses_changing_a_published_event_s_aggregation_and_the_form_shows_it_fixed(client, db):
    world = _published()
    organiser = world.organiser
    db.session.commit()
    url = f"/api/v1/events/{world.event.id}"
    refused = client.patch(url, json={"aggregation": "median"}, headers=api_headers(client, organiser))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "results_frozen"
    assert client.patch(url, json={"venue": "吴江区体育中心"}, headers=api_headers(client, organiser)).status_code == 200
    login(client, organiser)
    page = client.get(f"/events/{world.event.id}/edit").get_data(as_text=True)
    assert "data-results-frozen" in page and 'data-field="aggregation" data-frozen' in page
    assert '<select' not in page.split('data-section="ranking-rules"')[1].split("</section>")[0]


def test_scoring_needs_three_judges_for_a_trimmed_mean(db):
    event = make_event("drawn")
    make_entry(event, "001")
    seat_panel(event, 2)
    with pytest.raises(InvalidState) as refused:
        change_status(SYSTEM, event, "start_scoring")
    assert refused.value.code == "too_few_judges" and "至少需要 3 位" in refused.value.message
    assert event.status is EventStatus.DRAWN
    seat_panel(event, 1)
    change_status(SYSTEM, event, "start_scoring")
    assert event.status is EventStatus.SCORING


def test_a_mean_starts_with_one_judge_and_conflicts_count_per_entry(db):
    employer = make_enterprise()
    event = make_event("drawn", aggregation="mean")
    seat_panel(event, 1)
    change_status(SYSTEM, event, "start_scoring")
    assert event.status is EventStatus.SCORING
    # Trimmed mean: 3 judges, but one is the contestant's colleague (回避): only 2 may mark 001.
    other = make_event("drawn")
    make_entry(other, "001", employer=employer)
    seat_panel(other, 2)
    colleague = make_user(Role.JUDGE, employer=employer)
    other.panel.append(PanelMember(user_id=colleague.id, is_chief=False))
    db.session.flush()
    with pytest.raises(InvalidState) as refused:
        change_status(SYSTEM, other, "start_scoring")
    assert refused.value.code == "too_few_judges" and refused.value.details[0]["number"] == "001"


def test_the_api_start_scoring_with_two_judges_is_409(client, db):
    event = make_event("drawn")
    make_entry(event, "001")
    seat_panel(event, 2)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    response = client.post(f"/api/v1/events/{event.id}/start-scoring", headers=api_headers(client, organiser))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "too_few_judges"


def test_an_event_needs_a_venue(client, db):
    with pytest.raises(Invalid) as refused:
        make_event("draft", venue=None)
    assert {"field": "venue", "message": "请填写比赛地点。"} in refused.value.details
    db.session.rollback()
    season = event_data(make_event("draft").season)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    body = {"season_id": season.season_id, "name": "没有地点的赛项", "occupation": "电工", "level": 3,
            "kind": "district", "event_date": "2027-02-20", "registration_deadline": "2027-02-01",
            "modules": [{"name": "操作技能", "kind": "practical", "weight": 100,
                         "criteria": [{"name": "成品质量", "max_score": 100, "kind": "judgement"}]}]}
    response = client.post("/api/v1/events", json=body, headers=api_headers(client, organiser))
    assert response.status_code == 400
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["venue"]
    assert client.post("/api/v1/events", json={**body, "venue": "  "},
                       headers=api_headers(client, organiser)).status_code == 400

