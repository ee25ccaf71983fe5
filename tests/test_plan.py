"""The annual plan (年度竞赛计划, issue 21 item 5; RULES.md §17): the season's district events and approved enterprise
events by date, public without login and without personal data, on a page, in an xlsx and through the API."""
import io
from datetime import date

from openpyxl import load_workbook

from competition.models import EventStatus, Role
from tests.builders import make_enterprise, make_entry, make_event, make_season, make_user
from tests.clients import html
from tests.support_builders import ask_judges, grant, make_plan_event, pool_judges


def _scene(db):
    """A season with every kind of event the plan lists or leaves out, and granted support on one."""
    season = make_season(year=2026, name="2026年吴江职业技能联赛")
    host = make_enterprise(name="恒力化纤股份有限公司")
    listed = {
        "district": make_event("open", season, name="吴江区电工职业技能竞赛", event_date=date(2026, 6, 15),
                               registration_deadline=date(2026, 6, 1), level=3, occupation="电工"),
        "district_draft": make_event("draft", season, name="吴江区焊工职业技能竞赛", event_date=date(2026, 11, 2),
                                     registration_deadline=date(2026, 10, 1)),
        "approved": make_plan_event("approved", host=host, season=season, name="恒力纺丝工技能竞赛",
                                    event_date=date(2026, 3, 20), registration_deadline=date(2026, 3, 1), level=4,
                                    occupation="化纤纺丝工", venue="恒力盛泽厂区"),
        "final": make_plan_event("open", host=host, season=season, name="恒力络筒工技能竞赛",
                                 event_date=date(2026, 9, 18), registration_deadline=date(2026, 9, 1)),
    }
    left_out = {
        "cancelled_district": make_event("cancelled", season, name="已取消的区级赛"),
        **{status: make_plan_event(status, host=host, season=season, name=f"企业赛{status}")
           for status in ("draft", "submitted", "rejected", "cancelled")},
        "other_season": make_plan_event("approved", host=host, name="另一年度的企业赛"),
    }
    support = ask_judges(listed["approved"])
    lent = pool_judges(1)[0]
    lent.display_name = "借调裁判周敏"
    grant(support, [lent], cost=1000)
    refused = ask_judges(listed["final"], kinds=("venue",))
    from competition.services.audit import Actor
    from competition.services.events.support import SupportDecision, decide_support
    decide_support(Actor(make_user(Role.ORGANISER)), refused, SupportDecision("refuse", reason="场地由企业自备。"))
    listed["final"].status = EventStatus.FINAL
    entry = make_entry(listed["district"], "001")
    db.session.commit()
    return season, listed, left_out, entry


def test_the_plan_lists_district_and_approved_enterprise_events_by_date(app, client, db):
    season, listed, left_out, _entry = _scene(db)
    body = client.get(f"/api/v1/seasons/{season.id}/plan").get_json()
    assert (body["season_id"], body["year"]) == (season.id, 2026)
    items = body["items"]
    assert [i["event_id"] for i in items] == [listed[k].id for k in ("approved", "district", "final", "district_draft")]
    assert not {e.id for e in left_out.values()} & {i["event_id"] for i in items}
    first = items[0]
    assert first == {"event_id": listed["approved"].id, "name": "恒力纺丝工技能竞赛", "kind": "enterprise",
                     "occupation": "化纤纺丝工", "level": 4, "event_date": "2026-03-20", "host": "恒力化纤股份有限公司",
                     "venue": "恒力盛泽厂区", "support": ["judges", "question_setting"]}
    assert items[1]["host"] == "区组委会" and items[1]["kind"] == "district"
    assert items[2]["support"] == []  # refused support is no support


def test_the_page_is_public_and_shows_levels_hosts_and_support(app, client, db):
    season, listed, left_out, _entry = _scene(db)
    page = client.get(f"/seasons/{season.id}/plan")
    assert page.status_code == 200
    text = html(page)
    assert "吴江区2026年度职业技能竞赛计划" in text
    assert text.index("恒力纺丝工技能竞赛") < text.index("吴江区电工职业技能竞赛") < text.index("恒力络筒工技能竞赛")
    assert "四级/中级工" in text and "区组委会" in text and "裁判支持、命题" in text
    assert all(e.name not in text for e in left_out.values())
    assert client.get("/plan").status_code == 200 and "恒力纺丝工技能竞赛" in html(client.get("/plan"))
    assert client.get("/seasons/999999/plan").status_code == 404


def test_the_plan_holds_no_personal_data(app, client, db):
    season, _listed, _left_out, entry = _scene(db)
    person = entry.person
    page = html(client.get(f"/seasons/{season.id}/plan"))
    api = client.get(f"/api/v1/seasons/{season.id}/plan").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/seasons/{season.id}/plan.xlsx").data))
    cells = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    for text in (page, api, cells):
        assert person.name not in text and person.id_number not in text and person.id_number[-6:] not in text
        assert "借调裁判周敏" not in text  # a lent judge is a person too


def test_the_workbook_is_in_the_districts_form(app, client, db):
    season, listed, _left_out, _entry = _scene(db)
    answer = client.get(f"/seasons/{season.id}/plan.xlsx")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "吴江区2026年度职业技能竞赛计划"
    header = rows[2]
    assert list(header) == ["序号", "竞赛名称", "类别", "职业（工种）", "等级", "竞赛日期", "承办单位", "竞赛地点", "技术支持"]
    data = [row for row in rows[3:] if isinstance(row[0], int)]
    assert [row[0] for row in data] == [1, 2, 3, 4]
    assert data[0][1:5] == ("恒力纺丝工技能竞赛", "企业赛", "化纤纺丝工", "四级/中级工")
    assert data[0][5].date() == date(2026, 3, 20) and data[0][6:] == ("恒力化纤股份有限公司", "恒力盛泽厂区", "裁判支持、命题")
    assert data[1][6] == "区组委会"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$3"


def test_anonymous_visitors_reach_the_plan_from_the_public_pages(app, client, db):
    season, *_ = _scene(db)
    assert "/plan" in html(client.get("/public"))
    assert client.get(f"/seasons/{season.id}/plan.xlsx").status_code == 200
    assert client.get(f"/api/v1/seasons/{season.id}/plan").status_code == 200


def test_the_season_page_links_to_its_plan(app, client, db):
    from tests.clients import login

    season = make_season()
    user = make_user(Role.ENTERPRISE)
    db.session.commit()
    login(client, user)
    assert f"/seasons/{season.id}/plan" in html(client.get(f"/seasons/{season.id}"))


def test_an_empty_season_says_so(app, client, db):
    season = make_season()
    db.session.commit()
    assert "本年度计划暂无赛项" in html(client.get(f"/seasons/{season.id}/plan"))
    assert client.get(f"/api/v1/seasons/{season.id}/plan").get_json()["items"] == []
