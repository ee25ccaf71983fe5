"""China's working calendar through the service, the API, publication and the calendar page (RULES.md §9)."""
from datetime import date

import pytest

from competition.models import AuditEntry, Role
from competition.services.calendar import official_days, year_view
from tests.builders import make_user
from tests.clients import Api, bearer, html, login_afresh
from tests.marking_builders import WORKED, make_world
from tests.calendar_2026 import STATE_COUNCIL_2026, WORKDAYS_2026

D = date


@pytest.fixture
def today(monkeypatch):
    """Set the league's 'today' (Beijing) for publication and for the results page."""
    def set_today(day: date):
        for module in ("competition.services.results.lifecycle", "competition.views.results"):
            monkeypatch.setattr(f"{module}.beijing_today", lambda: day)
    return set_today


@pytest.fixture
def without_official(monkeypatch):
    """The package as if it knew nothing after 2026 (it knows nothing of 2027 today; this keeps the tests true when
    a later release does)."""
    from competition.services import calendar

    monkeypatch.setattr(calendar, "OFFICIAL_YEARS", frozenset(y for y in calendar.OFFICIAL_YEARS if y <= 2026))


def signed_off(client) -> Api:
    """A scored, signed-off event through the API."""
    api = Api(client, make_world(1, judges=5))
    api.fill("001", *WORKED)
    api.submit_all()
    assert api.post(api.judge(0), "sign-off").status_code == 200
    return api


def test_the_package_agrees_with_the_state_councils_2026_notice(app):
    kinds = {day: kind for day, (kind, _) in official_days(2026).items()}
    assert kinds == STATE_COUNCIL_2026
    names = official_days(2026)
    assert names[D(2026, 10, 1)] == ("holiday", "国庆节") and names[D(2026, 2, 14)] == ("workday", "春节")
    assert {day: names[day][1] for day in WORKDAYS_2026} == WORKDAYS_2026


def test_get_a_year_says_where_its_data_comes_from(client, db, without_official):
    judge = make_user(Role.JUDGE)
    got = client.get("/api/v1/calendar/2026", headers=bearer(judge))
    assert got.status_code == 200
    body = got.get_json()
    assert body["year"] == 2026 and body["source"] == "official" and body["official"] is True
    days = {d["date"]: (d["kind"], d["name"]) for d in body["days"]}
    assert days["2026-10-10"] == ("workday", "国庆节") and days["2026-10-01"] == ("holiday", "国庆节")
    assert "2026-10-03" not in days  # a Saturday off does not differ from Monday-Friday
    assert len(days) == 25 and body["entered"] == []
    assert client.get("/api/v1/calendar/2027", headers=bearer(judge)).get_json()["source"] == "none"
    assert client.get("/api/v1/calendar/2026").status_code == 401
    assert client.get("/api/v1/calendar/1999", headers=bearer(judge)).status_code == 400


def test_an_admin_enters_a_year_and_each_day_overrides_the_package(client, db, without_official):
    admin = make_user(Role.ADMIN)
    body = {"days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                     {"date": "2027-02-06", "kind": "holiday", "name": "春节"},
                     {"date": "2027-02-20", "kind": "workday", "name": "春节"}]}
    put = client.put("/api/v1/calendar/2027", json=body, headers=bearer(admin))
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["source"] == "entered"
    assert [d["date"] for d in put.get_json()["days"]] == ["2027-01-01", "2027-02-20"]  # 6 Feb is a Saturday
    assert len(put.get_json()["entered"]) == 3
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "calendar.replace"))
    assert audit.object_id == 2027 and audit.before["source"] == "none" and audit.after["source"] == "entered"
    # 2026: one override on top of the package, a holiday the package has turned back into a working day
    override = {"days": [{"date": "2026-10-08", "kind": "workday", "name": "补班"},
                         {"date": "2026-12-31", "kind": "holiday", "name": "测试"}]}
    got = client.put("/api/v1/calendar/2026", json=override, headers=bearer(admin)).get_json()
    assert got["source"] == "entered"
    days = {d["date"]: (d["kind"], d["origin"]) for d in got["days"]}
    assert days["2026-10-01"] == ("holiday", "official") and days["2026-12-31"] == ("holiday", "entered")
    assert "2026-10-08" not in days  # a Thursday worked is an ordinary day
    assert client.put("/api/v1/calendar/2026", json={"days": []}, headers=bearer(admin)).get_json()["source"] \
        == "official"


@pytest.mark.parametrize("days, field", [
    ([{"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}], "days.0.date"),  # not in 2027
    ([{"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}] * 2, "days.1.date"),
    ([{"date": "2027-10-01", "kind": "holiday", "name": "国" * 51}], "days.0.name"),
])
def test_bad_days_are_refused_with_each_problem_and_nothing_saved(client, db, days, field):
    admin = make_user(Role.ADMIN)
    refused = client.put("/api/v1/calendar/2027", json={"days": days}, headers=bearer(admin))
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert field in {d.get("field") for d in error["details"]}, error
    assert year_view(2027)["entered"] == []


def test_only_an_admin_enters_days(client, db):
    for role in (Role.ORGANISER, Role.ENTERPRISE, Role.JUDGE):
        user = make_user(role) if role is not Role.ENTERPRISE else make_user(role, enterprise_id=None)
        refused = client.put("/api/v1/calendar/2027", json={"days": []}, headers=bearer(user))
        assert refused.status_code == 403, role
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "calendar.replace")) == 0


def test_publishing_into_a_year_without_data_is_409_until_an_admin_enters_it(client, db, today, without_official):
    today(D(2026, 12, 29))  # Tuesday: 30, 31, then 2027
    api = signed_off(client)
    refused = api.post(api.world.organiser, "publish")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "calendar_missing" and "2027年" in error["message"] and "工作日历" in error["message"]
    assert error["details"][0]["year"] == 2027
    status = api.get(api.world.organiser, "results").get_json()["status"]
    assert status == "signed_off"  # nothing changed
    admin = make_user(Role.ADMIN)
    entered = {"days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                        {"date": "2027-01-04", "kind": "holiday", "name": "元旦"}]}
    assert client.put("/api/v1/calendar/2027", json=entered, headers=bearer(admin)).status_code == 200
    published = api.post(api.world.organiser, "publish")
    assert published.status_code == 200
    # 30, 31 December; 1 January off (entered), 2-3 a weekend, 4 January off (entered): 5, 6, 7 January
    assert published.get_json()["notice_ends_on"] == "2027-01-07"


def test_a_published_notice_keeps_its_end_when_the_calendar_changes(client, db, today):
    today(D(2026, 9, 30))
    api = signed_off(client)
    assert api.post(api.world.organiser, "publish").get_json()["notice_ends_on"] == "2026-10-13"
    admin = make_user(Role.ADMIN)
    moved = {"days": [{"date": "2026-10-08", "kind": "holiday", "name": "临时调整"}]}
    assert client.put("/api/v1/calendar/2026", json=moved, headers=bearer(admin)).status_code == 200
    assert api.get(None, "results").get_json()["notice_ends_on"] == "2026-10-13"


def test_the_results_page_tells_the_organiser_before_publishing(client, db, today, without_official):
    api = signed_off(client)
    page_url = f"/events/{api.event_id}/results"
    today(D(2026, 10, 9))
    login_afresh(client, api.world.organiser)
    page = html(client.get(page_url))
    assert "今天公示，公示期至 2026-10-15 结束。" in page and "调休上班日计入" in page
    today(D(2026, 12, 28))
    page = html(client.get(page_url))
    assert "data-calendar-missing" in page and "2027年" in page
    assert "录入工作日历" not in page  # an organiser cannot enter it: no link
    admin = make_user(Role.ADMIN)
    login_afresh(client, admin)
    assert '/calendar/2027">' in html(client.get(page_url))


def test_the_calendar_page_draws_the_year_and_an_admin_enters_days(client, db, without_official):
    admin = make_user(Role.ADMIN)
    login_afresh(client, admin)
    page = html(client.get("/calendar/2026"))
    assert 'data-calendar-source="official"' in page
    assert 'data-date="2026-10-10" data-kind="workday"' in page and 'data-date="2026-10-05" data-kind="holiday"' in page
    assert 'data-date="2026-10-12" data-kind="workday"' in page and 'data-date="2026-10-11" data-kind="holiday"' in page
    assert 'data-year="2027" data-source="none"' in page
    missing = html(client.get("/calendar/2027"))
    assert 'data-calendar-source="none"' in missing and "公示期跨入2027年的赛项将无法公示" in missing
    bad = client.post("/calendar/2027", data={"days": "2027-01-01 休 元旦\n2027-13-01 休 错\n2026-05-01 班 劳动节"})
    assert bad.status_code == 400
    text = html(bad)
    assert "第2行：日期无效" in text and "第3行：2026-05-01 不在2027年" in text and "2027-13-01 休 错" in text
    assert year_view(2027)["entered"] == []
    saved = client.post("/calendar/2027", data={"days": "2027-01-01 休 元旦\n\n2027-02-20　班　春节\n"})
    assert saved.status_code == 302
    assert [(d["date"], d["kind"], d["name"]) for d in year_view(2027)["entered"]] == [
        (D(2027, 1, 1), "holiday", "元旦"), (D(2027, 2, 20), "workday", "春节")]
    page = html(client.get("/calendar/2027"))
    assert 'data-calendar-source="entered"' in page and "2027-02-20 班 春节" in page
    assert 'data-date="2027-02-20" data-kind="workday"' in page


def test_organisers_read_the_calendar_and_others_are_refused(client, db):
    organiser = make_user(Role.ORGANISER)
    login_afresh(client, organiser)
    page = client.get("/calendar/2026")
    assert page.status_code == 200 and "<textarea" not in html(page)
    assert client.post("/calendar/2026", data={"days": ""}).status_code == 403
    assert client.get("/calendar").status_code == 302
    login_afresh(client, make_user(Role.JUDGE))
    assert client.get("/calendar/2026").status_code == 403


def test_the_demo_waits_signed_off_when_todays_notice_runs_into_a_year_without_data(app, db, monkeypatch,
                                                                                 without_official):
    from competition.models import Event

    monkeypatch.setattr("competition.demo.results.beijing_today", lambda: D(2026, 12, 29))
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    lathe = db.session.scalar(db.select(Event).where(Event.occupation == "车工"))
    assert lathe.status.value == "signed_off" and lathe.notice_ends_on is None and lathe.published_at is None
