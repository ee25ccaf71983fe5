"""Permission-matrix rows for the judges' mark grid (the world: an open event, `judge` its chief judge)."""
from tests.permission_rows import LOGIN, OK, row

JUDGE_ONLY = row(LOGIN, OK, 403, 403, 403, 403)

ROWS = {
    ("marking.grid", "GET"): row(LOGIN, 200, 403, 403, 403, 403),  # the judge sees "not in scoring"
    ("marking.save_cell", "POST"): row(LOGIN, 400, 403, 403, 403, 403),  # {} names no criterion
    ("marking.submit", "POST"): JUDGE_ONLY,
}
