"""Permission-matrix rows for the season standings and the person page (RULES.md §16; issue 20).

The standings are public: anyone, logged in or not, sees a season's tables, an enterprise's breakdown and a town's
enterprises (the world's season has no final event: empty states, still 200). A person's record is for organisers
only; the world's person is the world's entry's contestant."""
from tests.permission_rows import PUBLIC, STAFF_ONLY_PAGE

ROWS = {
    ("standings.current", "GET"): PUBLIC,
    ("standings.season", "GET"): PUBLIC,
    ("standings.enterprise", "GET"): PUBLIC,
    ("standings.town", "GET"): PUBLIC,
    ("persons.search", "GET"): STAFF_ONLY_PAGE,
    ("persons.detail", "GET"): STAFF_ONLY_PAGE,
}


def extend_world(users, ids, event) -> None:
    """The host's town for the town page and the entry's person for the person page."""
    from competition.extensions import db
    from competition.models import Enterprise, Entry

    ids["town"] = db.session.get(Enterprise, ids["enterprise_id"]).town or "松陵街道"
    ids["person_id"] = db.session.get(Entry, ids["entry_id"]).person_id
