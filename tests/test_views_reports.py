"""Dashboards and the season report: the numbers agree with the lists they summarise (demo data and a
constructed season), the month filter, who may see what, empty seasons and a constant statement count."""
import io
import re
from datetime import timedelta, timezone

from openpyxl import load_workbook

from competition.models import Entry, EntryStatus, Event, EventStatus, Role, Season
from competition.models.nominations import ExpertTitle
from competition.models.subsidy import SubsidyClaim
from competition.services.money import budget
from tests.builders import build_season, make_season, make_user
from tests.clients import login
from tests.counting import statements


def page(client, url) -> str:
    """GET a page that must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def table_values(html: str, key: str) -> list[int]:
    """The data-value cells of one numbers table, as integers."""
    table = re.search(rf'data-numbers="{key}".*?</table>', html, re.S).group(0)
    return [int(v.replace(",", "").replace("￥", "")) for v in re.findall(r"data-value>([^<]+)<", table)]


def figure(html: str, key: str) -> str:
    """The shown value of one figure card."""
    block = re.search(rf'data-figure="{key}".*?figure-value[^"]*">(.*?)</div>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", block).strip()


def sheet(workbook, title) -> list[tuple]:
    """Rows of a sheet below its heading lines and header."""
    rows = [tuple(r) for r in workbook[title].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] in ("赛项", "分类", "月份", "申请编号", "姓名"))
    return [r for r in rows[header + 1:] if any(v not in (None, "") for v in r)]


def test_demo_dashboard_agrees_with_the_entry_lists_and_the_report(app, client, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    season = db.session.scalar(db.select(Season))
    login(client, make_user(Role.ORGANISER))
    html = page(client, f"/seasons/{season.id}/dashboard")
    events = db.session.scalars(db.select(Event).where(Event.status != EventStatus.CANCELLED)
                                .order_by(Event.event_date, Event.id)).all()
    present = {e.id: db.session.scalar(db.select(db.func.count(Entry.id)).where(
        Entry.event_id == e.id, Entry.status.in_((EntryStatus.PRESENT, EntryStatus.DISQUALIFIED)))) for e in events}
    # A signed-off event shows the count frozen at sign-off, which is the present count of its list.
    assert table_values(html, "events") == [present[e.id] for e in events]
    assert all(e.participants == present[e.id] for e in events if e.participants is not None)
    total = sum(present.values())
    assert figure(html, "participants") == str(total) and figure(html, "events") == str(len(events))
    assert sum(table_values(html, "towns")) == sum(table_values(html, "occupations")) == total
    assert sum(table_values(html, "status")) == len(events)
    # The report holds the same numbers.
    response = client.get(f"/seasons/{season.id}/report.xlsx")
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert workbook.sheetnames[:3] == ["赛项", "参赛人数", "成绩汇总"] and "预算" in workbook.sheetnames
    event_rows = sheet(workbook, "赛项")
    assert [r[6] for r in event_rows[:-1]] == [present[e.id] for e in events] and event_rows[-1][6] == total
    by_occupation = {r[1]: r[2] for r in sheet(workbook, "参赛人数") if r[0] == "职业（工种）"}
    assert sum(by_occupation.values()) == total
    results = sheet(workbook, "成绩汇总")
    assert {r[0] for r in results} == {e.name for e in events if e.participants is not None}
    # Money: the claims and titles sheets list the tables' rows; the spending line ends at the committed sum.
    claims = db.session.scalars(db.select(SubsidyClaim).where(SubsidyClaim.season_id == season.id)).all()
    titles = db.session.scalars(db.select(ExpertTitle).where(ExpertTitle.season_id == season.id)).all()
    listed = [r[0] for r in sheet(workbook, "竞赛补贴") if isinstance(r[0], int)]  # the notes follow the rows
    assert sorted(listed) == sorted(c.id for c in claims) and claims
    assert len([r for r in sheet(workbook, "技术能手") if len(r) > 1 and r[1]]) == len(titles)
    committed = budget.committed(season.id)
    assert sum(table_values(html, "spending")) == committed
    assert figure(html, "committed") == f"￥{committed:,}"


def test_a_constructed_season_by_month_and_its_report(app, client, db):
    season, march, _, _ = build_season(db)
    db.session.commit()
    login(client, make_user(Role.ORGANISER))
    html = page(client, f"/seasons/{season.id}/dashboard?month=2026-03")
    assert table_values(html, "events") == [3] and table_values(html, "towns") == [2, 1]
    assert "data-month-note" in html and 'value="2026-03" selected' in html
    assert "目前没有正在评分的赛项" in html  # the October event is outside March
    whole = page(client, f"/seasons/{season.id}/dashboard")
    assert table_values(whole, "progress") == [0] and "/ 13" in whole
    response = client.get(f"/seasons/{season.id}/report.xlsx?month=2026-03")
    assert "2026-03" in response.headers["Content-Disposition"].replace("%2D", "-")
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert [r[0] for r in sheet(workbook, "赛项")] == [march.name, "合计"]
    assert page(client, f"/seasons/{season.id}/dashboard?month=2031-02").count("data-month-note") == 0  # not this year


def test_an_empty_season_renders_with_empty_states(client, db):
    season = make_season()
    db.session.commit()
    login(client, make_user(Role.ORGANISER))
    html = page(client, f"/seasons/{season.id}/dashboard")
    assert html.count("data-chart-empty") >= 5 and figure(html, "participants") == "0"
    assert client.get(f"/seasons/{season.id}/report.xlsx").status_code == 200


def test_dashboard_statements_do_not_grow_with_the_season(client, db):
    small, *_ = build_season(db, scoring_events=1)
    large, *_ = build_season(db, scoring_events=5, year=2030)
    db.session.commit()
    login(client, make_user(Role.ORGANISER))
    counts = []
    for season_id in (small.id, large.id):
        page(client, f"/seasons/{season_id}/dashboard")  # warm up
        db.session.expunge_all()
        counts.append(statements(db, lambda s=season_id: page(client, f"/seasons/{s}/dashboard")))
    assert counts[0] == counts[1], counts


def test_approved_money_shows_in_the_month_it_was_approved(client, db):
    from competition.services.audit import Actor
    from competition.services.money.subsidy import approve_claim
    from tests.subsidy_builders import make_claim, make_claimable
    season = make_season(year=2026, budget=100_000)
    claim = make_claim(make_claimable(60, season=season))
    organiser = make_user(Role.ORGANISER)
    approve_claim(Actor(organiser), claim)
    db.session.commit()
    login(client, organiser)
    html = page(client, f"/seasons/{season.id}/dashboard")
    assert sum(table_values(html, "spending")) == claim.amount == 20000
    month = claim.decided_at.astimezone(timezone(timedelta(hours=8)))
    assert table_values(page(client, f"/seasons/{season.id}/dashboard?month={month:%Y-%m}"), "spending") == [20000]


def test_the_enterprise_dashboard_is_its_own(client, db):
    season, march, _, (shengze, qidu) = build_season(db)
    hr = make_user(Role.ENTERPRISE, enterprise=qidu)
    db.session.commit()
    login(client, hr)
    assert client.get("/dashboard").location.endswith(f"/enterprises/{qidu.id}/dashboard")
    html = page(client, f"/enterprises/{qidu.id}/dashboard")
    assert march.name in html and figure(html, "entries") == "3" and figure(html, "participants") == "2"
    assert "还没有已公示的成绩" in html
    assert client.get(f"/enterprises/{shengze.id}/dashboard").status_code == 403
    assert client.get(f"/seasons/{season.id}/dashboard").status_code == 403
