"""The venue day (issue 15) below the browser: an ended session or a stale page answers htmx with JSON it can act
on, never a page pasted into a cell; a mark sent twice is stored once; the organisers' forms catch what people
get wrong (past dates, the next step after 截止报名, who the draw records as 缺考)."""
import re
from datetime import date, timedelta
from decimal import Decimal

from competition.models import AuditEntry, Entry, EntryStatus, Event, EventStatus, Mark, MarkChange
from competition.services.audit import SYSTEM, Actor
from competition.services.events.entries import EntryData, enrol
from competition.services.marking.marks import save_marks
from tests.builders import id_number, make_event, make_season, make_user
from tests.clients import html, login
from tests.counting import count
from tests.marking_builders import make_world
from tests.payloads import form_data

HX = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/events/5/marks?x=1"}


# M2: an ended session

def test_an_htmx_request_without_a_session_gets_a_401_naming_the_login_page(client, db):
    response = client.post("/events/5/marks/cell", data={"number": "001"}, headers=HX)
    assert response.status_code == 401 and response.is_json
    assert response.get_json()["error"]["code"] == "login_required"
    assert response.headers["HX-Login-URL"] == "/login?next=/events/5/marks?x%3D1"
    assert "<form" not in html(response)
    page = client.get("/events/5/marks")  # a page still goes to the login form
    assert page.status_code == 302 and page.location.startswith("/login?next=")


def test_an_htmx_request_with_a_stale_page_token_gets_json_not_an_error_page(app, client, db):
    world = make_world(1, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/events/{world.event.id}/marks/cell", headers=HX,
                           data={"number": "001", "criterion_id": str(world.criteria[1]), "value": "50"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf"
    assert count(db, Mark) == 0


def test_a_cell_that_names_no_criterion_of_the_event_is_a_json_400(client, db):
    world = make_world(1, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    response = client.post(f"/events/{world.event.id}/marks/cell", headers=HX,
                           data={"number": "001", "criterion_id": "987654", "value": "50"})
    assert response.status_code == 400 and response.is_json and "<td" not in html(response)


# M1: a mark resent after its answer was lost is stored once

def test_a_mark_sent_again_with_the_old_expected_value_is_stored_once(db):
    world = make_world()
    _, q, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    again = save_marks(world.actor(1), world.event, [("001", q, "50", None)])  # the tablet never heard back
    assert [(c.value, c.version) for c in again] == [(Decimal("50.00"), 1)]
    assert count(db, Mark) == 1 and count(db, MarkChange) == 1
    db.session.commit()  # PostgreSQL appends a save's audit row, sealed, at commit (services/audit_sealed.py)
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "mark.enter")) == 1


# m2: dates that have passed need a confirmation

def test_an_event_dated_in_the_past_needs_an_explicit_confirmation(client, db):
    season = make_season()
    login(client, make_user())
    db.session.commit()
    data = form_data(season, event_date=(date.today() - timedelta(days=3)).isoformat(),
                     registration_deadline=(date.today() - timedelta(days=10)).isoformat())
    del data["confirm_past_dates"]
    asked = client.post("/events/new", data=data)
    body = html(asked)
    assert asked.status_code == 409 and "已经过去" in body and 'name="confirm_past_dates"' in body
    assert count(db, Event) == 0
    assert client.post("/events/new", data=data | {"confirm_past_dates": "y"}).status_code == 302


def test_a_passed_deadline_alone_also_asks(client, db):
    season = make_season()
    login(client, make_user())
    db.session.commit()
    data = form_data(season, event_date=(date.today() + timedelta(days=20)).isoformat(),
                     registration_deadline=(date.today() - timedelta(days=1)).isoformat())
    del data["confirm_past_dates"]
    asked = client.post("/events/new", data=data)
    assert asked.status_code == 409 and "企业将无法报名" in html(asked)


def test_editing_an_old_event_without_touching_its_dates_needs_no_confirmation(client, db):
    season = make_season()
    login(client, make_user())
    db.session.commit()
    data = form_data(season)  # 2026-06-15, confirmed once
    created = client.post("/events/new", data=data)
    event_id = int(created.location.rsplit("/", 1)[-1])
    del data["confirm_past_dates"]
    assert client.post(f"/events/{event_id}/edit", data=data | {"venue": "新地点"}).status_code == 302


# m3: the next step follows the state

def test_after_registration_closes_the_next_step_is_check_in_not_opening_again(client, db):
    event = make_event("closed")
    login(client, make_user())
    db.session.commit()
    body = html(client.get(f"/events/{event.id}"))
    links = [(href, label) for href, label in
             re.findall(r'<a class="btn [^"]*" href="([^"]+)" data-next-page>([^<]+)</a>', body)]
    assert links == [(f"/events/{event.id}/check-in", "检录"), (f"/events/{event.id}/draw", "抽签")]
    assert "重新开放报名" in body and 'btn-primary" data-action="open"' not in body


# m4: the draw says who was never checked in, and records them as 缺考

def test_the_draw_lists_who_was_never_checked_in_and_records_them_absent(client, db):
    event = make_event("open", event_date=date.today() + timedelta(days=30),
                       registration_deadline=date.today() + timedelta(days=10))
    present = enrol(SYSTEM, event, EntryData("到场甲", id_number(1)))
    never = enrol(SYSTEM, event, EntryData("未检录乙", id_number(2)))
    present.status = EntryStatus.PRESENT
    event.status = EventStatus.CLOSED
    login(client, make_user())
    db.session.commit()
    page = html(client.get(f"/events/{event.id}/draw"))
    assert 'data-unchecked="1"' in page and "未检录乙" in page and "抽签后将记为缺考" in page
    assert "另有1名未检录的选手将记为缺考" in page
    done = client.post(f"/events/{event.id}/draw", data={"seed": "abc"})
    assert done.status_code == 302
    assert "1名未检录的选手已记为缺考。" in html(client.get(done.location))
    db.session.expire_all()
    assert db.session.get(Entry, never.id).status is EntryStatus.ABSENT
    assert db.session.get(Entry, present.id).number == "001"
    row = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.draw")).one()
    assert row.after["absent_not_checked_in"] == [never.id]


def test_the_grid_carries_what_its_script_needs_to_keep_unsaved_marks(client, db):
    world = make_world(2, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    grid = html(client.get(f"/events/{world.event.id}/marks"))
    assert f'data-judge="{world.judges[1].id}"' in grid and f'data-event="{world.event.id}"' in grid
    assert "data-unsaved-banner" in grid and "data-goto-form" in grid and 'data-label="参赛号"' in grid


# m5: time used on a page

def test_a_panel_judge_records_time_used_on_the_page(client, db):
    world = make_world(2, judges=3, statuses=("present", "absent"))
    db.session.commit()
    login(client, world.judges[1])
    page = html(client.get(f"/events/{world.event.id}/time-used"))
    entry, absent = world.entries["001"], world.entries["002"]
    assert 'data-time-row="001"' in page and f'name="e{entry.id}-time_used"' in page
    assert "非到场参赛，不记用时" in page and f'name="e{absent.id}-time_used"' not in page
    assert entry.person.name not in page  # a judge sees numbers only
    url = f"/events/{world.event.id}/time-used/{entry.id}"
    row = client.post(url, data={f"e{entry.id}-time_used": "45:30"}, headers={"HX-Request": "true"})
    assert row.status_code == 200 and "data-saved" in html(row) and 'value="45:30"' in html(row)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).time_used_seconds == 2730
    bad = client.post(url, data={f"e{entry.id}-time_used": "45分"}, headers={"HX-Request": "true"})
    assert bad.status_code == 400 and "分:秒" in html(bad) and 'value="45分"' in html(bad)
    plain = client.post(url, data={f"e{entry.id}-time_used": "1:00:05"})
    assert plain.status_code == 302 and "用时已保存" in html(client.get(plain.location))
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).time_used_seconds == 3605
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "entry.time_used")) == 2


def test_durations_are_read_as_minutes_and_seconds():
    from competition.forms.fields import parse_duration

    assert [parse_duration(t) for t in ("1234", "20:34", "1:20:34", "２０：３４", "20:61", "1:61:00", "x", "")] == \
        [1234, 1234, 4834, 1234, None, None, None, None]


# m6: the public page explains 实操得分 and how ties are broken

def test_the_public_results_explain_the_practical_score_and_the_ranking_rule(client, db, published_scene):
    _, ids, *_ = published_scene
    body = html(client.get(f"/public/events/{ids['event_id']}"))
    assert "data-results-legend" in body and "实操得分" in body and "操作技能模块的得分按权重计入总分的部分" in body
    assert "按总分从高到低；相同时实操得分高者在前；相同时用时少者在前；仍相同则名次并列。" in body


# M5: entries can be corrected before the draw, and withdrawn after it

def _open_event_with_an_entry(db):
    """An open event with 钟敏芳 enrolled by her employer's HR user; (event, entry, hr, organiser)."""
    from tests.builders import make_enterprise

    firm = make_enterprise(name="恒力")
    event = make_event("open", event_date=date.today() + timedelta(days=30),
                       registration_deadline=date.today() + timedelta(days=10))
    hr, organiser = make_user("enterprise", enterprise=firm), make_user()
    entry = enrol(SYSTEM, event, EntryData("钟敏芳", id_number(61), "13912345678", firm.id))
    db.session.commit()
    return event, entry, hr, organiser


def test_an_enterprise_corrects_its_employees_mobile_and_the_change_is_audited(client, db):
    event, entry, hr, _ = _open_event_with_an_entry(db)
    login(client, hr)
    page = html(client.get(f"/events/{event.id}/entries"))
    assert f"/entries/{entry.id}/edit" in page and f"/entries/{entry.id}/remove" in page
    form = html(client.get(f"/events/{event.id}/entries/{entry.id}/edit"))
    assert 'value="13912345678"' in form and "姓名和身份证号码不能修改" in form
    bad = client.post(f"/events/{event.id}/entries/{entry.id}/edit", data={"phone": "123"})
    assert bad.status_code == 400 and "手机号码应为11位数字" in html(bad)
    done = client.post(f"/events/{event.id}/entries/{entry.id}/edit", data={"phone": "13800001111", "employer_id": "9"})
    assert done.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Entry, entry.id)
    assert changed.person.phone == "13800001111" and changed.employer_id == hr.enterprise_id  # its own, always
    row = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.update")).one()
    assert row.before == {"phone": "139****5678", "employer_id": hr.enterprise_id}
    assert row.after == {"phone": "138****1111", "employer_id": hr.enterprise_id}


def test_another_enterprise_may_not_touch_the_entry(client, db):
    event, entry, _, _ = _open_event_with_an_entry(db)
    login(client, make_user("enterprise"))
    db.session.commit()
    assert client.get(f"/events/{event.id}/entries/{entry.id}/edit").status_code == 403
    assert client.post(f"/events/{event.id}/entries/{entry.id}/remove").status_code == 403
    assert count(db, Entry) == 1


def test_an_entry_is_removed_before_the_draw_and_the_audit_keeps_it(client, db):
    event, entry, _, organiser = _open_event_with_an_entry(db)
    login(client, organiser)
    page = html(client.get(f"/events/{event.id}/entries"))
    assert "确定删除 钟敏芳 的报名吗？" in page
    entry_id, person_id = entry.id, entry.person_id
    assert client.post(f"/events/{event.id}/entries/{entry_id}/remove").status_code == 302
    assert count(db, Entry) == 0
    row = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.remove")).one()
    assert row.object_id == entry_id and row.before["person_id"] == person_id


def test_after_the_draw_only_a_withdrawal_with_a_reason(client, db):
    world = make_world(2, judges=3)  # drawn and scoring
    db.session.commit()
    entry = world.entries["001"]
    login(client, world.organiser)
    page = html(client.get(f"/events/{world.event.id}/entries"))
    assert f"/entries/{entry.id}/edit" not in page and f"/entries/{entry.id}/withdraw" in page
    assert client.post(f"/events/{world.event.id}/entries/{entry.id}/remove").status_code == 409
    empty = client.post(f"/events/{world.event.id}/entries/{entry.id}/withdraw", data={f"w{entry.id}-reason": ""})
    assert empty.status_code == 400
    done = client.post(f"/events/{world.event.id}/entries/{entry.id}/withdraw",
                       data={f"w{entry.id}-reason": "比赛中突发身体不适，本人申请退赛"})
    assert done.status_code == 302
    db.session.expire_all()
    gone = db.session.get(Entry, entry.id)
    assert gone.status is EntryStatus.WITHDRAWN and gone.withdraw_reason.startswith("比赛中突发")
    assert "退赛原因：比赛中突发身体不适" in html(client.get(f"/events/{world.event.id}/entries"))
    row = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.withdraw")).one()
    assert row.before["status"] == "present" and row.after["status"] == "withdrawn"


def test_corrections_through_the_api(client, db):
    from tests.clients import api_headers

    event, entry, hr, organiser = _open_event_with_an_entry(db)
    patched = client.patch(f"/api/v1/entries/{entry.id}", headers=api_headers(client, hr),
                           json={"phone": "１３７００００２２２２"})
    assert patched.status_code == 200 and patched.get_json()["phone"] == "137****2222"
    staff = api_headers(client, organiser)
    refused = client.post(f"/api/v1/entries/{entry.id}/withdraw", headers=staff, json={"reason": "身体原因"})
    assert refused.status_code == 409  # before the draw: check-in marks 退赛
    assert client.delete(f"/api/v1/entries/{entry.id}", headers=staff).status_code == 204
    assert count(db, Entry) == 0


# m7, m8: statuses that tell the truth

def test_an_event_whose_claim_is_waiting_or_paid_says_so(client, db):
    from competition.models import ClaimState
    from tests.subsidy_builders import host_user, make_claim, make_claimable

    event = make_claimable()
    claim = make_claim(event)
    hr = host_user(event)
    db.session.commit()
    login(client, hr)
    body = html(client.get(f"/events/{event.id}"))
    assert 'data-claim-state="submitted"' in body and "等待组委会审核" in body and "尚不符合补贴条件" not in body
    claim.state, claim.paid_on, claim.voucher = ClaimState.PAID, date(2026, 11, 2), "记-088"
    db.session.commit()
    body = html(client.get(f"/events/{event.id}"))
    assert 'data-claim-state="paid"' in body and "已于 2026-11-02 拨付（凭证号 记-088）" in body


def test_the_enterprise_home_shows_open_events_what_is_due_and_refused_claims(client, db):
    from competition.models import utcnow
    from tests.builders import make_enterprise
    from tests.subsidy_builders import make_claim, make_claimable

    firm = make_enterprise()
    hr = make_user("enterprise", enterprise=firm)
    soon = make_event("open", name="焊工技能竞赛", event_date=date.today() + timedelta(days=20),
                      registration_deadline=date.today() + timedelta(days=3))
    later = make_event("open", name="电工技能竞赛", event_date=date.today() + timedelta(days=60),
                       registration_deadline=date.today() + timedelta(days=40))
    make_event("open", name="已截止的赛项", event_date=date.today() + timedelta(days=5),
               registration_deadline=date.today() - timedelta(days=1))
    enrol(SYSTEM, later, EntryData("员工甲", id_number(71), None, firm.id))
    draft = make_event("draft", name="本企业草稿赛项", kind="enterprise", host_enterprise_id=firm.id)
    claimable = make_claimable(host=firm, name="本企业决赛赛项")
    refused = make_claim(make_claimable(host=firm, name="去年的赛项"), "rejected")
    refused.reason, refused.decided_at = "参赛人数不足50人", utcnow()
    db.session.commit()
    login(client, hr)
    body = html(client.get("/"))
    assert f'data-open-event="{soon.id}"' in body and f'data-open-event="{later.id}"' in body
    assert "已截止的赛项" not in body and "本企业已报名 1 人" in body and "即将截止" in body
    due = re.findall(r'data-due="(\w+)"', body)
    # the refused claim's event may be claimed again (a rejection frees it), so both final events are due
    assert due == ["finish_application", "claim_subsidy", "claim_subsidy", "enrol_before_deadline"], due
    assert "本企业草稿赛项" in body and "本企业决赛赛项" in body
    assert f'data-rejected-claim="{refused.id}"' in body and "驳回理由：参赛人数不足50人" in body
    assert f"/events/{draft.id}" in body and f"/events/{claimable.id}" in body


# Layout: the money chart's empty state, the money figures, names that do not break, filters kept after a decision

def test_a_season_with_nothing_committed_shows_the_money_cards_empty_state_not_a_flat_chart(client, db):
    season = make_season(budget=2_000_000)
    make_event("open", season=season)
    login(client, make_user())
    db.session.commit()
    body = html(client.get(f"/seasons/{season.id}/dashboard"))
    assert 'data-chart-empty="spending"' in body and "本期间没有资金承诺。" in body
    assert re.search(r'data-figure="remaining".*?figure-money', body, re.S)


def test_a_nomination_decision_returns_to_the_same_filtered_list(client, db):
    from competition.services.titles import nominations as service
    from tests.builders import make_enterprise

    season = make_season(year=date.today().year, budget=100_000)
    hr = make_user("enterprise", enterprise=make_enterprise())
    first = service.recommend(Actor(hr), service.RecommendationData(id_number(81), "潘辉晨", "骨干",
                                                                    season.id, True))
    organiser = make_user()
    db.session.commit()
    login(client, organiser)
    listed = html(client.get(f"/seasons/{season.id}/nominations?state=proposed"))
    assert f"/nominations/{first.id}/approve?state=proposed" in listed
    assert '<td class="fw-semibold text-nowrap">潘辉晨</td>' in listed  # a name never breaks in the middle
    done = client.post(f"/nominations/{first.id}/approve?state=proposed")
    assert done.status_code == 302 and done.location == f"/seasons/{season.id}/nominations?state=proposed"


# After a reopen (an upheld objection, a chief's correction), the grid asks why a mark changes

def test_after_a_reopen_the_grid_asks_for_the_reason_and_keeps_it_with_the_change(client, db):
    from competition.services.results.lifecycle import reopen, sign_off
    from tests.marking_builders import WORKED, fill, submit_all

    world = make_world(1, judges=5)
    fill(world, "001", *WORKED)
    submit_all(world)
    sign_off(world.actor(0), world.event)
    reopen(Actor(world.organiser), world.event, "异议成立：复核工艺质量")
    db.session.commit()
    _, q, _ = world.criteria
    login(client, world.judges[1])
    grid = html(client.get(f"/events/{world.event.id}/marks"))
    assert "data-correcting" in grid and "更正原因" in grid
    old = db.session.scalar(db.select(Mark.value).where(Mark.event_id == world.event.id, Mark.criterion_id == q,
                                                          Mark.judge_key == world.judges[1].id))
    cell = {"number": "001", "criterion_id": str(q), "value": "44", "expected": f"{old}"}
    refused = client.post(f"/events/{world.event.id}/marks/cell", headers=HX, data=cell)
    assert refused.status_code == 400 and "填写更正原因" in html(refused)
    saved = client.post(f"/events/{world.event.id}/marks/cell", headers=HX, data={**cell, "reason": "看错评分表"})
    assert saved.status_code == 200 and "data-saved" in html(saved)
    change = db.session.scalar(db.select(MarkChange).where(MarkChange.old_value.is_not(None)))
    assert (change.old_value, change.new_value, change.reason) == (old, Decimal("44.00"), "看错评分表")


def test_a_grid_never_signed_off_asks_for_no_reason(client, db):
    world = make_world(1, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    assert "data-correcting" not in html(client.get(f"/events/{world.event.id}/marks"))
