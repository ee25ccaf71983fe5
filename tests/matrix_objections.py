"""Permission-matrix rows for objections during the notice (RULES.md §14; issue 19, item 1).

The world gains one received objection to the world's entry (the host's employee), filed by the host's HR user.
Organisers and admins see and decide every objection; enterprise users file and follow their own employees' (`other`
sees the event's page with an empty list, its own). The matrix posts `{}` or an empty form: a 400 once past the gate
(a number and a reason are required), never a decision or an objection stored."""
from tests.permission_rows import LOGIN, OK, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row

API_FILE = row(401, 403, 400, 400, 400, 400)
API_DECIDE = row(401, 403, 403, 403, 400, 400)

ROWS = {
    ("api.file_objection", "POST"): API_FILE,
    ("api.list_objections", "GET"): row(401, 403, 200, 200, 200, 200),  # `other`: its own employees' (none)
    ("api.uphold_objection", "POST"): API_DECIDE,
    ("api.dismiss_objection", "POST"): API_DECIDE,
    ("objections.landing", "GET"): row(LOGIN, 403, 403, 403, 302, 302),
    ("objections.event_objections", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("objections.file_objection", "POST"): row(LOGIN, 403, OK, OK, OK, OK),
    ("objections.season_objections", "GET"): STAFF_ONLY_PAGE,
    ("objections.review", "GET"): STAFF_ONLY_PAGE,
    ("objections.uphold", "POST"): STAFF_ONLY_POST,
    ("objections.dismiss", "POST"): STAFF_ONLY_POST,
}


def extend_world(users, ids, event) -> None:
    """A received objection of the host's HR to the world's entry (stored directly: the world's event is open)."""
    from datetime import date

    from competition.extensions import db
    from competition.models import Objection, utcnow

    objection = Objection(event_id=event.id, entry_id=ids["entry_id"], reason="评分有误", filed_by_id=users["enterprise"].id,
                          notice_published_at=utcnow(), notice_ends_on=date(2026, 6, 26))
    db.session.add(objection)
    db.session.flush()
    ids["objection_id"] = objection.id
