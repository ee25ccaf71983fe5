"""Reward decisions at the same moment, from threads with their own connections (RULES.md §12, §16).

A reward and a subsidy claim approved together beyond the budget: one passes, the other is 409 over_budget, whatever
kind each is (one season lock, one committed figure). One reward approved twice at once: one 200, one 409, and one
audit row. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""
from competition.extensions import db as _db
from competition.models import AuditEntry, ClaimState, Reward, RewardState, Role, SubsidyClaim
from competition.services.money.budget import committed
from tests.builders import make_user
from tests.clients import bearer, race
from tests.league_builders import league_world
from tests.subsidy_builders import make_claim, make_claimable


def test_a_reward_and_a_claim_beyond_the_budget_approve_one(app, db):
    lw = league_world(budget=21000)  # room for the claim (20000) or the reward (5000), not both
    season = lw.world.event.season
    claim = make_claim(make_claimable(season=season))
    organisers = [make_user(Role.ORGANISER), make_user(Role.ORGANISER)]
    db.session.commit()
    responses = race(app, [
        ("POST", f"/api/v1/rewards/{lw.individual.id}/approve", None, bearer(organisers[0])),
        ("POST", f"/api/v1/subsidy-claims/{claim.id}/approve", None, bearer(organisers[1]))])
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    assert next(r.get_json() for r in responses if r.status_code == 409)["error"]["code"] == "over_budget"
    _db.session.expire_all()
    states = (_db.session.get(Reward, lw.individual.id).state, _db.session.get(SubsidyClaim, claim.id).state)
    assert states in ((RewardState.APPROVED, ClaimState.SUBMITTED), (RewardState.PROPOSED, ClaimState.APPROVED))
    assert committed(season.id) in (5000, 20000)


def test_one_reward_approved_twice_at_once_is_approved_once(app, db):
    lw = league_world()
    organisers = [make_user(Role.ORGANISER), make_user(Role.ORGANISER)]
    db.session.commit()
    responses = race(app, [("POST", f"/api/v1/rewards/{lw.sending.id}/approve", None, bearer(o)) for o in organisers])
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    assert next(r.get_json() for r in responses if r.status_code == 409)["error"]["code"] == "invalid_reward_state"
    _db.session.expire_all()
    assert _db.session.scalar(_db.select(_db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "reward.approve", AuditEntry.object_id == lw.sending.id)) == 1
    assert committed(lw.world.event.season_id) == 2000
