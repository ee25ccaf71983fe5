"""HTML views: the events list per role, the detail page, lifecycle buttons and actions, home figure, labels."""
import re

import pytest

from competition.models import AuditEntry, Event, EventStatus, Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, check_in, enrol
from competition.views.labels import action_label
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user, seat_panel
from tests.clients import html, logged_in, switch


def listed(body: str) -> set[int]:
    """The event ids in the list table."""
    return {int(n) for n in re.findall(r'<tr data-event="(\d+)"', body)}


def buttons(body: str) -> set[str]:
    """The lifecycle actions offered on a detail page."""
    return set(re.findall(r'<button type="submit" class="btn [^"]*" data-action="([a-z_]+)"', body))


def audit_rows(db, action: str) -> list[AuditEntry]:
    """Audit rows of one action."""
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def status_of(db, event) -> EventStatus:
    """The stored status of an event."""
    db.session.expire_all()
    return db.session.get(Event, event.id).status


@pytest.fixture
def three(db):
    """A district draft, company A's submitted application and company B's open event."""
    company_a, company_b = make_enterprise(name="恒力化纤"), make_enterprise(name="亨通光电")
    season = make_season(year=2026)
    events = {
        "draft": make_event("draft", season=season, name="区级电工赛", occupation="电工"),
        "a_submitted": make_event("submitted", season=season, name="恒力纺丝赛", occupation="化纤纺丝工",
                                  kind="enterprise", host_enterprise_id=company_a.id),
        "b_open": make_event("open", season=season, name="亨通熔接赛", occupation="光纤熔接工",
                             kind="enterprise", host_enterprise_id=company_b.id),
    }
    db.session.commit()
    return company_a, company_b, events


def test_staff_see_every_event_with_chinese_status_badges(client, db, three):
    _, _, events = three
    logged_in(client, db)
    body = html(client.get("/events"))
    assert listed(body) == {e.id for e in events.values()}
    assert "草稿" in body and "待审核" in body and "报名中" in body and "三级/高级工" in body


def test_enterprise_users_see_their_own_and_open_events(client, db, three):
    company_a, company_b, events = three
    logged_in(client, db, Role.ENTERPRISE, enterprise=company_a)
    assert listed(html(client.get("/events"))) == {events["a_submitted"].id, events["b_open"].id}
    logged_in(client, db, Role.ENTERPRISE, enterprise=company_b)
    assert listed(html(client.get("/events"))) == {events["b_open"].id}


def test_judges_see_only_their_panels(client, db, three):
    _, _, events = three
    judge = logged_in(client, db, Role.JUDGE)
    assert "暂无分配给您的赛项" in html(client.get("/events"))
    assign_judge(SYSTEM, events["draft"], judge, False)
    db.session.commit()
    assert listed(html(client.get("/events"))) == {events["draft"].id}


def test_filters_and_search(client, db, three):
    company_a, _, events = three
    logged_in(client, db)
    assert listed(html(client.get("/events?status=submitted"))) == {events["a_submitted"].id}
    assert listed(html(client.get("/events?kind=district"))) == {events["draft"].id}
    assert listed(html(client.get("/events?occupation=光纤熔接工"))) == {events["b_open"].id}
    assert listed(html(client.get(f"/events?host={company_a.id}"))) == {events["a_submitted"].id}
    assert listed(html(client.get("/events?q=纺丝"))) == {events["a_submitted"].id}
    assert len(listed(html(client.get(f"/events?season={events['draft'].season_id}")))) == 3
    assert len(listed(html(client.get("/events?status=nonsense")))) == 3
    assert "没有符合条件的赛项" in html(client.get("/events?q=不存在"))


def test_the_filter_form_keeps_what_was_asked(client, db, three):
    company_a, _, events = three
    logged_in(client, db)
    season = events["draft"].season_id
    body = html(client.get(f"/events?q=%3C纺丝%3E&season={season}&status=submitted&occupation=电工&host={company_a.id}"))
    assert 'id="q" name="q" value="&lt;纺丝&gt;"' in body  # escaped, never markup
    assert f'<option value="{season}" selected>2026</option>' in body  # objects: id and year
    assert '<option value="submitted" selected>待审核</option>' in body  # (code, name) pairs
    assert '<option value="电工" selected>电工</option>' in body  # plain values
    assert f'<option value="{company_a.id}" selected>恒力化纤</option>' in body
    assert body.count(" selected>") == 4  # kind stays 全部
    assert '<option value="" selected' not in body and '<option value="">全部</option>' in body


def test_list_pages_by_fifty(client, db):
    season = make_season()
    for n in range(51):
        make_event("draft", season=season, name=f"分页赛项{n:03d}")
    logged_in(client, db)
    assert len(listed(html(client.get("/events")))) == 50
    assert len(listed(html(client.get("/events?page=2")))) == 1


def test_empty_list_invites_staff_to_create(client, db):
    logged_in(client, db)
    body = html(client.get("/events"))
    assert "还没有赛项" in body and 'href="/events/new"' in body


def test_detail_shows_fields_scheme_and_counts(client, db):
    host = make_enterprise(name="恒力化纤")
    event = make_event("open", kind="enterprise", host_enterprise_id=host.id, venue="盛泽培训中心")
    day = event.registration_deadline
    entries = [enrol(SYSTEM, event, EntryData(name, id_number(n), employer_id=host.id), today=day)
               for n, name in enumerate(("张三丰", "李四光", "王五一"), start=1)]
    check_in(SYSTEM, entries[:2], "present")
    check_in(SYSTEM, entries[2:], "absent")
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}"))
    assert "盛泽培训中心" in body and "恒力化纤" in body and "企业赛" in body and "工艺质量" in body
    assert re.search(r'data-count="total">3<', body) and re.search(r'data-count="present">2<', body)
    assert re.search(r'data-count="absent">1<', body) and "70%" in body


def test_lifecycle_buttons_follow_role_and_state(client, db):
    host = make_enterprise()
    hr = make_user(Role.ENTERPRISE, enterprise=host)
    event = make_event("draft", kind="enterprise", host_enterprise_id=host.id)
    db.session.commit()
    switch(client, hr)
    assert buttons(html(client.get(f"/events/{event.id}"))) == {"submit"}
    event.status = EventStatus.SUBMITTED
    db.session.commit()
    assert buttons(html(client.get(f"/events/{event.id}"))) == set()
    logged_in(client, db)
    assert buttons(html(client.get(f"/events/{event.id}"))) == {"approve", "reject", "cancel"}
    event.status = EventStatus.OPEN
    db.session.commit()
    assert buttons(html(client.get(f"/events/{event.id}"))) == {"close", "cancel"}
    event.status = EventStatus.DRAWN
    db.session.commit()
    assert buttons(html(client.get(f"/events/{event.id}"))) == {"start_scoring", "cancel"}
    district = make_event("draft")
    db.session.commit()
    assert buttons(html(client.get(f"/events/{district.id}"))) == {"open", "cancel"}


def test_the_enterprise_application_round_trip(client, db):
    host = make_enterprise()
    hr = make_user(Role.ENTERPRISE, enterprise=host)
    organiser = make_user(Role.ORGANISER)
    event = make_event("draft", kind="enterprise", host_enterprise_id=host.id)
    db.session.commit()
    switch(client, hr)
    response = client.post(f"/events/{event.id}/submit")
    assert response.status_code == 302 and status_of(db, event) is EventStatus.SUBMITTED
    assert "已提交审核" in html(client.get(response.location))
    switch(client, organiser)
    refused = client.post(f"/events/{event.id}/reject", data={"reject-reason": "  "})
    assert refused.status_code == 400 and "请填写原因。" in html(refused)
    assert 'data-reason-action="reject" open' in html(refused)
    assert status_of(db, event) is EventStatus.SUBMITTED and not audit_rows(db, "event.reject")
    assert client.post(f"/events/{event.id}/reject", data={"reject-reason": "评分方案缺少安全项"}).status_code == 302
    assert status_of(db, event) is EventStatus.REJECTED
    switch(client, hr)
    body = html(client.get(f"/events/{event.id}"))
    assert "组委会退回了该赛项申请" in body and "评分方案缺少安全项" in body and "submit" in buttons(body)
    assert "赛项申请被退回" in body  # the history names the step
    client.post(f"/events/{event.id}/submit")
    switch(client, organiser)
    client.post(f"/events/{event.id}/approve")
    assert status_of(db, event) is EventStatus.APPROVED
    client.post(f"/events/{event.id}/open")
    assert status_of(db, event) is EventStatus.OPEN
    client.post(f"/events/{event.id}/close")
    assert status_of(db, event) is EventStatus.CLOSED
    actions = [row.action for row in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "Event", AuditEntry.object_id == event.id)
        .order_by(AuditEntry.id))]
    assert actions[-6:] == ["event.submit", "event.reject", "event.submit", "event.approve", "event.open",
                            "event.close"]


def test_the_host_cannot_approve_its_own_application(client, db):
    host = make_enterprise()
    event = make_event("submitted", kind="enterprise", host_enterprise_id=host.id)
    logged_in(client, db, Role.ENTERPRISE, enterprise=host)
    response = client.post(f"/events/{event.id}/approve")
    assert response.status_code == 403 and "您没有权限对该赛项执行此操作。" in html(response)
    assert status_of(db, event) is EventStatus.SUBMITTED and audit_rows(db, "refused")


def test_another_enterprise_cannot_submit(client, db):
    host = make_enterprise()
    event = make_event("draft", kind="enterprise", host_enterprise_id=host.id)
    logged_in(client, db, Role.ENTERPRISE)
    assert client.post(f"/events/{event.id}/submit").status_code == 403
    assert status_of(db, event) is EventStatus.DRAFT


def test_a_step_the_state_does_not_allow_is_a_409(client, db):
    event = make_event("open")
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/start-scoring")
    assert response.status_code == 409 and "赛项当前状态为“报名中”，不能开始评分。" in html(response)
    assert status_of(db, event) is EventStatus.OPEN


def test_start_scoring_and_cancel_with_a_reason(client, db):
    drawn, other = make_event("drawn"), make_event("open")
    seat_panel(drawn)
    logged_in(client, db)
    assert client.post(f"/events/{drawn.id}/start-scoring").status_code == 302
    assert status_of(db, drawn) is EventStatus.SCORING
    missing = client.post(f"/events/{other.id}/cancel", data={"cancel-reason": ""})
    assert missing.status_code == 400 and status_of(db, other) is EventStatus.OPEN
    response = client.post(f"/events/{other.id}/cancel", data={"cancel-reason": "报名人数不足"})
    assert response.status_code == 302 and status_of(db, other) is EventStatus.CANCELLED
    body = html(client.get(response.location))
    assert "该赛项已取消。原因：报名人数不足" in body and 'href="/events/%d/edit"' % other.id not in body
    assert audit_rows(db, "event.cancel")[0].message == "报名人数不足"


def test_a_submitted_event_of_another_host_is_hidden(client, db):
    event = make_event("submitted", kind="enterprise", host_enterprise_id=make_enterprise().id)
    logged_in(client, db, Role.ENTERPRISE)
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 403 and "您没有权限查看该赛项。" in html(response)


def test_a_judge_off_the_panel_cannot_see_the_event(client, db):
    event = make_event("open")
    logged_in(client, db, Role.JUDGE)
    assert client.get(f"/events/{event.id}").status_code == 403


def test_missing_event_is_404(client, db):
    logged_in(client, db)
    assert client.get("/events/4040").status_code == 404
    assert client.post("/events/4040/approve").status_code == 404


def test_staff_home_counts_events_and_every_role_has_the_menu_item(client, db):
    make_event("submitted", kind="enterprise", host_enterprise_id=make_enterprise().id)
    make_event("draft")
    logged_in(client, db)
    body = html(client.get("/"))
    assert re.search(r'data-figure="events".*?data-value>2<', body, re.S) and "待审核 1 项" in body
    for role in Role:  # a town officer reads its town's events on its town's page (RULES.md §3), not the league's list
        logged_in(client, db, role, **({"town": "盛泽镇"} if role is Role.TOWN else {}))
        assert ('data-nav="events.index"' in html(client.get("/"))) is (role is not Role.TOWN)


def test_event_and_panel_actions_have_chinese_audit_labels():
    assert action_label("event.approve") == "赛项已纳入计划"
    assert action_label("event.reject") == "赛项申请被退回"
    assert action_label("panel.assign") == "裁判已编入裁判组"
    assert action_label("panel.remove") == "裁判已移出裁判组"


def test_pages_carry_no_inline_script_or_style(client, db):
    event = make_event("submitted", kind="enterprise", host_enterprise_id=make_enterprise().id)
    logged_in(client, db)
    for url in ("/events", "/events/new", f"/events/{event.id}", f"/events/{event.id}/edit",
                f"/events/{event.id}/panel"):
        body = html(client.get(url))
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), url
        assert "<style" not in body and not re.search(r"\sstyle=", body), url
        assert not re.search(r"\son[a-z]+=", body), url
