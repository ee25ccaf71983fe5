"""The subsidy and policy-version API (API.md): check, claim, list by role, approve, reject, pay, forms."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from competition.extensions import db
from competition.models import Role, SubsidyClaim
from competition.models.types import beijing_today
from tests.builders import make_enterprise, make_season, make_user
from tests.clients import api_headers
from tests.subsidy_builders import host_user, make_claim, make_claimable


@pytest.fixture
def setup(app, client):
    """An eligible final event, its host's headers and an organiser's headers."""
    event = make_claimable(50)
    host, organiser = host_user(event), make_user(Role.ORGANISER)
    db.session.commit()
    return event, api_headers(client, host), api_headers(client, organiser)


def test_the_live_check_lists_every_condition(client, setup):
    event, host, organiser = setup
    body = client.get(f"/api/v1/events/{event.id}/subsidy", headers=host).get_json()
    assert body["eligible"] is True and body["amount"] == 20000
    assert body["participants"] == 50 and body["threshold"] == 50 and len(body["checks"]) == 7
    assert body["checks"][4] == {"rule": "participants", "passed": True, "message": "参赛人数 50/50（签核时确定）"}
    assert client.get(f"/api/v1/events/{event.id}/subsidy", headers=organiser).status_code == 200
    other = api_headers(client, make_user(Role.ENTERPRISE))
    assert client.get(f"/api/v1/events/{event.id}/subsidy", headers=other).status_code == 403


def test_claim_then_approve_then_pay(client, setup):
    event, host, organiser = setup
    response = client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host)
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()
    assert claim["state"] == "submitted" and claim["amount"] == 20000 and claim["event_name"] == event.name
    assert all(c["passed"] for c in claim["checks"])
    approved = client.post(f"/api/v1/subsidy-claims/{claim['id']}/approve", headers=organiser)
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"
    season = client.get(f"/api/v1/seasons/{event.season_id}", headers=organiser).get_json()
    assert season["committed"] == 20000
    today = beijing_today().isoformat()  # approved today: paid today at the earliest
    early = client.post(f"/api/v1/subsidy-claims/{claim['id']}/pay", headers=organiser,
                        json={"paid_on": "2026-01-01", "voucher": "记-2026-07-015"})
    assert early.status_code == 400 and "早于批准日期" in early.get_json()["error"]["message"]
    paid = client.post(f"/api/v1/subsidy-claims/{claim['id']}/pay", headers=organiser,
                       json={"paid_on": today, "voucher": "记-2026-07-015"})
    assert paid.status_code == 200 and paid.get_json()["paid_on"] == today
    again = client.post(f"/api/v1/subsidy-claims/{claim['id']}/approve", headers=organiser)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_claim_state"


def test_an_ineligible_claim_is_409_with_the_failed_checks(client, app):
    event = make_claimable(48)
    host = host_user(event)
    db.session.commit()
    response = client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=api_headers(client, host))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "not_eligible" and "参赛人数 48/50" in error["message"]
    assert error["details"] == [{"field": "participants", "message": "参赛人数 48/50（签核时确定，还差 2 人）"}]


def test_a_second_claim_is_409(client, setup):
    event, host, _ = setup
    assert client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host).status_code == 201
    second = client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host)
    assert second.status_code == 409 and second.get_json()["error"]["details"][0]["field"] == "event_unclaimed"
    assert db.session.scalar(db.select(db.func.count(SubsidyClaim.id))) == 1


def test_reject_needs_a_reason_and_frees_the_event(client, setup):
    event, host, organiser = setup
    claim = client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host).get_json()
    assert client.post(f"/api/v1/subsidy-claims/{claim['id']}/reject", json={}, headers=organiser).status_code == 400
    rejected = client.post(f"/api/v1/subsidy-claims/{claim['id']}/reject", json={"reason": "人数核对不符"},
                           headers=organiser)
    assert rejected.status_code == 200 and rejected.get_json()["reason"] == "人数核对不符"
    assert client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host).status_code == 201


def test_over_budget_approval_is_409(client, app):
    season = make_season(budget=10000)
    claim = make_claim(make_claimable(season=season))
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    response = client.post(f"/api/v1/subsidy-claims/{claim.id}/approve", headers=api_headers(client, organiser))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "over_budget"


def test_enterprises_list_and_read_only_their_own_claims(client, app):
    mine, theirs = make_claim(make_claimable()), make_claim(make_claimable())
    me = make_user(Role.ENTERPRISE, enterprise_id=mine.host_enterprise_id)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    headers = api_headers(client, me)
    listed = client.get("/api/v1/subsidy-claims", headers=headers).get_json()
    assert [c["id"] for c in listed["items"]] == [mine.id] and listed["total"] == 1
    sneaky = client.get(f"/api/v1/subsidy-claims?enterprise_id={theirs.host_enterprise_id}", headers=headers)
    assert [c["id"] for c in sneaky.get_json()["items"]] == [mine.id]
    assert client.get(f"/api/v1/subsidy-claims/{theirs.id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/subsidy-claims/{theirs.id}/form.xlsx", headers=headers).status_code == 403
    staff = client.get("/api/v1/subsidy-claims?state=submitted&per_page=1", headers=api_headers(client, organiser))
    assert staff.get_json()["total"] == 2 and len(staff.get_json()["items"]) == 1


def test_the_claim_form_downloads(client, setup):
    event, host, _ = setup
    claim = client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host).get_json()
    response = client.get(f"/api/v1/subsidy-claims/{claim['id']}/form.xlsx", headers=host)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["补贴申请表", "参赛人员及成绩"]


@pytest.mark.parametrize("body", [{"paid_on": "2026-13-01", "voucher": "V"}, {"paid_on": "2026-07-01"},
                                  {"paid_on": 20260701, "voucher": "V"}])
def test_bad_payment_bodies_are_400(client, app, body):
    claim = make_claim(make_claimable(), "approved")
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    response = client.post(f"/api/v1/subsidy-claims/{claim.id}/pay", json=body, headers=api_headers(client, organiser))
    assert response.status_code == 400


def figures(**overrides):
    """A full policy body with the founding figures."""
    body = {"effective_from": "2030-01-01", "participant_threshold": 50, "subsidy_amount": 20000,
            "subsidies_per_enterprise_year": 1, "expert_subsidy": 2000, "nomination_quota": 3, "pass_mark": 60,
            "notice_working_days": 5, "note": "测试版本"}
    body.update(overrides)
    return body


def test_admins_add_and_edit_a_future_version_and_a_used_one_is_409(client, setup):
    event, host, organiser = setup
    admin = api_headers(client, make_user(Role.ADMIN))
    assert client.post("/api/v1/policy-versions", json=figures(), headers=organiser).status_code == 403
    created = client.post("/api/v1/policy-versions", json=figures(), headers=admin)
    assert created.status_code == 201, created.get_json()
    version = created.get_json()["id"]
    edited = client.put(f"/api/v1/policy-versions/{version}", json=figures(participant_threshold=40), headers=admin)
    assert edited.status_code == 200 and edited.get_json()["participant_threshold"] == 40
    claim = client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=host).get_json()
    used = client.put(f"/api/v1/policy-versions/{claim['policy_version_id']}",
                      json=figures(effective_from="2012-12-05"), headers=admin)
    assert used.status_code == 409 and used.get_json()["error"]["code"] == "policy_used"
    duplicate = client.post("/api/v1/policy-versions", json=figures(effective_from="2030-01-01"), headers=admin)
    assert duplicate.status_code == 409
    assert date.fromisoformat(client.get("/api/v1/policy-versions", headers=admin)
                              .get_json()["items"][0]["effective_from"]) == date(2030, 1, 1)


def test_another_enterprise_and_organisers_can_not_claim(client, setup):
    event, _, organiser = setup
    other = api_headers(client, make_user(Role.ENTERPRISE, enterprise=make_enterprise()))
    assert client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=other).status_code == 403
    assert client.post("/api/v1/subsidy-claims", json={"event_id": event.id}, headers=organiser).status_code == 403
