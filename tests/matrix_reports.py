"""Permission-matrix rows for the dashboards and the season report (the world: see test_permission_matrix)."""
from tests.permission_rows import LOGIN, STAFF_ONLY_PAGE, row

ROWS = {
    ("reports.dashboard", "GET"): row(LOGIN, 403, 302, 302, 302, 302),  # each to its own dashboard
    ("reports.season_dashboard", "GET"): STAFF_ONLY_PAGE,
    ("reports.season_report", "GET"): STAFF_ONLY_PAGE,
    ("reports.enterprise_dashboard", "GET"): row(LOGIN, 403, 200, 403, 200, 200),  # never another's
}
