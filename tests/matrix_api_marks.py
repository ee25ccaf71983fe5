"""Permission matrix rows for the marks and results API (issue 4).

The world: an open enterprise event hosted by `enterprise`'s company, `judge` its chief judge, one
registered entry, not drawn. The matrix sends `{}` to writes: a body with required fields is a 400
for every role past the route's gate; steps that need another status answer 409 once the caller is
allowed. tests/test_api_marks.py and tests/test_api_results.py send valid bodies on scoring events.
Results are public only once published: before that the public and enterprises get 404, the panel
judge sees them without names, the organisers with names.
"""
from tests.permission_rows import row

JUDGING_BAD_BODY = row(401, 400, 403, 403, 400, 400)  # the enterprise roles fail the role gate
STAFF_BAD_BODY = row(401, 403, 403, 403, 400, 400)
CHIEF_OR_STAFF_READ = row(401, 200, 403, 403, 200, 200)
CHIEF_OR_STAFF_WRONG_STATE = row(401, 409, 403, 403, 409, 409)
STAFF_WRONG_STATE = row(401, 403, 403, 403, 409, 409)

ROWS = {
    ("api.save_marks", "PUT"): JUDGING_BAD_BODY,
    ("api.list_marks", "GET"): CHIEF_OR_STAFF_READ,
    ("api.submit_marks", "POST"): row(401, 409, 403, 403, 403, 403),  # judges only; the open event is not scoring
    ("api.scoring_progress", "GET"): CHIEF_OR_STAFF_READ,
    ("api.sign_off", "POST"): CHIEF_OR_STAFF_WRONG_STATE,
    ("api.record_tie_order", "POST"): STAFF_BAD_BODY,
    ("api.reopen", "POST"): JUDGING_BAD_BODY,
    ("api.publish", "POST"): STAFF_WRONG_STATE,
    ("api.finalize", "POST"): STAFF_WRONG_STATE,
    ("api.event_results", "GET"): row(404, 200, 404, 404, 200, 200),
}
