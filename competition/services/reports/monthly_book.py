"""The monthly feedback workbook (高技能人才培养情况反馈, RULES.md §17) as a town's office files it: a summary sheet
(the title row, the figures of the town beside the district's with the town's share, the year to date, the signature
lines), then one sheet per list (events, prizes by event, 技术能手 titles with masked names, money paid); every sheet
prints landscape on A4 with its header frozen and repeated. Written from a report's figures (services/reports/
monthly.py), so the workbook and the page always agree."""
from datetime import date
from decimal import Decimal

from ...models.types import beijing_today
from ...rules.messages import Message
from ...xlsx import DATE_FORMAT, MONEY_FORMAT, ColumnSpec, SheetSpec, write_workbook

PERCENT_FORMAT = "0.0%"
NONE = Message("—")
LEAGUE = Message("吴江区职业技能联赛")


def title(figures: dict) -> str:
    """吴江区职业技能联赛 盛泽镇 2026年11月 高技能人才培养情况反馈."""
    month = date.fromisoformat(figures["start"])
    return Message("%(league)s %(town)s %(year)s年%(month)s月 高技能人才培养情况反馈", league=LEAGUE,
                   town=figures["town"], year=month.year, month=month.month)


def _period(figures: dict) -> str:
    """统计期间：2026-11-01至2026-11-30；年度累计：2026-01-01至2026-11-30."""
    return Message("统计期间：%(start)s至%(end)s；年度累计：%(ytd)s至%(end)s", start=figures["start"],
                   end=figures["end"], ytd=figures["ytd_start"])


def _heading(figures: dict, topic: str) -> list[str]:
    """A list sheet's two heading lines."""
    return [Message("%(title)s — %(topic)s", title=title(figures), topic=topic), _period(figures)]


def _share(text: str | None):
    """A share in percent ("25.0") as a fraction Excel shows as 25.0%; no district figure: a dash."""
    return Decimal(text) / 100 if text is not None else NONE


def _day(text: str | None) -> date | None:
    """An ISO date from the figures as a real date cell."""
    return date.fromisoformat(text) if text else None


def summary_sheet(figures: dict) -> SheetSpec:
    """汇总: each figure for the town, the district and the town's share, this month and the year to date."""
    columns = [ColumnSpec(Message("项目"), 22, text=True), ColumnSpec(Message("单位"), 6, text=True),
               ColumnSpec(Message("本镇（区）本月"), 14, number_format=MONEY_FORMAT),
               ColumnSpec(Message("全区本月"), 12, number_format=MONEY_FORMAT),
               ColumnSpec(Message("本镇（区）占全区"), 14, number_format=PERCENT_FORMAT),
               ColumnSpec(Message("本镇（区）年度累计"), 16, number_format=MONEY_FORMAT),
               ColumnSpec(Message("全区年度累计"), 14, number_format=MONEY_FORMAT),
               ColumnSpec(Message("年度累计占全区"), 14, number_format=PERCENT_FORMAT)]
    rows = [[Message("　其中：%(tier)s", tier=row["label"]) if row["tier"] else row["label"], row["unit"], row["town"],
             row["district"], _share(row["share"]), row["town_ytd"], row["district_ytd"], _share(row["share_ytd"])]
            for row in figures["rows"]]
    notes = ["", Message("说明：参赛人数为本月举办赛项中现场签到参赛的人次，按参赛人员工作单位所在镇（区）统计；获奖为本月举办且成绩已确认的"
                         "赛项的获奖证书；技术能手按授予日期、补贴和奖励按拨付日期统计；全区含未填写镇（区）的单位。"),
             "", Message("填报单位：%(league)s组委会　　制表日期：%(today)s", league=LEAGUE, today=beijing_today().isoformat()),
             Message("经办人：　　　　　　审核人：　　　　　　负责人：")]
    return SheetSpec(Message("汇总"), columns, rows=rows, heading=[title(figures), _period(figures)], borders=True,
                     notes=notes)


def events_sheet(figures: dict) -> SheetSpec:
    """赛项: the events held with the town's participants or hosted by its enterprises."""
    columns = [ColumnSpec(Message("序号"), 6), ColumnSpec(Message("赛项"), 36, text=True),
               ColumnSpec(Message("职业（工种）"), 16, text=True), ColumnSpec(Message("类别"), 8, text=True),
               ColumnSpec(Message("比赛日期"), 12, number_format=DATE_FORMAT),
               ColumnSpec(Message("承办单位"), 28, text=True), ColumnSpec(Message("本镇（区）参赛人数"), 12),
               ColumnSpec(Message("参赛总人数"), 10)]
    rows = [[n, e["name"], e["occupation"], e["kind_label"], _day(e["date"]), e["host"], e["town_participants"],
             e["participants"]] for n, e in enumerate(figures["events"], 1)]
    return SheetSpec(Message("赛项"), columns, rows=rows, heading=_heading(figures, Message("举办（参与）赛项")),
                     borders=True, notes=[] if rows else [Message("本月无。")])


def prizes_sheet(figures: dict) -> SheetSpec:
    """获奖: the town's prize winners, event by event (names masked)."""
    columns = [ColumnSpec(Message("序号"), 6), ColumnSpec(Message("赛项"), 36, text=True),
               ColumnSpec(Message("比赛日期"), 12, number_format=DATE_FORMAT), ColumnSpec(Message("姓名"), 10, text=True),
               ColumnSpec(Message("工作单位"), 28, text=True), ColumnSpec(Message("获奖等级"), 10, text=True),
               ColumnSpec(Message("证书编号"), 16, text=True)]
    rows, n = [], 0
    for group in figures["prizes"]:
        for item in group["items"]:
            n += 1
            rows.append([n, group["event"], _day(group["date"]), item["name"], item["enterprise"], item["prize"],
                         item["certificate"]])
    return SheetSpec(Message("获奖"), columns, rows=rows, heading=_heading(figures, Message("获奖情况")),
                     borders=True, notes=[] if rows else [Message("本月无。")])


def titles_sheet(figures: dict) -> SheetSpec:
    """技术能手: the titles awarded in the month (names masked)."""
    columns = [ColumnSpec(Message("序号"), 6), ColumnSpec(Message("姓名"), 10, text=True),
               ColumnSpec(Message("工作单位"), 28, text=True), ColumnSpec(Message("途径"), 10, text=True),
               ColumnSpec(Message("赛项"), 36, text=True), ColumnSpec(Message("补贴（元）"), 12, number_format=MONEY_FORMAT),
               ColumnSpec(Message("授予日期"), 12, number_format=DATE_FORMAT)]
    rows = [[n, t["name"], t["enterprise"], t["route_label"], t["event"], t["subsidy"], _day(t["awarded_on"])]
            for n, t in enumerate(figures["titles"], 1)]
    return SheetSpec(Message("技术能手"), columns, rows=rows, heading=_heading(figures, Message("技术能手")),
                     borders=True, notes=[] if rows else [Message("本月无。")])


def payments_sheet(figures: dict) -> SheetSpec:
    """资金拨付: the subsidies and rewards paid in the month, with their total."""
    columns = [ColumnSpec(Message("序号"), 6), ColumnSpec(Message("类别"), 14, text=True),
               ColumnSpec(Message("拨付对象"), 28, text=True), ColumnSpec(Message("依据"), 40, text=True),
               ColumnSpec(Message("金额（元）"), 12, number_format=MONEY_FORMAT),
               ColumnSpec(Message("拨付日期"), 12, number_format=DATE_FORMAT), ColumnSpec(Message("凭证号"), 16, text=True)]
    payments = figures["payments"]
    rows: list[list] = [[n, p["kind_label"], p["payee"], p["basis"], p["amount"], _day(p["paid_on"]), p["voucher"]]
                        for n, p in enumerate(payments, 1)]
    rows.append(["", Message("合计"), "", "", sum(p["amount"] for p in payments), None, ""])
    return SheetSpec(Message("资金拨付"), columns, rows=rows, heading=_heading(figures, Message("补贴和奖励拨付")),
                     borders=True)


SHEETS = (summary_sheet, events_sheet, prizes_sheet, titles_sheet, payments_sheet)


def monthly_workbook(figures: dict) -> bytes:
    """The report's workbook."""
    return write_workbook([build(figures) for build in SHEETS])
