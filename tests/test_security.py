"""Security tests (issue 8 item 6) beyond the permission matrix (tests/test_permission_matrix.py, which
covers every route for every role, and an enterprise user of another enterprise: the IDOR check for every
object an enterprise owns), lockout (tests/test_views_auth.py) and logout (tests/test_browser_login.py):

- CSRF: every state-changing form route refuses a request without the token, and nothing changes;
- personal data: no page or API answer a judge or the public can reach carries an ID number or a
  mobile number, and before publication a judge sees no contestant's name or employer.
"""
import io
import re

import pytest
from openpyxl import load_workbook

from competition.extensions import db as _db
from competition.rules.identity import check_id_number
from tests.clients import api_headers, login, url_for_rule
from tests.marking_builders import build_published_scene

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _rows_everywhere() -> int:
    """How many rows all tables hold together."""
    return sum(_db.session.scalar(_db.select(_db.func.count()).select_from(table))
               for table in _db.metadata.sorted_tables)


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
    return build_published_scene()


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
        url = url_for_rule(app, rule, ids)
        if url is None:
            url = url_for_rule(app, rule, {name: 1 for name in rule.arguments} | ids)
        response = client.open(url, method=method, data={"reason": "x", "value": "1"})
        assert response.status_code == 400, (rule.endpoint, method, response.status_code)
        assert "安全令牌" in response.get_data(as_text=True), rule.endpoint
        checked.append(rule.endpoint)
    db.session.rollback()
    assert _rows_everywhere() == before
    assert len(checked) >= 30  # every form write of the app, not a silently empty loop


def _text(response) -> str:
    """What a public answer says: its text, or every cell of a workbook (the annual plan's xlsx)."""
    if response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        workbook = load_workbook(io.BytesIO(response.data), read_only=True)
        cells = " ".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
        workbook.close()
        return cells
    return response.get_data(as_text=True)


def _reachable(app, client, ids: dict, headers: dict):
    """Every GET route the world's ids can fill, with its answer (pages with the session, API with a token)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = url_for_rule(app, rule, ids)
        if url is None:
            continue
        yield rule.endpoint, client.get(url, headers=headers if rule.endpoint.startswith("api.") else {})


def test_the_public_never_sees_an_id_number_or_a_mobile(app, client, db, scene):
    _, ids, _, secrets, names = scene
    seen = 0
    for endpoint, response in _reachable(app, client, ids, {}):
        if response.status_code == 200:
            seen += 1
            assert not _leaks(_text(response), secrets), endpoint
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
            # enterprises are named on their lists, and on their standings breakdown (final events only, public)
            assert "恒力化纤集团" not in text or endpoint in (
                "enterprises.index", "api.list_enterprises", "standings.enterprise", "api.enterprise_standing"), endpoint
    assert seen >= 8
