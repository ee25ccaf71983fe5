"""Permission matrix rows for 技术能手 nominations and the title register (issue 6).

The world gains one proposed nomination: the host enterprise recommends its employee (the world's
entry, 张三丰) in the world's season, so `enterprise` sees it and `other` (another enterprise) does
not. The matrix posts `{}`: reject needs a reason (400 once past the gate); approving succeeds for
the organiser, and the admin, coming next on the same world, finds it already decided (409).
"""
from competition.services.audit import Actor
from competition.services.titles.nominations import RecommendationData, recommend
from tests.permission_rows import API_ANY_USER, LOGIN, OK, PUBLIC, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row

ROWS = {
    ("api.list_nominations", "GET"): row(401, 403, 200, 200, 200, 200),  # `other` gets an empty list
    ("api.recommend_nomination", "POST"): row(401, 403, 400, 400, 403, 403),
    ("api.approve_nomination", "POST"): row(401, 403, 403, 403, OK, OK),
    ("api.reject_nomination", "POST"): row(401, 403, 403, 403, 400, 400),
    ("api.list_experts", "GET"): API_ANY_USER,
    ("nominations.landing", "GET"): row(LOGIN, 403, 302, 302, 302, 302),
    ("nominations.index", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("nominations.new", "GET"): row(LOGIN, 403, 200, 200, 403, 403),
    ("nominations.new", "POST"): row(LOGIN, 403, OK, OK, 403, 403),
    ("nominations.approve", "POST"): STAFF_ONLY_POST,
    ("nominations.reject", "POST"): STAFF_ONLY_POST,
    ("experts.index", "GET"): PUBLIC,
    ("experts.export", "GET"): STAFF_ONLY_PAGE,
    ("experts.export", "POST"): STAFF_ONLY_POST,  # a large export, built in the background
}


def extend_world(users, ids, event):
    """A proposed enterprise-route nomination of the host's employee in the world's season."""
    from competition.extensions import db
    from competition.models import Entry
    entry = db.session.get(Entry, ids["entry_id"])
    nomination = recommend(Actor(users["enterprise"]), RecommendationData(
        entry.person.id_number, entry.person.name, "技术骨干", event.season_id, True))
    ids["nomination_id"] = nomination.id
    ids["year"] = event.season.year
