"""The season report workbook (年度报表): its sheets, listed here in order and nowhere else."""
from ...xlsx import write_workbook
from .workbook import budget_sheet, events_sheet, participants_sheet, results_sheet
from .money import nominations_sheet, subsidy_sheet
from .figures import SeasonFigures
from .rewards import rewards_sheet
from .fund_sheets import lines_sheet, spending_sheet

SHEETS = (events_sheet, participants_sheet, results_sheet, subsidy_sheet, nominations_sheet, rewards_sheet, budget_sheet,
          lines_sheet, spending_sheet)


def season_report(figures: SeasonFigures) -> bytes:
    """The workbook: one sheet per topic, the same figures as the dashboard."""
    return write_workbook([build(figures) for build in SHEETS])
