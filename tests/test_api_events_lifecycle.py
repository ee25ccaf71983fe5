"""The event lifecycle through the API: every action, who may take it, and the 409 refusals in Chinese."""
from datetime import date, timedelta

import pytest

from competition.models import AuditEntry, Event, EventStatus, Role
from tests.builders import make_enterprise, make_event, make_season, make_user, seat_panel
from tests.clients import api_headers

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)


def auth(client, db, role=Role.ORGANISER, **overrides) -> dict:
    """Bearer headers for a new committed user of the role."""
    user = make_user(role, **overrides)
    db.session.commit()
    return api_headers(client, user)


def status(db, event) -> str:
    """The event's stored status, read afresh."""
    db.session.expire_all()
    return db.session.get(Event, event.id).status.value


def act(client, headers, event, action, **body):
    """POST one lifecycle action."""
    return client.post(f"/api/v1/events/{event.id}/{action}", headers=headers, json=body or None)


def test_an_enterprise_event_from_application_to_scoring(client, db):
    host = make_enterprise()
    season = make_season()
    hr, organiser = auth(client, db, Role.ENTERPRISE, enterprise=host), auth(client, db)
    body = {"season_id": season.id, "name": "恒力纺织工技能竞赛", "occupation": "纺织工", "level": 4,
            "kind": "enterprise", "event_date": LATER.isoformat(), "registration_deadline": SOON.isoformat(),
            "venue": "恒力化纤盛泽厂区", "modules": [{"name": "操作技能", "kind": "practical", "weight": 100,
                         "criteria": [{"name": "成品质量", "max_score": 100, "kind": "judgement"}]}]}
    event = db.session.get(Event, client.post("/api/v1/events", headers=hr, json=body).get_json()["id"])
    assert event.status is EventStatus.SUBMITTED

    response = act(client, organiser, event, "reject", reason="请补充比赛场地")
    assert (response.status_code, response.get_json()["status"]) == (200, "rejected")
    assert response.get_json()["rejection_reason"] == "请补充比赛场地"
    assert client.patch(f"/api/v1/events/{event.id}", headers=hr, json={"venue": "恒力三号车间"}).status_code == 200
    assert act(client, hr, event, "submit").get_json()["status"] == "submitted"
    for action, label in [("approve", "已纳入计划"), ("open", "报名中"), ("close", "报名截止")]:
        response = act(client, organiser, event, action)
        assert (response.status_code, response.get_json()["status_label"]) == (200, label)
    event.status = EventStatus.DRAWN
    seat_panel(event)
    db.session.commit()
    assert act(client, organiser, event, "start-scoring").get_json()["status"] == "scoring"
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "Event",
                                                                     AuditEntry.object_id == event.id)).all()
    assert actions == ["event.create", "event.submit", "event.reject", "event.update", "event.submit",
                       "event.approve", "event.open", "event.close", "event.start_scoring"]


@pytest.mark.parametrize("start, action, message", [
    ("draft", "approve", "区级赛无需提交审核。"),
    ("draft", "close", "赛项当前状态为“草稿”，不能截止报名。"),
    ("open", "start-scoring", "赛项当前状态为“报名中”，不能开始评分。"),
    ("final", "open", "赛项当前状态为“最终成绩”，不能开放报名。"),
])
def test_wrong_state_is_409_with_a_chinese_message_and_nothing_changes(client, db, start, action, message):
    event = make_event(start)
    response = act(client, auth(client, db), event, action)
    assert response.status_code == 409
    assert response.get_json()["error"] == {"code": "invalid_state", "message": message, "details": []}
    assert status(db, event) == start


def test_an_enterprise_event_must_be_approved_before_it_opens(client, db):
    event = make_event("draft", kind="enterprise", host_enterprise_id=make_enterprise().id)
    response = act(client, auth(client, db), event, "open")
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == "企业赛须先经组委会纳入竞赛计划，才能开放报名。"


@pytest.mark.parametrize("action", ["reject", "cancel"])
def test_reject_and_cancel_need_a_reason(client, db, action):
    event = make_event("submitted", kind="enterprise", host_enterprise_id=make_enterprise().id)
    headers = auth(client, db)
    response = act(client, headers, event, action, reason="  ")
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["field"] == "reason"
    assert act(client, headers, event, action).status_code == 400
    assert status(db, event) == "submitted"


def test_cancel_with_a_reason_before_sign_off_only(client, db):
    headers = auth(client, db)
    event, signed = make_event("scoring"), make_event("signed_off")
    db.session.commit()
    response = act(client, headers, event, "cancel", reason="场地不可用")
    assert (response.get_json()["status"], response.get_json()["cancel_reason"]) == ("cancelled", "场地不可用")
    assert act(client, headers, signed, "cancel", reason="太晚了").status_code == 409
    assert status(db, signed) == "signed_off"


@pytest.mark.parametrize("action", ["approve", "open", "close", "start-scoring"])
@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.JUDGE])
def test_only_organisers_move_events_on(client, db, action, role):
    host = make_enterprise()
    event = make_event("submitted", kind="enterprise", host_enterprise_id=host.id)
    headers = auth(client, db, role, **({"enterprise": host} if role is Role.ENTERPRISE else {}))
    response = act(client, headers, event, action)
    assert response.status_code == 403
    assert status(db, event) == "submitted"


def test_only_the_host_or_staff_submit_an_application(client, db):
    host = make_enterprise()
    event = make_event("draft", kind="enterprise", host_enterprise_id=host.id)
    other, judge = auth(client, db, Role.ENTERPRISE), auth(client, db, Role.JUDGE)
    assert act(client, other, event, "submit").status_code == 403
    assert act(client, judge, event, "submit").status_code == 403
    assert status(db, event) == "draft"
    assert act(client, auth(client, db), event, "submit").get_json()["status"] == "submitted"


def test_a_refusal_is_audited(client, db):
    event = make_event("draft", kind="enterprise", host_enterprise_id=make_enterprise().id)
    act(client, auth(client, db, Role.ENTERPRISE), event, "submit")
    refused = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "refused")).one()
    assert f"/api/v1/events/{event.id}/submit" in refused.message


def test_unknown_events_are_404(client, db):
    assert act(client, auth(client, db), type("E", (), {"id": 424242})(), "open").status_code == 404
