"""Building blocks of the permission matrix rows (tests/test_permission_matrix.py, tests/matrix_*.py)."""

OK = "ok"
ROLES = ("anonymous", "judge", "enterprise", "other", "organiser", "admin")
LOGIN = 302  # an anonymous browser is sent to the login page


def row(anonymous, judge, enterprise, other, organiser, admin):
    """One matrix row in ROLES order."""
    return dict(zip(ROLES, (anonymous, judge, enterprise, other, organiser, admin)))


STAFF_ONLY_PAGE = row(LOGIN, 403, 403, 403, 200, 200)
STAFF_ONLY_POST = row(LOGIN, 403, 403, 403, OK, OK)
ADMIN_ONLY_PAGE = row(LOGIN, 403, 403, 403, 403, 200)
ADMIN_ONLY_POST = row(LOGIN, 403, 403, 403, 403, OK)
ANY_USER_PAGE = row(LOGIN, 200, 200, 200, 200, 200)
API_ANY_USER = row(401, 200, 200, 200, 200, 200)
API_STAFF = row(401, 403, 403, 403, 200, 200)
API_STAFF_WRITE = row(401, 403, 403, 403, OK, OK)
API_ADMIN = row(401, 403, 403, 403, 403, 200)
API_ADMIN_WRITE = row(401, 403, 403, 403, 403, OK)
PUBLIC = row(200, 200, 200, 200, 200, 200)
