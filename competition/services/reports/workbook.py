"""The season report workbook (年度报表): one sheet per topic, the same figures as the dashboard.

The general sheets are here, the money sheets in report_money; season_book lists them all, explicitly, so the
report never depends on which modules happened to be imported (issue 17)."""
from datetime import date
from decimal import Decimal

from ...rules.events import STATUS_LABELS
from ...xlsx import DATE_FORMAT, MONEY_FORMAT, SCORE_FORMAT, ColumnSpec, SheetSpec
from .figures import SeasonFigures, results_summary

KIND_TEXT = {"district": "区级赛", "enterprise": "企业赛"}
def period(figures: SeasonFigures) -> str:
    """'2026年度' or '2026年3月' for headings."""
    month = figures.month
    return f"{month.year}年{month.month}月" if month else f"{figures.season.year}年度"


def heading(figures: SeasonFigures, topic: str) -> list[str]:
    """The two heading lines of every sheet."""
    return [f"{figures.season.name} {topic}", f"统计期间：{period(figures)}"]


def events_sheet(f: SeasonFigures) -> SheetSpec:
    """赛项: every event of the period with its counts."""
    columns = [ColumnSpec("赛项", 36, text=True), ColumnSpec("职业（工种）", 18, text=True),
               ColumnSpec("类别", 10, text=True), ColumnSpec("状态", 12, text=True), ColumnSpec("比赛日期", 12, number_format=DATE_FORMAT),
               ColumnSpec("报名人数", 10), ColumnSpec("参赛人数", 10), ColumnSpec("参赛人数口径", 16, text=True)]
    rows: list[list[str | date | int | None]] = [
        [e.name, e.occupation, KIND_TEXT.get(e.kind, e.kind), STATUS_LABELS.get(e.status, e.status), e.event_date,
         e.registered, e.participants, "签核时冻结" if e.frozen else "当前到场"] for e in f.events]
    rows.append(["合计", "", "", "", None, f.registered, f.participants, ""])
    return SheetSpec("赛项", columns, rows=rows, heading=heading(f, "赛项"), borders=True)


def participants_sheet(f: SeasonFigures) -> SheetSpec:
    """参赛人数: by occupation, then by town."""
    columns = [ColumnSpec("分类", 12, text=True), ColumnSpec("名称", 28, text=True), ColumnSpec("参赛人数", 10)]
    rows = [["职业（工种）", name, count] for name, count in f.by_occupation.items()]
    rows += [["镇区", name, count] for name, count in f.by_town.items()]
    return SheetSpec("参赛人数", columns, rows=rows, heading=heading(f, "参赛人数（按职业、镇区）"), borders=True)


def results_sheet(f: SeasonFigures) -> SheetSpec:
    """成绩汇总: each event with frozen results."""
    columns = [ColumnSpec("赛项", 36, text=True), ColumnSpec("状态", 12, text=True), ColumnSpec("参赛人数", 10),
               ColumnSpec("排名人数", 10), ColumnSpec("最高分", 10, number_format=SCORE_FORMAT),
               ColumnSpec("平均分", 10, number_format=SCORE_FORMAT)]
    rows = [[r.name, STATUS_LABELS.get(r.status, r.status), r.participants, r.ranked, _number(r.highest),
             _number(r.average)] for r in results_summary(f)]
    return SheetSpec("成绩汇总", columns, rows=rows, heading=heading(f, "成绩汇总"), borders=True)


def budget_sheet(f: SeasonFigures) -> SheetSpec:
    """预算: budget, committed and remaining, then the money committed each month by kind."""
    kinds = sorted({kind for row in f.spending for kind in row["by_kind"]})
    columns = [ColumnSpec("月份", 12, text=True), *[ColumnSpec(k, 16, number_format=MONEY_FORMAT) for k in kinds],
               ColumnSpec("累计已承诺（元）", 18, number_format=MONEY_FORMAT)]
    rows = [[f"{row['month']:%Y-%m}", *[row["by_kind"].get(k, 0) for k in kinds], row["cumulative"]]
            for row in f.spending]
    notes = ["", f"年度预算（元）：{f.budget}", f"已承诺（元，全年）：{f.committed}", f"剩余（元）：{f.budget - f.committed}"]
    return SheetSpec("预算", columns, rows=rows, heading=heading(f, "预算执行"), notes=notes, borders=True)


def _number(text):
    """A score shown as text ("87.45") as a number for the sheet; nothing stays empty."""
    return Decimal(text) if text not in (None, "") else None
