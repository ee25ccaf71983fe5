"""The permission matrix: every route × every role → the expected status (DESIGN.md, Tests).

Roles: anonymous, admin, organiser, judge, enterprise (the host's HR), other (an enterprise user of
another enterprise), town (the officer of the host's town) and other_town (another town's officer; see
tests/permission_rows.py for what a row that names neither gives them). `OK` means the role got past authorisation: any answer but 401, 403, 404 or 500
(an empty POST body may well be a 400). Every later issue adds its routes, here or in a
`tests/matrix_<area>.py` module holding `ROWS` (built with `row()` and the constants of tests/permission_rows.py); a route
missing from the table fails `test_every_route_is_in_the_matrix`. The world: an open enterprise event
hosted by the `enterprise` user's company, with the `judge` user as its chief judge and one entry.
"""
import pytest

from competition.models import Role
from competition.services import accounts
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.permission_rows import (  # noqa: F401  (re-exported for matrix_*.py)
    OK,
    ROLES,
    LOGIN,
    row,
    with_town,
    STAFF_ONLY_PAGE,
    STAFF_ONLY_POST,
    ADMIN_ONLY_PAGE,
    ADMIN_ONLY_POST,
    ANY_USER_PAGE,
    API_ANY_USER,
    API_STAFF,
    API_STAFF_WRITE,
    API_ADMIN,
    API_ADMIN_WRITE,
    PUBLIC,
)
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user

# (endpoint, method): expected status per role
MATRIX = {
    ("healthz", "GET"): PUBLIC,
    ("auth.login", "GET"): row(200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): row(OK, OK, OK, OK, OK, OK),
    ("auth.logout", "POST"): row(LOGIN, 302, 302, 302, 302, 302, town=302),
    ("auth.set_language", "GET"): row(302, 302, 302, 302, 302, 302, town=302),
    ("auth.change_password", "GET"): ANY_USER_PAGE,
    ("auth.change_password", "POST"): row(LOGIN, OK, OK, OK, OK, OK, town=OK),
    ("main.home", "GET"): ANY_USER_PAGE,
    ("admin.users", "GET"): ADMIN_ONLY_PAGE,
    ("admin.new_user", "GET"): ADMIN_ONLY_PAGE,
    ("admin.new_user", "POST"): ADMIN_ONLY_POST,
    ("admin.edit_user", "GET"): ADMIN_ONLY_PAGE,
    ("admin.edit_user", "POST"): ADMIN_ONLY_POST,
    ("admin.disable_user", "POST"): ADMIN_ONLY_POST,
    ("admin.enable_user", "POST"): ADMIN_ONLY_POST,
    ("admin.unlock_user", "POST"): ADMIN_ONLY_POST,
    ("admin.reset_password", "POST"): ADMIN_ONLY_POST,
    ("audit.index", "GET"): STAFF_ONLY_PAGE,
    ("policy.index", "GET"): STAFF_ONLY_PAGE,
    ("enterprises.index", "GET"): row(LOGIN, 200, 302, 302, 200, 200),  # the directory is not personal data
    ("enterprises.new", "GET"): STAFF_ONLY_PAGE,
    ("enterprises.new", "POST"): STAFF_ONLY_POST,
    ("enterprises.detail", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("enterprises.edit", "GET"): STAFF_ONLY_PAGE,
    ("enterprises.edit", "POST"): STAFF_ONLY_POST,
    ("seasons.index", "GET"): ANY_USER_PAGE,
    ("seasons.detail", "GET"): ANY_USER_PAGE,
    ("seasons.new", "GET"): STAFF_ONLY_PAGE,
    ("seasons.new", "POST"): STAFF_ONLY_POST,
    ("seasons.edit", "GET"): STAFF_ONLY_PAGE,
    ("seasons.edit", "POST"): STAFF_ONLY_POST,
    ("api.openapi_document", "GET"): PUBLIC,
    ("api.create_token", "POST"): row(OK, OK, OK, OK, OK, OK),
    ("api.revoke_current_token", "DELETE"): row(401, 204, 204, 204, 204, 204, town=204),
    ("api.get_me", "GET"): row(401, 200, 200, 200, 200, 200, town=200),
    ("api.change_my_password", "POST"): row(401, OK, OK, OK, OK, OK, town=OK),
    ("api.list_users", "GET"): API_ADMIN,
    ("api.create_user", "POST"): API_ADMIN_WRITE,
    ("api.get_user", "GET"): API_ADMIN,
    ("api.update_user", "PATCH"): API_ADMIN_WRITE,
    ("api.disable_user", "POST"): API_ADMIN_WRITE,
    ("api.enable_user", "POST"): API_ADMIN_WRITE,
    ("api.reset_user_password", "POST"): API_ADMIN_WRITE,
    ("api.list_enterprises", "GET"): API_ANY_USER,
    ("api.create_enterprise", "POST"): API_STAFF_WRITE,
    ("api.get_enterprise", "GET"): row(401, 403, 200, 403, 200, 200),
    ("api.update_enterprise", "PATCH"): API_STAFF_WRITE,
    ("api.list_seasons", "GET"): with_town(API_ANY_USER, 200),  # as the seasons page: no one's personal data
    ("api.create_season", "POST"): API_STAFF_WRITE,
    ("api.get_season", "GET"): with_town(API_ANY_USER, 200),
    ("api.update_season", "PATCH"): API_STAFF_WRITE,
    ("api.list_audit_entries", "GET"): API_STAFF,
    ("api.list_policies", "GET"): API_STAFF,
}


WORLD_EXTENSIONS = []


def _merge_area_rows() -> None:
    """Later issues keep their rows in tests/matrix_<area>.py as ROWS = {(endpoint, method): row(...)}.

    A module may also define `extend_world(users, ids, event)`, which adds the objects its routes
    need to the world and their URL arguments to `ids` (e.g. ids["claim_id"]).
    """
    import importlib
    import pathlib

    for path in sorted(pathlib.Path(__file__).parent.glob("matrix_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        clash = set(module.ROWS) & set(MATRIX)
        assert not clash, f"{path.name} repeats rows: {clash}"
        MATRIX.update(module.ROWS)
        if hasattr(module, "extend_world"):
            WORLD_EXTENSIONS.append(module.extend_world)


_merge_area_rows()


@pytest.fixture
def world(db):
    """One user per role, the host enterprise, another enterprise, a season and a target account."""
    host, elsewhere = make_enterprise(), make_enterprise()
    users = {
        "judge": make_user(Role.JUDGE), "enterprise": make_user(Role.ENTERPRISE, enterprise=host),
        "other": make_user(Role.ENTERPRISE, enterprise=elsewhere), "organiser": make_user(Role.ORGANISER),
        "admin": make_user(Role.ADMIN),
        "town": make_user(Role.TOWN, town=host.town), "other_town": make_user(Role.TOWN, town="七都镇"),
    }
    season = make_season()
    event = make_event("open", season=season, kind="enterprise", host_enterprise_id=host.id)
    member = assign_judge(SYSTEM, event, users["judge"], True)
    entry = enrol(SYSTEM, event, EntryData("张三丰", id_number(1), employer_id=host.id), today=event.registration_deadline)
    ids = {"enterprise_id": host.id, "season_id": season.id, "user_id": make_user(Role.JUDGE).id,
           "code": "en", "filename": "css/app.css", "event_id": event.id, "entry_id": entry.id,
           "member_id": member.id}
    for extend in WORLD_EXTENSIONS:
        extend(users, ids, event)
    db.session.commit()
    return users, ids


def _rules(app):
    """Every (endpoint, method) the app serves, with its URL rule."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield (rule.endpoint, method), rule


def test_every_route_is_in_the_matrix(app):
    served = {key for key, _ in _rules(app) if key[0] != "static"}
    assert served - set(MATRIX) == set(), "add these routes to the permission matrix"
    assert set(MATRIX) - served == set(), "these matrix rows name routes that no longer exist"


def _request(client, app, user, key, ids):
    """Send one request as one role: browser session for pages, a fresh bearer token for the API."""
    endpoint, method = key
    rule = next(r for k, r in _rules(app) if k == key)
    with app.test_request_context():
        from flask import url_for
        url = url_for(endpoint, **{name: ids[name] for name in rule.arguments})
    headers, kwargs = {}, {}
    if endpoint.startswith("api."):
        if user is not None:
            token, _ = accounts.issue_token(SYSTEM, user, hours=1)
            headers["Authorization"] = f"Bearer {token}"
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {}
    else:
        with client.session_transaction() as session:
            session.clear()
            if user is not None:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
    return client.open(url, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[1]} {k[0]}")
def test_route_by_role(app, client, world, key):
    users, ids = world
    got = {}
    for role in ROLES:
        user = users.get(role)
        response = _request(client, app, user, key, ids)
        got[role] = response.status_code
    expected = MATRIX[key]
    mismatches = {role: (expected[role], got[role]) for role in ROLES
                  if not (got[role] == expected[role]
                          or (expected[role] == OK and got[role] not in (401, 403, 404, 500)))}
    assert not mismatches, f"{key}: role → (expected, got): {mismatches}"
