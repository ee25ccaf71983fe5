"""Monthly feedback pages (月度反馈, seed 五(二), RULES.md §17): the reports written on the first working day of each
month for each town. Organisers see every report (filtered by month and town) and regenerate one; a town officer sees
its own town's, with a 新 badge until it first opens one; another town's report is 403."""
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.monthly import MonthlyFilters
from ..i18n import as_text
from ..models import MonthlyReport
from ..permissions import can_list_monthly_reports, can_view_town, is_staff, is_town_officer, require
from ..rules.messages import Message
from ..services.reports import monthly as service
from ..services.towns import town_names
from . import labels
from .blueprints import monthly as bp
from .common import guard, page_filters, paginate, saving, xlsx_download
from .nav import NavItem, add_nav


bp.before_request(guard(can_list_monthly_reports, Message("只有组委会和镇（区）人社可以查看月度反馈。")))
add_nav(NavItem(_l("月度反馈"), "monthly.index", can_list_monthly_reports, order=46))
labels.ACTION_LABELS.update({"monthly_report.generate": _l("生成月度反馈")})
labels.OBJECT_LABELS.setdefault("MonthlyReport", _l("月度反馈"))
PER_PAGE = 30
FIGURE_LABELS = {"participants": _l("参赛人数"), "events": _l("举办（参与）赛项"), "prizes": _l("获奖人数"),
                 "titles": _l("授予技术能手"), "subsidies": _l("拨付竞赛经费补贴"), "rewards": _l("拨付奖励")}
UNIT_LABELS = {"participants": _l("人次"), "events": _l("项"), "prizes": _l("人"), "titles": _l("人"),
               "subsidies": _l("元"), "rewards": _l("元")}


@bp.app_context_processor
def _helpers() -> dict:
    """The figures' names in the reader's language."""
    return {"MONTHLY_FIGURE_LABELS": FIGURE_LABELS, "MONTHLY_UNIT_LABELS": UNIT_LABELS}


@bp.get("")
@login_required
def index():
    """The reports, newest month first: organisers every town's (by month and town), a town officer its own."""
    typed = page_filters(MonthlyFilters)
    staff = is_staff(current_user)
    month = date(int(typed.month[:4]), int(typed.month[5:]), 1) if typed.month else None
    town = (typed.town or None) if staff else current_user.town
    page = paginate(service.reports_query(service.ReportFilter(month, town)), per_page=PER_PAGE)
    return render_template("monthly/index.html", page=page, staff=staff, towns=town_names() if staff else [],
                           months=[(f"{m:%Y-%m}", service.month_label(m)) for m in service.report_months()],
                           officer_town=None if staff else current_user.town)


def _report(report_id: int) -> MonthlyReport:
    """The report, or 404; then the viewer's right to its town, or 403."""
    report = db.get_or_404(MonthlyReport, report_id)
    require(can_view_town(current_user, report.town), Message("只能查看本镇（区）的月度反馈。"))
    return report


def _seen(report: MonthlyReport) -> None:
    """The town's officer opened it: the badge goes (first time only)."""
    if is_town_officer(current_user) and report.first_seen_at is None:
        with saving():
            service.mark_seen(report, current_user.town)


@bp.get("/<int:report_id>")
@login_required
def detail(report_id: int):
    """A report as a page: the town's figures beside the district's, this month and the year to date, and its lists."""
    report = _report(report_id)
    new = report.first_seen_at is None
    _seen(report)
    return render_template("monthly/detail.html", report=report, f=report.figures, staff=is_staff(current_user),
                           new=new and is_town_officer(current_user), label=service.month_label(report.month))


@bp.get("/<int:report_id>.xlsx")
@login_required
def workbook(report_id: int):
    """The report's workbook (.xlsx), as the town's office files it."""
    report = _report(report_id)
    _seen(report)
    return xlsx_download(report.workbook, service.file_name(report),
                         ascii_name=f"monthly-report-{report.id}-{report.month:%Y-%m}.xlsx")


@bp.post("/<int:report_id>/regenerate")
@login_required
def regenerate(report_id: int):
    """Write the report again from today's data (organisers), replacing it."""
    report = _report(report_id)
    require(is_staff(current_user), Message("只有组委会可以重新生成月度反馈。"))
    with saving() as saved:
        report = service.regenerate(current_actor(), report)
    if saved.error is not None:
        flash(as_text(saved.error.message), "danger")
    else:
        flash(_("已重新生成%(town)s%(month)s的月度反馈。", town=report.town,
                month=as_text(service.month_label(report.month))), "success")
    return redirect(url_for("monthly.detail", report_id=report_id))
