"""Permission matrix rows for the entry pages (roster, enrolment, import, check-in, draw, exports).

The world's event is open and not drawn: its chief judge cannot see the roster yet (blind marking
starts with the draw) but may try to disqualify; another enterprise sees the roster with none of
the host's employees in it (tests/test_views_entries_roster.py checks what each one sees).
"""
from tests.permission_rows import LOGIN, OK, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row

ENTERPRISES_TOO_PAGE = row(LOGIN, 403, 200, 200, 200, 200)
ENTERPRISES_TOO_POST = row(LOGIN, 403, OK, OK, OK, OK)
# Enrolment: the world's enterprise event keeps the default policy (host only), so another enterprise sees the
# event and its own employees' entries but may not add any (issue 18, item 3; RULES.md §4).
HOST_ROSTER_PAGE = row(LOGIN, 403, 200, 403, 200, 200)
HOST_ROSTER_POST = row(LOGIN, 403, OK, 403, OK, OK)

ROWS = {
    ("entries.index", "GET"): ENTERPRISES_TOO_PAGE,
    ("entries.reveal", "POST"): STAFF_ONLY_POST,
    ("entries.new", "GET"): HOST_ROSTER_PAGE,
    ("entries.new", "POST"): HOST_ROSTER_POST,
    ("entries.disqualify", "POST"): row(LOGIN, OK, 403, 403, OK, OK),
    ("entries.export", "GET"): ENTERPRISES_TOO_PAGE,
    ("entries.export", "POST"): ENTERPRISES_TOO_POST,  # a large export, built in the background
    ("entries.import_form", "GET"): HOST_ROSTER_PAGE,
    ("entries.template", "GET"): HOST_ROSTER_PAGE,
    ("entries.import_preview", "POST"): HOST_ROSTER_POST,
    ("entries.import_confirm", "POST"): HOST_ROSTER_POST,
    ("entries.check_in", "GET"): STAFF_ONLY_PAGE,
    ("entries.check_in_bulk", "POST"): STAFF_ONLY_POST,
    ("entries.check_in_one", "POST"): STAFF_ONLY_POST,
    ("entries.sign_in_sheet", "GET"): STAFF_ONLY_PAGE,
    ("entries.sign_in_sheet", "POST"): STAFF_ONLY_POST,
    ("entries.draw", "GET"): STAFF_ONLY_PAGE,
    ("entries.draw", "POST"): STAFF_ONLY_POST,
    # Corrections: staff, or the enterprise whose employee the entry is (the world's entry is the host's).
    ("entries.edit_entry", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("entries.edit_entry", "POST"): row(LOGIN, 403, OK, 403, OK, OK),
    # The roles take turns on one world: the enterprise is refused (409, its registration window), the organiser
    # removes the entry, so the administrator finds it gone.
    ("entries.remove_entry", "POST"): row(LOGIN, 403, OK, 403, OK, 404, town=404),  # removed: 404 from then on
    ("entries.withdraw_entry", "POST"): STAFF_ONLY_POST,
}
