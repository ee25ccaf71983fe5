"""The towns and their officers (RULES.md §3, §17; issue 21 item 1): the list, town officer accounts, enterprises'
towns, GET /api/v1/towns, and each town's read-only page and dashboard beside the district's."""
import re

import pytest

from competition.errors import Duplicate, Invalid
from competition.models import AuditEntry, ExpertTitle, Role, Town, User
from competition.rules.identity import mask_name
from competition.services import accounts, towns
from competition.services.audit import SYSTEM, Actor
from competition.services.league.rewards import OrganisingReward, propose_organising_reward
from competition.services.organisation import EnterpriseData, create_enterprise, update_enterprise
from competition.services.reports.town import town_figures
from tests.builders import credit_code, make_enterprise, make_user
from tests.certificate_builders import NAMES
from tests.clients import bearer, html, logged_in
from tests.league_builders import league_world
from tests.subsidy_builders import make_claim, make_claimable


def officer(town: str = "盛泽镇", **overrides) -> User:
    """A town officer of a town."""
    return make_user(Role.TOWN, town=town, **overrides)


# The list of towns

def test_the_founding_towns_come_in_order_and_a_new_town_goes_last_audited(db):
    names = towns.town_names()
    assert names[:3] == ["松陵街道", "江陵街道", "八坼街道"] and "盛泽镇" in names and "吴江经济技术开发区" in names
    admin = make_user(Role.ADMIN)
    town = towns.add_town(Actor(admin), "  东太湖度假区 ")
    assert town.name == "东太湖度假区" and towns.town_names()[-1] == "东太湖度假区"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "town.create"))
    assert entry is not None and entry.user_id == admin.id


@pytest.mark.parametrize("name, error", [("盛泽镇", Duplicate), ("镇", Invalid), ("", Invalid), ("镇" * 41, Invalid)])
def test_a_town_the_list_has_or_a_bad_name_is_refused(db, name, error):
    with pytest.raises(error):
        towns.add_town(SYSTEM, name)
    assert db.session.scalar(db.select(db.func.count(Town.id))) == 13


def test_the_admin_adds_a_town_on_the_towns_page_and_organisers_only_read_it(client, db):
    make_enterprise(town="盛泽镇")
    officer("盛泽镇")
    logged_in(client, db, Role.ORGANISER)
    page = html(client.get("/towns"))
    row = re.search(r'<tr data-town="盛泽镇">.*?</tr>', page, re.S).group(0)
    assert 'data-value="enterprises">1<' in row and 'data-value="officers">1<' in row
    assert 'data-section="add-town"' not in page
    assert client.post("/towns", data={"name": "东太湖度假区"}).status_code == 403
    logged_in(client, db, Role.ADMIN)
    response = client.post("/towns", data={"name": "东太湖度假区"}, follow_redirects=True)
    assert response.status_code == 200 and "已新增镇（区）“东太湖度假区”。" in html(response)
    assert towns.is_town("东太湖度假区")
    again = client.post("/towns", data={"name": "东太湖度假区"})
    assert again.status_code == 409 and "已在列表中" in html(again)
    assert "新增镇（区）" in html(client.get("/audit"))  # the audit log names the action


# Town officer accounts

def _new(role: str, town: str | None) -> accounts.NewUser:
    return accounts.NewUser(username=f"u{role}{len(town or '')}", password="Zhenqu-2026x", display_name="某人",
                            role=role, town=town)


def test_a_town_officer_is_bound_to_one_of_the_leagues_towns(db):
    user = accounts.create_user(SYSTEM, _new("town", " 盛泽镇 "))
    assert user.role is Role.TOWN and user.town == "盛泽镇"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert "盛泽镇" in str(entry.after)


@pytest.mark.parametrize("role, town, message", [
    ("town", None, "请选择所属镇（区）。"),
    ("town", "火星镇", "请从镇（区）列表中选择；没有名为「火星镇」的镇（区）。"),
    ("judge", "盛泽镇", "只有镇区人社用户可以关联镇（区）。"),
])
def test_a_town_is_required_for_a_town_officer_and_refused_for_anyone_else(db, role, town, message):
    with pytest.raises(Invalid) as caught:
        accounts.create_user(SYSTEM, _new(role, town))
    assert {"field": "town", "message": message} in caught.value.details


def test_the_api_creates_a_town_officer_and_refuses_a_town_elsewhere(client, db):
    headers = bearer(make_user(Role.ADMIN))
    body = {"username": "shengze", "password": "Zhenqu-2026x", "display_name": "盛泽镇人社", "role": "town"}
    missing = client.post("/api/v1/users", json=body, headers=headers)
    assert missing.status_code == 400 and any(d["field"] == "town" for d in missing.get_json()["error"]["details"])
    created = client.post("/api/v1/users", json=body | {"town": "盛泽镇"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["town"] == "盛泽镇" and created.get_json()["role"] == "town"
    judge = client.post("/api/v1/users", json=body | {"username": "judgex", "role": "judge", "town": "盛泽镇"},
                        headers=headers)
    assert judge.status_code == 400 and any(d["field"] == "town" for d in judge.get_json()["error"]["details"])
    moved = client.patch(f"/api/v1/users/{created.get_json()['id']}", json={"town": "七都镇"}, headers=headers)
    assert moved.status_code == 200 and moved.get_json()["town"] == "七都镇"
    bad = client.patch(f"/api/v1/users/{created.get_json()['id']}", json={"town": "火星镇"}, headers=headers)
    assert bad.status_code == 400


def test_the_admin_creates_a_town_officer_in_the_form_and_the_list_shows_its_town(client, db):
    logged_in(client, db, Role.ADMIN)
    form = html(client.get("/admin/users/new"))
    assert 'data-show-for-role="town"' in form and '<option value="盛泽镇">盛泽镇</option>' in form
    refused = client.post("/admin/users/new", data={"username": "shengze1", "display_name": "盛泽镇人社",
                                                    "password": "Zhenqu-2026x", "role": "town", "town": ""})
    assert refused.status_code == 400 and "请选择所属镇（区）。" in html(refused)
    response = client.post("/admin/users/new", data={"username": "shengze1", "display_name": "盛泽镇人社",
                                                     "password": "Zhenqu-2026x", "role": "town", "town": "盛泽镇"})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.username == "shengze1"))
    assert user.role is Role.TOWN and user.town == "盛泽镇"
    listed = html(client.get("/admin/users?role=town"))
    assert re.search(r'data-user="shengze1".*?data-affiliation><a href="/towns/[^"]+">盛泽镇</a>', listed, re.S)
    edit = client.post(f"/admin/users/{user.id}/edit", data={"display_name": "盛泽镇人社", "town": "七都镇"})
    assert edit.status_code == 302
    db.session.refresh(user)
    assert user.town == "七都镇"


# Enterprises' towns

def test_an_enterprise_names_one_of_the_leagues_towns(db):
    assert create_enterprise(SYSTEM, EnterpriseData("盛泽某纺织有限公司", credit_code(9001), "盛泽镇")).town == "盛泽镇"
    assert create_enterprise(SYSTEM, EnterpriseData("某未填镇区公司", credit_code(9002), None)).town is None
    with pytest.raises(Invalid) as caught:
        create_enterprise(SYSTEM, EnterpriseData("火星某公司", credit_code(9003), "火星镇"))
    assert caught.value.details[0]["field"] == "town"
    firm = make_enterprise(town="七都镇")
    with pytest.raises(Invalid):
        update_enterprise(SYSTEM, firm, EnterpriseData(firm.name, firm.credit_code, "盛泽"))


def test_the_enterprise_form_offers_the_towns_and_the_api_checks_them(client, db):
    user = logged_in(client, db, Role.ORGANISER)
    form = html(client.get("/enterprises/new"))
    assert re.search(r'<select[^>]*name="town"', form) and '<option value="黎里镇">黎里镇</option>' in form
    refused = client.post("/enterprises/new", data={"name": "火星某公司", "credit_code": credit_code(9004),
                                                    "town": "火星镇"})
    assert refused.status_code == 400 and "没有名为「火星镇」的镇（区）" in html(refused)
    response = client.post("/api/v1/enterprises", json={"name": "火星某公司", "credit_code": credit_code(9004),
                                                        "town": "火星镇"}, headers=bearer(user))
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["field"] == "town"


def test_get_towns_lists_them_in_order_for_every_logged_in_user(client, db):
    response = client.get("/api/v1/towns", headers=bearer(officer()))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [t["name"] for t in items] == towns.town_names() and set(items[0]) == {"id", "name", "position"}
    assert client.get("/api/v1/towns").status_code == 401


# A town's page and dashboard

@pytest.fixture
def town_world(db):
    """league_world (盛泽镇's `other` employs the even numbers: 5 participants, prizes 002 二等奖, 004 and 006 三等奖)
    with, for 盛泽镇: a 技术能手 title for 002, an approved 20000 subsidy claim of an event `other` hosted, and an
    approved 3000 reward to the town; and a 七都镇 enterprise with nothing."""
    league = league_world()
    season = league.world.event.season
    person_002 = league.world.entries["002"].person
    db.session.add(ExpertTitle(person_id=person_002.id, season_id=season.id, year=2026, route="competition",
                               event_id=league.world.event.id, enterprise_id=league.other.id, subsidy=2000))
    hosted = make_claimable(0, host=league.other, season=season, name="盛泽纺织工技能竞赛")
    make_claim(hosted, "approved", 20000)
    reward = propose_organising_reward(SYSTEM, OrganisingReward(season.id, 3000, "组织镇区选手参赛", town="盛泽镇"))
    reward.state = "approved"
    make_enterprise(town="七都镇", name="七都某电缆有限公司")
    db.session.commit()
    return league, season


def test_town_figures_sit_beside_the_districts(db, town_world):
    league, season = town_world
    ours, district = town_figures(season, "盛泽镇")
    assert (ours.participants, district.participants) == (5, 10)
    assert (ours.prizes, district.prizes) == (3, 6)
    assert (ours.titles, district.titles) == (1, 1)
    assert ours.events == 2 and district.events == 2
    assert ours.committed == 20000 + 2000 + 3000 and district.committed >= ours.committed
    none, _ = town_figures(season, "七都镇")
    assert (none.participants, none.prizes, none.events, none.committed, none.enterprises) == (0, 0, 0, 0, 1)


def test_the_officer_sees_its_town_masked_and_nothing_of_another_town(client, db, town_world):
    league, season = town_world
    people = [e.person for e in league.world.entries.values()]
    logged_in(client, db, Role.TOWN, town="盛泽镇")
    page = html(client.get(f"/towns/盛泽镇?season={season.id}"))
    assert league.other.name in page and league.firm.name not in page.split('data-section="events"')[0]
    assert "电工技能竞赛" in page and "盛泽纺织工技能竞赛" in page
    ours = {e.person.name for n, e in league.world.entries.items() if int(n) % 2 == 0}
    for name in ours:
        assert mask_name(name) in page
    for person in people:  # no whole name, no ID number, no phone, of anyone
        assert person.name not in page and person.id_number not in page
        assert not person.phone or person.phone not in page
    assert 'data-prize="二等奖"' in page and 'data-claim-state="approved"' in page and "组织镇区选手参赛" in page
    assert client.get(f"/towns/七都镇?season={season.id}").status_code == 403
    assert client.get("/towns/七都镇/dashboard").status_code == 403
    assert client.get("/towns/火星镇").status_code == 403  # not even whether it exists
    for elsewhere in ("/towns", "/events", "/enterprises", f"/enterprises/{league.other.id}", "/admin/users",
                      "/dashboard", "/subsidy/claims", "/rewards"):
        assert client.get(elsewhere).status_code in (403, 302), elsewhere
        if client.get(elsewhere).status_code == 302:
            assert "/login" not in client.get(elsewhere).headers["Location"], elsewhere


def test_the_dashboard_and_the_home_page_show_the_towns_figures(client, db, town_world):
    league, season = town_world
    logged_in(client, db, Role.TOWN, town="盛泽镇")
    page = html(client.get(f"/towns/盛泽镇/dashboard?season={season.id}"))
    participants = re.search(r'data-figure="participants">.*?data-town-value>(\d+)<.*?data-district-value>(\d+)<',
                             page, re.S)
    assert participants.groups() == ("5", "10")
    assert re.search(r'data-figure="prizes">.*?data-town-value>3<.*?data-district-value>6<', page, re.S)
    assert re.search(r'data-figure="committed">.*?data-town-value>￥25,000<', page, re.S)
    home = html(client.get("/"))
    assert 'data-home-section="town"' in home and "/towns/%E7%9B%9B%E6%B3%BD%E9%95%87/dashboard" in home
    assert re.search(r'data-figure="participants">.*?data-town-value>5<', home, re.S)


def test_staff_see_any_town_and_an_unknown_town_is_404(client, db, town_world):
    league, season = town_world
    logged_in(client, db, Role.ORGANISER)
    page = html(client.get(f"/towns/七都镇?season={season.id}"))
    assert "七都某电缆有限公司" in page and "本年度还没有本镇区的赛项" in page
    assert client.get("/towns/火星镇").status_code == 404
    towns_page = html(client.get("/towns"))
    assert "/towns/%E4%B8%83%E9%83%BD%E9%95%87/dashboard" in towns_page
    standings = html(client.get(f"/seasons/{season.id}/standings/towns/盛泽镇"))
    assert "/towns/%E7%9B%9B%E6%B3%BD%E9%95%87?season=" in standings


def test_the_api_refuses_a_town_officer_the_leagues_data(client, db, town_world):
    league, season = town_world
    headers = bearer(officer())
    assert client.get("/api/v1/me", headers=headers).get_json()["town"] == "盛泽镇"
    for path in ("/api/v1/enterprises", f"/api/v1/events/{league.world.event.id}", "/api/v1/users",
                 f"/api/v1/enterprises/{league.other.id}", f"/api/v1/events/{league.world.event.id}/entries"):
        assert client.get(path, headers=headers).status_code == 403, path
    assert client.get(f"/api/v1/seasons/{season.id}", headers=headers).status_code == 200  # as the seasons page


def test_names_in_the_page_are_masked_as_in_reports():
    assert [mask_name(n) for n in NAMES[:3]] == ["欧**国", "张*丰", "李*"]
