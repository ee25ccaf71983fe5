"""HTML views: creating and editing events with the marking-scheme editor, the lock, copying a scheme."""
import re

from competition.models import AuditEntry, Event, EventStatus, Role
from tests.builders import make_enterprise, make_event, make_season, make_user
from tests.clients import html, login
from tests.counting import count
from tests.payloads import TWO_BY_TWO, form_data, scheme_fields


def logged_in(client, db, role=Role.ORGANISER, **overrides):
    """Log in a fresh user of a role and return it."""
    user = make_user(role, **overrides)
    db.session.commit()
    login(client, user)
    return user


def copy_options(body: str) -> str:
    """The options of the copy-scheme select."""
    match = re.search(r'<select[^>]*name="copy_from"[^>]*>(.*?)</select>', body, re.S)
    return match.group(1) if match else ""


def audit_count(db, action: str) -> int:
    """Audit rows of one action."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_new_form_has_level_names_defaults_and_a_starter_scheme(client, db):
    season = make_season(year=2026, name="2026年度联赛")
    logged_in(client, db)
    body = html(client.get("/events/new"))
    assert f'<option selected value="{season.id}">' in body
    for name in ("五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"):
        assert name in body
    assert 'name="modules-0-name"' in body and 'value="理论知识"' in body and 'name="modules-1-weight"' in body
    assert "data-module-template" in body and "modules-__m__-criteria-__c__-max_score" in body
    assert "scheme-editor.js" in body and "从已有赛项复制评分方案" not in body  # nothing to copy yet


def test_two_modules_with_two_criteria_each_are_saved(client, db):
    season = make_season()
    logged_in(client, db)
    response = client.post("/events/new", data=form_data(season))
    assert response.status_code == 302, html(response)
    event = db.session.scalar(db.select(Event))
    assert response.location == f"/events/{event.id}"
    assert [(m.name, m.kind.value, m.weight) for m in event.modules] == [("理论知识", "theory", 30),
                                                                        ("操作技能", "practical", 70)]
    assert [(c.name, str(c.max_score), c.kind.value) for c in event.modules[1].criteria] == [
        ("线路安装", "55.50", "judgement"), ("故障排除", "44.50", "judgement")]
    assert event.status is EventStatus.DRAFT and event.venue == "吴江区公共实训基地"
    assert event.tie_breaks == ["practical", "time_used"] and audit_count(db, "event.create") == 1
    assert "已创建赛项“2026年吴江区电工职业技能竞赛”。" in html(client.get(response.location))


def test_bad_sums_are_shown_under_their_rows_and_nothing_is_saved(client, db):
    season = make_season()
    logged_in(client, db)
    modules = (("理论知识", "theory", "20", (("理论考试", "100", "measurement"),)),
               ("操作技能", "practical", "70", (("线路安装", "60", "judgement"), ("故障排除", "30", "judgement"))),
               ("", "practical", "x", (("外观", "abc", "judgement"),)))
    response = client.post("/events/new", data=form_data(season, modules))
    body = html(response)
    assert response.status_code == 400
    assert "模块“操作技能”各评分项满分之和应为100，当前为90。" in body
    assert "第3个模块缺少名称。" in body and "的权重应为1至100之间的整数百分比。" in body
    assert "评分项“外观”的满分应为大于0、不超过100、最多两位小数的数。" in body
    assert re.search(r'class="form-control text-end is-invalid" id="modules-2-criteria-0-max_score"', body)
    assert re.search(r'class="form-control fw-semibold is-invalid" id="modules-2-name"', body)
    assert 'value="abc"' in body and 'value="故障排除"' in body and 'value="2026年吴江区电工职业技能竞赛"' in body
    assert count(db, Event) == 0 and audit_count(db, "event.create") == 0


def test_weights_not_summing_to_100_are_named_with_the_sum(client, db):
    season = make_season()
    logged_in(client, db)
    modules = (("理论知识", "theory", "20", (("理论考试", "100", "measurement"),)),
               ("操作技能", "practical", "70", (("线路安装", "100", "judgement"),)))
    body = html(client.post("/events/new", data=form_data(season, modules)))
    assert "各模块权重之和应为100%，当前为90%。" in body and "data-scheme-errors" in body
    assert re.search(r'data-weight-state="bad">权重合计\s*<strong data-weight-sum>90</strong>', body)
    assert count(db, Event) == 0


def test_theory_above_thirty_percent_is_saved_with_a_warning(client, db):
    season = make_season()
    logged_in(client, db)
    modules = (("理论知识", "theory", "40", (("理论考试", "100", "measurement"),)),
               ("操作技能", "practical", "60", (("线路安装", "100", "judgement"),)))
    response = client.post("/events/new", data=form_data(season, modules))
    assert response.status_code == 302
    assert "理论知识权重合计40%，高于国家指导的30%。" in html(client.get(response.location))
    assert db.session.scalar(db.select(Event)).modules[0].weight == 40


def test_theory_warning_is_shown_while_editing(client, db):
    season = make_season()
    logged_in(client, db)
    modules = (("理论知识", "theory", "45", (("理论考试", "100", "measurement"),)),
               ("操作技能", "practical", "45", (("线路安装", "100", "judgement"),)))
    body = html(client.post("/events/new", data=form_data(season, modules)))
    assert re.search(r"data-theory-warning>\s*理论知识权重合计45%", body)


def test_field_problems_and_scheme_problems_come_in_one_round(client, db):
    season = make_season()
    logged_in(client, db)
    modules = (("理论知识", "theory", "30", (("理论考试", "100", "measurement"),)),
               ("操作技能", "practical", "60", (("线路安装", "100", "judgement"),)))
    response = client.post("/events/new", data=form_data(season, modules, name="", event_date="2026-13-40",
                                                          min_age="15"))
    body = html(response)
    assert response.status_code == 400
    assert "请填写赛项名称。" in body and "请输入有效日期，例如 2026-06-15。" in body
    assert "年龄限制应在16至70岁之间。" in body and "各模块权重之和应为100%，当前为90%。" in body
    assert 'value="2026-13-40"' in body and count(db, Event) == 0


def test_rows_with_gaps_in_their_indices_are_read_in_order(client, db):
    season = make_season()
    logged_in(client, db)
    data = form_data(season, modules=())
    data.update(scheme_fields(TWO_BY_TWO, indices=[0, 3]))
    assert client.post("/events/new", data=data).status_code == 302
    event = db.session.scalar(db.select(Event))
    assert [m.name for m in event.modules] == ["理论知识", "操作技能"]
    assert [c.name for c in event.modules[1].criteria] == ["线路安装", "故障排除"]


def test_enterprise_event_needs_a_host(client, db):
    season = make_season()
    logged_in(client, db)
    body = html(client.post("/events/new", data=form_data(season, kind="enterprise", host_enterprise_id="")))
    assert "企业赛须选择承办企业。" in body and count(db, Event) == 0


def test_enterprise_user_applies_for_their_own_enterprise(client, db):
    season = make_season()
    hr = logged_in(client, db, Role.ENTERPRISE)
    elsewhere = make_enterprise()
    db.session.commit()
    page = html(client.get("/events/new"))
    assert 'name="kind"' not in page and hr.enterprise.name in page and "提交申请" in page
    response = client.post("/events/new", data=form_data(season, kind="district", host_enterprise_id=elsewhere.id))
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert event.kind.value == "enterprise" and event.host_enterprise_id == hr.enterprise_id
    assert event.status is EventStatus.SUBMITTED and audit_count(db, "event.submit") == 1
    assert "等待组委会审核" in html(client.get(response.location))


def test_judges_cannot_create_events(client, db):
    make_season()
    logged_in(client, db, Role.JUDGE)
    response = client.get("/events/new")
    assert response.status_code == 403 and "只有组委会和企业用户可以创建赛项。" in html(response)


def test_edit_changes_fields_and_scheme_and_is_audited(client, db):
    event = make_event("open")
    logged_in(client, db, Role.ADMIN)
    page = html(client.get(f"/events/{event.id}/edit"))
    assert 'value="电工技能竞赛"' in page and 'value="工艺质量"' in page and 'name="kind"' not in page
    response = client.post(f"/events/{event.id}/edit", data=form_data(event.season, name="电工技能竞赛（决赛）"))
    assert response.status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.name == "电工技能竞赛（决赛）" and [c.name for c in event.modules[0].criteria] == ["理论考试", "安全规程"]
    row = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert row.before["name"] == "电工技能竞赛" and row.after["name"] == "电工技能竞赛（决赛）"


def test_failed_edit_keeps_the_stored_event(client, db):
    event = make_event("draft")
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/edit", data=form_data(event.season, name="新名称",
                                                                      registration_deadline="2026-07-01"))
    assert response.status_code == 400 and "报名截止日期不能晚于比赛日期。" in html(response)
    db.session.expire_all()
    assert db.session.get(Event, event.id).name == "电工技能竞赛"


def test_locked_scheme_is_read_only_and_the_rest_still_saves(client, db):
    event = make_event("scoring")
    logged_in(client, db)
    page = html(client.get(f"/events/{event.id}/edit"))
    assert "评分方案已锁定" in page and 'name="modules-0-name"' not in page and "工艺质量" in page
    response = client.post(f"/events/{event.id}/edit", data=form_data(event.season, venue="新的比赛地点"))
    assert response.status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.venue == "新的比赛地点" and [c.name for c in event.modules[1].criteria] == ["工艺质量", "安全文明"]


def test_copy_a_scheme_from_an_earlier_event(client, db):
    source = make_event("final", name="2025年电工竞赛")
    logged_in(client, db)
    page = html(client.get("/events/new"))
    assert "从已有赛项复制评分方案" in page and f'<option value="{source.id}">' in copy_options(page)
    copied = html(client.get(f"/events/new?copy_from={source.id}"))
    assert "已复制赛项“2025年电工竞赛”的评分方案，保存后生效。" in copied
    assert 'name="modules-1-criteria-1-name"' in copied and 'value="安全文明"' in copied and 'value="40"' in copied


def test_copy_from_an_event_the_user_may_not_see_is_refused(client, db):
    other_host = make_enterprise()
    hidden = make_event("submitted", kind="enterprise", host_enterprise_id=other_host.id)
    visible = make_event("open")
    logged_in(client, db, Role.ENTERPRISE)
    page = html(client.get("/events/new"))
    options = copy_options(page)
    assert f'<option value="{visible.id}">' in options and f'<option value="{hidden.id}">' not in options
    assert client.get(f"/events/new?copy_from={hidden.id}").status_code == 403


def test_host_edits_only_drafts_and_rejected_applications(client, db):
    hr = logged_in(client, db, Role.ENTERPRISE)
    event = make_event("submitted", kind="enterprise", host_enterprise_id=hr.enterprise_id)
    db.session.commit()
    response = client.get(f"/events/{event.id}/edit")
    assert response.status_code == 403 and "只有在草稿或被退回时才能修改" in html(response)
    event.status = EventStatus.REJECTED
    db.session.commit()
    assert client.get(f"/events/{event.id}/edit").status_code == 200


def test_another_enterprise_cannot_see_or_edit_a_submitted_event(client, db):
    host = make_enterprise()
    event = make_event("submitted", kind="enterprise", host_enterprise_id=host.id)
    logged_in(client, db, Role.ENTERPRISE)
    assert client.get(f"/events/{event.id}").status_code == 403
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    response = client.post(f"/events/{event.id}/edit", data=form_data(event.season, name="改名"))
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Event, event.id).name == "电工技能竞赛"


def test_final_events_cannot_be_edited(client, db):
    event = make_event("final")
    logged_in(client, db)
    response = client.get(f"/events/{event.id}/edit")
    assert response.status_code == 409 and "不能修改" in html(response)
