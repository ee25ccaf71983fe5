"""Reward pages (RULES.md §16): a season's list with its totals and budget line, the organising-unit form, one reward
with its decisions (approve within the budget, reject with a reason, record the payment), refusals shown on the page
with their status, and an enterprise held to its own rewards."""
import re

from competition.extensions import db as _db
from competition.models import AuditEntry, Reward, RewardState
from competition.models.types import beijing_today
from competition.services.audit import Actor
from competition.services.league.rewards import OrganisingReward, propose_organising_reward
from tests.clients import html, login_afresh
from tests.league_builders import league_world


def page(client, url) -> str:
    """A page's HTML, asserting 200."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html(response)


def budget(body: str) -> dict[str, str]:
    """The budget figures shown on a page (data-budget="…">￥…)."""
    return dict(re.findall(r'data-budget="(\w+)">([^<]+)<', body))


def state_of(reward: Reward) -> RewardState:
    """The reward's state as stored now."""
    _db.session.expire_all()
    return _db.session.get(Reward, reward.id).state


def test_the_organiser_sees_the_seasons_rewards_with_totals_and_the_budget_line(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    body = page(client, f"/rewards?season={league.competition.season_id}")
    assert f'data-reward="{league.individual.id}"' in body and f'data-reward="{league.sending.id}"' in body
    assert "成绩优异者" in body and "优秀选送单位" in body and league.firm.name in body
    assert re.search(r'data-total="proposed">.*?￥7,000', body, re.S)
    assert budget(body) == {"budget": "￥1,000,000", "committed": "￥0", "remaining": "￥1,000,000"}
    assert "下载奖励台账" in body and "/rewards/register.xlsx?season=" in body and "/rewards/new" in body
    default = page(client, "/rewards")  # the current season (this year's, else the latest) by default
    assert f'data-reward="{league.individual.id}"' in default


def test_the_list_filters_by_state_and_kind_and_says_when_nothing_matches(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    season = league.competition.season_id
    body = page(client, f"/rewards?season={season}&kind=sending_unit")
    assert f'data-reward="{league.sending.id}"' in body and f'data-reward="{league.individual.id}"' not in body
    empty = page(client, f"/rewards?season={season}&state=paid")
    assert "data-empty-state" in empty and "没有符合条件的奖励" in empty
    hostile = client.get(f"/rewards?season={season}&state=bogus&kind=%00")
    assert hostile.status_code == 200 and 'data-ignored-filters="kind,state"' in html(hostile)
    assert client.get("/rewards?season=999999").status_code == 404


def test_approving_moves_the_budget_and_deciding_twice_is_a_409(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    detail = page(client, f"/rewards/{league.individual.id}")
    assert 'data-reward-state="proposed"' in detail and 'data-budget-after="995000"' in detail
    assert "确认批准该奖励（￥5,000）？批准后本年度已承诺 ￥5,000，剩余预算 ￥995,000。" in detail
    assert f'href="/competitions/{league.competition.id}">{PROVINCE_NAME}</a>' in detail
    assert f'href="/persons/{league.individual.person_id}"' in detail
    response = client.post(f"/rewards/{league.individual.id}/approve")
    assert response.status_code == 302 and response.location.endswith(f"/rewards/{league.individual.id}")
    assert state_of(league.individual) is RewardState.APPROVED
    after = page(client, f"/rewards/{league.individual.id}")
    assert 'data-reward-state="approved"' in after and "已批准奖励，金额 5,000 元。" in after
    assert budget(after)["committed"] == "￥5,000" and budget(after)["remaining"] == "￥995,000"
    listed = page(client, f"/rewards?season={league.competition.season_id}")
    assert budget(listed)["committed"] == "￥5,000"
    again = client.post(f"/rewards/{league.individual.id}/approve")
    assert again.status_code == 409
    assert "该奖励当前为“已批准”，不能执行此操作（需为 待审批）。" in html(again)
    assert _db.session.scalar(_db.select(_db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "reward.approve")) == 1


def test_an_approval_beyond_the_budget_is_a_409_with_the_figures_and_changes_nothing(client, db):
    league = league_world(budget=6000)
    login_afresh(client, league.users["organiser"])
    assert client.post(f"/rewards/{league.individual.id}/approve").status_code == 302
    refused = client.post(f"/rewards/{league.sending.id}/approve")
    body = html(refused)
    assert refused.status_code == 409 and "data-form-error" in body
    assert "超出年度预算：预算 6000 元，已承诺 5000 元，本次 2000 元，剩余 1000 元。" in body
    assert 'data-reward-state="proposed"' in body and state_of(league.sending) is RewardState.PROPOSED


def test_a_rejection_needs_a_reason_and_shows_it(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    blank = client.post(f"/rewards/{league.sending.id}/reject", data={"reason": ""})
    assert blank.status_code == 400 and "请填写驳回理由。" in html(blank)
    assert state_of(league.sending) is RewardState.PROPOSED
    response = client.post(f"/rewards/{league.sending.id}/reject", data={"reason": "选送单位未按时报名"})
    assert response.status_code == 302 and state_of(league.sending) is RewardState.REJECTED
    body = page(client, f"/rewards/{league.sending.id}")
    assert "data-reward-reason" in body and "选送单位未按时报名" in body and 'data-section="decision"' not in body
    twice = client.post(f"/rewards/{league.sending.id}/reject", data={"reason": "再次驳回"})
    assert twice.status_code == 409 and "该奖励当前为“已驳回”" in html(twice)
    assert re.search(r"data-unsaved.*?再次驳回", html(twice), re.S)  # decided meanwhile: what was typed is shown


def test_a_payment_is_recorded_with_its_date_and_voucher(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    today = beijing_today().isoformat()
    early = client.post(f"/rewards/{league.individual.id}/pay", data={"paid_on": today, "voucher": "JZ-2026-118"})
    assert early.status_code == 409 and re.search(r"data-unsaved.*?JZ-2026-118", html(early), re.S)  # nothing lost
    client.post(f"/rewards/{league.individual.id}/approve")
    missing = client.post(f"/rewards/{league.individual.id}/pay", data={"paid_on": today, "voucher": ""})
    assert missing.status_code == 400 and "请填写凭证号。" in html(missing)
    response = client.post(f"/rewards/{league.individual.id}/pay", data={"paid_on": today, "voucher": "JZ-2026-118"})
    assert response.status_code == 302 and state_of(league.individual) is RewardState.PAID
    body = page(client, f"/rewards/{league.individual.id}")
    assert f"已于 {today} 拨付，凭证号 JZ-2026-118。" in body and 'data-reward-state="paid"' in body


def test_the_organiser_proposes_a_reward_for_an_enterprise_or_a_town(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    form = page(client, "/rewards/new")
    assert "松陵街道" in form and "盛泽镇" in form and league.other.name in form
    season = league.competition.season_id
    response = client.post("/rewards/new", data={"season_id": season, "unit": "enterprise",
                                                 "enterprise_id": league.other.id, "town": "盛泽镇",
                                                 "amount": "8,000", "basis": "承办区级电工决赛"})
    reward = _db.session.scalars(_db.select(Reward).where(Reward.basis == "承办区级电工决赛")).one()
    assert response.status_code == 302 and response.location.endswith(f"/rewards/{reward.id}")
    assert (reward.enterprise_id, reward.town, reward.amount) == (league.other.id, None, 8000)
    client.post("/rewards/new", data={"season_id": season, "unit": "town", "enterprise_id": league.firm.id,
                                      "town": "盛泽镇", "amount": "3000", "basis": "组织镇区选拔赛"})
    town = _db.session.scalars(_db.select(Reward).where(Reward.basis == "组织镇区选拔赛")).one()
    assert (town.enterprise_id, town.town, town.state) == (None, "盛泽镇", RewardState.PROPOSED)
    assert "盛泽镇" in page(client, f"/rewards/{town.id}")


def test_a_wrong_proposal_names_the_field_and_keeps_what_was_typed(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    season = league.competition.season_id
    no_amount = client.post("/rewards/new", data={"season_id": season, "unit": "enterprise",
                                                  "enterprise_id": league.firm.id, "amount": "", "basis": "承办决赛"})
    assert no_amount.status_code == 400 and "请填写奖励金额。" in html(no_amount) and "承办决赛" in html(no_amount)
    no_town = client.post("/rewards/new", data={"season_id": season, "unit": "town", "town": "",
                                                "amount": "0", "basis": "组织选拔赛"})
    body = html(no_town)
    assert no_town.status_code == 400 and "组织选拔赛" in body
    assert re.search(r'data-field="enterprise_id".*?请选择一个组织单位：一家企业或一个镇区（二选一）。', body, re.S)
    assert re.search(r'data-field="amount".*?奖励金额应为 1 至', body, re.S)
    assert _db.session.scalar(_db.select(_db.func.count(Reward.id))) == 2


def test_an_enterprise_sees_only_its_own_rewards_and_decides_nothing(client, db):
    league = league_world()
    theirs = propose_organising_reward(Actor(league.world.organiser), OrganisingReward(
        league.competition.season_id, 4000, "承办区级决赛", enterprise_id=league.other.id))
    _db.session.commit()
    login_afresh(client, league.users["enterprise"])
    body = page(client, "/rewards")
    assert f'data-reward="{league.individual.id}"' in body and f'data-reward="{theirs.id}"' not in body
    assert "下载奖励台账" not in body and "data-section=\"reward-budget\"" not in body
    detail = page(client, f"/rewards/{league.individual.id}")
    assert 'data-section="decision"' not in detail and 'data-section="reward-budget"' not in detail
    assert f'href="/competitions/{league.competition.id}"' in detail and "/persons/" not in detail
    assert client.get(f"/rewards/{theirs.id}").status_code == 403
    assert client.post(f"/rewards/{league.individual.id}/approve").status_code == 403
    assert client.get("/rewards/new").status_code == 403
    dashboard = page(client, f"/enterprises/{league.firm.id}/dashboard")
    assert f'data-reward="{league.individual.id}"' in dashboard and f'data-reward="{theirs.id}"' not in dashboard
    login_afresh(client, league.users["other"])
    assert client.get(f"/rewards/{league.individual.id}").status_code == 403
    own = page(client, "/rewards")
    assert f'data-reward="{theirs.id}"' in own and f'data-reward="{league.sending.id}"' not in own


def test_judges_have_no_reward_pages(client, db):
    league = league_world()
    login_afresh(client, league.users["judge"])
    assert client.get("/rewards").status_code == 403
    assert client.get(f"/rewards/{league.individual.id}").status_code == 403


PROVINCE_NAME = "江苏省电工职业技能竞赛"
