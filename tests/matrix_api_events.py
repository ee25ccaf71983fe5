"""Permission matrix rows for the events, panel and entries API (issue 3).

The world: an open enterprise event hosted by `enterprise`'s company, `judge` its chief judge, one
registered entry, not drawn. The matrix posts `{}`: a route whose body has required fields answers
400 before it loads the object, so those cells say 400 even for roles the object check would refuse;
tests/test_api_events*.py and tests/test_api_entries*.py send valid bodies and expect those 403s.
Rows run in role order on one world, so a change by the organiser shows in the admin's cell.
"""
from tests.permission_rows import API_ANY_USER, API_STAFF, OK, row

BAD_BODY = row(401, 403, 400, 400, 400, 400)  # enterprise users get past the role gate, then {} is invalid
STAFF_BAD_BODY = row(401, 403, 403, 403, 400, 400)
STAFF_WRONG_STATE = row(401, 403, 403, 403, 409, 409)  # the open event can not take this step
ENROLLERS_READ = row(401, 403, 200, 200, 200, 200)  # `other` sees the open event, and only its own employees
HOST_ROSTER_READ = row(401, 403, 200, 403, 200, 200)  # the event keeps the default policy: its roster is the host's

ROWS = {
    ("api.create_event", "POST"): BAD_BODY,
    ("api.list_events", "GET"): API_ANY_USER,
    ("api.get_event", "GET"): API_ANY_USER,
    ("api.update_event", "PATCH"): row(401, 403, 403, 403, 200, 200),  # the host edits only drafts
    ("api.copy_scheme", "POST"): BAD_BODY,
    ("api.submit_event", "POST"): row(401, 403, 409, 403, 409, 409),
    ("api.approve_event", "POST"): STAFF_WRONG_STATE,
    ("api.reject_event", "POST"): STAFF_BAD_BODY,
    ("api.open_event", "POST"): STAFF_WRONG_STATE,
    ("api.close_event", "POST"): row(401, 403, 403, 403, 200, 409),
    ("api.cancel_event", "POST"): STAFF_BAD_BODY,
    ("api.start_scoring", "POST"): STAFF_WRONG_STATE,
    ("api.draw_event", "POST"): STAFF_WRONG_STATE,
    ("api.add_judge", "POST"): STAFF_BAD_BODY,
    ("api.list_judges", "GET"): API_STAFF,
    ("api.put_enrolment_policy", "PUT"): BAD_BODY,  # {} has no open_to (tests/test_enrolment_policy.py: 403s)
    ("api.remove_judge", "DELETE"): row(401, 403, 403, 403, 204, 404),  # the admin finds it already removed
    ("api.create_entry", "POST"): BAD_BODY,
    ("api.import_entries", "POST"): row(401, 403, 400, 403, 400, 400),  # no file; `other` may not enrol here
    ("api.entries_template", "GET"): HOST_ROSTER_READ,
    ("api.list_entries", "GET"): ENROLLERS_READ,  # the judge: not before the draw
    ("api.export_entries", "GET"): ENROLLERS_READ,
    ("api.sign_in_sheet", "GET"): API_STAFF,
    ("api.check_in_entry", "POST"): STAFF_BAD_BODY,
    ("api.check_in_entries", "POST"): STAFF_BAD_BODY,
    ("api.disqualify_entry", "POST"): row(401, 400, 403, 403, 400, 400),  # the judge is the chief
    ("api.update_entry", "PATCH"): row(401, 403, OK, 403, OK, OK),  # {} changes nothing
    ("api.remove_entry", "DELETE"): row(401, 403, OK, 403, OK, 404),  # the organiser's turn removes it
    ("api.withdraw_entry", "POST"): row(401, 403, 403, 403, 400, 400),  # {} has no reason
    ("api.record_entry_time", "POST"): row(401, 400, 403, 403, 400, 400),
    ("api.reveal_entry_id", "POST"): row(401, 403, 403, 403, 200, 200),
}
