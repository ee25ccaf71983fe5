"""The reward register (奖励台账, RULES.md §16) as a finance office files it, and the 奖励 sheet of the season report:
read back with openpyxl — the title, the header, every reward in the register's order with a rejection's reason, the
total of what is committed, the number formats and the print setup; the download's names; who may download it."""
import io
from urllib.parse import unquote

from openpyxl import load_workbook

from competition.extensions import db as _db
from competition.models.types import beijing_today
from competition.services.audit import Actor
from competition.services.league.rewards import (OrganisingReward, approve_reward, pay_reward,
                                                 propose_organising_reward, reject_reward)
from competition.xlsx import MONEY_FORMAT
from tests.clients import login_afresh
from tests.league_builders import league_world

HEADER = ["序号", "类别", "获奖对象", "单位", "依据", "金额（元）", "状态", "批准日期", "拨付日期", "凭证号", "备注"]


def every_state():
    """league_world with its 5000 individual reward paid, the 2000 sending-unit reward rejected, a town's 3000
    organising reward approved and an enterprise's 1500 left proposed. Committed."""
    league = league_world()
    organiser = Actor(league.world.organiser)
    season = league.competition.season_id
    town = propose_organising_reward(organiser, OrganisingReward(season, 3000, "组织镇区选拔赛", town="盛泽镇"))
    pending = propose_organising_reward(organiser, OrganisingReward(season, 1500, "=承办决赛", enterprise_id=league.other.id))
    approve_reward(organiser, league.individual)
    pay_reward(organiser, league.individual, beijing_today(), "JZ-2026-118")
    reject_reward(organiser, league.sending, "选送单位未按时报名")
    approve_reward(organiser, town)
    _db.session.commit()
    return league, town, pending


def register(client, league) -> tuple:
    """The register's response and its one worksheet."""
    response = client.get(f"/rewards/register.xlsx?season={league.competition.season_id}")
    assert response.status_code == 200, response.status_code
    return response, load_workbook(io.BytesIO(response.data)).active


def test_the_register_lists_every_reward_with_the_committed_total(client, db):
    league, town, pending = every_state()
    login_afresh(client, league.users["organiser"])
    response, sheet = register(client, league)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "吴江职业技能联赛 2026年度奖励台账" and "A1:K1" in {str(r) for r in sheet.merged_cells.ranges}
    assert rows[1] == HEADER
    lines = rows[2:6]
    today = beijing_today()
    assert [line[:7] for line in lines] == [
        [1, "组织单位", "盛泽镇", "盛泽镇", "组织镇区选拔赛", 3000, "已批准"],
        [2, "成绩优异者", league.individual.name, league.firm.name, league.individual.basis, 5000, "已拨付"],
        [3, "组织单位", league.other.name, league.other.name, "=承办决赛", 1500, "待审批"],
        [4, "优秀选送单位", league.firm.name, league.firm.name, league.sending.basis, 2000, "已驳回"],
    ]
    approved, paid, proposed, rejected = lines
    assert (paid[7].date(), paid[8].date(), paid[9]) == (today, today, "JZ-2026-118")
    assert approved[7].date() == today and approved[8] is None and proposed[7] is None
    assert rejected[7] is None and rejected[10] == "驳回理由：选送单位未按时报名"
    assert rows[6][1] == "合计（已批准及已拨付）" and rows[6][5] == 8000
    assert sheet.cell(5, 5).value == "=承办决赛" and sheet.cell(5, 5).data_type == "s"  # text, never a formula


def test_the_register_prints_on_a4_landscape_with_whole_yuan_and_a_frozen_header(client, db):
    league, *_ = every_state()
    login_afresh(client, league.users["organiser"])
    response, sheet = register(client, league)
    assert sheet.freeze_panes == "A3"
    assert sheet.cell(3, 6).number_format == MONEY_FORMAT and sheet.cell(7, 6).number_format == MONEY_FORMAT
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["E"].width == 40 and sheet.column_dimensions["A"].width == 6
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="rewards-2026.xlsx"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("''", 1)[1]) == "2026年度奖励台账.xlsx"


def test_an_empty_season_has_a_title_a_header_and_a_zero_total(client, db):
    league = league_world()
    login_afresh(client, league.users["organiser"])
    for reward in (league.individual, league.sending):
        reject_reward(Actor(league.world.organiser), reward, "重复提出")
    _db.session.commit()
    _, sheet = register(client, league)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-3][1] == "合计（已批准及已拨付）" and rows[-3][5] == 0  # then a blank line and the signature line
    assert "经办人" in rows[-1][0]


def test_only_organisers_download_the_register(client, db):
    league = league_world()
    for role in ("enterprise", "other", "judge"):
        login_afresh(client, league.users[role])
        assert client.get(f"/rewards/register.xlsx?season={league.competition.season_id}").status_code == 403
    login_afresh(client, league.users["organiser"])
    assert client.get("/rewards/register.xlsx?season=999999").status_code == 404


def test_the_season_report_has_the_rewards_sheet_narrowed_to_its_month(client, db):
    league, town, pending = every_state()
    login_afresh(client, league.users["organiser"])
    season = league.competition.season_id
    year = load_workbook(io.BytesIO(client.get(f"/seasons/{season}/report.xlsx").data))
    assert "奖励" in year.sheetnames and year.sheetnames.index("奖励") < year.sheetnames.index("预算")
    rows = list(year["奖励"].iter_rows(values_only=True))
    assert rows[0][0].endswith("奖励") and list(rows[2]) == HEADER
    assert [r[1] for r in rows[3:7]] == ["组织单位", "成绩优异者", "组织单位", "优秀选送单位"]
    assert rows[7][1] == "合计（已批准及已拨付）" and rows[7][5] == 8000
    budget = [r[0] for r in year["预算"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("已承诺")]
    assert budget == ["已承诺（元，全年）：8000"]  # the approved and paid rewards are committed spending
    other_month = "2026-01" if beijing_today().month != 1 else "2026-02"
    month = load_workbook(io.BytesIO(client.get(f"/seasons/{season}/report.xlsx?month={other_month}").data))
    narrowed = list(month["奖励"].iter_rows(values_only=True))
    assert narrowed[3][1] == "合计（已批准及已拨付）" and narrowed[3][5] == 0  # nothing proposed, decided or paid then
