"""The pages of higher-level competitions and their delegates (选送, RULES.md §16): recording a competition, sending the
prize winners of a final league event in one action, one entry, or a person by ID number, recording a result and
seeing the rewards it proposed, taking a delegate off the list, and what enterprise users and judges may see."""
import re

from competition.models import Delegate, ExternalCompetition, Reward, RewardKind, RewardState
from competition.services.audit import Actor
from competition.services.league.rewards import approve_reward
from tests.builders import id_number
from tests.clients import html, login_afresh
from tests.league_builders import PROVINCE, league_world


def page(client, url) -> str:
    """A page's HTML, asserting 200."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html(response)


def delegate_rows(body: str) -> list[str]:
    """The delegates table's rows."""
    return re.findall(r'<tr data-delegate="\d+">(.*?)</tr>', body, re.S)


def text(fragment: str) -> str:
    """A fragment's text, tags left out."""
    return re.sub(r"<[^>]+>", "", fragment)


def test_an_organiser_records_a_competition_with_errors_shown_then_it_is_listed(client, db):
    lw = league_world()
    login_afresh(client, lw.users["organiser"])
    form = page(client, "/competitions/new")
    assert 'name="season_id"' in form and "省级" in form and "行业协会" in form
    data = {"season_id": str(lw.world.event.season_id), "name": "", "level": "", "occupation": "电工",
            "held_on": "2026-10-15"}
    refused = client.post("/competitions/new", data=data)
    assert refused.status_code == 400
    assert "请填写赛事名称。" in html(refused) and "请选择赛事级别。" in html(refused)
    wrong_year = client.post("/competitions/new", data={**data, "name": "全国电工职业技能大赛", "level": "national",
                                                        "held_on": "2025-10-15"})
    assert wrong_year.status_code == 400 and "举办日期应在 2026 年内（所选联赛年度）。" in html(wrong_year)
    assert 'value="全国电工职业技能大赛"' in html(wrong_year)  # what was typed is kept
    saved = client.post("/competitions/new", data={**data, "name": "全国电工职业技能大赛", "level": "national",
                                                   "organised_by": "人力资源社会保障部"}, follow_redirects=True)
    competition = db.session.scalars(db.select(ExternalCompetition).where(
        ExternalCompetition.name == "全国电工职业技能大赛")).one()
    assert saved.status_code == 200 and "已登记赛事「全国电工职业技能大赛」，请选送选手。" in html(saved)
    assert saved.request.path == f"/competitions/{competition.id}" and "尚未选送选手" in html(saved)
    listing = page(client, f"/competitions?season={lw.world.event.season_id}")
    row = re.search(rf'<tr data-competition="{competition.id}">(.*?)</tr>', listing, re.S).group(1)
    assert "国家级" in row and "2026-10-15" in row and "人力资源社会保障部" in row and 'data-delegates="0"' in row
    province = re.search(rf'<tr data-competition="{lw.competition.id}">(.*?)</tr>', listing, re.S).group(1)
    assert PROVINCE in province and 'data-delegates="2"' in province and 'data-results="1"' in province
    assert "新增赛事" in listing and "选送与奖励" in listing


def test_a_season_without_competitions_shows_an_empty_state(client, db):
    from tests.builders import make_season

    lw = league_world()
    empty = make_season()
    db.session.commit()
    login_afresh(client, lw.users["organiser"])
    body = page(client, f"/competitions?season={empty.id}")
    assert "本年度尚未登记上级赛事" in body and "data-empty-state" in body and PROVINCE not in body


def test_the_winners_of_a_final_event_are_sent_in_one_action(client, db):
    lw = league_world()
    login_afresh(client, lw.users["organiser"])
    client.post("/competitions/new", data={"season_id": str(lw.world.event.season_id), "name": "全国电工职业技能大赛",
                                           "level": "national", "occupation": "电工", "held_on": "2026-10-15"})
    competition = db.session.scalars(db.select(ExternalCompetition).where(
        ExternalCompetition.name == "全国电工职业技能大赛")).one()
    body = page(client, f"/competitions/{competition.id}")
    assert f'<option value="{lw.world.event.id}">电工技能竞赛' in body  # the season's final events
    sent = client.post(f"/competitions/{competition.id}/winners", data={"event_id": str(lw.world.event.id)},
                       follow_redirects=True)
    assert "已从「电工技能竞赛」选送 6 名获奖选手。" in html(sent)
    rows = delegate_rows(html(sent))
    assert len(rows) == 6 and all("电工技能竞赛" in row for row in rows)
    names = [lw.world.entries[n].person.name for n in ("001", "002", "003", "004", "005", "006")]
    table = "".join(rows)
    assert all(name in table for name in names) and lw.world.entries["007"].person.name not in table
    first = next(row for row in rows if names[0] in row)
    assert lw.firm.name in first and "001号" in first and "未登记" in first
    again = client.post(f"/competitions/{competition.id}/winners", data={"event_id": str(lw.world.event.id)},
                        follow_redirects=True)
    assert "没有可选送的获奖选手" in html(again) and len(delegate_rows(html(again))) == 6
    # the province competition already has 001 and 002: only the other four are added
    client.post(f"/competitions/{lw.competition.id}/winners", data={"event_id": str(lw.world.event.id)})
    assert db.session.scalar(db.select(db.func.count(Delegate.id)).where(
        Delegate.competition_id == lw.competition.id)) == 6
    missing = client.post(f"/competitions/{competition.id}/winners", data={"event_id": ""})
    assert missing.status_code == 400 and "请选择赛项。" in html(missing)


def test_one_entry_is_sent_with_another_sending_enterprise(client, db):
    lw = league_world()
    login_afresh(client, lw.users["organiser"])
    url = f"/competitions/{lw.competition.id}"
    chosen = page(client, f"{url}?event={lw.world.event.id}")
    entry = lw.world.entries["007"]
    assert f'<option value="{entry.id}">007 {entry.person.name}' in chosen
    response = client.post(f"{url}/entries?event={lw.world.event.id}",
                           data={"entry_id": str(entry.id), "sending_enterprise_id": str(lw.other.id)})
    assert response.status_code == 302 and f"event={lw.world.event.id}" in response.location
    delegate = db.session.scalars(db.select(Delegate).where(Delegate.entry_id == entry.id)).one()
    assert delegate.sending_enterprise_id == lw.other.id  # not its employer, firm
    duplicate = client.post(f"{url}/entries", data={"entry_id": str(entry.id)})
    assert duplicate.status_code == 409 and "该选手已在本赛事的选送名单中。" in html(duplicate)


def test_a_person_is_added_by_id_number_with_the_problems_under_the_fields(client, db):
    lw = league_world()
    login_afresh(client, lw.users["organiser"])
    url = f"/competitions/{lw.competition.id}/persons"
    wrong = client.post(url, data={"id_number": "320584199001011234", "name": "陈小明",
                                   "sending_enterprise_id": str(lw.other.id)})
    body = html(wrong)
    assert wrong.status_code == 400 and 'data-form="person"' in body and 'value="陈小明"' in body
    assert re.search(r'data-field="id_number".*?invalid-feedback', body, re.S)
    no_sender = client.post(url, data={"id_number": id_number(301), "name": "陈小明"})
    assert no_sender.status_code == 400 and "请选择选送单位（企业）。" in html(no_sender)
    added = client.post(url, data={"id_number": id_number(301), "name": "陈小明",
                                   "sending_enterprise_id": str(lw.other.id)}, follow_redirects=True)
    assert "已选送 陈小明。" in html(added)
    row = next(r for r in delegate_rows(html(added)) if "陈小明" in r)
    assert "按身份证号添加" in row and lw.other.name in row
    assert id_number(301) not in html(added)  # the page never shows ID numbers


def test_recording_a_result_shows_the_proposed_rewards_and_re_recording_replaces_them(client, db):
    lw = league_world()
    login_afresh(client, lw.users["organiser"])
    second = lw.second
    form = page(client, f"/competitions/delegates/{second.id}/result")
    assert 'name="prize"' in form and "未获奖" in form and "其他奖项" in form and "重新登记会替换" in form
    recorded = client.post(f"/competitions/delegates/{second.id}/result", data={"prize": "二等奖", "rank": "2"},
                           follow_redirects=True)
    body = html(recorded)
    assert f"已登记 {second.person.name} 的比赛成绩。" in body and "已提出奖励建议" in body
    assert "￥3,000" in body and "￥1,000" in body
    row = next(r for r in delegate_rows(body) if second.person.name in r)
    assert 'data-result="二等奖"' in row and "第 2 名" in row and row.count('data-reward-state="proposed"') == 2
    again = client.post(f"/competitions/delegates/{second.id}/result", data={"prize": "三等奖"}, follow_redirects=True)
    assert "￥1,000" in html(again)
    rewards = db.session.scalars(db.select(Reward).where(Reward.delegate_id == second.id)).all()
    assert [(r.kind, r.amount) for r in rewards] == [(RewardKind.INDIVIDUAL, 1000)]  # 三等奖: nothing to the sender
    other = client.post(f"/competitions/delegates/{second.id}/result",
                        data={"prize": "other", "other_prize": "优秀奖"}, follow_redirects=True)
    assert "按奖励标准，该成绩没有奖励。" in html(other)
    db.session.expire_all()
    assert db.session.get(Delegate, second.id).result_prize == "优秀奖"
    unnamed = client.post(f"/competitions/delegates/{second.id}/result", data={"prize": "other"})
    assert unnamed.status_code == 400 and "请填写奖项名称。" in html(unnamed)


def test_a_result_whose_rewards_were_decided_stands(client, db):
    lw = league_world()
    approve_reward(Actor(lw.users["organiser"]), lw.individual)
    db.session.commit()
    login_afresh(client, lw.users["organiser"])
    form = page(client, f"/competitions/delegates/{lw.first.id}/result")
    assert "data-rewards-decided" in form and 'data-reward-state="approved"' in form
    refused = client.post(f"/competitions/delegates/{lw.first.id}/result", data={"prize": "二等奖"})
    assert refused.status_code == 409 and "该选手的奖励已经审批，比赛成绩不能再修改。" in html(refused)
    db.session.expire_all()
    assert db.session.get(Delegate, lw.first.id).result_prize == "一等奖"


def test_a_delegate_is_removed_before_a_result_and_refused_after(client, db):
    lw = league_world()
    second_id, second_name, first_id = lw.second.id, lw.second.person.name, lw.first.id
    login_afresh(client, lw.users["organiser"])
    body = page(client, f"/competitions/{lw.competition.id}")
    assert f"/competitions/delegates/{lw.second.id}/remove" in body  # no result yet: 移出 offered
    assert f"/competitions/delegates/{lw.first.id}/remove" not in body
    refused = client.post(f"/competitions/delegates/{lw.first.id}/remove")
    assert refused.status_code == 409 and "已登记比赛成绩的选手不能移出选送名单。" in html(refused)
    removed = client.post(f"/competitions/delegates/{second_id}/remove", follow_redirects=True)
    assert f"已将 {second_name} 移出选送名单。" in html(removed)
    db.session.expire_all()
    assert db.session.get(Delegate, second_id) is None and db.session.get(Delegate, first_id) is not None


def test_an_enterprise_sees_only_its_own_delegates(client, db):
    lw = league_world()
    first, second = lw.first.person.name, lw.second.person.name
    login_afresh(client, lw.users["enterprise"])  # firm's HR: firm sent 001
    own = page(client, "/competitions")
    assert "本企业选送" in own and first in own and second not in own and "一等奖" in own
    assert "新增赛事" not in own and "人员查询" not in own
    detail = page(client, f"/competitions/{lw.competition.id}")
    assert first in detail and second not in detail and "￥5,000" in detail
    assert "选送全部获奖选手" not in detail and "按身份证号添加" not in detail and "/result" not in detail
    login_afresh(client, lw.users["other"])  # other sent 002
    detail = page(client, f"/competitions/{lw.competition.id}")
    assert second in detail and first not in detail and "￥5,000" not in detail


def test_enterprises_and_judges_are_refused_the_organisers_actions(client, db):
    lw = league_world()
    url = f"/competitions/{lw.competition.id}"
    login_afresh(client, lw.users["enterprise"])
    assert client.get("/competitions/new").status_code == 403
    assert client.post("/competitions/new", data={}).status_code == 403
    assert client.post(f"{url}/winners", data={"event_id": str(lw.world.event.id)}).status_code == 403
    assert client.post(f"{url}/entries", data={"entry_id": str(lw.world.entries["003"].id)}).status_code == 403
    assert client.post(f"{url}/persons", data={"id_number": id_number(302), "name": "陈小明"}).status_code == 403
    assert client.get(f"/competitions/delegates/{lw.first.id}/result").status_code == 403
    assert client.post(f"/competitions/delegates/{lw.second.id}/remove").status_code == 403
    login_afresh(client, lw.users["judge"])
    assert client.get("/competitions").status_code == 403
    assert client.get(url).status_code == 403
    assert "选送与奖励" not in page(client, "/")
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 2


def test_an_enterprise_that_sent_no_one_may_not_open_a_competition(client, db):
    lw = league_world()
    organiser = Actor(lw.users["organiser"])
    from datetime import date

    from competition.services.league.delegates import CompetitionData, add_from_entry, create_competition

    city = create_competition(organiser, CompetitionData(lw.world.event.season_id, "苏州市电工技能竞赛", "city", "电工",
                                                         date(2026, 8, 1)))
    add_from_entry(organiser, city, lw.world.entries["002"].id)  # other's employee
    db.session.commit()
    login_afresh(client, lw.users["enterprise"])
    assert client.get(f"/competitions/{city.id}").status_code == 403
    assert "苏州市电工技能竞赛" not in page(client, "/competitions")


def test_the_proposed_rewards_are_those_of_the_schedule_for_the_level(client, db):
    lw = league_world()
    assert lw.individual.state is RewardState.PROPOSED
    login_afresh(client, lw.users["organiser"])
    body = page(client, f"/competitions/{lw.competition.id}")
    row = next(r for r in delegate_rows(body) if lw.first.person.name in r)
    assert "成绩优异者 ￥5,000" in text(row) and "优秀选送单位 ￥2,000" in text(row) and "待审批" in row
    assert f"/rewards/{lw.individual.id}" in row
