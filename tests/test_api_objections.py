"""Objections through the JSON API (RULES.md §14; API.md): file during the notice, list by role, decide, and how an
uphold sends the event back through scoring, sign-off and a new notice while a finalisation waits for decisions."""
import pytest

from competition.models import AuditEntry, MarkChange, Objection, ResultSnapshot, Role
from tests.builders import make_user
from tests.clients import Api
from tests.objection_builders import AFTER_NOTICE, NOTICE_ENDS, PUBLISHED_ON, make_objection, noticed_world


@pytest.fixture
def today(monkeypatch):
    """Set the league's 'today' (Beijing) for filing, publishing and finalising."""
    def set_today(day):
        monkeypatch.setattr("competition.services.results.lifecycle.beijing_today", lambda: day)
    set_today(PUBLISHED_ON)
    return set_today


@pytest.fixture
def scene(client, db, today):
    """An event under notice through the API, with the HR users of 001's and 002's employers."""
    world, firm, rival = noticed_world()
    return Api(client, world), firm, rival


def objections(db):
    """Every stored objection."""
    return list(db.session.scalars(db.select(Objection)))


def test_an_enterprise_objects_to_its_own_employees_result(scene, db):
    api, firm, _ = scene
    response = api.post(firm, "objections", {"number": "001", "reason": "工艺质量评分明显偏低，申请复核。"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["number"], body["state"], body["entry_id"]) == ("001", "received", api.world.entries["001"].id)
    assert body["reason"] == "工艺质量评分明显偏低，申请复核。" and body["channel"] == "online"
    assert body["notice_ends_on"] == NOTICE_ENDS.isoformat() and body["current_round"] is True
    assert body["decision_reason"] is None and body["event_status"] == "notice"
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "objection.file"))
    assert audit.object_type == "Objection" and audit.object_id == body["id"] and audit.user_id == firm.id
    assert api.post(firm, "objections", {"number": "7", "reason": "x"}).get_json()["error"]["code"] == "unknown_number"


def test_another_enterprises_entry_is_refused_audited_and_nothing_is_stored(scene, db):
    api, _, rival = scene
    refused = api.post(rival, "objections", {"number": "001", "reason": "替别人提异议"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert objections(db) == []
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "refused"))
    assert (audit.object_type, audit.object_id, audit.user_id) == ("Event", api.event_id, rival.id)
    assert api.post(api.judge(0), "objections", {"number": "001", "reason": "x"}).status_code == 403
    assert api.client.post(api.url("objections"), json={"number": "001", "reason": "x"}).status_code == 401


def test_a_reason_and_a_known_number_are_required(scene, db):
    api, firm, _ = scene
    blank = api.post(firm, "objections", {"number": "001", "reason": "  "})
    assert blank.status_code == 400 and blank.get_json()["error"]["details"][0]["field"] == "reason"
    assert api.post(firm, "objections", {"number": "001"}).status_code == 400
    unknown = api.post(api.world.organiser, "objections", {"number": "099", "reason": "复核"})
    assert unknown.status_code == 400
    error = unknown.get_json()["error"]
    assert error["code"] == "unknown_number" and "099" in error["message"] and error["details"][0]["field"] == "number"
    assert objections(db) == []


def test_outside_the_notice_objections_are_409_not_in_notice(scene, db, today):
    api, firm, _ = scene
    today(AFTER_NOTICE)
    late = api.post(firm, "objections", {"number": "001", "reason": "迟到的异议"})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "not_in_notice"
    assert NOTICE_ENDS.isoformat() in late.get_json()["error"]["message"]
    today(PUBLISHED_ON)
    assert api.post(api.judge(0), "reopen", {"reason": "录入有误"}).status_code == 200
    scoring = api.post(api.world.organiser, "objections", {"number": "001", "reason": "复核"})
    assert scoring.status_code == 409 and scoring.get_json()["error"]["code"] == "not_in_notice"
    assert objections(db) == []


def test_organisers_file_for_callers_and_each_role_lists_what_it_may(scene, db):
    api, firm, rival = scene
    on_behalf = {"number": "002", "reason": "选手本人来电，认为安全文明分数有误。", "objector": "李四（选手本人）",
                 "contact": "13912345678", "channel": "phone"}
    filed = api.post(api.world.organiser, "objections", on_behalf)
    assert filed.status_code == 201 and filed.get_json()["channel"] == "phone"
    assert filed.get_json()["objector"] == "李四（选手本人）" and filed.get_json()["contact"] == "13912345678"
    assert api.post(firm, "objections", {"number": "001", "reason": "复核"}).status_code == 201
    staff = api.get(api.world.organiser, "objections").get_json()
    assert staff["total"] == 2 and {i["number"] for i in staff["items"]} == {"001", "002"}
    own = api.get(rival, "objections").get_json()["items"]
    assert [(i["number"], i["objector"], i["contact"]) for i in own] == [("002", "李四（选手本人）", None)]
    assert [i["number"] for i in api.get(firm, "objections").get_json()["items"]] == ["001"]
    assert api.get(api.judge(0), "objections").status_code == 403
    assert api.get(make_user(Role.ENTERPRISE), "objections").get_json()["items"] == []
    assert api.get(api.world.organiser, "objections?state=dismissed").get_json()["total"] == 0


def test_finalisation_waits_for_every_objection_then_follows_the_notice(scene, db, today):
    api, firm, _ = scene
    filed = api.post(firm, "objections", {"number": "001", "reason": "复核工艺质量"}).get_json()
    api.post(api.world.organiser, "objections", {"number": "002", "reason": "来信反映", "channel": "letter"})
    today(AFTER_NOTICE)
    refused = api.post(api.world.organiser, "finalize")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "open_objections"
    assert "2 件异议" in refused.get_json()["error"]["message"]
    url = f"/api/v1/objections/{filed['id']}/dismiss"
    assert api.client.post(url, json={"reason": "x"}, headers=api.headers(firm)).status_code == 403
    assert api.client.post(url, json={"reason": " "}, headers=api.headers(api.world.organiser)).status_code == 400
    dismissed = api.client.post(url, json={"reason": "经复核，评分与评分表一致。"}, headers=api.headers(api.world.organiser))
    assert dismissed.status_code == 200, dismissed.get_json()
    assert (dismissed.get_json()["state"], dismissed.get_json()["decision_reason"]) == ("dismissed", "经复核，评分与评分表一致。")
    again = api.client.post(url, json={"reason": "再次"}, headers=api.headers(api.world.organiser))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_decided"
    still = api.post(api.world.organiser, "finalize")
    assert still.status_code == 409 and "1 件异议" in still.get_json()["error"]["message"]
    other = next(i for i in api.get(api.world.organiser, "objections?state=received").get_json()["items"])
    assert api.client.post(f"/api/v1/objections/{other['id']}/dismiss", json={"reason": "不成立"},
                           headers=api.headers(api.world.organiser)).status_code == 200
    assert api.post(api.world.organiser, "finalize").get_json()["status"] == "final"
    seen = api.get(firm, "objections").get_json()["items"][0]
    assert (seen["state"], seen["decision_reason"]) == ("dismissed", "经复核，评分与评分表一致。")


def test_an_upheld_objection_reopens_scoring_and_a_new_notice_follows(scene, db, today):
    api, firm, _ = scene
    filed = api.post(firm, "objections", {"number": "001", "reason": "裁判 2 的工艺质量分录入有误"}).get_json()
    upheld = api.client.post(f"/api/v1/objections/{filed['id']}/uphold", json={"reason": "核对评分表，确有录入错误。"},
                             headers=api.headers(api.world.organiser))
    assert upheld.status_code == 200, upheld.get_json()
    assert (upheld.get_json()["state"], upheld.get_json()["event_status"]) == ("upheld", "scoring")
    snapshot = db.session.scalar(db.select(ResultSnapshot).where(ResultSnapshot.event_id == api.event_id))
    assert snapshot.superseded_at is not None and "裁判 2 的工艺质量分录入有误" in snapshot.superseded_reason
    assert api.get(api.world.organiser, "results").get_json()["frozen"] is False
    _, quality, _ = api.world.criteria
    assert api.put_marks(api.judge(1), [("001", quality, "55", "50")]).status_code == 400  # a correction needs a reason
    assert api.put_marks(api.judge(1), [("001", quality, "55", "50")], reason="异议复核：评分表为55").status_code == 200
    change = db.session.scalars(db.select(MarkChange).where(MarkChange.reason == "异议复核：评分表为55")).one()
    assert (str(change.old_value), str(change.new_value), change.changed_by_id) == ("50.00", "55.00", api.judge(1).id)
    assert api.post(api.world.organiser, "finalize").status_code == 409  # back in scoring
    api.submit_all()
    assert api.post(api.judge(0), "sign-off").get_json()["sequence"] == 2
    today(NOTICE_ENDS)
    republished = api.post(api.world.organiser, "publish")
    assert republished.status_code == 200 and republished.get_json()["notice_ends_on"] == "2026-07-03"
    listed = api.get(firm, "objections").get_json()["items"]
    assert [(i["state"], i["current_round"], i["notice_ends_on"]) for i in listed] == [
        ("upheld", False, NOTICE_ENDS.isoformat())]
    second = api.post(firm, "objections", {"number": "001", "reason": "新一轮公示中再次提出"})
    assert second.status_code == 201 and second.get_json()["notice_ends_on"] == "2026-07-03"
    assert second.get_json()["current_round"] is True


def test_deciding_an_unknown_objection_is_404_and_only_organisers_decide(scene, db):
    api, firm, _ = scene
    objection = make_objection(api.world, firm)
    db.session.commit()
    for user, status in ((firm, 403), (api.judge(0), 403)):
        response = api.client.post(f"/api/v1/objections/{objection.id}/uphold", json={"reason": "x"},
                                   headers=api.headers(user))
        assert response.status_code == status
    missing = api.client.post("/api/v1/objections/999999/uphold", json={"reason": "x"},
                              headers=api.headers(api.world.organiser))
    assert missing.status_code == 404
