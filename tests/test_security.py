"""Security tests (issue 8 item 6) beyond the permission matrix (tests/test_permission_matrix.py, which
covers every route for every role, and an enterprise user of another enterprise: the IDOR check for every
object an enterprise owns), lockout (tests/test_views_auth.py) and logout (tests/test_browser_login.py):

- CSRF: every state-changing form route refuses a request without the token, and nothing changes;
- personal data: no page or API answer a judge or the public can reach carries an ID number or a
  mobile number, and before publication a judge sees no contestant's name or employer.
"""
import re

import pytest
from flask import url_for

from competition.extensions import db as _db
from competition.models import Role
from competition.rules.identity import check_id_number
from competition.services.audit import Actor
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_enterprise, make_season, make_user
from tests.conftest import api_headers, login
from tests.test_services_marks import WORKED, fill, make_world, submit_all

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _rows_everywhere() -> int:
    """How many rows all tables hold together."""
    return sum(_db.session.scalar(_db.select(_db.func.count()).select_from(table))
               for table in _db.metadata.sorted_tables)


def _url(app, rule, ids: dict) -> str | None:
    """The rule's URL with the world's ids, or None when it needs an id the world does not have."""
    if not set(rule.arguments) <= set(ids):
        return None
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})


def _form_writes(app):
    """Every state-changing route of the HTML app (the API uses bearer tokens, not cookies)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api."):
            continue
        for method in sorted(rule.methods & WRITES):
            yield rule, method


@pytest.fixture
def scene(app, db):
    """The published world (build_published_scene)."""
    return build_published_scene(db)


def build_published_scene(db):
    """A published event of 恒力 (two contestants with mobiles, one unpublished-era name check), a second event
    still in scoring, the panel judges, an enterprise user and an organiser; ids for URL building."""
    firm = make_enterprise(name="恒力化纤集团")
    season = make_season()
    published = make_world(2, judges=5, entry_employers=(firm, firm), season=season)
    scoring = make_world(1, judges=5, entry_employers=(firm,), season=season)
    for world in (published, scoring):
        for entry in world.entries.values():
            entry.person.phone = f"139{entry.person.id_number[-8:-1]}0"
        fill(world, "001", *WORKED)
    fill(published, "002", "70", [("40", "30")] * 5)
    submit_all(published)
    sign_off(published.actor(0), published.event)
    publish(Actor(published.organiser), published.event)
    users = {"judge": published.judges[1], "chief": published.judges[0], "scoring_judge": scoring.judges[1],
             "organiser": published.organiser, "enterprise": make_user(Role.ENTERPRISE, enterprise=firm)}
    db.session.commit()
    people = [e.person for w in (published, scoring) for e in w.entries.values()]
    secrets = {p.id_number for p in people} | {p.phone for p in people}
    ids = {"event_id": published.event.id, "season_id": season.id, "enterprise_id": firm.id,
           "entry_id": published.entries["001"].id, "code": "zh_CN", "filename": "css/app.css"}
    scoring_ids = ids | {"event_id": scoring.event.id, "entry_id": scoring.entries["001"].id}
    names = {p.name for p in people}
    return users, ids, scoring_ids, secrets, names


def _leaks(text: str, secrets: set) -> list[str]:
    """Secrets found whole in a response, and anything shaped like a whole ID number."""
    found = [s for s in secrets if s in text]
    shaped = re.findall(r"(?<![\dA-Za-z])\d{17}[\dX](?![\dA-Za-z])", text)
    # An all-digit 统一社会信用代码 (public) has the same shape; only a valid ID number is a leak.
    return found + [s for s in shaped if check_id_number(s).ok]


def test_every_form_write_refuses_a_missing_csrf_token_and_changes_nothing(app, client, db, scene):
    users, ids, *_ = scene
    login(client, users["organiser"])
    app.config["WTF_CSRF_ENABLED"] = True
    before = _rows_everywhere()
    checked = []
    for rule, method in _form_writes(app):
        url = _url(app, rule, ids)
        if url is None:
            url = _url(app, rule, {name: 1 for name in rule.arguments} | ids)
        response = client.open(url, method=method, data={"reason": "x", "value": "1"})
        assert response.status_code == 400, (rule.endpoint, method, response.status_code)
        assert "安全令牌" in response.get_data(as_text=True), rule.endpoint
        checked.append(rule.endpoint)
    db.session.rollback()
    assert _rows_everywhere() == before
    assert len(checked) >= 30  # every form write of the app, not a silently empty loop


def _reachable(app, client, ids: dict, headers: dict):
    """Every GET route the world's ids can fill, with its answer (pages with the session, API with a token)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = _url(app, rule, ids)
        if url is None:
            continue
        yield rule.endpoint, client.get(url, headers=headers if rule.endpoint.startswith("api.") else {})


def test_the_public_never_sees_an_id_number_or_a_mobile(app, client, db, scene):
    _, ids, _, secrets, names = scene
    seen = 0
    for endpoint, response in _reachable(app, client, ids, {}):
        if response.status_code == 200:
            seen += 1
            assert not _leaks(response.get_data(as_text=True), secrets), endpoint
    assert seen >= 4  # /public, the event's public page, the results API, the OpenAPI document, …


@pytest.mark.parametrize("who", ["judge", "chief", "scoring_judge"])
def test_judges_never_see_an_id_number_or_a_mobile_nor_names_before_publication(app, client, db, scene, who):
    users, ids, scoring_ids, secrets, names = scene
    user = users[who]
    login(client, user)
    headers = api_headers(client, user)
    world_ids = scoring_ids if who == "scoring_judge" else ids
    seen = 0
    for endpoint, response in _reachable(app, client, world_ids, headers):
        if response.status_code != 200 or response.mimetype not in ("text/html", "application/json"):
            continue
        seen += 1
        text = response.get_data(as_text=True)
        assert not _leaks(text, secrets), (who, endpoint)
        if who == "scoring_judge":  # results not published: numbers only, no names, no employer
            assert not any(name in text for name in names), endpoint
            assert "恒力化纤集团" not in text or endpoint in ("enterprises.index", "api.list_enterprises"), endpoint
    assert seen >= 8
