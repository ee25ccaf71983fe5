"""The API framework: bad input is a 400 in the error shape, never a 500; pagination; JSON errors."""
import pytest

from competition.models import Role, Season
from tests.builders import make_season, make_user
from tests.clients import api_headers


@pytest.fixture
def organiser(client, db):
    """Bearer headers of an organiser."""
    user = make_user(Role.ORGANISER)
    db.session.commit()
    return api_headers(client, user)


def _post_raw(client, headers, data, content_type="application/json"):
    """POST a raw body to the season endpoint."""
    return client.post("/api/v1/seasons", headers=headers, data=data, content_type=content_type)


def _error(response, status):
    """The error object of a response, after checking the status and shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.parametrize("data", [b"{", b"", b"{'year': 2026}", b"\xff\xfe", b"NaN", b"[" * 100000,
                                  b'{"year": Infinity, "name": "x", "budget": 1}'])
def test_malformed_json_is_400(client, db, organiser, data):
    error = _error(_post_raw(client, organiser, data), 400)
    assert error["details"][0]["field"] == "body"


@pytest.mark.parametrize("data", [b"[]", b'"text"', b"2026", b"null", b"true"])
def test_non_object_body_is_400(client, db, organiser, data):
    error = _error(_post_raw(client, organiser, data), 400)
    assert "对象" in error["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_wrong_content_type_is_400(client, db, organiser, content_type):
    error = _error(_post_raw(client, organiser, b'{"year": 2026, "name": "x", "budget": 1}', content_type), 400)
    assert "Content-Type" in error["message"]


@pytest.mark.parametrize("body, field", [
    ({"year": "2026", "name": "二〇二六年度", "budget": 1}, "year"),
    ({"year": 2026.5, "name": "二〇二六年度", "budget": 1}, "year"),
    ({"year": True, "name": "二〇二六年度", "budget": 1}, "year"),
    ({"year": 2026, "name": 12, "budget": 1}, "name"),
    ({"year": 2026, "name": "二〇二六年度", "budget": "100"}, "budget"),
    ({"year": 2026, "name": "二〇二六年度", "budget": None}, "budget"),
    ({"year": 2026, "name": "二〇二六年度"}, "budget"),
    ({"year": 2026, "name": "二〇二六年度", "budget": 1, "bogus": 1}, "bogus"),
    ({"year": 2026, "name": "二〇\x00二六", "budget": 1}, "name"),
])
def test_wrong_types_are_400_with_field_details(client, db, organiser, body, field):
    error = _error(client.post("/api/v1/seasons", headers=organiser, json=body), 400)
    assert field in [d["field"] for d in error["details"]]
    assert all(d["message"] for d in error["details"])
    assert db.session.scalar(db.select(db.func.count()).select_from(Season)) == 0


def test_huge_numbers_are_refused_cleanly(client, db, organiser):
    body = {"year": 10**30, "name": "二〇二六年度", "budget": 10**40}
    error = _error(client.post("/api/v1/seasons", headers=organiser, json=body), 400)
    assert {d["field"] for d in error["details"]} == {"year", "budget"}


def test_huge_path_id_is_404(client, db, organiser):
    _error(client.get(f"/api/v1/seasons/{10**30}", headers=organiser), 404)


def test_unknown_path_and_method_are_json(client, db, organiser):
    assert _error(client.get("/api/v1/nothing-here", headers=organiser), 404)["code"] == "not_found"
    assert _error(client.put("/api/v1/seasons", headers=organiser, json={}), 405)["code"] == "method_not_allowed"


def test_pagination_shape_and_slices(client, db, organiser):
    for year in range(2030, 2035):
        make_season(year=year)
    db.session.commit()
    first = client.get("/api/v1/seasons?per_page=2", headers=organiser).get_json()
    assert set(first) == {"items", "page", "per_page", "total"}
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 5)
    assert [s["year"] for s in first["items"]] == [2034, 2033]
    last = client.get("/api/v1/seasons?per_page=2&page=3", headers=organiser).get_json()
    assert [s["year"] for s in last["items"]] == [2030]
    beyond = client.get("/api/v1/seasons?per_page=2&page=9", headers=organiser).get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_pagination_default_and_maximum(client, db, organiser):
    body = client.get("/api/v1/seasons", headers=organiser).get_json()
    assert (body["page"], body["per_page"]) == (1, 50)
    assert client.get("/api/v1/seasons?per_page=200", headers=organiser).status_code == 200


@pytest.mark.parametrize("query, field", [
    ("per_page=201", "per_page"), ("per_page=0", "per_page"), ("per_page=abc", "per_page"),
    ("page=0", "page"), ("page=-1", "page"), ("page=1.5", "page"), (f"page={10**30}", "page"),
])
def test_bad_page_parameters_are_400(client, db, organiser, query, field):
    error = _error(client.get(f"/api/v1/seasons?{query}", headers=organiser), 400)
    assert error["details"][0]["field"] == field


def test_list_counts_in_one_query_regardless_of_rows(app, client, db, organiser):
    from sqlalchemy import event

    statements = []

    def count(*args):
        statements.append(args[2])

    for year in range(2030, 2040):
        make_season(year=year)
    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/api/v1/seasons?per_page=3", headers=organiser)
        few = len(statements)
        statements.clear()
        client.get("/api/v1/seasons?per_page=10", headers=organiser)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == few
    assert any("count(" in s.lower() for s in statements)


def test_api_responses_are_not_cached(client, db, organiser):
    response = client.get("/api/v1/seasons", headers=organiser)
    assert response.headers["Cache-Control"] == "no-store"


def test_roles_gate_and_its_documentation(app):
    from competition.api.framework import Route, _authorise
    from competition.api.openapi import allowed_roles
    from competition.errors import NotAllowed
    from competition.permissions import can_manage_users

    def handler():
        """A handler."""

    judges_only = Route(rule="/x", methods=("GET",), handler=handler, roles=frozenset({Role.JUDGE}),
                        summary="测试")
    assert allowed_roles(judges_only) == [Role.JUDGE]
    _authorise(judges_only, make_user(Role.JUDGE))
    with pytest.raises(NotAllowed, match="组委会"):
        _authorise(judges_only, make_user(Role.ORGANISER))
    admins = Route(rule="/y", methods=("GET",), handler=handler, roles=frozenset({Role.ADMIN}), allow=can_manage_users)
    assert allowed_roles(admins) == [Role.ADMIN]


def test_every_authenticated_route_declares_its_roles_and_the_document_lists_them(app):
    """The document used to guess roles by calling `allow` with a made-up user: enterprise users vanished from
    POST /events and POST /nominations listed nobody (issue 17, item 8)."""
    from competition.api.framework import api_route

    with pytest.raises(TypeError, match="declares its roles"):
        api_route("/z", summary="测试")(lambda: None)
    document = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert document["/api/v1/events"]["post"]["x-roles"] == ["admin", "organiser", "enterprise"]
    assert document["/api/v1/nominations"]["post"]["x-roles"] == ["enterprise"]
    assert document["/api/v1/subsidy-claims"]["get"]["x-roles"] == ["admin", "organiser", "enterprise"]
    assert all(op.get("x-roles") for path in document.values() for op in path.values()
               if isinstance(op, dict) and op.get("security") != [])
