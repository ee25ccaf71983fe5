"""Demo budget lines and district spending for `flask seed-demo` (RULES.md §17), on the demo season.

- the season's lines: every category from the district's budget (区级), and 盛泽镇's share (镇级) of 区级赛事经费;
- spending on the district's 车工 competition (demo/results.py scored it): the judges' fees and the materials,
  approved within the 区级赛事经费 line; the venue's hire, recorded and waiting for a decision (待审批).

Called after the subsidy, nominations and league demos (their money is committed first), with the season, the users
by username and the scored events by key.
"""
from datetime import date

from ..models import Event, Season, User
from ..services.audit import Actor
from ..services.marking.facts import beijing_today
from ..services.money.fund import LineData, SpendingData, approve_spending, record_spending, set_lines

LINES = (
    ("subsidy", "district", None, 600_000, "区财政专项：企业竞赛经费补贴"),
    ("expert", "district", None, 100_000, "技术能手补贴"),
    ("rewards", "district", None, 300_000, "竞赛成绩优异者、选送和组织单位奖励"),
    ("district_events", "district", None, 400_000, "区级职业技能竞赛经费"),
    ("district_events", "town", "盛泽镇", 50_000, "盛泽镇配套：纺织类区级赛事"),
    ("technical_support", "district", None, 80_000, "企业赛裁判、命题和场地支持"),
)
# (day, amount, voucher, note, approved)
SPENDING = (
    (date(2026, 11, 13), 14_400, "吴人社记-2026-1113-01", "车工决赛裁判劳务费：6人×2天×1200元", True),
    (date(2026, 11, 10), 9_860, "吴人社记-2026-1110-02", "车工决赛实操耗材：棒料、刀具、量具校验", True),
    (date(2026, 11, 14), 6_000, "吴人社记-2026-1114-03", "车工决赛实训中心场地及设备使用费", False),
)


def seed_fund(season: Season, users: dict[str, User], events: dict[str, Event]) -> None:
    """The demo season's lines and the 车工 competition's spending (two approved, one proposed)."""
    organiser = Actor(users["organiser"], "demo")
    set_lines(organiser, season, [LineData(category, source, amount, town, note)
                                  for category, source, town, amount, note in LINES])
    lathe = events["lathe"]
    today = beijing_today()
    for day, amount, voucher, note, approved in SPENDING:
        spending = record_spending(organiser, SpendingData(
            season_id=season.id, category="district_events", event_id=lathe.id, amount=amount,
            spent_on=min(day, today), voucher=voucher, note=note))
        if approved:
            approve_spending(organiser, spending)
