"""Never a 500 for bad input: random JSON bodies and query strings against every registered route."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.api import REGISTRY
from competition.models import Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.conftest import api_headers

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["", "2026-01-01", "91350100M000100Y43", "admin", "Passw0rd123", "\x00", "%", "0" * 200]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                      max_leaves=8)


def _bodies(model):
    """Objects mostly keyed by the model's own fields, sometimes with strangers."""
    keys = st.sampled_from(sorted(model.model_fields)) | st.text(max_size=8)
    return st.dictionaries(keys, values, max_size=len(model.model_fields) + 1) | values


def _url(route, ident):
    """The route's URL with every path parameter set to an existing id."""
    return re.sub(r"<[^>]+>", str(ident), route.path)


@pytest.fixture
def staff(client, db):
    """Admin headers, and one row of each kind, all with id 1 or more."""
    admin = make_user(Role.ADMIN)
    host = make_enterprise()
    event = make_event("open", season=make_season(), kind="enterprise", host_enterprise_id=host.id)
    assign_judge(SYSTEM, event, make_user(Role.JUDGE), True)
    enrol(SYSTEM, event, EntryData("张三丰", id_number(1), employer_id=host.id), today=event.registration_deadline)
    db.session.commit()
    return api_headers(client, admin)


WRITE_ROUTES = [(r, m) for r in REGISTRY if r.body is not None for m in r.methods]
QUERY_ROUTES = [r for r in REGISTRY if r.query is not None or r.paginated]


@pytest.mark.parametrize("route, method", WRITE_ROUTES, ids=lambda x: getattr(x, "endpoint", x))
def test_random_bodies_never_500(client, db, staff, route, method):
    @FUZZ
    @given(body=_bodies(route.body))
    def run(body):
        response = client.open(_url(route, 1), method=method, headers=staff, json=body)
        assert response.status_code < 500, response.get_data(as_text=True)
        assert response.is_json or response.status_code in (201, 204)

    run()


@pytest.mark.parametrize("route", QUERY_ROUTES, ids=lambda r: r.endpoint)
def test_random_query_strings_never_500(client, db, staff, route):
    names = sorted(set((route.query.model_fields if route.query else {})) | {"page", "per_page"})

    @FUZZ
    @given(args=st.dictionaries(st.sampled_from(names), st.text(max_size=25) | st.integers().map(str), max_size=4))
    def run(args):
        response = client.open(_url(route, 1), method=route.methods[0], headers=staff, query_string=args)
        assert response.status_code in (200, 400), response.get_data(as_text=True)

    run()
