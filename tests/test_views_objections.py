"""Objection pages (RULES.md §14): the form on the results page and the event's objections page, an organiser's
filing for a caller, the season's queue with its filters and pages, the 复核 page, the decisions, and what the
public page says during the notice."""
import pytest

from competition.models import AuditEntry, EventStatus, Objection, ObjectionChannel, ObjectionState
from competition.services.audit import Actor
from competition.services.results import objections as service
from tests.clients import html, login_afresh
from tests.counting import statements
from tests.objection_builders import AFTER_NOTICE, NOTICE_ENDS, PUBLISHED_ON, make_objection, noticed_world


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The league's 'today' (Beijing): the day of publication, unless a test moves it."""
    def set_today(day):
        monkeypatch.setattr("competition.services.results.lifecycle.beijing_today", lambda: day)
    set_today(PUBLISHED_ON)
    return set_today


def stored(db) -> list[Objection]:
    """Every objection, oldest first."""
    return list(db.session.scalars(db.select(Objection).order_by(Objection.id)))


def test_the_host_objects_from_the_results_page_for_its_own_employees_only(client, db):
    world, firm, _ = noticed_world(hosted=True)
    db.session.commit()
    login_afresh(client, firm)
    page = html(client.get(f"/events/{world.event.id}/results"))
    assert 'data-section="objections"' in page and 'data-form="objection"' in page
    assert '<option value="001">' in page and '<option value="002">' not in page
    assert f"公示期内（至 {NOTICE_ENDS}，含当日）受理对成绩的异议。" in page
    filed = client.post(f"/events/{world.event.id}/objections", data={"number": "001", "reason": "工艺质量分偏低"})
    assert filed.status_code == 302 and filed.headers["Location"].endswith(f"/events/{world.event.id}/objections")
    objection, = stored(db)
    assert (objection.entry.number, objection.channel, objection.filed_by_id) == ("001", ObjectionChannel.ONLINE, firm.id)
    assert objection.notice_ends_on == NOTICE_ENDS and objection.objector is None
    page = html(client.get(f"/events/{world.event.id}/results"))
    assert 'data-objection-state="received"' in page and "工艺质量分偏低" in page


def test_an_enterprise_files_on_the_event_page_and_is_refused_for_another_enterprises_entry(client, db):
    world, firm, rival = noticed_world()
    db.session.commit()
    login_afresh(client, rival)
    url = f"/events/{world.event.id}/objections"
    page = html(client.get(url))
    assert '<option value="002">' in page and '<option value="001">' not in page and "data-empty-state" in page
    refused = client.post(url, data={"number": "001", "reason": "替恒力提出"})
    assert refused.status_code == 403 and stored(db) == []
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "refused"))
    assert (audit.object_type, audit.object_id, audit.user_id) == ("Event", world.event.id, rival.id)
    blank = client.post(url, data={"number": "002", "reason": ""})
    assert blank.status_code == 400 and "请写明异议的内容和理由。" in html(blank) and stored(db) == []
    unknown = client.post(url, data={"number": "099", "reason": "复核"})
    assert unknown.status_code == 400 and "本赛项没有参赛号为 099 的选手" in html(unknown)
    assert client.post(url, data={"number": "002", "reason": "安全文明分有误"}).status_code == 302
    page = html(client.get(url))
    assert "安全文明分有误" in page and 'data-state="received"' in page and "选手" in page
    login_afresh(client, firm)
    assert "安全文明分有误" not in html(client.get(url))  # another enterprise's objection


def test_an_organiser_records_an_objection_made_by_phone(client, db):
    world, _, _ = noticed_world()
    db.session.commit()
    login_afresh(client, world.organiser)
    url = f"/events/{world.event.id}/objections"
    page = html(client.get(url))
    assert "代为登记异议" in page and '<option value="001">' in page and '<option value="002">' in page
    response = client.post(url, data={"number": "002", "reason": "选手本人来电反映用时记录有误", "objector": "选手本人",
                                      "contact": "13912345678", "channel": "phone"})
    assert response.status_code == 302
    objection, = stored(db)
    assert (objection.channel, objection.objector, objection.contact) == (ObjectionChannel.PHONE, "选手本人", "13912345678")
    page = html(client.get(url))
    assert "选手本人" in page and "电话" in page
    results = html(client.get(f"/events/{world.event.id}/results"))
    assert 'data-open-objections="1"' in results


def test_after_the_notice_the_page_says_so_and_filing_is_409(client, db, today):
    world, firm, _ = noticed_world()
    db.session.commit()
    today(AFTER_NOTICE)
    login_afresh(client, firm)
    url = f"/events/{world.event.id}/objections"
    page = html(client.get(url))
    assert 'data-notice="over"' in page and f"公示期已于 {NOTICE_ENDS} 结束，不再受理异议。" in page
    assert 'data-form="objection"' not in page
    late = client.post(url, data={"number": "001", "reason": "迟到"})
    assert late.status_code == 409 and "不再受理异议" in html(late) and stored(db) == []


def test_the_season_queue_filters_pages_and_has_empty_states(app, client, db):
    world, firm, rival = noticed_world()
    make_objection(world, firm, "001", "第一件")
    make_objection(world, rival, "002", "第二件")
    service.dismiss(Actor(world.organiser), make_objection(world, rival, "002", "第三件"), "不成立")
    db.session.commit()
    season = world.event.season_id
    login_afresh(client, firm)
    assert client.get(f"/seasons/{season}/objections").status_code == 403
    login_afresh(client, world.organiser)
    assert client.get("/objections").status_code == 302
    page = html(client.get(f"/seasons/{season}/objections"))
    assert page.count('data-objection="') == 3 and "第一件" in page and "不成立" in page
    assert page.index("第二件") < page.index("第三件")  # undecided first
    received = html(client.get(f"/seasons/{season}/objections?state=received"))
    assert received.count('data-objection="') == 2 and "第三件" not in received
    upheld = html(client.get(f"/seasons/{season}/objections?state=upheld"))
    assert "data-empty-state" in upheld and "没有符合条件的异议" in upheld
    assert "data-empty-state" in html(client.get(f"/seasons/{season}/objections?event=999999"))
    app.config["PER_PAGE"] = 2
    first, second = (html(client.get(f"/seasons/{season}/objections?page={n}")) for n in (1, 2))
    assert first.count('data-objection="') == 2 and second.count('data-objection="') == 1 and "第 2 / 2 页" in second
    ignored = client.get(f"/seasons/{season}/objections?state=nonsense")
    assert ignored.status_code == 200 and html(ignored).count('data-objection="') == 2  # the bad filter is dropped


def test_the_season_queue_queries_do_not_grow_with_objections(client, db):
    counts = []
    worlds = []
    for n in (1, 6):
        world, firm, _ = noticed_world()
        for i in range(n):
            make_objection(world, firm, "001", f"第{i}件")
        worlds.append(world)
    db.session.commit()
    login_afresh(client, worlds[0].organiser)
    for world in worlds:
        url = f"/seasons/{world.event.season_id}/objections"
        client.get(url)
        counts.append(statements(db, lambda u=url: client.get(u)))
    assert counts[0] == counts[1], counts


def test_the_review_page_shows_marks_explanation_and_history_side_by_side(client, db):
    world, firm, _ = noticed_world()
    objection = make_objection(world, firm)
    db.session.commit()
    login_afresh(client, firm)
    assert client.get(f"/objections/{objection.id}").status_code == 403
    login_afresh(client, world.organiser)
    page = html(client.get(f"/objections/{objection.id}"))
    for section in ("objection", "marks", "explanation", "history", "decide"):
        assert f'data-section="{section}"' in page, section
    assert page.count("裁判 ") >= 3 and world.judges[1].display_name in page
    assert ">50.00<" in page and ">30.00<" in page and ">80.00<" in page  # quality, safety, the theory measurement
    assert "总分 80.00" in page and "80×30% + 80×70% = 80" in page  # the row's explanation
    assert page.count("<tr>") >= 3 and "测量/客观分" in page  # the history: theory value and each judge's marks
    assert 'data-confirm="确定认定异议成立吗？' in page and 'data-confirm="确定认定异议不成立吗？' in page


def test_dismissing_needs_a_reason_and_the_filer_reads_it(client, db):
    world, firm, _ = noticed_world(hosted=True)
    objection = make_objection(world, firm)
    db.session.commit()
    login_afresh(client, world.organiser)
    blank = client.post(f"/objections/{objection.id}/dismiss", data={"reason": ""})
    assert blank.status_code == 400 and "请填写处理理由。" in html(blank)
    assert client.post(f"/objections/{objection.id}/dismiss", data={"reason": "评分与评分表一致"}).status_code == 302
    db.session.refresh(objection)
    assert objection.state is ObjectionState.DISMISSED and objection.decided_by_id == world.organiser.id
    again = client.post(f"/objections/{objection.id}/uphold", data={"reason": "再议"})
    assert again.status_code == 409 and "已经处理" in html(again)
    login_afresh(client, firm)
    page = html(client.get(f"/events/{world.event.id}/objections"))
    assert "评分与评分表一致" in page and 'data-objection-state="dismissed"' in page
    assert "评分与评分表一致" in html(client.get(f"/events/{world.event.id}/results"))


def test_upholding_returns_the_event_to_scoring(client, db):
    world, firm, _ = noticed_world()
    objection = make_objection(world, firm)
    db.session.commit()
    login_afresh(client, world.organiser)
    response = client.post(f"/objections/{objection.id}/uphold", data={"reason": "确有录入错误"}, follow_redirects=True)
    assert response.status_code == 200 and "已认定异议成立" in html(response)
    assert 'data-event-status="scoring"' in html(response)
    db.session.refresh(world.event)
    assert world.event.status is EventStatus.SCORING and world.event.notice_ends_on is None
    assert "异议成立" in html(client.get(f"/events/{world.event.id}/objections"))


def test_the_public_page_says_until_when_and_how_objections_are_received(client, db):
    world, firm, _ = noticed_world()
    db.session.commit()
    page = html(client.get(f"/public/events/{world.event.id}"))
    assert (f"对成绩有异议的，请于 {NOTICE_ENDS}（含当日）前通过本单位企业账号在系统中提出，或向组委会书面/电话反映。"
            in page)
    assert 'data-link="objections"' not in page
    login_afresh(client, firm)
    assert f'href="/events/{world.event.id}/objections"' in html(client.get(f"/public/events/{world.event.id}"))
