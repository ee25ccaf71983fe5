"""The annual plan's workbook (年度竞赛计划), in the form the district publishes: a title
(吴江区2026年度职业技能竞赛计划), numbered rows, the columns of the plan page, printed on A4 landscape with the title
and header repeated on every page. Its Chinese text is the content of the office document."""
from ..models import Season
from ..models.types import beijing_today
from ..xlsx import DATE_FORMAT, ColumnSpec, PrintSpec, SheetSpec, write_workbook
from .plan import season_plan


def plan_title(season: Season) -> str:
    """吴江区2026年度职业技能竞赛计划."""
    return f"吴江区{season.year}年度职业技能竞赛计划"


PLAN_COLUMNS = (ColumnSpec("序号", 6), ColumnSpec("竞赛名称", 36, text=True), ColumnSpec("类别", 9, text=True),
                ColumnSpec("职业（工种）", 16, text=True), ColumnSpec("等级", 14, text=True),
                ColumnSpec("竞赛日期", 12, number_format=DATE_FORMAT), ColumnSpec("承办单位", 26, text=True),
                ColumnSpec("竞赛地点", 26, text=True), ColumnSpec("技术支持", 18, text=True))


def plan_workbook(season: Season) -> bytes:
    """The plan as the district publishes it: title, numbered rows, one sheet printed on A4 landscape."""
    items = season_plan(season)
    rows = [(n, item.name, str(item.kind_label), item.occupation, str(item.level_label), item.event_date, item.host,
             item.venue, "、".join(str(label) for label in item.support_labels))
            for n, item in enumerate(items, 1)]
    heading = [plan_title(season), f"共 {len(items)} 项　制表日期：{beijing_today().isoformat()}"]
    notes = ["注：区级赛由区组委会主办；企业赛经区组委会审核列入年度计划，“技术支持”为区组委会同意提供的支持。"]
    sheet = SheetSpec("年度竞赛计划", PLAN_COLUMNS, rows=rows, heading=heading, notes=notes, borders=True,
                      print_spec=PrintSpec(landscape=True, fit_width=True, repeat_header=True,
                                           header=plan_title(season)))
    return write_workbook([sheet])
