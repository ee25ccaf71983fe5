"""Permission-matrix rows for the monthly feedback (RULES.md §17; issue 21 item 2): the reports' list, a report's page
and workbook, regenerating one, and the API's list and workbook.

The world gains last month's report of the host enterprise's town (ids["report_id"]): the world's `town` user is that
town's officer and reads it; `other_town` (七都镇's officer) lists its own town's reports but gets 403 on this one
(IDOR). Organisers read every report and regenerate one (302); enterprise users and judges get 403.
"""
from tests.permission_rows import LOGIN, OK, row

OWN_TOWN = row(LOGIN, 403, 403, 403, 200, 200, town=200, other_town=403)
API_OWN_TOWN = row(401, 403, 403, 403, 200, 200, town=200, other_town=403)

ROWS = {
    ("monthly.index", "GET"): row(LOGIN, 403, 403, 403, 200, 200, town=200, other_town=200),
    ("monthly.detail", "GET"): OWN_TOWN,
    ("monthly.workbook", "GET"): OWN_TOWN,
    ("monthly.regenerate", "POST"): row(LOGIN, 403, 403, 403, OK, OK),
    ("api.list_monthly_reports", "GET"): row(401, 403, 403, 403, 200, 200, town=200, other_town=200),
    ("api.monthly_report_workbook", "GET"): API_OWN_TOWN,
}


def extend_world(users, ids, event) -> None:
    """Last month's report of the host enterprise's town."""
    from competition.extensions import db
    from competition.models import Enterprise
    from competition.models.types import beijing_today
    from competition.services.audit import SYSTEM
    from competition.services.reports.monthly import generate_month, previous_month

    town = db.session.get(Enterprise, ids["enterprise_id"]).town
    ids["report_id"] = generate_month(SYSTEM, previous_month(beijing_today()), [town])[0].id
