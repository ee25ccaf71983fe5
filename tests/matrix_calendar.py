"""Permission-matrix rows for the working calendar (RULES.md §9): staff read the page, any logged-in caller the API,
only administrators enter days (the matrix's `{}` body is a 400 for them: `days` is required)."""
from tests.permission_rows import ADMIN_ONLY_POST, API_ANY_USER, LOGIN, STAFF_ONLY_PAGE, row

ROWS = {
    ("calendar.index", "GET"): row(LOGIN, 403, 403, 403, 302, 302),
    ("calendar.year", "GET"): STAFF_ONLY_PAGE,
    ("calendar.year", "POST"): ADMIN_ONLY_POST,
    ("api.get_calendar", "GET"): API_ANY_USER,
    ("api.put_calendar", "PUT"): row(401, 403, 403, 403, 403, 400),
}


def extend_world(users, ids, event) -> None:
    """The year the calendar routes name."""
    ids["year"] = 2027
