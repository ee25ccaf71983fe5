"""Spending approvals at the same moment, from threads with their own connections (RULES.md §17).

Two approvals that together exceed their budget line: one passes, the other is 409 over_budget (the season lock, then
the line re-read), never both. An approval and a rejection of one spending: one decides it, the other is 409 (the row
lock re-reads it). Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""
from competition.models import Role, Spending, SpendingState
from competition.services.money import budget
from tests.builders import make_user
from tests.clients import bearer, race
from tests.fund_builders import funded_season, make_spending


def test_two_approvals_beyond_the_line_approve_one(app, db):
    season = funded_season(10_000)
    spendings = [make_spending(season, 6_000), make_spending(season, 6_000)]
    organisers = [make_user(Role.ORGANISER), make_user(Role.ORGANISER)]
    db.session.commit()
    calls = [("POST", f"/api/v1/spending/{s.id}/approve", None, bearer(o)) for s, o in zip(spendings, organisers)]
    db.session.commit()
    responses = race(app, calls)
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    refused = next(r.get_json() for r in responses if r.status_code == 409)
    assert refused["error"]["code"] == "over_budget" and "剩余 4,000 元" in refused["error"]["message"]
    db.session.expire_all()
    assert sorted(db.session.get(Spending, s.id).state.value for s in spendings) == \
        sorted([SpendingState.APPROVED.value, SpendingState.PROPOSED.value])
    assert budget.committed(season.id) == 6_000


def test_one_spending_approved_and_rejected_at_once_is_decided_once(app, db):
    season = funded_season(10_000)
    spending = make_spending(season, 1_000)
    organisers = [make_user(Role.ORGANISER), make_user(Role.ORGANISER)]
    db.session.commit()
    responses = race(app, [("POST", f"/api/v1/spending/{spending.id}/approve", None, bearer(organisers[0])),
                           ("POST", f"/api/v1/spending/{spending.id}/reject", {"reason": "凭证不全，请补充"},
                            bearer(organisers[1]))])
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    decided = next(r.get_json() for r in responses if r.status_code == 200)["state"]
    db.session.expire_all()
    assert db.session.get(Spending, spending.id).state.value == decided
