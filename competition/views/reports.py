"""Dashboards: the organisers' season dashboard with its report workbook, and each enterprise's own page.

Charts are drawn by static/js/charts.js from JSON in a data attribute (the CSP allows no inline script);
every chart has its numbers in a table beside it and links to the list it summarises.
"""
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..i18n import as_text
from ..jobs import reports as report_jobs
from ..forms.filters import DashboardFilters
from ..models import ENTRY_STATUS_LABELS, Enterprise, Job, Role, Season
from ..permissions import can_view_enterprise, can_view_job, can_view_season_dashboard, is_staff, require
from ..rules.events import STATUS_LABELS
from ..models.subsidy import CLAIM_STATE_LABELS
from ..services.reports import money as report_money, figures as reports
from ..services.money import fund
from ..rules.messages import Message
from .common import page_filters, saving, xlsx_download
from .main import current_season
from .jobs import job_view
from .nominations import ROUTE_NAMES
from .standings import top_ten
from .nav import NavItem, add_nav
from .blueprints import reports as bp

add_nav(NavItem(_l("数据看板"), "reports.dashboard",
                lambda u: is_staff(u) or (u.is_authenticated and u.role is Role.ENTERPRISE and u.enterprise_id),
                order=15))


@bp.get("/dashboard")
@login_required
def dashboard():
    """Staff go to this year's season dashboard, enterprise users to their own."""
    user = current_user._get_current_object()
    if user.role is Role.ENTERPRISE and user.enterprise_id:
        return redirect(url_for("reports.enterprise_dashboard", enterprise_id=user.enterprise_id))
    require(can_view_season_dashboard(user), Message("只有组委会可以查看年度数据看板。"))
    season = current_season()
    if season is None:
        return render_template("reports/no_season.html")
    return redirect(url_for("reports.season_dashboard", season_id=season.id))


def _month(season: Season) -> date | None:
    """The ?month=YYYY-MM filter when it names a month of the season's year; otherwise the whole year."""
    text = page_filters(DashboardFilters).month
    if text is None:
        return None
    chosen = date(int(text[:4]), int(text[5:]), 1)
    return chosen if chosen.year == season.year else None


@bp.get("/seasons/<int:season_id>/dashboard")
@login_required
def season_dashboard(season_id: int):
    """The season at a glance: events, participants, towns, scoring progress and money, as charts with numbers."""
    require(can_view_season_dashboard(current_user), Message("只有组委会可以查看年度数据看板。"))
    season = db.get_or_404(Season, season_id)
    figures = reports.season_figures(season, _month(season))
    return render_template("reports/season.html", f=figures, charts=_charts(figures), standings=top_ten(season),
                           report_job=_report_job(season),
                           status_labels=STATUS_LABELS, months=[date(season.year, m, 1) for m in range(1, 13)],
                           budget_lines=fund.season_categories(season.id))


@bp.post("/seasons/<int:season_id>/report-jobs")
@login_required
def season_report_job(season_id: int):
    """Build the season report in the background (whole year or ?month=YYYY-MM); the dashboard follows the job."""
    require(can_view_season_dashboard(current_user), Message("只有组委会可以导出年度报表。"))
    season = db.get_or_404(Season, season_id)
    month = _month(season)
    with saving() as queued:
        job_id = report_jobs.season_report_job(current_actor(), season, month)
    if queued.error is not None:
        flash(queued.error.message, "danger")
        return redirect(url_for("reports.season_dashboard", season_id=season.id))
    return redirect(url_for("reports.season_dashboard", season_id=season.id, job=job_id,
                            month=f"{month:%Y-%m}" if month else None))


def _report_job(season: Season) -> dict | None:
    """The report job the dashboard follows (?job=): the user's own (or any, for organisers) of this season."""
    wanted = page_filters(DashboardFilters).job
    job = db.session.get(Job, wanted) if wanted is not None else None
    if job is None or job.kind != report_jobs.KIND or job.args.get("season_id") != season.id \
            or not can_view_job(current_user, job):
        return None
    return job_view(job)


@bp.get("/seasons/<int:season_id>/report.xlsx")
@login_required
def season_report(season_id: int):
    """The season report workbook, one sheet per topic (whole year or ?month=YYYY-MM)."""
    require(can_view_season_dashboard(current_user), Message("只有组委会可以导出年度报表。"))
    season = db.get_or_404(Season, season_id)
    return xlsx_download(*report_jobs.season_report_file(season, _month(season)))


@bp.get("/enterprises/<int:enterprise_id>/dashboard")
@login_required
def enterprise_dashboard(enterprise_id: int):
    """An enterprise's own page: its events, its employees' entries and published results, claims and titles."""
    enterprise = db.get_or_404(Enterprise, enterprise_id)
    require(can_view_enterprise(current_user, enterprise), Message("您只能查看本企业的数据。"))
    events = reports.enterprise_events(enterprise.id)
    results = reports.employee_results(enterprise.id)
    chart = {"type": "bar", "labels": [e.name for e in events],
             "datasets": [{"label": _("本企业报名"), "data": [int(e.entries or 0) for e in events]},
                          {"label": _("本企业参赛"), "data": [int(e.participants or 0) for e in events]}],
             "urls": [url_for("events.detail", event_id=e.id) for e in events], "horizontal": True}
    return render_template("reports/enterprise.html", enterprise=enterprise, events=events, results=results,
                           chart=chart, status_labels=STATUS_LABELS, claims=report_money.enterprise_claims(enterprise.id),
                           titles=report_money.enterprise_titles(enterprise.id), claim_labels=CLAIM_STATE_LABELS,
                           route_labels=ROUTE_NAMES,
                           entry_status_labels={s.value: label for s, label in ENTRY_STATUS_LABELS.items()})


def _charts(f: reports.SeasonFigures) -> dict:
    """Chart.js data for each chart of the season dashboard, with the URL each bar or slice opens."""
    season = f.season.id
    statuses = list(f.by_status)
    return {
        "status": {"type": "doughnut", "labels": [as_text(STATUS_LABELS.get(s, s)) for s in statuses],
                   "datasets": [{"label": _("赛项数"), "data": [f.by_status[s] for s in statuses]}],
                   "urls": [url_for("events.index", season=season, status=s) for s in statuses]},
        "events": {"type": "bar", "horizontal": True, "labels": [e.name for e in f.events],
                   "datasets": [{"label": _("参赛人数"), "data": [e.participants for e in f.events]},
                                {"label": _("报名人数"), "data": [e.registered for e in f.events]}],
                   "urls": [url_for("events.detail", event_id=e.id) for e in f.events]},
        "occupations": {"type": "bar", "labels": list(f.by_occupation),
                        "datasets": [{"label": _("参赛人数"), "data": list(f.by_occupation.values())}],
                        "urls": [url_for("events.index", season=season, occupation=o) for o in f.by_occupation]},
        "towns": {"type": "bar", "labels": list(f.by_town),
                  "datasets": [{"label": _("参赛人数"), "data": list(f.by_town.values())}],
                  "urls": [url_for("enterprises.index", town=t) if t != reports.NO_TOWN else None for t in f.by_town]},
        "progress": {"type": "bar", "horizontal": True, "max": 100, "labels": [p.name for p in f.progress],
                     "datasets": [{"label": _("评分完成率（%）"), "data": [p.percent for p in f.progress]}],
                     "urls": [url_for("marking.scoring_panel", event_id=p.id) for p in f.progress]},
        "spending": _spending_chart(f),
    }


def _spending_chart(f: reports.SeasonFigures) -> dict:
    """Committed money by month, per kind, with the running total and the budget as lines."""
    if not any(value for row in f.spending for value in row["by_kind"].values()):
        return {"type": "bar", "labels": [], "datasets": []}  # nothing committed: the card says so, no flat chart
    kinds = sorted({kind for row in f.spending for kind in row["by_kind"]})
    datasets = [{"type": "bar", "label": as_text(kind), "data": [row["by_kind"].get(kind, 0) for row in f.spending],
                 "stack": "spent"} for kind in kinds]
    datasets.append({"type": "line", "label": _("累计已承诺"), "data": [row["cumulative"] for row in f.spending]})
    datasets.append({"type": "line", "label": _("年度预算"), "data": [f.budget] * len(f.spending), "dashed": True})
    return {"type": "bar", "labels": [f"{row['month']:%Y-%m}" for row in f.spending], "datasets": datasets,
            "urls": [url_for("seasons.detail", season_id=f.season.id)] * len(f.spending), "stacked": True}
