"""Permission-matrix rows for the events pages (the world: an open enterprise event of the `enterprise`
user's company, with the `judge` user as its chief judge)."""
from tests.permission_rows import ANY_USER_PAGE, LOGIN, OK, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row, with_town

ROWS = {
    ("events.index", "GET"): with_town(ANY_USER_PAGE, 403),  # a town officer reads its town's events on its page
    ("events.new", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("events.new", "POST"): row(LOGIN, 403, OK, OK, OK, OK),
    ("events.detail", "GET"): with_town(ANY_USER_PAGE, 403),  # open onward: every enterprise; the judge sits on its panel
    ("events.edit", "GET"): STAFF_ONLY_PAGE,  # the host edits only drafts and rejected applications
    ("events.edit", "POST"): STAFF_ONLY_POST,
    ("events.submit", "POST"): row(LOGIN, 403, OK, 403, OK, OK),  # the host may, though not from "open" (409)
    ("events.approve", "POST"): STAFF_ONLY_POST,
    ("events.reject", "POST"): STAFF_ONLY_POST,
    ("events.open", "POST"): STAFF_ONLY_POST,
    ("events.close", "POST"): STAFF_ONLY_POST,
    ("events.start_scoring", "POST"): STAFF_ONLY_POST,
    ("events.cancel", "POST"): STAFF_ONLY_POST,
    ("events.panel", "GET"): row(LOGIN, 200, 403, 403, 200, 200),  # the chief judge may look
    ("events.add_judge", "POST"): STAFF_ONLY_POST,
    ("events.remove_member", "POST"): STAFF_ONLY_POST,
    # The enrolment policy (issue 18, item 3): the host's users and the organisers; an empty form is a 400 page.
    ("events.enrolment_policy", "POST"): row(LOGIN, 403, OK, 403, OK, OK),
}
