"""Subsidy pages: the checklist on the event page, claiming, the queue, a claim's evidence and decisions,
the season breakdown and the policy versions."""
import io
import re
from datetime import date

from openpyxl import load_workbook

from competition.models.types import beijing_today
from competition.models import AuditEntry, ClaimState, PolicyVersion, Role, SubsidyClaim
from tests.builders import make_entry, make_season, make_user
from tests.clients import login_afresh
from tests.subsidy_builders import host_user, make_claim, make_claimable


def page(client, url) -> str:
    """A page's HTML, asserting 200."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def checks(body: str) -> dict[str, str]:
    """rule → yes/no from the checklist markup."""
    return dict(re.findall(r'data-check="(\w+)" data-passed="(yes|no)"', body))


def test_the_host_sees_the_live_checklist_before_sign_off_with_a_note(client, db):
    event = make_claimable(status="scoring")
    for status in ["present"] * 47 + ["disqualified", "absent", "withdrawn"]:
        make_entry(event, None, status)
    host = host_user(event)
    db.session.commit()
    login_afresh(client, host)
    body = page(client, f"/events/{event.id}")
    assert "参赛人数 48/50" in body and "data-live-count" in body and 'data-eligible="no"' in body
    assert checks(body)["participants"] == "no" and checks(body)["approved"] == "yes"
    assert "申请竞赛经费补贴" not in body


def test_the_host_claims_an_eligible_event_and_downloads_the_form(client, db):
    event = make_claimable(52)
    host = host_user(event)
    db.session.commit()
    login_afresh(client, host)
    body = page(client, f"/events/{event.id}")
    assert 'data-eligible="yes"' in body and "参赛人数 52/50" in body and "申请竞赛经费补贴" in body
    response = client.post(f"/subsidy/events/{event.id}/claim")
    claim = db.session.scalars(db.select(SubsidyClaim)).one()
    assert response.status_code == 302 and response.location.endswith(f"/subsidy/claims/{claim.id}")
    body = page(client, f"/subsidy/claims/{claim.id}")
    assert 'data-claim-state="submitted"' in body and "￥20,000" in body and "批准" not in body
    form = client.get(f"/subsidy/claims/{claim.id}/form.xlsx")
    assert form.status_code == 200 and "attachment" in form.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(form.data)).sheetnames == ["补贴申请表", "参赛人员及成绩"]
    event_page = page(client, f"/events/{event.id}")
    assert f'data-claim="{claim.id}"' in event_page and "本赛项已申请补贴（待审核）" in event_page


def test_a_refused_claim_goes_back_to_the_event_with_the_reasons(client, db):
    event = make_claimable(49)
    host = host_user(event)
    db.session.commit()
    login_afresh(client, host)
    response = client.post(f"/subsidy/events/{event.id}/claim", follow_redirects=True)
    assert "参赛人数 49/50" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SubsidyClaim.id))) == 0


def test_other_enterprises_and_judges_see_no_checklist_and_can_not_claim(client, db):
    event = make_claimable()
    other, judge = make_user(Role.ENTERPRISE), make_user(Role.JUDGE)
    claim = make_claim(event)
    db.session.commit()
    login_afresh(client, other)
    assert 'data-section="subsidy"' not in page(client, f"/events/{event.id}")
    assert client.post(f"/subsidy/events/{event.id}/claim").status_code == 403
    assert client.get(f"/subsidy/claims/{claim.id}").status_code == 403
    assert client.get(f"/subsidy/claims/{claim.id}/form.xlsx").status_code == 403
    assert f'data-claim="{claim.id}"' not in page(client, "/subsidy/claims")
    login_afresh(client, judge)
    assert client.get("/subsidy/claims").status_code == 403


def test_the_organiser_queue_filters_and_approves_then_records_payment(client, db):
    season = make_season(budget=100000)
    claim = make_claim(make_claimable(season=season, name="焊工技能竞赛"))
    other = make_claim(make_claimable(name="车工技能竞赛"), "approved")
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, organiser)
    body = page(client, "/subsidy/claims")
    assert f'data-claim="{claim.id}"' in body and f'data-claim="{other.id}"' in body
    body = page(client, "/subsidy/claims?q=焊工&state=submitted")
    assert f'data-claim="{claim.id}"' in body and f'data-claim="{other.id}"' not in body
    assert f'data-claim="{claim.id}"' not in page(client, f"/subsidy/claims?season={other.season_id}")
    assert f'data-claim="{other.id}"' in page(client, f"/subsidy/claims?enterprise={other.host_enterprise_id}")
    detail = page(client, f"/subsidy/claims/{claim.id}")
    assert "data-confirm" in detail and 'data-section="participants"' in detail and 'data-section="results"' in detail
    assert client.post(f"/subsidy/claims/{claim.id}/approve").status_code == 302
    assert db.session.get(SubsidyClaim, claim.id).state is ClaimState.APPROVED
    assert 'data-form="pay"' in page(client, f"/subsidy/claims/{claim.id}")
    missing = client.post(f"/subsidy/claims/{claim.id}/pay", data={"paid_on": "", "voucher": ""})
    assert missing.status_code == 400 and "请填写拨付日期。" in missing.get_data(as_text=True)
    today = beijing_today().isoformat()  # approved today: paid today at the earliest
    paid = client.post(f"/subsidy/claims/{claim.id}/pay", data={"paid_on": today, "voucher": "记-015"})
    assert paid.status_code == 302
    body = page(client, f"/subsidy/claims/{claim.id}")
    assert f"已于 {today} 拨付，凭证号 记-015。" in body
    season_page = page(client, f"/seasons/{season.id}")
    assert 'data-section="season-subsidy"' in season_page and "￥20,000" in season_page
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_id == claim.id,
                                                                         AuditEntry.object_type == "SubsidyClaim")))
    assert actions == {"claim.approve", "claim.pay"}


def test_over_budget_approval_shows_the_reason_and_changes_nothing(client, db):
    claim = make_claim(make_claimable(season=make_season(budget=5000)))
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, organiser)
    response = client.post(f"/subsidy/claims/{claim.id}/approve")
    assert response.status_code == 409 and "超出年度预算" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SubsidyClaim, claim.id).state is ClaimState.SUBMITTED


def test_rejection_needs_a_reason_and_the_host_sees_it(client, db):
    event = make_claimable()
    claim = make_claim(event)
    organiser, host = make_user(Role.ORGANISER), host_user(event)
    db.session.commit()
    login_afresh(client, organiser)
    assert client.post(f"/subsidy/claims/{claim.id}/reject", data={"reason": ""}).status_code == 400
    assert client.post(f"/subsidy/claims/{claim.id}/reject", data={"reason": "参赛名单与检录记录不符"}).status_code == 302
    login_afresh(client, host)
    body = page(client, f"/events/{event.id}")
    assert "驳回理由：参赛名单与检录记录不符" in body and "申请竞赛经费补贴" in body  # the event is free again


def test_admins_add_and_edit_a_future_policy_version_organisers_only_read(client, db):
    admin, organiser = make_user(Role.ADMIN), make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, organiser)
    assert "新增政策版本" not in page(client, "/policy")
    assert client.get("/policy/new").status_code == 403
    login_afresh(client, admin)
    form = page(client, "/policy/new")
    assert 'value="50"' in form
    data = {"effective_from": "2099-01-01", "participant_threshold": "40", "subsidy_amount": "25000",
            "subsidies_per_enterprise_year": "1", "expert_subsidy": "2000", "nomination_quota": "3", "pass_mark": "60",
            "notice_working_days": "5", "note": "测试"}
    assert client.post("/policy/new", data=data).status_code == 302
    version = db.session.scalars(db.select(PolicyVersion).where(PolicyVersion.effective_from == date(2099, 1, 1))).one()
    assert f"/policy/{version.id}/edit" in page(client, "/policy")
    assert client.post(f"/policy/{version.id}/edit", data={**data, "participant_threshold": "45"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(PolicyVersion, version.id).participant_threshold == 45
    duplicate = client.post("/policy/new", data=data)
    assert duplicate.status_code == 409 and "2099-01-01 生效的版本已存在。" in duplicate.get_data(as_text=True)


def test_a_used_policy_version_offers_no_edit_and_refuses_one(client, db):
    claim = make_claim(make_claimable())
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    body = page(client, "/policy")
    assert "已有 1 个赛项或企业推荐采用，不可修改" in body
    sent_back = client.get(f"/policy/{claim.policy_version_id}/edit", follow_redirects=True)
    assert "不能修改；如需调整，请新增一个版本。" in sent_back.get_data(as_text=True)
    data = {"effective_from": "2012-12-05", "participant_threshold": "40", "subsidy_amount": "25000",
            "subsidies_per_enterprise_year": "1", "expert_subsidy": "2000", "nomination_quota": "3", "pass_mark": "60",
            "notice_working_days": "5"}
    response = client.post(f"/policy/{claim.policy_version_id}/edit", data=data)
    assert response.status_code == 409 and "不能修改" in response.get_data(as_text=True)


def test_the_queue_runs_the_same_queries_for_any_number_of_claims(client, db):
    from tests.counting import statements

    organiser = make_user(Role.ORGANISER)
    make_claim(make_claimable())
    db.session.commit()
    login_afresh(client, organiser)
    db.session.commit()  # the same starting state (nothing loaded) for both measurements
    few = statements(db, lambda: page(client, "/subsidy/claims"))
    for _ in range(6):
        make_claim(make_claimable())
    db.session.commit()
    assert statements(db, lambda: page(client, "/subsidy/claims")) == few


def test_staff_home_counts_the_claims_waiting(client, db):
    make_claim(make_claimable())
    make_claim(make_claimable(), "approved")
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, organiser)
    body = page(client, "/")
    assert re.search(r'data-figure="subsidy_claims".*?data-value>1<', body, re.S)
