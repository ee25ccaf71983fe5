"""A person's page (organisers only, RULES.md §16; issue 20): search by the start of a name or a whole ID number,
masked ID numbers, and a record of entries and prizes, 技术能手 titles, delegations and rewards.

league_world(): 欧阳建国 (001, firm) won the final 电工 event's 一等奖, was sent to the province competition by firm
and won its 一等奖 there (rewards proposed: ￥5,000 to him, ￥2,000 to firm); 张三丰 (002, other) is sent, no result yet."""
import re

from competition.extensions import db as _db
from competition.models import Role
from competition.rules.identity import mask_id_number
from tests.builders import make_user
from tests.clients import forget_session, html, login
from tests.league_builders import PROVINCE, league_world
from tests.marking_builders import give_title


def page(client, url: str, **query) -> str:
    """GET a page that must answer 200."""
    response = client.get(url, query_string=query)
    assert response.status_code == 200, (url, response.status_code)
    return html(response)


def section(body: str, name: str) -> str:
    """One section of the person page."""
    return re.search(rf'data-section="{name}">(.*?)</section>', body, re.S).group(1)


def test_organisers_find_a_person_by_the_start_of_a_name(client, db):
    league = league_world()
    person = league.world.entries["001"].person
    login(client, league.users["organiser"])
    body = page(client, "/persons", q="欧阳")
    found = re.findall(r'<tr data-person="(\d+)">', body)
    assert found == [str(person.id)]
    assert f'href="/persons/{person.id}"' in body and "欧阳建国" in body
    assert mask_id_number(person.id_number) in body and person.id_number not in body


def test_a_whole_id_number_finds_its_person_and_a_part_of_one_finds_nobody(client, db):
    league = league_world()
    person = league.world.entries["002"].person
    login(client, league.users["organiser"])
    body = page(client, "/persons", q=person.id_number)
    assert re.findall(r'<tr data-person="(\d+)">', body) == [str(person.id)] and "张三丰" in body
    partial = page(client, "/persons", q=person.id_number[:10])
    assert "data-person=" not in partial and "未找到符合条件的选手" in partial
    nothing = page(client, "/persons", q="查无此人")
    assert "data-person=" not in nothing and "data-empty-state" in nothing
    blank = page(client, "/persons")
    assert "data-person=" not in blank and "请输入姓名或身份证号码" in blank


def test_the_person_page_shows_entries_titles_delegations_and_rewards(client, db):
    league = league_world()
    entry = league.world.entries["001"]
    person = entry.person
    give_title(person.id, year=2025)
    _db.session.commit()
    login(client, league.users["organiser"])
    body = page(client, f"/persons/{person.id}")
    assert "欧阳建国" in body and person.id_number not in body
    assert re.search(rf'data-field="id-number">{re.escape(mask_id_number(person.id_number))}<', body)
    assert re.search(rf'data-field="birth-year">{person.birth_date.year}<', body)
    assert re.search(rf'data-field="gender">{person.gender}<', body)
    entries = section(body, "entries")
    assert league.world.event.name in entries and "001" in entries and "到场" in entries
    assert re.search(r'data-cell="prize"><span[^>]*>一等奖<', entries) and league.firm.name in entries
    assert "2025年度 吴江区技术能手" in section(body, "titles")
    delegations = section(body, "delegations")
    assert PROVINCE in delegations and "省级" in delegations and league.firm.name in delegations
    assert re.search(r'data-cell="result">一等奖', delegations)
    rewards = section(body, "rewards")
    assert "成绩优异者" in rewards and "￥5,000" in rewards and "待审批" in rewards
    assert "优秀选送单位" not in rewards  # the sending unit's reward is firm's, not his


def test_a_person_with_less_to_show_has_empty_sections(client, db):
    league = league_world()
    person = league.world.entries["002"].person
    login(client, league.users["organiser"])
    body = page(client, f"/persons/{person.id}")
    assert "二等奖" in section(body, "entries")
    assert "暂无技术能手称号" in section(body, "titles")
    assert "待录入" in section(body, "delegations") and league.other.name in section(body, "delegations")
    assert "暂无奖励" in section(body, "rewards")
    assert client.get("/persons/999999").status_code == 404


def test_only_organisers_see_persons(client, db):
    league = league_world()
    person_id = league.world.entries["001"].person.id
    admin = make_user(Role.ADMIN)
    _db.session.commit()
    for url in ("/persons?q=欧阳", f"/persons/{person_id}"):
        forget_session(client)
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
        for role in ("enterprise", "other", "judge"):
            forget_session(client)
            login(client, league.users[role])
            response = client.get(url)
            assert response.status_code == 403 and "欧阳建国" not in html(response), (url, role)
        forget_session(client)
        login(client, admin)
        assert client.get(url).status_code == 200
