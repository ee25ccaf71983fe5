"""Subsidy claims and approvals at the same moment, from threads with their own connections (RULES.md §10, §12).

Two claims for one event, and two claims of one host for two events in one season: exactly one is
created (201), the other refused (409), never two rows; the partial unique indexes settle what the
rule's check could not see. Two approvals that together exceed the budget: one passes, one is 409
over_budget (the season row lock). Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""
from competition.extensions import db as _db
from competition.models import ClaimState, Role, SubsidyClaim
from tests.builders import make_enterprise, make_season, make_user
from tests.clients import bearer, race
from tests.counting import count_fresh
from tests.subsidy_builders import host_user, make_claim, make_claimable


def _claims(app, event_ids, headers):
    """Claim each event in its own thread, all released together (the test's session holds no lock meanwhile)."""
    _db.session.commit()
    return race(app, [("POST", "/api/v1/subsidy-claims", {"event_id": event_id}, h)
                       for event_id, h in zip(event_ids, headers)])


def test_two_claims_for_one_event_create_one(app, db):
    event = make_claimable()
    first, second = host_user(event), host_user(event)
    db.session.commit()
    responses = _claims(app, [event.id, event.id], [bearer(first), bearer(second)])
    assert sorted(r.status_code for r in responses) == [201, 409], [r.get_json() for r in responses]
    refused = next(r.get_json() for r in responses if r.status_code == 409)
    assert refused["error"]["code"] in ("duplicate_claim", "not_eligible")
    assert count_fresh(SubsidyClaim) == 1


def test_two_claims_of_one_host_in_one_season_create_one(app, db):
    host, season = make_enterprise(), make_season()
    one = make_claimable(host=host, season=season, name="焊工竞赛")
    two = make_claimable(host=host, season=season, name="车工竞赛")
    ids, user = [one.id, two.id], host_user(one)
    db.session.commit()
    headers = bearer(user)
    responses = _claims(app, ids, [headers, headers])
    assert sorted(r.status_code for r in responses) == [201, 409], [r.get_json() for r in responses]
    assert count_fresh(SubsidyClaim) == 1


def test_two_approvals_beyond_the_budget_approve_one(app, db):
    season = make_season(budget=30000)
    claims = [make_claim(make_claimable(season=season)), make_claim(make_claimable(season=season))]
    organisers = [make_user(Role.ORGANISER), make_user(Role.ORGANISER)]
    db.session.commit()
    calls = [("POST", f"/api/v1/subsidy-claims/{c.id}/approve", None, bearer(o)) for c, o in zip(claims, organisers)]
    db.session.commit()
    responses = race(app, calls)
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    assert next(r.get_json() for r in responses if r.status_code == 409)["error"]["code"] == "over_budget"
    db.session.expire_all()
    assert sorted(db.session.get(SubsidyClaim, c.id).state.value for c in claims) == \
        sorted([ClaimState.APPROVED.value, ClaimState.SUBMITTED.value])


def test_one_claim_approved_and_rejected_at_once_is_decided_once(app, db):
    """The row lock re-reads the claim: the decision that waited sees the other's and is refused (409), on PostgreSQL
    as on SQLite; never an approval silently overwritten by a rejection."""
    claim = make_claim(make_claimable())
    organisers = [make_user(Role.ORGANISER), make_user(Role.ORGANISER)]
    db.session.commit()
    responses = race(app, [("POST", f"/api/v1/subsidy-claims/{claim.id}/approve", None, bearer(organisers[0])),
                           ("POST", f"/api/v1/subsidy-claims/{claim.id}/reject", {"reason": "材料不全，请补充"},
                            bearer(organisers[1]))])
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    decided = next(r.get_json() for r in responses if r.status_code == 200)["state"]
    db.session.expire_all()
    assert db.session.get(SubsidyClaim, claim.id).state.value == decided
