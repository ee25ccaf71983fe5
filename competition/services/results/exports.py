"""Results shaped by role for the pages, and the 成绩册 and 评分表 workbooks (user text stays text)."""
from collections import defaultdict
from decimal import Decimal

from scoring.explain import STATUS_TEXT as ROW_STATUS_TEXT

from ...extensions import db
from ...models import Criterion, CriterionKind, EventStatus, Module, PanelMember, User
from ...models.marks import MEASUREMENT_KEY
from ...rules.identity import mask_name
from ...xlsx import SCORE_FORMAT, ColumnSpec, PrintSpec, SheetSpec, write_workbook
from ..marking.reports import marks_for
from ..certificates.queries import numbers_by_entry
from .prizes import prize_settings, prizes_for_rows
from .rows import contestants, result_rows, score_text
from ..marking.facts import beijing_today

STATUS_TEXT = {"present": "", **ROW_STATUS_TEXT}  # the explanations' labels: one word per row status


def shaped_rows(event, reveal: str, explained: bool = True, prizes: bool = False) -> tuple[list[dict], bool]:
    """Rows for display: reveal is 'full' (names), 'masked' (张*丰) or 'none' (numbers only); and frozen. Each row's
    `prize` is its tier name when `prizes` (the caller may show them: permissions.can_see_prizes), else None."""
    rows, frozen = result_rows(event, explained)
    people = contestants(event) if reveal != "none" else {}
    won = prizes_for_rows(rows, prize_settings(event)) if prizes else {}
    numbers = numbers_by_entry(event) if event.status is EventStatus.FINAL else {}  # certificates, once final
    out = []
    for row in rows:
        name, employer = people.get(row["entry_id"], (None, None))
        if reveal == "masked":
            name = mask_name(name) or None
        out.append({
            "rank": row["rank"], "shared": row["shared"], "number": row["number"], "name": name,
            "employer": employer if reveal != "none" else None, "status": row["status"],
            "status_text": STATUS_TEXT.get(row["status"], row["status"]),
            "modules": [{"name": m["name"], "score": score_text(m["score"])} for m in row["modules"]],
            "total": score_text(row["total"]), "practical": score_text(row["practical"]),
            "time_used": row["time_used"], "explanation": (row.get("explanation") or {}).get("text", ""),
            "prize": won.get(row["entry_id"]), "certificate_no": numbers.get(row["entry_id"]),
        })
    return out, frozen


def module_names(rows: list[dict], event) -> list[str]:
    """The module columns: from the rows, else from the scheme."""
    for row in rows:
        if row["modules"]:
            return [m["name"] for m in row["modules"]]
    return [m.name for m in sorted(event.modules, key=lambda m: m.position)]


def time_text(seconds) -> str:
    """Seconds as m:ss (or h:mm:ss), '' when absent."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def results_workbook(event, reveal: str = "full", prizes: bool = True) -> bytes:
    """成绩册: title, event, date; ranked then unranked rows with each prize (when `prizes`: the reader may see
    them); signature lines for 裁判长 and 组委会."""
    rows, _frozen = result_rows(event, explained=False)  # the stored rows, read once: no shaping for the page
    people = contestants(event) if reveal != "none" else {}
    won = prizes_for_rows(rows, prize_settings(event)) if prizes else {}
    modules = module_names(rows, event)
    # Ranks and scores are numbers (two decimals shown), so an office can sort, sum and check them in Excel.
    columns = [ColumnSpec("名次", 8), ColumnSpec("参赛号", 10, text=True), ColumnSpec("姓名", 14, text=True),
               ColumnSpec("工作单位", 28, text=True),
               *[ColumnSpec(name, 12, number_format=SCORE_FORMAT) for name in modules],
               ColumnSpec("总分", 10, number_format=SCORE_FORMAT), ColumnSpec("实操得分", 10, number_format=SCORE_FORMAT),
               ColumnSpec("用时", 10, text=True), ColumnSpec("获奖等级", 12, text=True), ColumnSpec("状态", 10, text=True)]

    def line(row):
        name, employer = people.get(row["entry_id"], (None, None))
        if reveal == "masked":
            name = mask_name(name)
        scores = [_score(m["score"]) for m in row["modules"]] + [None] * (len(modules) - len(row["modules"]))
        status = STATUS_TEXT.get(row["status"], row["status"]) or ("并列" if row["shared"] else "")
        return [row["rank"], row["number"] or "", name or "", employer or "", *scores,
                _score(row["total"]), _score(row["practical"]), time_text(row["time_used"]),
                won.get(row["entry_id"], ""), status]

    ranked = [line(r) for r in rows if r["rank"]]
    unranked = [line(r) for r in rows if not r["rank"]]
    heading = [f"{event.name} 成绩册", f"赛项：{event.name}　比赛日期：{event.event_date}　制表日期：{beijing_today()}"]
    notes = ["", "裁判长（签字）：________________　日期：__________",
             "组委会（盖章）：________________　日期：__________"]
    # Ruled by printed gridlines rather than a border on each cell: a 10,000-row 成绩册 then writes at openpyxl's
    # plain speed (bench/bench_export.py); the header row keeps its borders and shading.
    return write_workbook([SheetSpec("成绩册", columns, rows=ranked + unranked, heading=heading, notes=notes,
                                     print_spec=PrintSpec(gridlines=True), style_cells=False)])


def _score(value) -> Decimal | None:
    """A stored score as the exact number the sheet holds (shown with two decimals by the column's format)."""
    return Decimal(value) if value not in (None, "") else None


def mark_sheets_workbook(event) -> bytes:
    """One 评分表 per panel judge: their marks by competition number × judgement criterion, with a signature line."""
    criteria = list(db.session.scalars(
        db.select(Criterion).join(Module, Module.id == Criterion.module_id).where(Module.event_id == event.id)
        .order_by(Module.position, Criterion.position, Criterion.id)))
    judged = [c for c in criteria if c.kind == CriterionKind.JUDGEMENT]
    judges = list(db.session.execute(
        db.select(User.id, User.display_name).join(PanelMember, PanelMember.user_id == User.id)
        .where(PanelMember.event_id == event.id).order_by(PanelMember.created_at, PanelMember.id)))
    table: dict[int, dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    for cell in marks_for(event):
        if cell.judge_id not in (None, MEASUREMENT_KEY):
            table[cell.judge_id][cell.number or ""][cell.criterion_id] = score_text(cell.value)
    columns = [ColumnSpec("参赛号", 10, text=True),
               *[ColumnSpec(f"{c.name}（满分 {c.max_score}）", 16, text=True) for c in judged]]
    sheets = []
    for seat, judge in enumerate(judges, 1):
        marks = table.get(judge.id, {})
        rows = [[number, *[marks[number].get(c.id, "") for c in judged]] for number in sorted(marks)]
        sheets.append(SheetSpec(
            f"裁判 {seat}", columns, rows=rows, borders=True, print_spec=PrintSpec(),
            heading=[f"{event.name} 评分表", f"裁判 {seat}：{judge.display_name}"],
            notes=["", "裁判（签字）：________________　日期：__________"]))
    if not sheets:
        sheets.append(SheetSpec("评分表", columns, heading=[f"{event.name} 评分表"], notes=["尚无裁判。"]))
    return write_workbook(sheets)
