"""API fuzzing with schemathesis against /api/v1/openapi.json, authenticated (issue 8 item 3).

Every operation of the generated OpenAPI document gets schema-driven valid (positive) and invalid
(negative) requests as an organiser and as an enterprise user; no request may cause a 500, and every
answer must match what the document declares (status code, content type, body schema). Path ids are
steered to real objects half of the time so the fuzzing reaches the handlers, not only the 404s.
Operations that would end the fuzzing session itself (revoking its own token, changing its password)
are fuzzed with a throwaway account instead.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from competition.models import Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import PASSWORD, id_number, make_enterprise, make_event, make_season, make_user
from tests.conftest import api_headers

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SELF_ENDING = {("DELETE", "/api/v1/tokens/current"), ("POST", "/api/v1/me/password")}


def _world(db):
    """Objects for path ids: an open enterprise event of the fuzzing enterprise with a judge and an entry."""
    firm = make_enterprise()
    users = {"organiser": make_user(Role.ORGANISER), "enterprise": make_user(Role.ENTERPRISE, enterprise=firm)}
    season = make_season()
    event = make_event("open", season=season, kind="enterprise", host_enterprise_id=firm.id)
    judge = make_user(Role.JUDGE)
    assign_judge(SYSTEM, event, judge, True)
    entry = enrol(SYSTEM, event, EntryData("张三丰", id_number(1), employer_id=firm.id),
                  today=event.registration_deadline)
    db.session.commit()
    ids = {"event_id": event.id, "entry_id": entry.id, "season_id": season.id, "enterprise_id": firm.id,
           "user_id": judge.id}
    return users, ids


def _path_parameters(operation, ids):
    """Half of the time, the real ids for the path's parameters (the rest: whatever schemathesis generates)."""
    names = [p.name for p in operation.path_parameters]
    known = {name: ids[name] for name in names if name in ids}
    return st.one_of(st.just({}), st.just(known)) if known else st.just({})


def _fuzz(app, operation, headers, ids, mode):
    """Run one operation's generated cases through the app and the checks."""
    strategy = _path_parameters(operation, ids).flatmap(
        lambda path: operation.as_strategy(generation_mode=mode, path_parameters=path or None))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("role", ["organiser", "enterprise"])
def test_every_operation_survives_schemathesis(app, client, db, role):
    users, ids = _world(db)
    headers = api_headers(client, users[role], PASSWORD)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    fuzzed = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        own = headers
        if key in SELF_ENDING:
            own = api_headers(client, make_user(Role.JUDGE), PASSWORD)
            db.session.commit()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(app, operation, own, ids, mode)
        fuzzed += 1
    assert fuzzed >= 40  # every operation of the document, not a silently empty run
