"""Monthly feedback to the towns (月度反馈, seed 五(二), RULES.md §17): the reports the scheduled run writes on the first
working day of each month for each town (CLI `flask --app competition monthly-reports`). Organisers list every town's
and download any workbook; a town officer lists and downloads its own town's only (another town's is 403)."""
from datetime import date

from pydantic import Field

from ..models import MonthlyReport, Role
from ..permissions import can_list_monthly_reports, can_view_town, is_staff, require
from ..rules.messages import Message
from ..services.reports import monthly as service
from ..views.common import xlsx_download
from .framework import api_route, api_user, get_or_404
from .schemas import ApiOut, ApiQuery, Timestamp

TAGS = ["monthly-reports"]
READERS = (Role.ADMIN, Role.ORGANISER, Role.TOWN)
NOT_YOUR_TOWN = Message("只能查看本镇（区）的月度反馈。")


class MonthlyQuery(ApiQuery):
    """Which month's reports."""

    month: str | None = Field(None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="月份，如 2026-11；缺省为全部月份")


class MonthlyReportOut(ApiOut):
    """One town's report for one month."""

    id: int
    town: str = Field(description="镇（区）名称")
    month: str = Field(description="报告的月份，如 2026-11")
    generated_at: Timestamp


class MonthlyReportListOut(ApiOut):
    """The reports, newest month first, then in the towns' list order."""

    items: list[MonthlyReportOut]


@api_route("/monthly-reports", query=MonthlyQuery, roles=READERS, allow=can_list_monthly_reports, response=MonthlyReportListOut,
           summary="月度反馈列表", tags=TAGS)
def list_monthly_reports(query: MonthlyQuery):
    """The monthly reports (organisers: every town's; a town officer: its own town's), of one month with ?month=."""
    user = api_user()
    month = date(int(query.month[:4]), int(query.month[5:]), 1) if query.month else None
    town = None if is_staff(user) else user.town
    reports = service.list_reports(service.ReportFilter(month, town))
    return {"items": [{"id": r.id, "town": r.town, "month": f"{r.month:%Y-%m}", "generated_at": r.generated_at}
                      for r in reports]}


@api_route("/monthly-reports/<int:report_id>.xlsx", roles=READERS, allow=can_list_monthly_reports, summary="月度反馈工作簿", tags=TAGS)
def monthly_report_workbook(report_id: int):
    """The report's workbook (.xlsx) as the town's office files it (a town officer: its own town's only)."""
    report = get_or_404(MonthlyReport, report_id)
    require(can_view_town(api_user(), report.town), NOT_YOUR_TOWN)
    return xlsx_download(report.workbook, service.file_name(report),
                         ascii_name=f"monthly-report-{report.id}-{report.month:%Y-%m}.xlsx")
