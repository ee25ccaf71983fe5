"""Demo monthly feedback (RULES.md §17): every town's reports for two months of the demo season, the earlier one
already opened by the towns (the later one carries the 新 badge for a town officer)."""
from datetime import date

from ..extensions import db
from ..models import MonthlyReport, utcnow
from ..services.audit import SYSTEM
from ..services.reports.monthly import generate_month

DEMO_MONTHS = (date(2026, 10, 1), date(2026, 11, 1))


def seed_monthly(months: tuple[date, ...] = DEMO_MONTHS) -> list[MonthlyReport]:
    """Write the months' reports for every town (as the scheduled run would); the earlier months' are marked seen."""
    written: list[MonthlyReport] = []
    for month in months:
        written += generate_month(SYSTEM, month, started_only=False)
    for report in written:
        if report.month < max(months):
            report.first_seen_at = utcnow()
    db.session.flush()
    return written
