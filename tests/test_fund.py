"""The fund (RULES.md §17): a season's budget lines by category and source, what each category has committed, and the
district's spending approved within its category's lines (409 over_budget) and the season's budget; the API, the
pages, the dashboard and the season report."""
import io
import json
import re
from html import unescape
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from competition.errors import Invalid, InvalidState
from competition.models import (AuditEntry, BudgetCategory, BudgetLine, ExpertTitle, NominationRoute, Reward,
                                RewardKind, RewardState, Role, Spending, SpendingState)
from competition.models.types import beijing_today
from competition.services.audit import SYSTEM
from competition.services.money import budget, fund
from tests.builders import make_enterprise, make_entry, make_event, make_season, make_user
from tests.clients import bearer, html, login
from tests.fund_builders import YESTERDAY, district_event, funded_season, line, make_spending
from tests.subsidy_builders import make_claim, make_claimable

TODAY = beijing_today()


def _problems(exc) -> dict[str, str]:
    return {d["field"]: str(d["message"]) for d in exc.value.details}


# Budget lines

def test_lines_are_set_with_their_sources_and_replaced_as_a_whole(db):
    season = make_season()
    saved = fund.set_lines(SYSTEM, season, [
        line("district_events", 50_000, note="区财政拨付"), line("district_events", 8_000, "town", "盛泽镇"),
        line("subsidy", 200_000), line("technical_support", 20_000)])
    assert [(s.category.value, s.source.value, s.town, s.amount) for s in saved] == [
        ("subsidy", "district", None, 200_000), ("district_events", "district", None, 50_000),
        ("district_events", "town", "盛泽镇", 8_000), ("technical_support", "district", None, 20_000)]
    assert str(fund.line_name(saved[2])) == "区级赛事经费（镇级·盛泽镇）"
    fund.set_lines(SYSTEM, season, [line("district_events", 60_000)])
    assert [(s.category.value, s.amount) for s in fund.season_lines(season.id)] == [("district_events", 60_000)]
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "budget_lines.set")).all()
    assert len(audit) == 2 and len(audit[-1].before["lines"]) == 4 and audit[-1].after["lines"][0]["amount"] == 60_000


@pytest.mark.parametrize("typed, field, words", [
    (line("district_events", 1000, "town", "火星镇"), "lines[0].town", "火星镇"),
    (line("district_events", 1000, "town", None), "lines[0].town", "镇级资金须注明所属镇（区）"),
    (line("district_events", 1000, "district", "盛泽镇"), "lines[0].town", "区级资金不属于某个镇"),
    (line("travel", 1000), "lines[0].category", "请选择预算科目"),
    (line("district_events", 1000, "province"), "lines[0].source", "资金来源"),
    (line("district_events", -1), "lines[0].amount", "金额应为 0 至"),
    (line("district_events", "1000"), "lines[0].amount", "金额应为 0 至"),
])
def test_a_wrong_line_is_refused_naming_its_row_and_field(db, typed, field, words):
    season = make_season()
    with pytest.raises(Invalid) as exc:
        fund.set_lines(SYSTEM, season, [typed])
    assert words in _problems(exc)[field] and "第 1 行" in _problems(exc)[field]
    assert fund.season_lines(season.id) == []


def test_a_line_given_twice_is_refused_and_nothing_changes(db):
    season = funded_season(10_000)
    with pytest.raises(Invalid) as exc:
        fund.set_lines(SYSTEM, season, [line("expert", 1), line("district_events", 2, "town", "盛泽镇"),
                                        line("district_events", 3, "town", "盛泽镇")])
    assert "与第 2 行重复" in _problems(exc)["lines[2].category"]
    assert [(s.category.value, s.amount) for s in fund.season_lines(season.id)] == [("district_events", 10_000)]


def test_lines_can_not_fall_below_the_approved_spending_of_their_category(db):
    season = funded_season(10_000)
    make_spending(season, 6_000, "approved")
    with pytest.raises(InvalidState) as exc:
        fund.set_lines(SYSTEM, season, [line("district_events", 5_000)])
    assert exc.value.code == "below_committed" and "6,000" in str(exc.value.message)
    fund.set_lines(SYSTEM, season, [line("district_events", 6_000)])  # exactly covered is fine


# Committed per category

def test_each_category_commits_what_the_budget_counts(db):
    season = funded_season(10_000, subsidy=50_000, rewards=5_000, technical_support=3_000)
    make_claim(make_claimable(season=season), "approved", 20_000)
    make_claim(make_claimable(season=season), "paid", 20_000)
    make_claim(make_claimable(season=season), "submitted", 20_000)
    entry = make_entry(make_claimable(season=season), "001")
    db.session.add(ExpertTitle(person_id=entry.person_id, season_id=season.id, year=season.year,
                               route=NominationRoute.COMPETITION, subsidy=2_000))
    db.session.add(Reward(season_id=season.id, kind=RewardKind.ORGANISING_UNIT, town="盛泽镇", amount=1_500,
                          basis="组织参赛", state=RewardState.APPROVED))
    make_spending(season, 4_000, "approved")
    make_spending(season, 900, "proposed")
    make_spending(season, 700, "rejected")
    make_spending(season, 1_200, "approved", "technical_support")
    committed = fund.committed_by_category(season.id)
    assert committed == {BudgetCategory.SUBSIDY: 40_000, BudgetCategory.EXPERT: 2_000, BudgetCategory.REWARDS: 1_500,
                         BudgetCategory.DISTRICT_EVENTS: 4_000, BudgetCategory.TECHNICAL_SUPPORT: 1_200}
    assert budget.committed(season.id) == sum(committed.values())
    rows = {c.category.value: (c.amount, c.committed, c.remaining) for c in fund.season_categories(season.id)}
    assert rows == {"subsidy": (50_000, 40_000, 10_000), "expert": (0, 2_000, -2_000),
                    "rewards": (5_000, 1_500, 3_500), "district_events": (10_000, 4_000, 6_000),
                    "technical_support": (3_000, 1_200, 1_800)}
    history = [(str(kind), amount) for kind, _, amount in budget.spending_history(season.id)]
    assert ("区级赛事经费", 4_000) in history and ("技术支持", 1_200) in history and ("区级赛事经费", 900) not in history


# Spending: record, approve, reject

def test_a_spending_is_recorded_as_proposed_for_a_district_event(db):
    season = funded_season()
    event = district_event(season)
    spending = make_spending(season, 3_000, event=event)
    assert (spending.state, spending.event_id, spending.spent_on, spending.voucher) == (
        SpendingState.PROPOSED, event.id, YESTERDAY, "记-001")
    assert budget.committed(season.id) == 0  # proposed commits nothing


def test_a_wrong_spending_is_refused_naming_each_field(db):
    season = funded_season()
    enterprise_event = make_event("open", season=season, kind="enterprise", host_enterprise_id=make_enterprise().id)
    other_event = district_event(make_season())
    with pytest.raises(Invalid) as exc:
        fund.record_spending(SYSTEM, fund.SpendingData(season_id=season.id, category="rewards", amount=0,
                                                       spent_on=TODAY + timedelta(days=1), voucher=" "))
    assert set(_problems(exc)) == {"category", "amount", "spent_on", "voucher"}
    assert "不能晚于今天" in _problems(exc)["spent_on"]
    for event, words in ((enterprise_event, "区级赛事经费只用于区级赛"), (other_event, "不属于")):
        with pytest.raises(Invalid) as exc:
            fund.record_spending(SYSTEM, fund.SpendingData(season_id=season.id, category="district_events",
                                                           amount=100, spent_on=TODAY, voucher="记-9",
                                                           event_id=event.id))
        assert words in _problems(exc)["event_id"]
    # Technical support may name the enterprise event it supports.
    fund.record_spending(SYSTEM, fund.SpendingData(season_id=season.id, category="technical_support", amount=100,
                                                   spent_on=TODAY, voucher="记-9", event_id=enterprise_event.id))


def test_approval_within_the_line_commits_it(db):
    season = funded_season(10_000)
    make_spending(season, 6_000, "approved")
    spending = make_spending(season, 4_000)
    fund.approve_spending(SYSTEM, spending)
    assert spending.state is SpendingState.APPROVED and spending.decided_at is not None
    assert fund.category_lines(season.id, BudgetCategory.DISTRICT_EVENTS).remaining == 0
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "spending.approve",
                                                         AuditEntry.object_id == spending.id)) is not None


def test_approval_beyond_the_line_is_409_naming_the_line(db):
    season = make_season()
    fund.set_lines(SYSTEM, season, [line("district_events", 8_000), line("district_events", 2_000, "town", "盛泽镇")])
    make_spending(season, 7_000, "approved")
    spending = make_spending(season, 3_500)
    db.session.commit()
    with pytest.raises(InvalidState) as exc:
        fund.approve_spending(SYSTEM, spending)
    message = str(exc.value.message)
    assert exc.value.code == "over_budget"
    for words in ("区级赛事经费（区级） 8,000 元", "区级赛事经费（镇级·盛泽镇） 2,000 元", "合计 10,000 元",
                  "已承诺 7,000 元", "剩余 3,000 元", "本次 3,500 元"):
        assert words in message, message
    db.session.rollback()
    assert db.session.get(Spending, spending.id).state is SpendingState.PROPOSED


def test_a_category_without_lines_approves_nothing(db):
    season = funded_season(10_000)
    spending = make_spending(season, 100, category="technical_support")
    with pytest.raises(InvalidState) as exc:
        fund.approve_spending(SYSTEM, spending)
    assert exc.value.code == "over_budget" and "没有「技术支持」预算科目" in str(exc.value.message)


def test_approval_beyond_the_season_budget_is_409_even_within_the_line(db):
    season = funded_season(50_000, budget=30_000)
    make_claim(make_claimable(season=season), "approved", 20_000)
    spending = make_spending(season, 15_000)
    with pytest.raises(InvalidState) as exc:
        fund.approve_spending(SYSTEM, spending)
    assert exc.value.code == "over_budget" and "超出年度预算" in str(exc.value.message)


def test_rejection_needs_a_reason_and_a_decision_is_made_once(db):
    season = funded_season()
    spending = make_spending(season, 1_000)
    with pytest.raises(Invalid):
        fund.reject_spending(SYSTEM, spending, " ")
    fund.reject_spending(SYSTEM, spending, "发票抬头不符")
    assert (spending.state, spending.reason) == (SpendingState.REJECTED, "发票抬头不符")
    for decide in (lambda: fund.approve_spending(SYSTEM, spending), lambda: fund.reject_spending(SYSTEM, spending, "再驳")):
        with pytest.raises(InvalidState) as exc:
            decide()
        assert exc.value.code == "invalid_spending_state" and "已驳回" in str(exc.value.message)
    approved = make_spending(season, 1_000, "approved")
    with pytest.raises(InvalidState) as exc:
        fund.approve_spending(SYSTEM, approved)
    assert exc.value.code == "invalid_spending_state"
    assert budget.committed(season.id) == 1_000  # approved once, counted once


# API

def test_api_records_approves_refuses_and_lists_spending(client, db):
    season = funded_season(10_000)
    event = district_event(season)
    headers = bearer(make_user(Role.ORGANISER))
    body = {"season_id": season.id, "category": "district_events", "event_id": event.id, "amount": 6_000,
            "spent_on": YESTERDAY.isoformat(), "voucher": "记-2026-118", "note": "决赛裁判劳务费"}
    created = client.post("/api/v1/spending", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    first = created.get_json()
    assert (first["state"], first["state_label"], first["category_label"]) == ("proposed", "待审批", "区级赛事经费")
    approved = client.post(f"/api/v1/spending/{first['id']}/approve", headers=headers)
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"
    second = client.post("/api/v1/spending", json={**body, "amount": 5_000}, headers=headers).get_json()
    over = client.post(f"/api/v1/spending/{second['id']}/approve", headers=headers)
    assert over.status_code == 409 and over.get_json()["error"]["code"] == "over_budget"
    assert "剩余 4,000 元" in over.get_json()["error"]["message"]
    assert client.post(f"/api/v1/spending/{second['id']}/reject", json={}, headers=headers).status_code == 400
    rejected = client.post(f"/api/v1/spending/{second['id']}/reject", json={"reason": "超出预算，下年度再列支"},
                           headers=headers)
    assert rejected.status_code == 200 and rejected.get_json()["reason"] == "超出预算，下年度再列支"
    twice = client.post(f"/api/v1/spending/{second['id']}/approve", headers=headers)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "invalid_spending_state"
    listed = client.get(f"/api/v1/spending?season_id={season.id}&state=approved", headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [first["id"]]
    future = client.post("/api/v1/spending", json={**body, "spent_on": (TODAY + timedelta(days=3)).isoformat()},
                         headers=headers)
    assert future.status_code == 400 and future.get_json()["error"]["details"][0]["field"] == "spent_on"


def test_api_budget_lines_get_and_put(client, db):
    season = funded_season(10_000)
    make_spending(season, 2_500, "approved")
    headers = bearer(make_user(Role.ORGANISER))
    url = f"/api/v1/seasons/{season.id}/budget-lines"
    got = client.get(url, headers=headers).get_json()
    assert [(x["category"], x["source"], x["amount"]) for x in got["lines"]] == [("district_events", "district", 10_000)]
    events = next(c for c in got["categories"] if c["category"] == "district_events")
    assert (events["amount"], events["committed"], events["remaining"]) == (10_000, 2_500, 7_500)
    lines = [{"category": "district_events", "source": "district", "amount": 12_000},
             {"category": "district_events", "source": "town", "town": "盛泽镇", "amount": 3_000, "note": "盛泽镇配套"}]
    put = client.put(url, json={"lines": lines}, headers=headers)
    assert put.status_code == 200, put.get_json()
    assert [(x["source_label"], x["town"]) for x in put.get_json()["lines"]] == [("区级", None), ("镇级", "盛泽镇")]
    outside = client.put(url, json={"lines": [{**lines[1], "town": "火星镇"}]}, headers=headers)
    assert outside.status_code == 400 and outside.get_json()["error"]["details"][0]["field"] == "lines[0].town"
    no_town = client.put(url, json={"lines": [{"category": "expert", "source": "town", "amount": 1}]}, headers=headers)
    assert no_town.status_code == 400
    below = client.put(url, json={"lines": [{"category": "district_events", "source": "district", "amount": 100}]},
                       headers=headers)
    assert below.status_code == 409 and below.get_json()["error"]["code"] == "below_committed"
    assert len(client.get(url, headers=headers).get_json()["lines"]) == 2  # a refused PUT changes nothing


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.JUDGE])
def test_api_is_for_organisers_only(client, db, role):
    season = funded_season()
    spending = make_spending(season, 100)
    headers = bearer(make_user(role, enterprise=make_enterprise()) if role is Role.ENTERPRISE else make_user(role))
    assert client.get(f"/api/v1/spending?season_id={season.id}", headers=headers).status_code == 403
    assert client.post(f"/api/v1/spending/{spending.id}/approve", headers=headers).status_code == 403
    assert client.get(f"/api/v1/seasons/{season.id}/budget-lines", headers=headers).status_code == 403
    assert db.session.get(Spending, spending.id).state is SpendingState.PROPOSED


# Pages

def _organiser(client, db):
    user = make_user(Role.ORGANISER)
    db.session.commit()
    login(client, user)
    return user


def test_the_lines_page_shows_committed_and_remaining_and_saves_rows(client, db):
    season = funded_season(10_000)
    make_spending(season, 2_500, "approved")
    _organiser(client, db)
    page = html(client.get(f"/seasons/{season.id}/budget-lines"))
    row = re.search(r'data-category="district_events" data-committed="(\d+)" data-remaining="(\d+)"', page)
    assert row.groups() == ("2500", "7500")
    form = {"lines-0-category": "district_events", "lines-0-source": "district", "lines-0-amount": "12,000",
            "lines-1-category": "district_events", "lines-1-source": "town", "lines-1-town": "盛泽镇",
            "lines-1-amount": "3000", "lines-2-category": "", "lines-2-source": "district", "lines-2-amount": ""}
    saved = client.post(f"/seasons/{season.id}/budget-lines", data=form)
    assert saved.status_code == 302
    assert [(s.source.value, s.town, s.amount) for s in fund.season_lines(season.id)] == [
        ("district", None, 12_000), ("town", "盛泽镇", 3_000)]


def test_a_wrong_row_is_shown_under_its_cell_and_nothing_typed_is_lost(client, db):
    season = funded_season(10_000)
    _organiser(client, db)
    form = {"lines-0-category": "", "lines-0-source": "district", "lines-0-amount": "",
            "lines-1-category": "expert", "lines-1-source": "town", "lines-1-town": "", "lines-1-amount": "4321",
            "lines-1-note": "待定"}
    refused = client.post(f"/seasons/{season.id}/budget-lines", data=form)
    body = html(refused)
    assert refused.status_code == 400
    row = re.search(r'data-line-row="1">(.*?)</tr>', body, re.S).group(1)
    assert "镇级资金须注明所属镇（区）" in row and 'value="4321"' in row and 'value="待定"' in row
    assert db.session.scalar(db.select(db.func.count(BudgetLine.id)).where(BudgetLine.season_id == season.id)) == 1


def test_an_organiser_records_and_approves_a_spend_on_the_pages(client, db):
    season = funded_season(10_000)
    event = district_event(season, name="区级电工决赛")
    _organiser(client, db)
    form_page = html(client.get(f"/spending/new?season={season.id}"))
    assert "区级电工决赛" in form_page
    posted = client.post("/spending/new", data={
        "season_id": season.id, "category": "district_events", "event_id": event.id, "amount": "6,000",
        "spent_on": YESTERDAY.isoformat(), "voucher": "记-118", "note": "裁判劳务费"})
    assert posted.status_code == 302
    spending = db.session.scalar(db.select(Spending))
    detail = html(client.get(f"/spending/{spending.id}"))
    assert 'data-line-after="4000"' in detail and "data-section=\"decision\"" in detail
    assert client.post(f"/spending/{spending.id}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Spending, spending.id).state is SpendingState.APPROVED
    lines_page = html(client.get(f"/seasons/{season.id}/budget-lines"))
    assert 'data-category="district_events" data-committed="6000" data-remaining="4000"' in lines_page
    listing = html(client.get(f"/spending?season={season.id}&state=approved"))
    assert f'data-spending="{spending.id}"' in listing and 'data-value="6000"' in listing


def test_a_refused_approval_shows_why_on_the_page(client, db):
    season = funded_season(1_000)
    spending = make_spending(season, 1_500)
    _organiser(client, db)
    refused = client.post(f"/spending/{spending.id}/approve")
    body = html(refused)
    assert refused.status_code == 409 and "超出预算科目" in body and "剩余 1,000 元" in body
    assert 'data-spending-state="proposed"' in body
    missing = client.post(f"/spending/{spending.id}/reject", data={"reason": ""})
    assert missing.status_code == 400
    assert client.post(f"/spending/{spending.id}/reject", data={"reason": "超出预算"}).status_code == 302
    again = client.post(f"/spending/{spending.id}/reject", data={"reason": "再次驳回的理由"})
    assert again.status_code == 409 and "再次驳回的理由" in html(again)  # what was typed is shown, not lost


def test_a_bad_spending_form_keeps_what_was_typed(client, db):
    season = funded_season()
    _organiser(client, db)
    refused = client.post("/spending/new", data={
        "season_id": season.id, "category": "district_events", "amount": "500",
        "spent_on": (TODAY + timedelta(days=5)).isoformat(), "voucher": "记-7", "note": "耗材"})
    body = html(refused)
    assert refused.status_code == 400 and "不能晚于今天" in body and 'value="记-7"' in body


def test_the_pages_are_for_organisers_only(client, db):
    season = funded_season()
    spending = make_spending(season, 100)
    db.session.commit()
    login(client, make_user(Role.ENTERPRISE, enterprise=make_enterprise()))
    for url in (f"/seasons/{season.id}/budget-lines", "/spending", "/spending/new", f"/spending/{spending.id}"):
        assert client.get(url).status_code == 403, url
    season_page = html(client.get(f"/seasons/{season.id}"))
    assert "budget-lines" not in season_page


def test_the_season_page_dashboard_and_report_show_the_lines(client, db):
    season = funded_season(10_000, subsidy=40_000, year=TODAY.year)  # the chart shows the months of the season's year
    make_spending(season, 3_000, "approved", event=district_event(season, name="区级焊工决赛"))
    _organiser(client, db)
    season_page = html(client.get(f"/seasons/{season.id}"))
    assert f'href="/seasons/{season.id}/budget-lines" data-link="budget-lines"' in season_page
    assert f'href="/spending?season={season.id}" data-link="spending"' in season_page
    dashboard = html(client.get(f"/seasons/{season.id}/dashboard"))
    table = re.search(r'data-numbers="budget-lines".*?</table>', dashboard, re.S).group(0)
    assert re.search(r'data-category="district_events">.*?data-value>￥?3,000<', table, re.S)
    chart = json.loads(unescape(re.search(r'data-chart-card="spending".*?data-chart="([^"]+)"', dashboard, re.S)
                                .group(1)))
    bars = {d["label"]: sum(d["data"]) for d in chart["datasets"] if d.get("type") == "bar"}
    assert bars == {"区级赛事经费": 3_000}
    report = client.get(f"/seasons/{season.id}/report.xlsx")
    book = load_workbook(io.BytesIO(report.data))
    assert {"预算科目", "区级赛事支出"} <= set(book.sheetnames)
    lines = [r for r in book["预算科目"].iter_rows(values_only=True)]
    assert ("区级赛事经费 小计", None, None, 10_000, 3_000, 7_000, None) in lines
    assert ("竞赛经费补贴", "区级", None, 40_000, None, None, None) in lines
    spent = [r for r in book["区级赛事支出"].iter_rows(values_only=True)]
    assert any(r[3] == "区级焊工决赛" and r[6] == 3_000 and r[7] == "已批准" for r in spent)
