"""HTML views: check-in (row by row with htmx, bulk all-or-nothing), the sign-in sheet, and the draw."""
import io
import re

from openpyxl import load_workbook

from competition.models import AuditEntry, Entry, EntryStatus, EventStatus, Role
from competition.rules.events import draw_numbers
from competition.services.audit import SYSTEM
from competition.services.events.entries import draw
from tests.builders import add_entry, make_enterprise, make_event, make_open_event
from tests.clients import HX, html, logged_in


def statuses(db, entries) -> list[EntryStatus]:
    """The stored status of each entry."""
    db.session.expire_all()
    return [db.session.get(Entry, e.id).status for e in entries]


def checked_in_rows(db) -> int:
    """How many check-in audit rows exist."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "entry.check_in"))


def test_check_in_page_shows_counts_search_and_buttons(client, db):
    event = make_open_event()
    add_entry(event, "王小明", 1, status=EntryStatus.PRESENT)
    add_entry(event, "李小红", 2)
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}/check-in"))
    assert re.search(r'data-count="total">.*?>2<', body, re.S) and re.search(r'data-count="present">.*?>1<', body, re.S)
    assert "王小明" in body and "李小红" in body and "到场" in body and "缺考" in body and "退赛" in body
    assert 'hx-post="/events/' in body and "entries-checkin.js" in body and "打印签到表" in body
    searched = html(client.get(f"/events/{event.id}/check-in?q=李"))
    assert "李小红" in searched and 'data-search="王小明' not in searched


def test_one_row_with_htmx_comes_back_saved_with_the_counts(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 1)
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/check-in", data={"status": "present"}, headers=HX)
    body = html(response)
    assert response.status_code == 200 and body.lstrip().startswith("<tr") and "已保存" in body
    assert 'hx-swap-oob="true"' in body and re.search(r'data-count="present">.*?>1<', body, re.S)
    assert statuses(db, [entry]) == [EntryStatus.PRESENT] and checked_in_rows(db) == 1


def test_one_row_without_javascript_redirects_back(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 1)
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/check-in?q=王", data={"status": "absent"})
    assert response.status_code == 302 and response.location == f"/events/{event.id}/check-in?q=%E7%8E%8B"
    assert "王小明：缺考，已保存。" in html(client.get(response.location))
    assert statuses(db, [entry]) == [EntryStatus.ABSENT]


def test_a_bad_state_is_refused(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 1)
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/check-in", data={"status": "asleep"}, headers=HX)
    assert response.status_code == 400 and "data-row-error" in html(response)
    assert statuses(db, [entry]) == [EntryStatus.REGISTERED]


def test_bulk_check_in_sets_every_ticked_entry(client, db):
    event = make_open_event()
    entries = [add_entry(event, name, seed) for seed, name in enumerate(("赵一", "钱二", "孙三"), 1)]
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/check-in", data={
        "status": "present", "entry_ids": [str(e.id) for e in entries[:2]]})
    assert response.status_code == 302
    assert "已将2人标记为“到场”" in html(client.get(response.location))
    assert statuses(db, entries) == [EntryStatus.PRESENT, EntryStatus.PRESENT, EntryStatus.REGISTERED]


def test_bulk_check_in_is_all_or_nothing(client, db):
    event = make_open_event()
    good = add_entry(event, "赵一", 1)
    out = add_entry(event, "钱二", 2, status=EntryStatus.DISQUALIFIED)
    foreign = add_entry(make_open_event(), "外赛项", 3)
    logged_in(client, db)
    refused = client.post(f"/events/{event.id}/check-in", data={"status": "absent",
                                                               "entry_ids": [str(good.id), str(out.id)]})
    assert refused.status_code == 409 and "已取消资格的选手不能再检录。" in html(refused)
    elsewhere = client.post(f"/events/{event.id}/check-in", data={"status": "absent",
                                                                 "entry_ids": [str(good.id), str(foreign.id)]})
    assert elsewhere.status_code == 400 and "不属于本赛项" in html(elsewhere)
    assert statuses(db, [good, out, foreign]) == [EntryStatus.REGISTERED, EntryStatus.DISQUALIFIED,
                                                  EntryStatus.REGISTERED]
    assert checked_in_rows(db) == 0
    nothing = client.post(f"/events/{event.id}/check-in", data={"status": "absent"})
    assert nothing.status_code == 400 and "请先勾选选手。" in html(nothing)
    garbage = client.post(f"/events/{event.id}/check-in", data={"status": "absent", "entry_ids": ["x"]})
    assert garbage.status_code == 400 and "所选选手无效" in html(garbage)


def test_check_in_is_for_staff_only(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 1)
    for role in (Role.JUDGE, Role.ENTERPRISE):
        logged_in(client, db, role)
        assert client.get(f"/events/{event.id}/check-in").status_code == 403
        response = client.post(f"/events/{event.id}/entries/{entry.id}/check-in", data={"status": "present"})
        assert response.status_code == 403 and "只有组委会可以检录。" in html(response)
        assert client.get(f"/events/{event.id}/sign-in-sheet.xlsx").status_code == 403
    assert statuses(db, [entry]) == [EntryStatus.REGISTERED]


def test_sign_in_sheet_is_a_printable_workbook_without_the_withdrawn(client, db):
    company = make_enterprise(name="苏州永鼎股份有限公司")
    event = make_open_event(venue="吴江区职业培训中心")
    add_entry(event, "王小明", 1, company)
    add_entry(event, "李退赛", 2, company, EntryStatus.WITHDRAWN)
    logged_in(client, db)
    response = client.get(f"/events/{event.id}/sign-in-sheet.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert "王小明" in values and "苏州永鼎股份有限公司" in values and "李退赛" not in values
    assert any("签到表" in str(v) for v in values) and any("吴江区职业培训中心" in str(v) for v in values)


def closed_event_with_present(db, count: int = 3):
    """A closed event with `count` present contestants."""
    event = make_open_event()
    entries = [add_entry(event, f"选手{'甲乙丙丁'[i]}", i + 1, status=EntryStatus.PRESENT) for i in range(count)]
    add_entry(event, "缺考者", 9, status=EntryStatus.ABSENT)
    event.status = EventStatus.CLOSED
    db.session.commit()
    return event, entries


def test_draw_page_counts_the_present_and_draws_with_a_seed(client, db):
    event, entries = closed_event_with_present(db)
    logged_in(client, db)
    page = html(client.get(f"/events/{event.id}/draw"))
    assert 'data-present="3"' in page and "开始抽签" in page and "data-confirm" in page
    response = client.post(f"/events/{event.id}/draw", data={"seed": "2026-吴江"})
    assert response.status_code == 302
    body = html(client.get(response.location))
    expected = draw_numbers([e.id for e in entries], "2026-吴江")
    assert "抽签完成：3名到场选手已获得参赛号。" in body and "2026-吴江" in body and 'data-replay="ok"' in body
    for entry in entries:
        assert re.search(rf">{expected[entry.id]}</td><td>{entry.person.name}<", body)
    assert "缺考者" not in body and "random.Random" in body
    assert db.session.get(Entry, entries[0].id).number == expected[entries[0].id]


def test_draw_without_a_seed_chooses_one(client, db):
    event, _ = closed_event_with_present(db, 2)
    logged_in(client, db)
    client.post(f"/events/{event.id}/draw", data={"seed": ""})
    db.session.expire_all()
    assert event.draw_seed and len(event.draw_seed) == 16


def test_draw_then_check_in_is_refused(client, db):
    event, entries = closed_event_with_present(db, 2)
    logged_in(client, db)
    client.post(f"/events/{event.id}/draw", data={"seed": "s"})
    response = client.post(f"/events/{event.id}/entries/{entries[0].id}/check-in", data={"status": "absent"},
                           headers=HX)
    assert response.status_code == 409 and "抽签后不能再修改检录状态。" in html(response)
    bulk = client.post(f"/events/{event.id}/check-in", data={"status": "absent", "entry_ids": [str(entries[1].id)]})
    assert bulk.status_code == 409 and "抽签后不能再修改检录状态。" in html(bulk)
    assert statuses(db, entries) == [EntryStatus.PRESENT, EntryStatus.PRESENT]
    assert "data-check-in-locked" in html(client.get(f"/events/{event.id}/check-in"))
    again = client.post(f"/events/{event.id}/draw", data={"seed": "other"})
    assert again.status_code == 409 and "只有报名截止后的赛项可以抽签。" in html(again)


def test_draw_is_refused_while_open_or_with_nobody_present(client, db):
    event = make_open_event()
    add_entry(event, "王小明", 1, status=EntryStatus.PRESENT)
    logged_in(client, db)
    assert "赛项仍在报名中" in html(client.get(f"/events/{event.id}/draw"))
    assert client.post(f"/events/{event.id}/draw", data={}).status_code == 409
    empty = make_event("closed")
    db.session.commit()
    assert "还没有到场的选手" in html(client.get(f"/events/{empty.id}/draw"))
    response = client.post(f"/events/{empty.id}/draw", data={"seed": "x"})
    assert response.status_code == 409 and "没有到场的选手，不能抽签。" in html(response)
    too_long = client.post(f"/events/{event.id}/draw", data={"seed": "x" * 65})
    assert too_long.status_code == 400 and "不超过64个字符。" in html(too_long)


def test_draw_is_for_organisers_only(client, db):
    event, _ = closed_event_with_present(db, 1)
    for role in (Role.JUDGE, Role.ENTERPRISE):
        logged_in(client, db, role)
        assert client.get(f"/events/{event.id}/draw").status_code == 403
        response = client.post(f"/events/{event.id}/draw", data={"seed": "x"})
        assert response.status_code == 403 and "只有组委会可以抽签。" in html(response)
    assert db.session.get(type(event), event.id).draw_seed is None


def test_draw_page_after_a_service_draw_shows_the_replay(client, db):
    event, entries = closed_event_with_present(db, 2)
    draw(SYSTEM, event, "abc")
    db.session.commit()
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}/draw"))
    ids = sorted(e.id for e in entries)
    assert 'data-replay="ok"' in body and f"ids={ids}" in body and "abc" in body
