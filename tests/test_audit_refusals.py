"""Refused attempts name their object (issue 16, item 6; RULES.md §13 "which object"): the audit row of a 403 carries
object_type and object_id from the URL, the innermost id when there are several, with the type record() writes
for that model, so the object's own history finds it."""
from datetime import date, timedelta

import pytest

from competition.models import AuditEntry, Role
from competition.services.audit import SYSTEM, named_object
from competition.services.events.entries import EntryData, enrol
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers, login
from tests.subsidy_builders import make_claim, make_claimable

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)


@pytest.mark.parametrize("view_args, named", [
    ({"event_id": 3}, ("Event", 3)),
    ({"event_id": 3, "entry_id": 9}, ("Entry", 9)),  # the innermost id
    ({"event_id": 3, "member_id": 4}, ("PanelMember", 4)),
    ({"claim_id": 5}, ("SubsidyClaim", 5)),
    ({"nomination_id": 6}, ("Nomination", 6)),
    ({"user_id": 7}, ("User", 7)),
    ({"enterprise_id": 8}, ("Enterprise", 8)),
    ({"season_id": 2}, ("Season", 2)),
    ({"version_id": 1}, ("PolicyVersion", 1)),
    ({"event_id": 3, "action": "publish"}, ("Event", 3)),
    ({"year": 2026}, None),  # a year names no row
    ({"code": "zh_CN"}, None),
    ({"event_id": 2**31}, None),  # no row can have it: left out rather than overflow the column
    ({"event_id": 0}, None),
    ({}, None),
    (None, None),
])
def test_the_object_a_url_names(view_args, named):
    assert named_object(view_args) == named


def refusals(db) -> list[AuditEntry]:
    """The refused attempts written so far, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "refused").order_by(AuditEntry.id)))


@pytest.fixture
def scene(db):
    """An open enterprise event with one entry of its host, a judge and another enterprise's user."""
    host = make_enterprise()
    event = make_event("open", season=make_season(year=LATER.year), event_date=LATER, registration_deadline=SOON,
                       venue="吴江区职业技能实训基地", kind="enterprise", host_enterprise_id=host.id)
    entry = enrol(SYSTEM, event, EntryData("选手甲", id_number(3), None, host.id))
    users = {"judge": make_user(Role.JUDGE), "other": make_user(Role.ENTERPRISE)}
    db.session.commit()
    return event, entry, users


def test_a_refused_api_request_on_an_event_names_the_event(client, db, scene):
    event, _, users = scene
    response = client.get(f"/api/v1/events/{event.id}/entries", headers=api_headers(client, users["judge"]))
    assert response.status_code == 403
    row = refusals(db)[-1]
    assert (row.object_type, row.object_id, row.user_id) == ("Event", event.id, users["judge"].id)
    assert f"/api/v1/events/{event.id}/entries" in row.message and row.seq is not None  # sealed like any other row


def test_a_refused_api_request_on_an_entry_names_the_entry(client, db, scene):
    _, entry, users = scene
    response = client.patch(f"/api/v1/entries/{entry.id}", headers=api_headers(client, users["judge"]),
                            json={"phone": "13912345678"})
    assert response.status_code == 403
    row = refusals(db)[-1]
    assert (row.object_type, row.object_id) == ("Entry", entry.id)


def test_a_refused_page_names_the_innermost_object(client, db, scene):
    event, entry, users = scene
    login(client, users["judge"])
    assert client.get(f"/events/{event.id}/entries/{entry.id}/edit").status_code == 403
    assert client.get(f"/events/{event.id}/entries").status_code == 403
    rows = refusals(db)
    assert [(r.object_type, r.object_id) for r in rows[-2:]] == [("Entry", entry.id), ("Event", event.id)]


def test_a_refused_claim_page_names_the_claim_and_the_audit_filter_finds_it(client, db):
    claim = make_claim(make_claimable())
    other, admin = make_user(Role.ENTERPRISE), make_user(Role.ADMIN)
    db.session.commit()
    login(client, other)
    assert client.get(f"/subsidy/claims/{claim.id}").status_code == 403
    client.post("/logout")
    found = client.get(f"/api/v1/audit?object_type=SubsidyClaim&object_id={claim.id}&action=refused",
                       headers=api_headers(client, admin)).get_json()
    assert found["total"] == 1 and found["items"][0]["user_id"] == other.id


def test_a_refusal_on_a_url_without_an_object_leaves_it_empty(client, db):
    judge = make_user(Role.JUDGE)
    db.session.commit()
    assert client.get("/api/v1/audit", headers=api_headers(client, judge)).status_code == 403
    row = refusals(db)[-1]
    assert (row.object_type, row.object_id) == (None, None)


def test_the_grid_and_the_api_audit_the_same_refusal_alike(client, db):
    """回避 refused on the tablet grid and through the API writes one kind of row (issue 17, item 5)."""
    from tests.clients import bearer
    from tests.marking_builders import make_world

    firm = make_enterprise()
    world = make_world(judge_employers=(None, firm), entry_employers=(firm,))
    _, q, _ = world.criteria
    judge = world.judges[1]
    db.session.commit()
    headers = bearer(judge)
    api = client.put(f"/api/v1/events/{world.event.id}/marks", headers=headers,
                     json={"marks": [{"number": "001", "criterion_id": q, "value": "50"}]})
    login(client, judge)
    grid = client.post(f"/events/{world.event.id}/marks/cell", data={"number": "001", "criterion_id": q, "value": "50"})
    assert api.status_code == grid.status_code == 403
    rows = db.session.scalars(db.select(AuditEntry).where(AuditEntry.user_id == judge.id, AuditEntry.action == "refused")
                              .order_by(AuditEntry.id)).all()
    assert [(r.object_type, r.object_id, r.after["code"]) for r in rows] == \
        [("Event", world.event.id, "conflict_of_interest")] * 2
