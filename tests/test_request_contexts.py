"""Each request through the test client runs in an app context of its own, as it does on a server (tests/conftest.py,
RequestClient), while the test keeps its own for its database work: nothing a request leaves on `flask.g` (the API
caller, Flask-Login's user, Flask-Babel's locale) reaches the next request or the test, so the app needs no teardown
hook that forgets them (issue 17, item 6)."""
from flask import g

from competition.models import Role
from tests.builders import make_user
from tests.clients import api_headers, login


def _watch_g(app) -> list[dict]:
    """Per request: its g, the names g held as the request began, and g's API caller and logged-in user as it
    ended. Installed before the app's first request (Flask refuses new hooks after it)."""
    seen = []

    def on_entry():
        seen.append({"g": g._get_current_object(), "at_entry": set(vars(g))})

    def on_exit(exc):
        seen[-1]["api_user"] = getattr(g.get("api_user"), "id", None)
        seen[-1]["login_user"] = getattr(g.get("_login_user"), "id", None)

    app.before_request_funcs.setdefault(None, []).insert(0, on_entry)  # first of all, before the app's own
    app.teardown_request_funcs.setdefault(None, []).append(on_exit)  # teardown runs last-registered first
    return seen


def test_two_api_requests_with_different_tokens_see_different_users_and_share_no_g(app, client, db):
    seen = _watch_g(app)
    first, second = make_user(Role.ORGANISER), make_user(Role.JUDGE)
    db.session.commit()
    tokens = [api_headers(client, first), api_headers(client, second)]
    g.marker = "the test's own"
    seen.clear()

    answers = [client.get("/api/v1/me", headers=headers) for headers in tokens] + [client.get("/api/v1/me")]

    assert [a.status_code for a in answers] == [200, 200, 401]
    assert [a.get_json().get("username") for a in answers[:2]] == [first.username, second.username]
    assert [s["api_user"] for s in seen] == [first.id, second.id, None]
    assert [s["at_entry"] for s in seen] == [set(), set(), set()]  # nothing of the request before, nor of the test
    assert len({id(s["g"]) for s in seen}) == 3 and all(s["g"] is not g._get_current_object() for s in seen)
    assert vars(g) == {"marker": "the test's own"}  # and the requests left nothing on the test's g


def test_pages_forget_the_logged_in_user_and_locale_without_a_teardown_hook(app, client, db):
    """The app used to pop Flask-Login's and Flask-Babel's g entries at teardown (`_forget_request_user`) because one
    app context served several test requests; with a context per request, no teardown hook clears g and the pages
    still show each browser its own user and language."""
    seen = _watch_g(app)
    assert not any("forget" in hook.__name__ for hooks in app.teardown_request_funcs.values() for hook in hooks)
    organiser, judge = make_user(Role.ORGANISER, display_name="组委会王老师"), make_user(Role.JUDGE,
                                                                                      display_name="李裁判")
    db.session.commit()
    browser = app.test_client()
    login(client, organiser)
    login(browser, judge)
    client.get("/lang/en")
    seen.clear()

    pages = [client.get("/").get_data(as_text=True), browser.get("/").get_data(as_text=True)]
    stranger = app.test_client().get("/")

    assert "组委会王老师" in pages[0] and "李裁判" not in pages[0] and '<html lang="en">' in pages[0]
    assert "李裁判" in pages[1] and "组委会王老师" not in pages[1] and '<html lang="zh-CN">' in pages[1]
    assert stranger.status_code == 302 and "/login" in stranger.location  # a new browser is nobody
    assert [s["login_user"] for s in seen] == [organiser.id, judge.id, None]
    assert all(s["at_entry"] == set() for s in seen)
