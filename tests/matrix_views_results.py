"""Permission-matrix rows for the results pages, exports and public pages (the world: an open enterprise event
of the `enterprise` user's company, not yet published, with the `judge` user as its chief judge)."""
from tests.permission_rows import LOGIN, PUBLIC, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row

NOT_PUBLISHED = row(404, 404, 404, 404, 404, 404)
STAFF_WRONG_STATE = row(LOGIN, 403, 403, 403, 409, 409)  # an open event can not be published or finalised

ROWS = {
    ("results.event_results", "GET"): row(LOGIN, 200, 403, 403, 200, 200),  # the host: only once published
    ("results.publish", "POST"): STAFF_WRONG_STATE,
    ("results.finalize", "POST"): STAFF_WRONG_STATE,
    ("results.results_xlsx", "GET"): STAFF_ONLY_PAGE,
    ("results.results_xlsx", "POST"): STAFF_ONLY_POST,  # a large export, built in the background
    ("results.mark_sheets_xlsx", "GET"): STAFF_ONLY_PAGE,
    ("results.mark_sheets_xlsx", "POST"): STAFF_ONLY_POST,
    ("results.public_index", "GET"): PUBLIC,
    ("results.public_event", "GET"): NOT_PUBLISHED,
}
