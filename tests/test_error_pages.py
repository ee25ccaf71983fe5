"""Error pages need no database (issue 14, finding 10): with the database refusing connections, a browser that
carries a login cookie gets the Chinese error page for every status, never the server's bare
"Internal Server Error" (the page used to load the user from the database to draw its menu)."""
import pytest
from flask import abort

from competition import create_app

DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"


@pytest.fixture
def down_app(tmp_path):
    """The app pointed at a database server that is not there, with two routes that fail without touching it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": DOWN_URL, "SECRET_KEY": "k" * 32, "INSTANCE_PATH": str(tmp_path),
                      "WTF_CSRF_ENABLED": False})
    app.add_url_rule("/_boom", "boom", lambda: 1 / 0)
    app.add_url_rule("/_forbidden", "forbidden", lambda: abort(403))
    return app


@pytest.fixture
def cookie_client(down_app):
    """A browser holding a logged-in session cookie (user 1)."""
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"
        session["_fresh"] = True
    return client


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/public", 503),
    ("GET", "/", 503),
    ("GET", "/events", 503),
    ("GET", "/experts", 503),
    ("GET", "/no-such-page", 404),
    ("DELETE", "/login", 405),
    ("GET", "/_boom", 500),
    ("GET", "/_forbidden", 403),
])
def test_every_error_page_renders_without_the_database(cookie_client, method, path, status):
    response = cookie_client.open(path, method=method)
    text = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert "<html" in text and f'data-status="{status}"' in text and "吴江职业技能联赛" in text
    assert "Internal Server Error" not in text and "Traceback" not in text and "psycopg" not in text


def test_anonymous_pages_and_the_api_still_answer_503(down_app):
    client = down_app.test_client()
    assert client.get("/public").status_code == 503
    api = client.get("/api/v1/seasons", headers={"Authorization": "Bearer " + "x" * 40})
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "database_unavailable"
