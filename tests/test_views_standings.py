"""The season standings pages (RULES.md §16; issue 20): public tables of enterprises and towns, an enterprise's
breakdown, a town's enterprises, the points legend from the policy, the organisers' and enterprises' home pages, and
a fixed number of SQL statements whatever the number of final events.

league_world(): the final 电工 event of ten; firm (松陵街道) 24 points (5 participants + 一等奖 10 + 二等奖 6 + 三等奖 3),
other (盛泽镇) 17 (5 + 6 + 3 + 3)."""
import json
import re
from datetime import date
from html import unescape
from itertools import count

from competition.extensions import db as _db
from competition.models import Certificate, CertificateKind, Entry, Role
from competition.services.audit import Actor
from competition.services.policy import PolicyData, create_policy_version
from tests.builders import make_enterprise, make_entry, make_event, make_season, make_user
from tests.certificate_builders import NAMES
from tests.clients import forget_session, html, login
from tests.counting import statements
from tests.league_builders import league_world

_serials = count(1)


def page(client, url: str) -> str:
    """GET a page that must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html(response)


def _text(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", fragment)).split()[0] if fragment.strip() else ""


def table(body: str, key: str, attribute: str = "data-standings") -> list[dict]:
    """The rows of one table: {"key": the row's data-row, cell name: the cell's first word}."""
    block = re.search(rf'{attribute}="{key}".*?</table>', body, re.S)
    assert block, f"no table {key}"
    rows = []
    for row_key, cells in re.findall(r'<tr data-row="([^"]+)">(.*?)</tr>', block.group(0), re.S):
        row = {"key": row_key}
        row.update({name: _text(value) for name, value in re.findall(r'data-cell="([^"]+)">(.*?)</td>', cells, re.S)})
        rows.append(row)
    return rows


def private_data_absent(body: str, league) -> None:
    """No contestant's name or ID number on a public page."""
    for name in NAMES:
        assert name not in body, name
    for entry in league.world.entries.values():
        assert entry.person.id_number not in body and entry.person.id_number[-4:] + "<" not in body


def test_anyone_sees_the_season_tables_best_first(client, db):
    league = league_world()
    season_id = league.world.event.season_id
    body = page(client, f"/seasons/{season_id}/standings")  # not logged in
    enterprises = table(body, "enterprises")
    assert [(r["key"], r["rank"], r["points"], r["participants"]) for r in enterprises] == [
        (str(league.firm.id), "1", "24", "5"), (str(league.other.id), "2", "17", "5")]
    assert [(r["tier1"], r["tier2"], r["tier3"], r["hosted"]) for r in enterprises] == [
        ("1", "1", "1", "0"), ("0", "1", "2", "0")]
    assert [(r["name"], r["rank"], r["points"]) for r in table(body, "towns")] == [
        ("松陵街道", "1", "24"), ("盛泽镇", "2", "17")]
    assert league.firm.name in body and "其他奖项" not in body  # no tier beyond the third
    assert f'href="/seasons/{season_id}/standings/enterprises/{league.firm.id}"' in body
    legend = re.search(r"data-legend>(.*?)</div>", body, re.S).group(1)
    assert "一等奖 10 分" in legend and "三等奖 3 分" in legend and "每名参赛者 1 分" in legend
    assert "每主办一场企业赛 5 分" in legend
    private_data_absent(body, league)


def test_the_current_standings_are_this_years_season_with_a_picker(client, db):
    league_world()
    earlier = make_season(year=2020, name="2020年度联赛")
    _db.session.commit()
    body = page(client, "/standings")
    assert [r["points"] for r in table(body, "enterprises")] == ["24", "17"]
    assert f'href="/seasons/{earlier.id}/standings"' in body and "data-season-picker" in body
    empty = page(client, f"/seasons/{earlier.id}/standings")
    assert "data-empty-state" in empty and 'data-standings="enterprises"' not in empty
    assert "本年度尚无计分的赛项" in empty
    assert client.get("/seasons/999999/standings").status_code == 404


def test_standings_without_any_season_say_so(client, db):
    body = page(client, "/standings")
    assert "尚未创建联赛年度" in body and "data-empty-state" in body


def test_an_enterprise_breakdown_lists_its_final_events_and_totals(client, db):
    league = league_world()
    season_id, event = league.world.event.season_id, league.world.event
    body = page(client, f"/seasons/{season_id}/standings/enterprises/{league.firm.id}")
    line = re.search(rf'<tr data-line="{event.id}">(.*?)</tr>', body, re.S).group(1)
    cells = {name: _text(value) for name, value in re.findall(r'data-cell="([^"]+)">(.*?)</td>', line, re.S)}
    assert cells == {"event": event.name, "date": event.event_date.isoformat(), "participants": "5", "tier1": "1",
                     "tier2": "1", "tier3": "1", "hosted": "", "points": "24"}
    totals = re.search(r"data-totals>(.*?)</tr>", body, re.S).group(1)
    assert re.search(r'data-cell="points">24<', totals) and re.search(r'data-cell="participants">5<', totals)
    assert re.search(r'data-value="rank">第 1 名<', body) and "共 2 家企业" in body
    private_data_absent(body, league)
    other = page(client, f"/seasons/{season_id}/standings/enterprises/{league.other.id}")
    assert re.search(r'data-value="points">17<', other) and re.search(r'data-value="rank">第 2 名<', other)


def test_an_enterprise_without_points_has_an_empty_breakdown_and_unknown_ones_are_404(client, db):
    league = league_world()
    idle = make_enterprise(name="无赛项企业")
    _db.session.commit()
    season_id = league.world.event.season_id
    body = page(client, f"/seasons/{season_id}/standings/enterprises/{idle.id}")
    assert "data-empty-state" in body and "data-breakdown" not in body and "data-place" not in body
    assert client.get(f"/seasons/{season_id}/standings/enterprises/999999").status_code == 404
    assert client.get(f"/seasons/999999/standings/enterprises/{idle.id}").status_code == 404


def test_a_town_lists_its_enterprises(client, db):
    league = league_world()
    season_id = league.world.event.season_id
    body = page(client, f"/seasons/{season_id}/standings/towns/松陵街道")
    assert [(r["key"], r["rank"], r["points"]) for r in table(body, "members")] == [(str(league.firm.id), "1", "24")]
    assert league.other.name not in body and re.search(r'data-value="points">24<', body)
    private_data_absent(body, league)
    nobody = page(client, f"/seasons/{season_id}/standings/towns/七都镇")
    assert "data-empty-state" in nobody and "data-place" not in nobody


def test_the_legend_follows_the_policy_version_in_force(client, db):
    league = league_world()
    figures = {"participant_threshold": 50, "subsidy_amount": 20000, "subsidies_per_enterprise_year": 1,
               "expert_subsidy": 2000, "nomination_quota": 3, "pass_mark": 60, "notice_working_days": 5}
    create_policy_version(Actor(None), PolicyData(date(2026, 3, 1), figures, note="积分调整",
                                                  standing_points={"prizes": [20, 12, 6, 2], "participant": 2,
                                                                   "hosted_event": 8}))
    _db.session.commit()
    body = page(client, f"/seasons/{league.world.event.season_id}/standings")
    legend = re.search(r"data-legend>(.*?)</div>", body, re.S).group(1)
    assert "一等奖 20 分" in legend and "第4等奖 2 分" in legend
    assert "每名参赛者 2 分" in legend and "每主办一场企业赛 8 分" in legend
    # the event counts by the version its sign-off pinned: the points are unchanged
    assert [r["points"] for r in table(body, "enterprises")] == ["24", "17"]


def test_the_organisers_home_shows_the_top_enterprises_with_a_chart(client, db):
    league = league_world()
    login(client, league.users["organiser"])
    body = page(client, "/")
    section = re.search(r'data-home-section="standings">(.*?)</section>', body, re.S).group(1)
    assert [(r["key"], r["rank"], r["points"]) for r in table(section, "standings", "data-numbers")] == [
        (str(league.firm.id), "1", "24"), (str(league.other.id), "2", "17")]
    chart = json.loads(unescape(re.search(r'data-chart="([^"]+)"', section).group(1)))
    assert chart["horizontal"] and chart["labels"] == [league.firm.name, league.other.name]
    assert chart["datasets"][0]["data"] == [24, 17]
    assert chart["urls"][0] == f"/seasons/{league.world.event.season_id}/standings/enterprises/{league.firm.id}"
    assert f'href="/seasons/{league.world.event.season_id}/standings"' in section
    assert "js/charts.js" in body and "chart.umd.min.js" in body
    assert 'data-nav="standings.current"' in body


def test_the_season_dashboard_shows_the_standings_table_and_chart(client, db):
    league = league_world()
    login(client, league.users["organiser"])
    body = page(client, f"/seasons/{league.world.event.season_id}/dashboard")
    assert [(r["key"], r["rank"], r["points"]) for r in table(body, "standings", "data-numbers")] == [
        (str(league.firm.id), "1", "24"), (str(league.other.id), "2", "17")]
    card = re.search(r'data-chart-card="standings">(.*?)</section>', body, re.S).group(1)
    chart = json.loads(unescape(re.search(r'data-chart="([^"]+)"', card).group(1)))
    assert chart["labels"] == [league.firm.name, league.other.name] and chart["datasets"][0]["data"] == [24, 17]


def test_the_organisers_home_without_final_events_shows_no_chart(client, db):
    season = make_season(year=date.today().year + 30)
    organiser = make_user(Role.ORGANISER)
    _db.session.commit()
    login(client, organiser)
    body = page(client, "/")
    assert 'data-chart-empty="standings"' in body and "chart.umd.min.js" not in body
    assert f'href="/seasons/{season.id}/standings"' in body


def test_an_enterprise_user_sees_its_own_place(client, db):
    league = league_world()
    login(client, league.users["enterprise"])
    body = page(client, "/")
    own = re.search(r'data-section="own-place">(.*?)</section>', body, re.S).group(1)
    assert re.search(r'data-value="rank">第 1 名 / 共 2 家<', own)
    assert re.search(r'data-value="points">24<', own) and re.search(r'data-value="participants">5<', own)
    assert re.search(r'data-value="prizes">3<', own)
    assert f'/seasons/{league.world.event.season_id}/standings/enterprises/{league.firm.id}"' in own
    assert 'data-chart=' not in body  # the chart is the organisers'
    forget_session(client)
    login(client, league.users["other"])
    other = page(client, "/")
    assert re.search(r'data-value="rank">第 2 名 / 共 2 家<', other) and re.search(r'data-value="points">17<', other)


def test_an_enterprise_with_nothing_this_season_sees_an_empty_state(client, db):
    league_world()
    newcomer = make_user(Role.ENTERPRISE)
    _db.session.commit()
    login(client, newcomer)
    own = re.search(r'data-section="own-place">(.*?)</section>', page(client, "/"), re.S).group(1)
    assert "data-empty-state" in own and "本年度尚无积分" in own and "data-value" not in own


def _prize(entry, year: int, tier: int = 1, name: str = "一等奖") -> None:
    """A prize certificate of an entry, at a tier position."""
    serial = next(_serials)
    _db.session.add(Certificate(number=f"WJ{year}-{serial:06d}", year=year, serial=serial, kind=CertificateKind.PRIZE,
                                event_id=entry.event_id, entry_id=entry.id, person_id=entry.person_id,
                                enterprise_id=entry.employer_id, prize_name=name, prize_tier=tier))


def _final_season(events: int, year: int):
    """A season of `events` final enterprise events hosted by one firm, three participants each, one 一等奖 each."""
    season = make_season(year=year)
    firm = make_enterprise(town="震泽镇")
    for index in range(events):
        event = make_event("final", season=season, kind="enterprise", host_enterprise_id=firm.id, name=f"赛项{index}")
        for number in ("001", "002", "003"):
            entry = make_entry(event, number, employer=firm)
            if number == "001":
                _prize(entry, year)
    _db.session.flush()
    return season, firm


def test_a_fourth_tier_shows_as_other_prizes(client, db):
    season, firm = _final_season(1, 2033)
    event = make_event("final", season=season, name="第二赛项")
    _prize(make_entry(event, "001", employer=firm), 2033, tier=4, name="优胜奖")
    _db.session.commit()
    body = page(client, f"/seasons/{season.id}/standings")
    assert "其他奖项" in body
    row = table(body, "enterprises")[0]
    assert (row["tier1"], row["others"], row["participants"], row["points"]) == ("1", "1", "4", str(3 + 10 + 5 + 1))
    breakdown = page(client, f"/seasons/{season.id}/standings/enterprises/{firm.id}")
    assert re.search(r'data-totals>.*?data-cell="others">1<', breakdown, re.S)


def test_the_pages_send_as_many_statements_for_six_final_events_as_for_one(client, db):
    small, large = (tuple(unit.id for unit in _final_season(n, year)) for n, year in ((1, 2031), (6, 2032)))
    _db.session.commit()
    assert _db.session.scalar(_db.select(_db.func.count(Entry.id))) == 21
    counts = {}
    for name, url in (("season", "/seasons/{s}/standings"), ("enterprise", "/seasons/{s}/standings/enterprises/{e}"),
                      ("town", "/seasons/{s}/standings/towns/震泽镇")):
        found = []
        for season_id, firm_id in (small, large):
            target = url.format(s=season_id, e=firm_id)
            page(client, target)  # warm up
            _db.session.expunge_all()
            found.append(statements(_db, lambda t=target: page(client, t)))
        counts[name] = found
    assert all(one == six for one, six in counts.values()), counts
    body = page(client, f"/seasons/{large[0]}/standings")
    assert table(body, "enterprises")[0]["points"] == str(6 * (3 + 10 + 5))
    assert table(body, "enterprises")[0]["hosted"] == "6"
