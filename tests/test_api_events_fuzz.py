"""Never a 500 for bad input on the events and entries API, with real ids in the path (tests/test_api_fuzz.py uses 1)."""
import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.api import REGISTRY
from competition.models import Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, enrol
from tests.builders import id_number, make_enterprise, make_event, make_user
from tests.conftest import api_headers
from tests.test_api_fuzz import FUZZ, _bodies

MINE = ("/events", "/entries")
ROUTES = [(r, m) for r in REGISTRY if r.rule.startswith(MINE) for m in r.methods]


@pytest.fixture
def world(client, db):
    """An open event with an entry and a panel member, and admin headers."""
    host = make_enterprise()
    event = make_event("open", kind="enterprise", host_enterprise_id=host.id,
                       event_date=date.today() + timedelta(days=60), registration_deadline=date.today() + timedelta(days=30))
    entry = enrol(SYSTEM, event, EntryData("张三丰", id_number(3), employer_id=host.id))
    member = assign_judge(SYSTEM, event, make_user(Role.JUDGE), True)
    admin = make_user(Role.ADMIN)
    db.session.commit()
    return api_headers(client, admin), {"event_id": event.id, "entry_id": entry.id, "member_id": member.id}


def _url(route, ids) -> str:
    """The route's URL with the world's ids."""
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), route.path)


@pytest.mark.parametrize("route, method", ROUTES, ids=lambda x: getattr(x, "endpoint", x))
def test_random_input_never_500(client, world, route, method):
    headers, ids = world
    names = sorted(set(route.query.model_fields if route.query else {}) | {"page", "per_page"})

    @FUZZ
    @given(body=_bodies(route.body) if route.body else st.none(),
           args=st.dictionaries(st.sampled_from(names), st.text(max_size=25) | st.integers().map(str), max_size=3))
    def run(body, args):
        response = client.open(_url(route, ids), method=method, headers=headers, json=body, query_string=args)
        assert response.status_code < 500, response.get_data(as_text=True)

    run()
