"""Requests through the test client: logging in, bearer tokens, page text, an event's API as its users, and
requests raced from threads."""
import threading

from flask import url_for

from competition.extensions import db as _db
from competition.models import Role
from competition.services import accounts
from competition.services.audit import SYSTEM
from tests.builders import PASSWORD, make_user

HX = {"HX-Request": "true"}


def html(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def login(client, user, password: str = PASSWORD):
    """Log a user in through the real login form; returns the response."""
    return client.post("/login", data={"username": user.username, "password": password})


def forget_session(client) -> None:
    """Forget the browser session (the cookie's contents), as a new browser would."""
    with client.session_transaction() as session:
        session.clear()


def login_afresh(client, user):
    """Log in as another user in a cleared session."""
    forget_session(client)
    return login(client, user)


def switch(client, user):
    """Log out whoever is logged in, then log this user in."""
    client.post("/logout")
    login(client, user)


def logged_in(client, db, role=Role.ORGANISER, **overrides):
    """Log out whoever was logged in, then log in a new committed user of a role; returns the user."""
    user = make_user(role, **overrides)
    db.session.commit()
    switch(client, user)
    return user


def api_headers(client, user, password: str = PASSWORD) -> dict:
    """Bearer headers for a user, through POST /api/v1/tokens."""
    response = client.post("/api/v1/tokens", json={"username": user.username, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def bearer(user) -> dict:
    """Bearer headers for a user (a token issued directly: the login route has its own tests)."""
    token, _ = accounts.issue_token(SYSTEM, user, hours=1)
    _db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def url_for_rule(app, rule, ids: dict) -> str | None:
    """The rule's URL with the world's ids, or None when it needs an id the world does not have."""
    if not set(rule.arguments) <= set(ids):
        return None
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})


class Api:
    """A world's event (tests/marking_builders.make_world) through the API, as any of its users."""

    def __init__(self, client, world):
        self.client, self.world = client, world
        self.event_id = world.event.id
        self._headers = {}
        _db.session.commit()

    def headers(self, user) -> dict:
        """Cached bearer headers per user; None is the public."""
        if user is None:
            return {}
        if user.id not in self._headers:
            self._headers[user.id] = bearer(user)
        return self._headers[user.id]

    def url(self, tail: str) -> str:
        """/api/v1/events/{id}/{tail}."""
        return f"/api/v1/events/{self.event_id}/{tail}"

    def judge(self, i: int):
        """The i-th panel judge (0 is the chief)."""
        return self.world.judges[i]

    def put_marks(self, user, marks, **extra):
        """PUT marks as a user; marks are (number, criterion_id, value[, expected]) tuples or dicts."""
        body = {"marks": [m if isinstance(m, dict) else dict(zip(("number", "criterion_id", "value", "expected"), m))
                          for m in marks], **extra}
        return self.client.put(self.url("marks"), json=body, headers=self.headers(user))

    def get(self, user, tail: str):
        """GET as a user."""
        return self.client.get(self.url(tail), headers=self.headers(user))

    def post(self, user, tail: str, body=None):
        """POST as a user (an empty JSON body unless given)."""
        return self.client.post(self.url(tail), json=body if body is not None else {}, headers=self.headers(user))

    def fill(self, number: str, theory, pairs, judges=None):
        """One entry's marks through the API: theory by the chief, then each judge's two judgement marks."""
        t, q, s = self.world.criteria
        if theory is not None:
            assert self.put_marks(self.judge(0), [(number, t, theory)]).status_code == 200
        for i, (quality, safety) in enumerate(pairs):
            if judges is None or i in judges:
                response = self.put_marks(self.judge(i), [(number, q, quality), (number, s, safety)])
                assert response.status_code == 200, response.get_json()

    def submit_all(self):
        """Every judge submits through the API."""
        for judge in self.world.judges:
            response = self.post(judge, "marks/submit")
            assert response.status_code == 200, response.get_json()


def race(app, calls):
    """Run each call in its own thread with its own client, released together; returns the responses.

    A call is (method, url, json, headers), or a function of a test client for anything else (uploads)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        client = app.test_client()
        barrier.wait()
        if callable(call):
            results[i] = call(client)
            return
        method, url, body, headers = call
        results[i] = client.open(url, method=method, json=body, headers=headers)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def dispose_engine(app) -> None:
    """Close a second app's pooled connections (a test's extra node): left to the GC, they would be closed in some
    later test, as a ResourceWarning that fails it."""
    with app.app_context():
        _db.engine.dispose()
