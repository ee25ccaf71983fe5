"""The season report's fund sheets (RULES.md §17): 预算科目 (each line, and per category its total, what is committed
and what remains, as the lines page shows them) and 区级赛事支出 (the district's spending). Reads the fund service;
decides nothing."""
from ...models import CATEGORY_LABELS, SOURCE_LABELS, SPENDING_STATE_LABELS, SpendingState
from ...models.types import beijing_day
from ...xlsx import DATE_FORMAT, MONEY_FORMAT, ColumnSpec, SheetSpec
from ..money.fund import season_categories, season_spending
from .figures import SeasonFigures
from .money import in_period
from .workbook import heading

LINE_COLUMNS = (ColumnSpec("预算科目", 16, text=True), ColumnSpec("资金来源", 10, text=True),
                ColumnSpec("镇（区）", 18, text=True), ColumnSpec("预算（元）", 14, number_format=MONEY_FORMAT),
                ColumnSpec("已承诺（元）", 14, number_format=MONEY_FORMAT),
                ColumnSpec("剩余（元）", 14, number_format=MONEY_FORMAT), ColumnSpec("备注", 30, text=True))
SPENDING_COLUMNS = (ColumnSpec("序号", 6), ColumnSpec("支出日期", 12, number_format=DATE_FORMAT),
                    ColumnSpec("支出科目", 14, text=True), ColumnSpec("赛项", 32, text=True),
                    ColumnSpec("用途说明", 36, text=True), ColumnSpec("凭证号", 16, text=True),
                    ColumnSpec("金额（元）", 12, number_format=MONEY_FORMAT), ColumnSpec("状态", 10, text=True),
                    ColumnSpec("批准日期", 12, number_format=DATE_FORMAT), ColumnSpec("备注", 30, text=True))


def lines_sheet(f: SeasonFigures) -> SheetSpec:
    """预算科目: each line, then its category's subtotal with committed and remaining; the season's total last."""
    rows: list[list] = []
    categories = season_categories(f.season.id)
    for c in categories:
        label = CATEGORY_LABELS[c.category]
        rows += [[label, SOURCE_LABELS[line.source], line.town or "", line.amount, None, None, line.note or ""]
                 for line in c.lines]
        rows.append([f"{label} 小计", "", "" if c.lines else "未设预算科目", c.amount, c.committed, c.remaining, ""])
    total, spent = sum(c.amount for c in categories), sum(c.committed for c in categories)
    rows.append(["合计", "", "", total, spent, total - spent, ""])
    notes = ["", f"年度预算（元）：{f.budget}", "已承诺为全年数：竞赛经费补贴、奖励为已批准及已拨付，技术能手为已授予，"
             "区级赛事经费、技术支持为已批准的支出。"]
    return SheetSpec("预算科目", LINE_COLUMNS, rows=rows, heading=heading(f, "预算科目执行"), notes=notes, borders=True)


def spending_sheet(f: SeasonFigures) -> SheetSpec:
    """区级赛事支出: the season's spending (a month: spent or decided in it), then the approved total."""
    spendings = [s for s in season_spending(f.season.id) if in_period(f, s.spent_on, beijing_day(s.decided_at))]
    rows: list[list] = []
    for number, s in enumerate(spendings, 1):
        approved = s.state is SpendingState.APPROVED
        note = f"驳回理由：{s.reason}" if s.state is SpendingState.REJECTED and s.reason else ""
        rows.append([number, s.spent_on, CATEGORY_LABELS[s.category], s.event.name if s.event else "", s.note or "",
                     s.voucher, s.amount, SPENDING_STATE_LABELS[s.state],
                     beijing_day(s.decided_at) if approved else None, note])
    rows.append(["", None, "合计（已批准）", "", "", "", sum(s.amount for s in spendings
                                                       if s.state is SpendingState.APPROVED), "", None, ""])
    return SheetSpec("区级赛事支出", SPENDING_COLUMNS, rows=rows, heading=heading(f, "区级赛事及技术支持支出"),
                     borders=True)
