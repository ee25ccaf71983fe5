"""Permission-matrix rows for the towns (RULES.md §3, §17; issue 21): the list, a town's page and its dashboard, and
GET /api/v1/towns.

The world's `town` user is the officer of the host enterprise's town (ids["town"]), `other_town` the officer of
七都镇: a town's page and dashboard are the organisers' and that town's officer's, and another town's officer gets 403
(IDOR). The list is the organisers'; only the administrator adds a town (an empty form: 400). Every logged-in user,
town officers included, reads the list of towns through the API.
"""
from tests.permission_rows import ADMIN_ONLY_POST, LOGIN, STAFF_ONLY_PAGE, row

TOWN_PAGE = row(LOGIN, 403, 403, 403, 200, 200, town=200, other_town=403)

ROWS = {
    ("towns.index", "GET"): STAFF_ONLY_PAGE,
    ("towns.index", "POST"): ADMIN_ONLY_POST,
    ("towns.detail", "GET"): TOWN_PAGE,
    ("towns.dashboard", "GET"): TOWN_PAGE,
    ("api.list_towns", "GET"): row(401, 200, 200, 200, 200, 200, town=200),
}


def extend_world(users, ids, event) -> None:
    """The host's town names the town pages (the standings rows set it too)."""
    from competition.extensions import db
    from competition.models import Enterprise

    ids["town"] = db.session.get(Enterprise, ids["enterprise_id"]).town
