"""Permission-matrix rows for the judges' mark grid and the chief judge's scoring panel (the world: an open event,
`judge` its chief judge, one entry)."""
from tests.permission_rows import LOGIN, OK, row

JUDGE_ONLY = row(LOGIN, OK, 403, 403, 403, 403)
CHIEF_OR_STAFF_PAGE = row(LOGIN, 200, 403, 403, 200, 200)
CHIEF_OR_STAFF_POST = row(LOGIN, OK, 403, 403, OK, OK)  # the open event can be neither signed off nor reopened

ROWS = {
    ("marking.grid", "GET"): row(LOGIN, 200, 403, 403, 403, 403),  # the judge sees "not in scoring"
    ("marking.save_cell", "POST"): row(LOGIN, 400, 403, 403, 403, 403),  # {} names no criterion
    ("marking.submit", "POST"): JUDGE_ONLY,
    ("marking.scoring_panel", "GET"): CHIEF_OR_STAFF_PAGE,
    ("marking.sign_off", "POST"): CHIEF_OR_STAFF_POST,
    ("marking.reopen", "POST"): CHIEF_OR_STAFF_POST,
    ("marking.marks_history", "GET"): CHIEF_OR_STAFF_PAGE,
    ("marking.measurements", "GET"): CHIEF_OR_STAFF_PAGE,
    ("marking.save_measurements", "POST"): CHIEF_OR_STAFF_POST,  # the open event has no numbers: nothing to save
    ("marking.time_used", "GET"): row(LOGIN, 200, 403, 403, 200, 200),  # panel judges and organisers
    ("marking.save_time_used", "POST"): row(LOGIN, OK, 403, 403, OK, OK),  # the open event has no numbers yet: 409
}
