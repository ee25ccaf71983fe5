"""API fuzzing with schemathesis against /api/v1/openapi.json, authenticated (issue 8 item 3; issue 17 item 6 folds
the older hand-written fuzzers, tests/test_api_fuzz.py and tests/test_api_events_fuzz.py, in here).

Every operation of the generated OpenAPI document gets schema-driven valid (positive) and invalid (negative) cases
as an organiser, as an enterprise user and as an administrator, who reaches every route. Path ids are steered to
real objects half of the time so the fuzzing reaches the handlers, not only the 404s. The administrator also sends
hostile cases, as the older fuzzers did, always against real objects: valid cases whose JSON body is replaced by
objects keyed by the body model's own fields (and strangers) holding nulls, booleans, integers to ±10³⁰, floats,
NUL characters, "%", 200 zeros, nested lists and objects, or by no object at all, and whose query string is replaced
by the operation's own parameters (page and per_page too) holding any text or digits.

Checks on every answer: no 500; the status code, content type and body are the ones the document declares; a refusal
is JSON in the API's error shape. On hostile cases also: a query string alone never turns a read of real objects
into anything but 200 or a 400 that says what is wrong. Operations that would end the fuzzing session itself
(revoking its own token, changing or resetting its own password) are fuzzed with a throwaway account of the same
role instead.
"""
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from competition.api import REGISTRY
from competition.models import PolicyVersion, Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import PASSWORD, id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
HOSTILE_EXAMPLES = int(os.environ.get("SCHEMATHESIS_HOSTILE_EXAMPLES", "40"))  # as many as the older fuzzers sent
ROLES = {"organiser": Role.ORGANISER, "enterprise": Role.ENTERPRISE, "admin": Role.ADMIN}
SELF_ENDING = {("DELETE", "/api/v1/tokens/current"), ("POST", "/api/v1/me/password"),
               ("POST", "/api/v1/users/{user_id}/reset-password")}
HOSTILE = "hostile"
SCHEMA_DRIVEN = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
RUNS = {"organiser": ("organiser", SCHEMA_DRIVEN), "enterprise": ("enterprise", SCHEMA_DRIVEN),
        "admin": ("admin", SCHEMA_DRIVEN), "admin-hostile": ("admin", (HOSTILE,))}  # separate tests: xdist spreads them

# What tests/test_api_fuzz.py sent: particular scalars, and lists and objects of them.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["", "2026-01-01", "91350100M000100Y43", "admin", PASSWORD, "\x00", "%", "0" * 200]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


def json_errors(ctx, response, case):
    """Every refusal is JSON in the API's error shape, {"error": {"code", "message", …}}: the content-type check
    cannot tell, since the document declares no content for errors."""
    if response.status_code < 400:
        return None
    assert (response.headers.get("content-type") or [""])[0].startswith("application/json"), response.headers
    error = response.json().get("error")
    assert isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str), \
        response.json()
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          json_errors]


def _reads_or_refuses(ids: dict):
    """On the administrator's hostile cases: a query string never turns a read of real objects into anything but 200
    or 400 (schema-driven negative cases are left out: schemathesis also sends some of them without the token)."""
    def query_strings_read_or_refuse(ctx, response, case):
        real = all(ids.get(name) == value for name, value in (case.path_parameters or {}).items())
        if real and case.operation.query and not case.operation.body:
            assert response.status_code in (200, 400), (case.query, response.status_code, response.content[:300])
        return None
    return query_strings_read_or_refuse


def _world(db):
    """Objects for path ids: an open enterprise event of the fuzzing enterprise with a judge on its panel and an
    entry, and the founding policy version."""
    firm = make_enterprise()
    users = {"organiser": make_user(Role.ORGANISER), "enterprise": make_user(Role.ENTERPRISE, enterprise=firm),
             "admin": make_user(Role.ADMIN)}
    season = make_season()
    event = make_event("open", season=season, kind="enterprise", host_enterprise_id=firm.id)
    judge = make_user(Role.JUDGE)
    member = assign_judge(SYSTEM, event, judge, True)
    entry = enrol(SYSTEM, event, EntryData("张三丰", id_number(1), employer_id=firm.id),
                  today=event.registration_deadline)
    db.session.commit()
    ids = {"event_id": event.id, "entry_id": entry.id, "season_id": season.id, "enterprise_id": firm.id,
           "user_id": judge.id, "member_id": member.id, "version_id": db.session.scalar(db.select(PolicyVersion.id))}
    return users, ids


def _models(operation):
    """The registered route's body and query models of an operation (the document is generated from them)."""
    for route in REGISTRY:
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", route.path)
        if path == operation.path and operation.method.upper() in route.methods:
            return route.body, route.query, route.paginated
    raise AssertionError(f"no registered route for {operation.method} {operation.path}")


def _hostile(operation, strategy):
    """Valid cases with the body and the query string replaced by the older fuzzers' inputs."""
    body, query, paginated = _models(operation)
    bodies = st.none()
    if body is not None:
        keys = st.sampled_from(sorted(body.model_fields)) | st.text(max_size=8)
        bodies = st.dictionaries(keys, VALUES, max_size=len(body.model_fields) + 1) | VALUES
    names = sorted(set(query.model_fields if query else ()) | ({"page", "per_page"} if paginated else set()))
    queries = st.dictionaries(st.sampled_from(names), st.text(max_size=25) | st.integers().map(str), max_size=4) \
        if names else st.none()

    def swap(case, new_body, new_query):
        if body is not None:
            case.body = new_body
        if names:
            case.query = new_query
        return case
    return st.builds(swap, strategy, bodies, queries)


def _path_parameters(operation, ids, mode):
    """Half of the time, the real ids for the path's parameters (the rest: whatever schemathesis generates); hostile
    cases always name real objects, so that their bodies and query strings reach the handlers."""
    names = [p.name for p in operation.path_parameters]
    known = {name: ids[name] for name in names if name in ids}
    if not known:
        return st.just({})
    return st.just(known) if mode == HOSTILE else st.one_of(st.just({}), st.just(known))


def _fuzz(client, operation, headers, ids, mode, checks):
    """Run one operation's generated cases through the app (each request in its own app context) and the checks."""
    generation = GenerationMode.POSITIVE if mode == HOSTILE else mode
    strategy = _path_parameters(operation, ids, mode).flatmap(
        lambda path: operation.as_strategy(generation_mode=generation, path_parameters=path or None))
    if mode == HOSTILE:
        strategy = _hostile(operation, strategy)

    @settings(max_examples=HOSTILE_EXAMPLES if mode == HOSTILE else EXAMPLES, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        case.call_and_validate(session=client, headers=headers, checks=checks)

    run()


@pytest.mark.parametrize("run", RUNS)
def test_every_operation_survives_schemathesis(app, client, db, run):
    role, modes = RUNS[run]
    users, ids = _world(db)
    headers = api_headers(client, users[role], PASSWORD)
    with app.app_context():  # the document's own request, like the fuzzing's, outside the test's app context
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    hostile_checks = CHECKS + [_reads_or_refuses(ids)]
    fuzzed = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        own = headers
        if key in SELF_ENDING:
            throwaway = make_user(ROLES[role])
            db.session.commit()
            own = api_headers(client, throwaway, PASSWORD)
        for mode in modes:
            _fuzz(client, operation, own, ids, mode, hostile_checks if mode == HOSTILE else CHECKS)
        fuzzed += 1
    assert fuzzed >= 40  # every operation of the document, not a silently empty run
