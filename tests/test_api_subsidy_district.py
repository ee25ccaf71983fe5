"""A district event's subsidy checklist (issue 16, item 6): the organisers are told 区级赛不适用竞赛经费补贴 (200, not
a 403 saying only the organisers may look); enterprise users still see no checklist of an event that is not theirs."""
import pytest

from competition.models import FOUNDING_FIGURES, Role
from competition.rules.subsidy import NOT_APPLICABLE, SubsidyFacts, decide_subsidy, select_checklist
from tests.builders import make_event, make_season, make_user
from tests.clients import api_headers, login
from tests.subsidy_builders import host_user, make_claimable

POLICY = dict(FOUNDING_FIGURES)
ONE_LINE = [{"rule": "enterprise_event", "passed": False, "message": "区级赛不适用竞赛经费补贴"}]


def district_event(status: str = "final"):
    """A district event (2026-06-15) in the given status."""
    return make_event(status, season=make_season(year=2026), venue="吴江区职业技能实训基地", name="区级电工技能竞赛")


@pytest.mark.parametrize("status, participants", [("final", 80), ("scoring", None), ("draft", None)])
def test_the_checklist_of_a_district_event_is_one_line_saying_the_subsidy_does_not_apply(status, participants):
    facts = SubsidyFacts(kind="district", status=status, claimant_is_host=False, frozen_participants=participants)
    shown = select_checklist("district", decide_subsidy(facts, POLICY))
    assert (shown.eligible, shown.amount, len(shown.checks)) == (False, 0, 1)
    assert (shown.checks[0].rule, shown.checks[0].passed, shown.checks[0].message) == (
        "enterprise_event", False, NOT_APPLICABLE)
    assert NOT_APPLICABLE == "区级赛不适用竞赛经费补贴"


def test_an_enterprise_events_checklist_is_left_as_the_rule_decided():
    facts = SubsidyFacts(kind="enterprise", status="final", claimant_is_host=True, frozen_participants=50)
    decision = decide_subsidy(facts, POLICY)
    assert select_checklist("enterprise", decision) is decision


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
def test_staff_get_200_and_eligible_false_for_a_district_event(client, db, role):
    event = district_event()
    user = make_user(role)
    db.session.commit()
    response = client.get(f"/api/v1/events/{event.id}/subsidy", headers=api_headers(client, user))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["event_id"], body["eligible"], body["amount"]) == (event.id, False, 0)
    assert body["checks"] == ONE_LINE


def test_enterprise_users_and_judges_still_may_not_read_a_district_events_checklist(client, db):
    event = district_event()
    enterprise, judge = make_user(Role.ENTERPRISE), make_user(Role.JUDGE)
    db.session.commit()
    assert client.get(f"/api/v1/events/{event.id}/subsidy", headers=api_headers(client, enterprise)).status_code == 403
    assert client.get(f"/api/v1/events/{event.id}/subsidy", headers=api_headers(client, judge)).status_code == 403


def test_an_enterprise_events_check_is_unchanged_for_the_organiser_and_the_host(client, db):
    event = make_claimable(50)
    host, organiser = host_user(event), make_user(Role.ORGANISER)
    db.session.commit()
    for user in (host, organiser):
        body = client.get(f"/api/v1/events/{event.id}/subsidy", headers=api_headers(client, user)).get_json()
        assert body["eligible"] is True and body["amount"] == 20000 and len(body["checks"]) == 7


def test_the_event_page_tells_the_organiser_a_district_event_earns_no_subsidy(client, db):
    event = district_event()
    organiser, enterprise = make_user(Role.ORGANISER), make_user(Role.ENTERPRISE)
    db.session.commit()
    login(client, organiser)
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'data-subsidy-applies="no"' in body and "区级赛不适用竞赛经费补贴" in body
    assert "尚不符合补贴条件" not in body and "data-checks" not in body and "申请竞赛经费补贴" not in body
    client.post("/logout")
    login(client, enterprise)
    page = client.get(f"/events/{event.id}")  # a district event's page is open to enterprises, its subsidy part not
    assert page.status_code == 200 and 'data-section="subsidy"' not in page.get_data(as_text=True)
