"""Technical support for plan-listed enterprise events (issue 21, item 4; RULES.md §17): the host asks, the
organisers grant, partly grant or refuse; lent judges join the panel under 回避; a cost becomes 技术支持 spending."""
import pytest

from competition.errors import Duplicate, Invalid, InvalidState
from competition.models import (AuditEntry, BudgetCategory, PanelMember, Role, Spending, SpendingState,
                                SupportRequest, SupportState)
from competition.models.types import beijing_today
from competition.services.audit import Actor
from competition.services.events.support import SupportAsk, SupportDecision, decide_support, request_support
from tests.builders import make_enterprise, make_entry, make_user
from tests.clients import bearer, html, login
from tests.support_builders import ask_judges, grant, host_of, make_plan_event, pool_judges


def _panel(db, event) -> set[int]:
    return set(db.session.scalars(db.select(PanelMember.user_id).where(PanelMember.event_id == event.id)))


def _actions(db, support) -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "SupportRequest", AuditEntry.object_id == support.id).order_by(AuditEntry.id)))


# The request

def test_the_host_asks_for_judges_on_its_approved_event(db):
    event = make_plan_event("approved")
    support = request_support(Actor(host_of(event)), event, SupportAsk(["venue", "judges"], 3, "  需要三名裁判。 "))
    assert (support.state, support.kinds, support.judges_wanted, support.details) == (
        SupportState.REQUESTED, ["judges", "venue"], 3, "需要三名裁判。")
    assert _actions(db, support) == ["support.request"]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "final", "cancelled"])
def test_an_event_not_in_the_plan_or_finished_can_not_ask(db, status):
    event = make_plan_event(status)
    with pytest.raises(InvalidState) as refused:
        ask_judges(event)
    assert refused.value.code == "not_in_plan"
    assert db.session.scalar(db.select(db.func.count(SupportRequest.id))) == 0


@pytest.mark.parametrize("kinds, wanted, details, field", [
    ([], None, "需要支持。", "kinds"),
    (["judges"], None, "需要裁判。", "judges_wanted"),
    (["judges"], 0, "需要裁判。", "judges_wanted"),
    (["venue"], 2, "需要场地。", "judges_wanted"),
    (["catering"], None, "需要盒饭。", "kinds"),
    (["venue"], None, "场", "details"),
    (["venue"], None, "长" * 1001, "details"),
])
def test_a_request_names_what_is_wrong(db, kinds, wanted, details, field):
    event = make_plan_event("open")
    with pytest.raises(Invalid) as refused:
        request_support(Actor(host_of(event)), event, SupportAsk(kinds, wanted, details))
    assert field in {d["field"] for d in refused.value.details}


def test_one_open_request_per_event_at_a_time(db):
    event = make_plan_event("approved")
    first = ask_judges(event, kinds=("venue",))
    with pytest.raises(Duplicate) as refused:
        ask_judges(event, kinds=("question_setting",))
    assert (refused.value.status, refused.value.code) == (409, "support_open")
    grant(first)
    again = ask_judges(event, kinds=("question_setting",))  # the first one decided: a new one may be asked
    assert again.state is SupportState.REQUESTED


# The decision

def test_granting_judges_lends_them_to_the_panel(db):
    event = make_plan_event("open")
    support = ask_judges(event)
    judges = pool_judges(2)
    grant(support, judges)
    assert support.state is SupportState.GRANTED and support.granted_kinds == ["judges", "question_setting"]
    assert [j.id for j in support.lent_judges] == sorted(j.id for j in judges)
    assert _panel(db, event) == {j.id for j in judges}
    assert _actions(db, support) == ["support.request", "support.grant"]


def test_a_partial_grant_names_what_is_not_granted(db):
    event = make_plan_event("open")
    support = ask_judges(event)
    organiser = Actor(make_user(Role.ORGANISER))
    with pytest.raises(Invalid) as no_reason:
        decide_support(organiser, support, SupportDecision("partly_grant", ["question_setting"]))
    assert "reason" in {d["field"] for d in no_reason.value.details}
    with pytest.raises(Invalid) as everything:
        decide_support(organiser, support, SupportDecision("partly_grant", ["judges", "question_setting"],
                                                           judge_ids=[pool_judges(1)[0].id], reason="全部"))
    assert "granted_kinds" in {d["field"] for d in everything.value.details}
    decide_support(organiser, support, SupportDecision("partly_grant", ["question_setting"],
                                                       reason="裁判库本月已无空闲裁判，裁判支持未同意。"))
    assert support.state is SupportState.PARTLY_GRANTED and support.granted_kinds == ["question_setting"]
    assert support.reason == "裁判库本月已无空闲裁判，裁判支持未同意。" and support.lent_judges == []
    assert _actions(db, support)[-1] == "support.partly_grant"


def test_a_refusal_needs_a_reason_and_lends_nobody(db):
    event = make_plan_event("approved")
    support = ask_judges(event)
    organiser = Actor(make_user(Role.ORGANISER))
    with pytest.raises(Invalid):
        decide_support(organiser, support, SupportDecision("refuse"))
    with pytest.raises(Invalid):
        decide_support(organiser, support, SupportDecision("refuse", judge_ids=[pool_judges(1)[0].id], reason="不需要"))
    decide_support(organiser, support, SupportDecision("refuse", reason="该赛项参赛规模较小，由企业自行组织裁判。"))
    assert support.state is SupportState.REFUSED and support.granted_kinds == [] and _panel(db, event) == set()
    assert _actions(db, support)[-1] == "support.refuse"


def test_granting_judges_needs_judges_from_the_pool(db):
    event = make_plan_event("approved")
    support = ask_judges(event)
    organiser = make_user(Role.ORGANISER)
    with pytest.raises(Invalid) as none_chosen:
        grant(support)
    assert "judge_ids" in {d["field"] for d in none_chosen.value.details}
    with pytest.raises(Invalid) as not_a_judge:
        grant(support, [organiser])
    assert "不是裁判库中启用的裁判" in not_a_judge.value.message
    assert support.state is SupportState.REQUESTED


def test_a_judge_employed_by_the_host_is_refused_under_recusal(db):
    event = make_plan_event("open")
    support = ask_judges(event)
    host_judge = pool_judges(1, employer=event.host)[0]
    free = pool_judges(1)[0]
    with pytest.raises(Invalid) as refused:
        grant(support, [free, host_judge])
    assert refused.value.code == "conflict_of_interest"
    assert "回避" in refused.value.message and host_judge.display_name in refused.value.message
    assert support.state is SupportState.REQUESTED and _panel(db, event) == set()


def test_a_judge_employed_by_an_entrants_employer_is_refused_under_recusal(db):
    event = make_plan_event("drawn")
    guest = make_enterprise(name="受邀企业有限公司")
    make_entry(event, "001", employer=guest)
    support = ask_judges(event)
    judge = pool_judges(1, employer=guest)[0]
    with pytest.raises(Invalid) as refused:
        grant(support, [judge])
    assert refused.value.code == "conflict_of_interest" and "受邀企业有限公司" in refused.value.message


def test_a_judge_already_on_the_panel_is_not_lent_again(db):
    event = make_plan_event("open")
    seated = pool_judges(1)[0]
    event.panel.append(PanelMember(user_id=seated.id, is_chief=True))
    db.session.flush()
    support = ask_judges(event)
    with pytest.raises(Invalid) as refused:
        grant(support, [seated])
    assert "已在本赛项裁判组中" in refused.value.message
    assert db.session.scalar(db.select(PanelMember.is_chief).where(PanelMember.user_id == seated.id)) is True


def test_a_cost_becomes_proposed_technical_support_spending(db):
    event = make_plan_event("open")
    support = ask_judges(event)
    grant(support, pool_judges(2), cost=3600)
    spending = db.session.scalars(db.select(Spending)).one()
    assert (spending.category, spending.event_id, spending.support_request_id, spending.amount, spending.state,
            spending.spent_on, spending.voucher, spending.season_id) == (
        BudgetCategory.TECHNICAL_SUPPORT, event.id, support.id, 3600, SpendingState.PROPOSED, beijing_today(), "待补",
        event.season_id)


def test_a_cost_keeps_its_voucher_and_must_be_positive(db):
    event = make_plan_event("open")
    support = ask_judges(event, kinds=("venue",))
    with pytest.raises(Invalid):
        grant(support, cost=0)
    grant(support, cost=800, voucher="JS-2026-001")
    assert db.session.scalars(db.select(Spending.voucher)).one() == "JS-2026-001"


def test_deciding_twice_is_refused(db):
    event = make_plan_event("open")
    support = ask_judges(event, kinds=("venue",))
    grant(support)
    with pytest.raises(InvalidState) as refused:
        grant(support)
    assert (refused.value.status, refused.value.code) == (409, "already_decided")


def test_a_finished_event_may_only_be_refused(db):
    event = make_plan_event("notice")
    support = ask_judges(event, kinds=("venue",))
    event.status = type(event.status)("final")
    db.session.flush()
    with pytest.raises(InvalidState):
        grant(support)


# Pages

def test_the_host_requests_on_the_page_and_the_event_shows_its_state(app, client, db):
    event = make_plan_event("approved")
    host = host_of(event)
    db.session.commit()
    login(client, host)
    detail = html(client.get(f"/events/{event.id}"))
    assert 'data-section="support"' in detail and f"/events/{event.id}/support" in detail
    assert client.get(f"/events/{event.id}/support").status_code == 200
    answer = client.post(f"/events/{event.id}/support", data={"kinds": ["judges"], "judges_wanted": "2",
                                                              "details": "需要两名钳工裁判。"})
    assert answer.status_code == 302
    support = db.session.scalars(db.select(SupportRequest)).one()
    assert answer.headers["Location"].endswith(f"/support/{support.id}")
    detail = html(client.get(f"/events/{event.id}"))
    assert 'data-support-state="requested"' in detail and f"/events/{event.id}/support\"" not in detail
    again = client.post(f"/events/{event.id}/support", data={"kinds": ["venue"], "details": "需要场地。"})
    assert again.status_code == 409 and "待处理" in html(again)


def test_a_bad_request_form_is_shown_again_with_its_problem(app, client, db):
    event = make_plan_event("approved")
    host = host_of(event)
    db.session.commit()
    login(client, host)
    answer = client.post(f"/events/{event.id}/support", data={"kinds": ["judges"], "details": "需要裁判。"})
    assert answer.status_code == 400 and "所需裁判人数" in html(answer)
    assert db.session.scalar(db.select(db.func.count(SupportRequest.id))) == 0


def test_another_enterprise_can_neither_ask_nor_see(app, client, db):
    event = make_plan_event("approved")
    support = ask_judges(event)
    other = make_user(Role.ENTERPRISE)
    db.session.commit()
    login(client, other)
    assert client.get(f"/events/{event.id}/support").status_code == 403
    assert client.get(f"/support/{support.id}").status_code == 403
    assert client.get("/support").status_code == 403


def test_the_organiser_decides_on_the_page_after_confirming(app, client, db):
    event = make_plan_event("open")
    support = ask_judges(event)
    employer = make_enterprise(name="东方裁判所在单位")
    judges = pool_judges(2, employer=employer)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login(client, organiser)
    queue = html(client.get("/support?state=requested"))
    assert f'data-support-request="{support.id}"' in queue
    assert 'data-support-request' not in html(client.get("/support?state=granted"))
    page = html(client.get(f"/support/{support.id}"))
    assert 'data-confirm=' in page and "东方裁判所在单位" in page and 'name="judge_ids"' in page
    answer = client.post(f"/support/{support.id}/decide", data={
        "decision": "grant", "granted_kinds": ["judges", "question_setting"],
        "judge_ids": [str(j.id) for j in judges], "cost": "2,400", "reason": ""})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(SupportRequest, support.id).state is SupportState.GRANTED
    assert _panel(db, event) == {j.id for j in judges}
    shown = html(client.get(f"/support/{support.id}"))
    assert all(j.display_name in shown for j in judges) and "2,400" in shown
    twice = client.post(f"/support/{support.id}/decide", data={"decision": "refuse", "reason": "重复处理"})
    assert twice.status_code == 409


def test_a_recused_judge_is_refused_on_the_page_with_the_reason(app, client, db):
    event = make_plan_event("open")
    support = ask_judges(event)
    host_judge = pool_judges(1, employer=event.host)[0]
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login(client, organiser)
    answer = client.post(f"/support/{support.id}/decide", data={
        "decision": "grant", "judge_ids": [str(host_judge.id)]})
    assert answer.status_code == 400 and "回避" in html(answer)
    db.session.expire_all()
    assert db.session.get(SupportRequest, support.id).state is SupportState.REQUESTED


def test_a_district_event_has_no_support_panel(app, client, db):
    from tests.builders import make_event

    event = make_event("open")
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login(client, organiser)
    assert 'data-section="support"' not in html(client.get(f"/events/{event.id}"))


# API

def test_the_api_request_list_read_and_decide(app, client, db):
    event = make_plan_event("open")
    host, other, organiser = host_of(event), make_user(Role.ENTERPRISE), make_user(Role.ORGANISER)
    judges = pool_judges(2)
    db.session.commit()
    body = {"kinds": ["judges", "venue"], "judges_wanted": 2, "details": "需要两名裁判和实训场地。"}
    created = client.post(f"/api/v1/events/{event.id}/support-requests", json=body, headers=bearer(host))
    assert created.status_code == 201, created.get_json()
    support = created.get_json()
    assert (support["state"], support["kinds"], support["event_id"]) == ("requested", ["judges", "venue"], event.id)
    assert client.post(f"/api/v1/events/{event.id}/support-requests", json=body,
                       headers=bearer(host)).status_code == 409
    assert client.post(f"/api/v1/events/{event.id}/support-requests", json=body,
                       headers=bearer(other)).status_code == 403
    listed = client.get("/api/v1/support-requests?state=requested", headers=bearer(organiser)).get_json()
    assert [item["id"] for item in listed["items"]] == [support["id"]]
    assert client.get("/api/v1/support-requests?state=granted", headers=bearer(organiser)).get_json()["items"] == []
    assert client.get("/api/v1/support-requests", headers=bearer(host)).status_code == 403
    assert client.get(f"/api/v1/support-requests/{support['id']}", headers=bearer(host)).status_code == 200
    assert client.get(f"/api/v1/support-requests/{support['id']}", headers=bearer(other)).status_code == 403
    partly = {"decision": "partly_grant", "granted_kinds": ["judges"], "judge_ids": [j.id for j in judges],
              "cost": 1500, "reason": "场地由企业自行解决，场地支持未同意。"}
    assert client.post(f"/api/v1/support-requests/{support['id']}/decide", json=partly,
                       headers=bearer(host)).status_code == 403
    decided = client.post(f"/api/v1/support-requests/{support['id']}/decide", json=partly, headers=bearer(organiser))
    assert decided.status_code == 200, decided.get_json()
    answer = decided.get_json()
    assert (answer["state"], answer["granted_kinds"]) == ("partly_granted", ["judges"])
    assert sorted(j["id"] for j in answer["judges"]) == sorted(j.id for j in judges) and len(answer["spending_ids"]) == 1
    again = client.post(f"/api/v1/support-requests/{support['id']}/decide", json=partly, headers=bearer(organiser))
    assert again.status_code == 409


def test_the_api_refuses_a_recused_judge_with_its_code(app, client, db):
    event = make_plan_event("open")
    support = ask_judges(event)
    host_judge = pool_judges(1, employer=event.host)[0]
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    answer = client.post(f"/api/v1/support-requests/{support.id}/decide", headers=bearer(organiser),
                         json={"decision": "grant", "judge_ids": [host_judge.id]})
    error = answer.get_json()["error"]
    assert answer.status_code == 400 and error["code"] == "conflict_of_interest" and "回避" in error["message"]


def test_the_request_is_in_the_openapi_document(app, client, db):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/events/{event_id}/support-requests", "/api/v1/support-requests",
            "/api/v1/support-requests/{request_id}", "/api/v1/support-requests/{request_id}/decide",
            "/api/v1/seasons/{season_id}/plan"} <= set(paths)

