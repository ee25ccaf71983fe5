"""Permission-matrix rows for the fund's pages and API (RULES.md §17): organisers and the administrator only.

The world gains a season's budget lines and a proposed spending (ids["spending_id"]) on the world's season. Pages:
a decision POST without its form fields is 400 (reject without a reason), approving is allowed for staff (the
organiser approves; the admin then gets 409, decided already); the lines and new-spending forms posted empty are 400.
The matrix sends `{}` to API writes: 400 where a body field is required.
"""
from tests.permission_rows import API_STAFF, API_STAFF_WRITE, LOGIN, OK, STAFF_ONLY_PAGE, row

STAFF_BAD_POST = row(LOGIN, 403, 403, 403, 400, 400)
STAFF_BAD_BODY = row(401, 403, 403, 403, 400, 400)

ROWS = {
    ("fund.lines", "GET"): STAFF_ONLY_PAGE,
    ("fund.lines", "POST"): row(LOGIN, 403, 403, 403, OK, OK),
    ("fund.spending", "GET"): STAFF_ONLY_PAGE,
    ("fund.new_spending", "GET"): STAFF_ONLY_PAGE,
    ("fund.new_spending", "POST"): STAFF_BAD_POST,
    ("fund.spending_detail", "GET"): STAFF_ONLY_PAGE,
    ("fund.approve", "POST"): row(LOGIN, 403, 403, 403, OK, OK),
    ("fund.reject", "POST"): STAFF_BAD_POST,
    ("api.get_budget_lines", "GET"): API_STAFF,
    ("api.set_budget_lines", "PUT"): STAFF_BAD_BODY,
    ("api.create_spending", "POST"): STAFF_BAD_BODY,
    ("api.list_spending", "GET"): API_STAFF,
    ("api.get_spending", "GET"): API_STAFF,
    ("api.approve_spending", "POST"): API_STAFF_WRITE,
    ("api.reject_spending", "POST"): STAFF_BAD_BODY,
}


def extend_world(users, ids, event) -> None:
    """The world's season gets a district_events line, and a proposed spending within it."""
    from tests.fund_builders import line, make_spending
    from competition.services.audit import SYSTEM
    from competition.services.money import fund

    fund.set_lines(SYSTEM, event.season, [line("district_events", 50_000)])
    ids["spending_id"] = make_spending(event.season, 1_000).id
