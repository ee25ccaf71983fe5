"""Each permission is checked at one layer, the boundary (issue 17, item 1): the services no longer repeat the
pages' and the API's check, so these tests refuse each such action through the API and find nothing changed.
The permission matrix (test_permission_matrix.py) proves the status of every route for every actor; here the
point is that a refused action leaves no trace in the data and no money moves."""
from competition.extensions import db
from competition.models import EventStatus, ExpertTitle, Nomination, NominationState, PolicyVersion, Role
from competition.models import SubsidyClaim, TieOrder
from competition.services.money.budget import committed
from tests.builders import make_user
from tests.clients import bearer
from tests.marking_builders import FOUR, WORKED, fill, final_world, make_world, submit_all
from tests.subsidy_builders import host_user, make_claim, make_claimable


def _scored_world():
    """An event in scoring, fully marked and submitted by its three judges (judge 0 is the chief)."""
    world = make_world(1, judges=3)
    fill(world, "001", WORKED[0], WORKED[1][:3])
    submit_all(world)
    db.session.commit()
    return world


def _post(client, path, user, **body):
    return client.post(f"/api/v1{path}", headers=bearer(user), json=body or None).status_code


def test_only_the_chief_or_an_organiser_signs_off_reopens_and_only_organisers_publish(client, db):
    world = _scored_world()
    event_id, chief, other_judge = world.event.id, world.judges[0], world.judges[1]
    stranger = make_user(Role.ENTERPRISE)
    db.session.commit()
    assert [_post(client, f"/events/{event_id}/sign-off", user) for user in (other_judge, stranger)] == [403, 403]
    assert db.session.get(type(world.event), event_id).status is EventStatus.SCORING
    assert _post(client, f"/events/{event_id}/sign-off", chief) == 200
    assert _post(client, f"/events/{event_id}/tie-order", chief, entry_ids=[1, 2], reason="抽签") == 403
    assert db.session.scalar(db.select(db.func.count(TieOrder.id))) == 0
    assert _post(client, f"/events/{event_id}/reopen", other_judge, reason="复核") == 403
    assert [_post(client, f"/events/{event_id}/{step}", chief) for step in ("publish", "finalize")] == [403, 403]
    assert db.session.get(type(world.event), event_id).status is EventStatus.SIGNED_OFF


def test_only_the_host_claims_and_only_organisers_decide_a_claim(client, db):
    event = make_claimable()
    other, organiser, judge = make_user(Role.ENTERPRISE), make_user(Role.ORGANISER), make_user(Role.JUDGE)
    db.session.commit()
    assert [_post(client, "/subsidy-claims", user, event_id=event.id) for user in (other, organiser)] == [403, 403]
    assert db.session.scalar(db.select(db.func.count(SubsidyClaim.id))) == 0
    claim = make_claim(event)
    host = host_user(event)
    db.session.commit()
    assert [_post(client, f"/subsidy-claims/{claim.id}/approve", user) for user in (host, judge)] == [403, 403]
    assert db.session.get(SubsidyClaim, claim.id).state.value == "submitted" and committed(event.season_id) == 0


def test_only_administrators_add_policy_versions(client, db):
    before = db.session.scalar(db.select(db.func.count(PolicyVersion.id)))
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    body = {"effective_from": "2030-01-01", "note": "组委会想改", "subsidy_amount": 30000}
    assert _post(client, "/policy-versions", organiser, **body) == 403
    assert db.session.scalar(db.select(db.func.count(PolicyVersion.id))) == before


def test_an_enterprise_can_not_approve_a_nomination(client, db):
    world = final_world(FOUR)
    proposed = db.session.scalars(db.select(Nomination).where(Nomination.state == NominationState.PROPOSED)).first()
    hr = make_user(Role.ENTERPRISE)
    db.session.commit()
    assert _post(client, f"/nominations/{proposed.id}/approve", hr) == 403
    assert db.session.get(Nomination, proposed.id).state is NominationState.PROPOSED
    assert db.session.scalar(db.select(db.func.count(ExpertTitle.id))) == 0
    assert committed(world.event.season_id) == 0
