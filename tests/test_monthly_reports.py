"""Monthly feedback to the towns (RULES.md §17, issue 21 item 2): the figures of a constructed month in two towns
beside the district's and the year to date, regenerating replaces, the CLI (with --month, and on the first working
day only without it), the workbook as filed, and who may see which report (pages and API)."""
import io
from datetime import date

import openpyxl
import pytest

from competition.extensions import db as _db
from competition.models import AuditEntry, MonthlyReport
from competition.services.audit import SYSTEM
from competition.services.calendar import working_calendar
from competition.services.reports import monthly
from competition.services.towns import town_names
from tests.monthly_builders import MARCH, PINGWANG, TONGLI, build_month

TOWN_COUNT_NOTE = "one report per town of the league's list"


@pytest.fixture
def april(monkeypatch):
    """Today (Beijing) is 1 April 2026: March has ended."""
    monkeypatch.setattr(monthly, "beijing_today", lambda: date(2026, 4, 1))


@pytest.fixture
def month(db, april):
    return build_month()


def _report(town: str, when: date = MARCH) -> MonthlyReport:
    return _db.session.scalar(_db.select(MonthlyReport).where(MonthlyReport.town == town, MonthlyReport.month == when))


def _rows(report: MonthlyReport) -> dict:
    return {row["key"]: row for row in report.figures["rows"]}


def _count() -> int:
    return _db.session.scalar(_db.select(_db.func.count(MonthlyReport.id)))


def test_figures_of_each_town_beside_the_district_and_the_year_to_date(month, db):
    reports = monthly.generate_month(SYSTEM, MARCH)
    db.session.commit()
    assert len(reports) == len(town_names()), TOWN_COUNT_NOTE
    tongli, pingwang = _rows(_report(TONGLI)), _rows(_report(PINGWANG))
    # participants: present or disqualified, in held events of March; the draft and April's never count
    assert (tongli["participants"]["town"], pingwang["participants"]["town"], tongli["participants"]["district"]) == \
        (2, 3, 6)
    assert tongli["participants"]["share"] == "33.3" and pingwang["participants"]["share"] == "50.0"
    # events: E1 (A's participants) and E2 (hosted by A); B took part in both
    assert (tongli["events"]["town"], pingwang["events"]["town"], tongli["events"]["district"]) == (2, 2, 2)
    assert (tongli["prizes"]["town"], tongli["prizes"]["district"], pingwang["prizes"]["town"]) == (1, 2, 1)
    assert tongli["prizes:一等奖"]["town"] == 1 and tongli["prizes:二等奖"]["town"] == 0
    assert tongli["prizes:二等奖"]["district"] == 1
    # the title awarded at 23:30 on 31 March in Beijing counts; the one at 00:30 on 1 April does not
    assert (tongli["titles"]["town"], tongli["titles"]["district"], pingwang["titles"]["town"]) == (1, 1, 0)
    assert (tongli["subsidies"]["town"], tongli["subsidies"]["district"], pingwang["subsidies"]["town"]) == \
        (5000, 5000, 0)
    # a reward goes to the enterprise's town, else the town named; a rejected one never counts
    assert (tongli["rewards"]["town"], pingwang["rewards"]["town"], tongli["rewards"]["district"]) == (1000, 2000, 3000)
    # the year to date adds February (E4: one participant, a 三等奖; a subsidy of 3,000 to B)
    assert (tongli["participants"]["town_ytd"], tongli["participants"]["district_ytd"]) == (3, 7)
    assert (tongli["prizes"]["town_ytd"], tongli["prizes"]["district_ytd"], tongli["prizes:三等奖"]["town_ytd"]) == \
        (2, 3, 1)
    assert tongli["prizes:三等奖"]["town"] == 0
    assert (pingwang["subsidies"]["town_ytd"], pingwang["subsidies"]["district_ytd"]) == (3000, 8000)
    assert tongli["events"]["district_ytd"] == 3
    # a town with nothing: zeros, its share 0.0; a district with nothing: no share
    quiet = _rows(_report("七都镇"))
    assert quiet["participants"]["town"] == 0 and quiet["participants"]["share"] == "0.0"
    assert quiet["titles"]["share"] == "0.0" and quiet["titles"]["district"] == 1
    assert quiet["prizes:三等奖"]["district"] == 0 and quiet["prizes:三等奖"]["share"] is None


def test_the_lists_mask_names_and_show_the_towns_own(month, db):
    monthly.generate_month(SYSTEM, MARCH)
    figures = _report(TONGLI).figures
    assert [e["name"] for e in figures["events"]] == ["三月区级电工竞赛", "同里企业焊工比武"]
    hosted = figures["events"][1]
    assert hosted["hosted"] and hosted["town_participants"] == 0 and hosted["participants"] == 1
    assert figures["events"][0]["town_participants"] == 2 and figures["events"][0]["participants"] == 5
    assert [(p["event"], [(i["name"], i["prize"]) for i in p["items"]]) for p in figures["prizes"]] == \
        [("三月区级电工竞赛", [("欧**娜", "一等奖")])]
    assert [t["name"] for t in figures["titles"]] == ["李*明"]
    assert sorted((p["kind"], p["amount"]) for p in figures["payments"]) == [("reward", 1000), ("subsidy", 5000)]
    reward = next(p for p in figures["payments"] if p["kind"] == "reward")
    assert reward["payee"].startswith("欧**娜") and "欧阳娜娜" not in str(figures)
    assert [p["payee"] for p in _report(PINGWANG).figures["payments"]] == [PINGWANG]


def test_regenerating_replaces_the_report_and_audits_it(month, db):
    first = monthly.generate_month(SYSTEM, MARCH)
    db.session.commit()
    report = _report(TONGLI)
    report_id, generated = report.id, report.generated_at
    monthly.mark_seen(report, TONGLI)
    db.session.commit()
    assert _report(TONGLI).first_seen_at is not None
    again = monthly.regenerate(SYSTEM, _report(TONGLI))
    db.session.commit()
    assert again.id == report_id and _count() == len(first)
    assert again.first_seen_at is None and again.generated_at >= generated
    audits = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "monthly_report.generate",
                                                            AuditEntry.object_id == report_id)).all()
    assert [a.after["replaced"] for a in audits] == [False, True]
    assert audits[0].after["participants"] == 2 and audits[0].after["town"] == TONGLI


def test_someone_elses_opening_leaves_the_badge(month, db):
    monthly.generate_month(SYSTEM, MARCH)
    report = _report(TONGLI)
    assert not monthly.mark_seen(report, PINGWANG) and not monthly.mark_seen(report, None)
    assert report.first_seen_at is None
    assert monthly.mark_seen(report, TONGLI) and not monthly.mark_seen(report, TONGLI)


def test_a_month_not_begun_or_malformed_is_refused(month, db):
    from competition.errors import Invalid

    with pytest.raises(Invalid):
        monthly.generate_month(SYSTEM, date(2026, 5, 1))
    for text in ("2026-13", "26-03", "2026-3", "２０２６-03", "", "2026-03-01"):
        with pytest.raises(Invalid):
            monthly.parse_month(text)
    assert monthly.parse_month("2026-03") == MARCH
    assert _count() == 0


def test_the_workbook_is_filed_as_an_office_files_it(month, db):
    monthly.generate_month(SYSTEM, MARCH)
    db.session.commit()
    report = _report(TONGLI)
    book = openpyxl.load_workbook(io.BytesIO(report.workbook))
    assert book.sheetnames == ["汇总", "赛项", "获奖", "技术能手", "资金拨付"]
    summary = book["汇总"]
    assert summary["A1"].value == "吴江区职业技能联赛 同里镇 2026年3月 高技能人才培养情况反馈"
    assert summary["A2"].value == "统计期间：2026-03-01至2026-03-31；年度累计：2026-01-01至2026-03-31"
    header = [c.value for c in summary[3]]
    assert header[:4] == ["项目", "单位", "本镇（区）本月", "全区本月"] and "全区年度累计" in header
    participants = [c.value for c in summary[4]]
    assert participants[:4] == ["参赛人数", "人次", 2, 6] and participants[5:7] == [3, 7]
    assert round(participants[4], 3) == 0.333 and summary.cell(4, 5).number_format == "0.0%"
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.freeze_panes is not None
    titles = [[c.value for c in row] for row in book["技术能手"].iter_rows(min_row=4)]
    assert titles[0][1] == "李*明" and titles[0][5] == 3000
    prizes = [[c.value for c in row] for row in book["获奖"].iter_rows(min_row=4)]
    assert [(r[3], r[5]) for r in prizes] == [("欧**娜", "一等奖")]
    money = [[c.value for c in row] for row in book["资金拨付"].iter_rows(min_row=4)]
    assert money[-1][1] == "合计" and money[-1][4] == 6000
    assert "欧阳娜娜" not in str([[c.value for c in row] for s in book.worksheets for row in s.iter_rows()])


# The scheduled run

def test_cli_with_a_month_twice_writes_each_town_once(month, app, db):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["monthly-reports", "--month", "2026-03"])
        assert result.exit_code == 0, result.output
        assert "2026年3月" in result.output
    db.session.expire_all()
    assert _count() == len(town_names())
    assert _db.session.scalar(_db.select(_db.func.count(AuditEntry.id))
                              .where(AuditEntry.action == "monthly_report.generate")) == 2 * len(town_names())


def test_cli_refuses_a_bad_month(app, db):
    result = app.test_cli_runner().invoke(args=["monthly-reports", "--month", "2026/03"])
    assert result.exit_code != 0 and "2026-11" in result.output
    assert _count() == 0


@pytest.mark.parametrize(("today", "reported"), [
    (date(2026, 10, 8), date(2026, 9, 1)),  # after the National Day holidays: the first working day of October
    (date(2026, 1, 4), date(2025, 12, 1)),  # a Sunday, but a 调休 working day: the first of January 2026
    (date(2026, 6, 1), date(2026, 5, 1)),
])
def test_cli_without_a_month_runs_on_the_first_working_day(app, db, monkeypatch, today, reported):
    monkeypatch.setattr(monthly, "beijing_today", lambda: today)
    result = app.test_cli_runner().invoke(args=["monthly-reports"])
    assert result.exit_code == 0, result.output
    assert {r.month for r in _db.session.scalars(_db.select(MonthlyReport))} == {reported}
    assert _count() == len(town_names())


@pytest.mark.parametrize("today", [date(2026, 10, 1), date(2026, 10, 9), date(2026, 1, 5), date(2026, 6, 2)])
def test_cli_without_a_month_on_another_day_does_nothing(app, db, monkeypatch, today):
    monkeypatch.setattr(monthly, "beijing_today", lambda: today)
    result = app.test_cli_runner().invoke(args=["monthly-reports"])
    assert result.exit_code == 0, result.output
    assert "不是本月第一个工作日" in result.output and today.isoformat() in result.output
    assert _count() == 0


def test_cli_without_a_calendar_for_the_year_is_a_clear_error(app, db, monkeypatch):
    monkeypatch.setattr(monthly, "beijing_today", lambda: date(2099, 3, 2))
    result = app.test_cli_runner().invoke(args=["monthly-reports"])
    assert result.exit_code != 0
    assert "2099年" in result.output and "工作日历" in result.output
    assert _count() == 0


def test_first_working_day_follows_the_calendar(db):
    calendar = working_calendar([2026])
    assert monthly.first_working_day(2026, 10, calendar) == date(2026, 10, 8)
    assert monthly.first_working_day(2026, 2, calendar) == date(2026, 2, 2)
    assert monthly.first_working_day(2026, 1, calendar) == date(2026, 1, 4)


# Pages and API: organisers all, a town officer its own, another town 403, an enterprise 403

def _login(client, user):
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def written(month, db):
    monthly.generate_month(SYSTEM, MARCH)
    db.session.commit()
    return month


def test_organiser_sees_every_town_filters_and_regenerates(client, written, db):
    _login(client, written.organiser)
    page = client.get("/monthly-reports?month=2026-03").get_data(as_text=True)
    assert page.count("data-report=") == len(town_names()) and "data-new" not in page
    only = client.get(f"/monthly-reports?town={PINGWANG}").get_data(as_text=True)
    assert only.count("data-report=") == 1 and f'data-town="{PINGWANG}"' in only
    assert client.get("/monthly-reports?month=2026-02").get_data(as_text=True).count("data-report=") == 0
    report_id = _report(TONGLI).id
    detail = client.get(f"/monthly-reports/{report_id}")
    assert detail.status_code == 200 and 'data-figure="participants"' in detail.get_data(as_text=True)
    assert _report(TONGLI).first_seen_at is None  # an organiser's opening is not the town's
    answer = client.post(f"/monthly-reports/{report_id}/regenerate")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/monthly-reports/{report_id}")
    assert _count() == len(town_names())


def test_town_officer_sees_its_own_with_the_badge_until_opened(client, written, db):
    _login(client, written.officer)
    page = client.get("/monthly-reports").get_data(as_text=True)
    assert page.count("data-report=") == 1 and f'data-town="{TONGLI}"' in page and "data-new" in page
    assert client.get(f"/monthly-reports?town={PINGWANG}").get_data(as_text=True).count(f'data-town="{PINGWANG}"') == 0
    report_id = _report(TONGLI).id
    detail = client.get(f"/monthly-reports/{report_id}").get_data(as_text=True)
    assert "李*明" in detail and "李小明" not in detail and "data-new" in detail  # the first opening shows it once
    assert _report(TONGLI).first_seen_at is not None
    assert "data-new" not in client.get("/monthly-reports").get_data(as_text=True)
    download = client.get(f"/monthly-reports/{report_id}.xlsx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]
    assert "%E5%90%8C%E9%87%8C%E9%95%87" in download.headers["Content-Disposition"]  # 同里镇
    assert client.post(f"/monthly-reports/{report_id}/regenerate").status_code == 403


def test_another_towns_officer_and_an_enterprise_are_refused(client, written, db):
    report_id = _report(TONGLI).id
    _login(client, written.other_officer)
    assert client.get(f"/monthly-reports/{report_id}").status_code == 403
    assert client.get(f"/monthly-reports/{report_id}.xlsx").status_code == 403
    assert client.post(f"/monthly-reports/{report_id}/regenerate").status_code == 403
    assert _report(TONGLI).first_seen_at is None
    _login(client, written.enterprise_user)
    assert client.get("/monthly-reports").status_code == 403
    assert client.get(f"/monthly-reports/{report_id}").status_code == 403
    assert client.get(f"/monthly-reports/{report_id}.xlsx").status_code == 403


def _token(client, user):
    from competition.services import accounts

    token, _ = accounts.issue_token(SYSTEM, user, hours=1)
    return {"Authorization": f"Bearer {token}"}


def test_api_lists_and_downloads_by_role(client, written, db):
    report_id, other_id = _report(TONGLI).id, _report(PINGWANG).id
    listing = client.get("/api/v1/monthly-reports?month=2026-03", headers=_token(client, written.organiser))
    assert listing.status_code == 200
    items = listing.get_json()["items"]
    assert len(items) == len(town_names()) and set(items[0]) == {"id", "town", "month", "generated_at"}
    assert {i["month"] for i in items} == {"2026-03"}
    assert client.get("/api/v1/monthly-reports?month=2026-02",
                      headers=_token(client, written.organiser)).get_json()["items"] == []
    officer = _token(client, written.officer)
    own = client.get("/api/v1/monthly-reports", headers=officer).get_json()["items"]
    assert [(i["id"], i["town"]) for i in own] == [(report_id, TONGLI)]
    download = client.get(f"/api/v1/monthly-reports/{report_id}.xlsx", headers=officer)
    assert download.status_code == 200 and download.data == _report(TONGLI).workbook
    assert client.get(f"/api/v1/monthly-reports/{other_id}.xlsx", headers=officer).status_code == 403
    assert client.get(f"/api/v1/monthly-reports/{other_id}.xlsx",
                      headers=_token(client, written.organiser)).status_code == 200
    enterprise = _token(client, written.enterprise_user)
    assert client.get("/api/v1/monthly-reports", headers=enterprise).status_code == 403
    assert client.get(f"/api/v1/monthly-reports/{report_id}.xlsx", headers=enterprise).status_code == 403
    assert client.get("/api/v1/monthly-reports?month=2026-3", headers=officer).status_code == 400


def test_api_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    listing = document["paths"]["/api/v1/monthly-reports"]["get"]
    assert listing["x-roles"] == ["admin", "organiser", "town"]
    assert "month" in {p["name"] for p in listing["parameters"]}
    workbook = document["paths"]["/api/v1/monthly-reports/{report_id}.xlsx"]["get"]
    assert "403" in workbook["responses"]
