"""Building blocks of the permission matrix rows (tests/test_permission_matrix.py, tests/matrix_*.py).

Two town officers (镇区人社, RULES.md §3) sit beside the other roles: `town`, the officer of the host enterprise's
town, and `other_town`, the officer of another town (the IDOR column). A town officer reads its own town's pages and
nothing else, so a row that names neither gets the refusal: 403 where an anonymous caller is sent to the login page
(LOGIN) or gets 401, and otherwise what `other` (a logged-in user with no rights of its own) gets (the login page, a
public page). `other_town` gets what `town` gets unless the row says otherwise.
"""

OK = "ok"
ROLES = ("anonymous", "judge", "enterprise", "other", "organiser", "admin", "town", "other_town")
LOGIN = 302  # an anonymous browser is sent to the login page
REFUSED = 403


def row(anonymous, judge, enterprise, other, organiser, admin, *, town=None, other_town=None):
    """One matrix row in ROLES order; a town officer is refused unless the row says otherwise (see above)."""
    if town is None:
        town = REFUSED if anonymous in (LOGIN, 401) else other
    if other_town is None:
        other_town = town
    return dict(zip(ROLES, (anonymous, judge, enterprise, other, organiser, admin, town, other_town)))


def with_town(base: dict, town, other_town=None) -> dict:
    """A copy of a row with the town officers' columns set (other_town: as town unless given)."""
    return {**base, "town": town, "other_town": town if other_town is None else other_town}


STAFF_ONLY_PAGE = row(LOGIN, 403, 403, 403, 200, 200)
STAFF_ONLY_POST = row(LOGIN, 403, 403, 403, OK, OK)
ADMIN_ONLY_PAGE = row(LOGIN, 403, 403, 403, 403, 200)
ADMIN_ONLY_POST = row(LOGIN, 403, 403, 403, 403, OK)
ANY_USER_PAGE = row(LOGIN, 200, 200, 200, 200, 200, town=200)  # the home page, one's password, the seasons
API_ANY_USER = row(401, 200, 200, 200, 200, 200)  # the league's roles (framework.EVERY_ROLE): not a town officer
API_STAFF = row(401, 403, 403, 403, 200, 200)
API_STAFF_WRITE = row(401, 403, 403, 403, OK, OK)
API_ADMIN = row(401, 403, 403, 403, 403, 200)
API_ADMIN_WRITE = row(401, 403, 403, 403, 403, OK)
PUBLIC = row(200, 200, 200, 200, 200, 200)
