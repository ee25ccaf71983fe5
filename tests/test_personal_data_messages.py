"""Masked personal data in every message (issue 14, finding 8): whoever types someone else's ID number with a
wrong name learns at most the masked name (钟*芳), on every path that can mention a registered person: the
page and the API enrolment, the roster import (preview and API), and the 技术能手 recommendation. Organisers,
who may see names whole, still see them whole."""
import io
import json
import re
from datetime import date, timedelta

import pytest

from competition.models import Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, enrol
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers, login
from tests.roster_files import roster

REGISTERED, MASKED, TYPED = "钟敏芳", "钟*芳", "钟敏"
NUMBER = id_number(88)


@pytest.fixture
def world(db):
    """钟敏芳, registered by her employer 恒力; an open event; another enterprise's HR user and an organiser."""
    hengli, other = make_enterprise(name="恒力"), make_enterprise(name="亨通")
    event = make_event("open", event_date=date.today() + timedelta(days=60),
                       registration_deadline=date.today() + timedelta(days=30))
    enrol(SYSTEM, make_event("open", event_date=date.today() + timedelta(days=60),
                             registration_deadline=date.today() + timedelta(days=30)),
          EntryData(REGISTERED, NUMBER, None, hengli.id))
    make_season(year=date.today().year)
    users = {"other": make_user(Role.ENTERPRISE, enterprise=other), "organiser": make_user(Role.ORGANISER)}
    db.session.commit()
    return event, users


def _text(response) -> str:
    """Everything a response says (JSON decoded: Flask writes non-ASCII as \\u escapes)."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


def _paths(client, event, user):
    """Every way a caller can type the ID number with a wrong name: (what, response)."""
    headers = api_headers(client, user)
    login(client, user)
    yield "api enrol", client.post(f"/api/v1/events/{event.id}/entries", headers=headers,
                                   json={"name": TYPED, "id_number": NUMBER})
    yield "page enrol", client.post(f"/events/{event.id}/entries/new", data={"name": TYPED, "id_number": NUMBER})
    data = roster((TYPED, NUMBER, None, None))
    yield "api import", client.post(f"/api/v1/events/{event.id}/entries/import", headers=headers,
                                    data={"file": (io.BytesIO(data), "名单.xlsx")}, content_type="multipart/form-data")
    yield "page import", client.post(f"/events/{event.id}/entries/import/preview",
                                     data={"file": (io.BytesIO(data), "名单.xlsx")}, content_type="multipart/form-data")
    if user.role is Role.ENTERPRISE:
        yield "api recommend", client.post("/api/v1/nominations", headers=headers, json={
            "id_number": NUMBER, "name": TYPED, "justification": "优秀", "confirm_employee": True})


def test_no_message_shows_another_enterprises_employees_name_whole(client, db, world):
    event, users = world
    said = {}
    for what, response in _paths(client, event, users["other"]):
        text = _text(response)
        assert response.status_code < 500, what
        assert REGISTERED not in text, what
        said[what] = MASKED in text
    assert said["api enrol"] and said["page enrol"] and said["api import"] and said["page import"]


def test_organisers_see_the_registered_name_whole(client, db, world):
    event, users = world
    for what, response in _paths(client, event, users["organiser"]):
        if what.endswith("enrol"):
            assert REGISTERED in _text(response), what


def test_every_mention_in_the_refusals_is_masked_or_absent(client, db, world):
    """A scan of the answers for anything that looks like the whole name beside the word 登记."""
    event, users = world
    for what, response in _paths(client, event, users["other"]):
        for match in re.finditer(r"已登记的姓名为“([^”]+)”", _text(response)):
            assert "*" in match.group(1), what
