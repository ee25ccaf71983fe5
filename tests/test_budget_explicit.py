"""Committed spending is listed in one place and needs nothing else imported (RULES.md §12; issue 17, item 3):
a worker or a command that imports only the budget service sees every part of it, so it can never approve
spending over the budget because a module it did not import left its part out."""
import subprocess
import sys
import textwrap

from datetime import date

from competition.models import (BudgetCategory, ExpertTitle, NominationRoute, Reward, RewardKind, RewardState, Spending,
                                SpendingState)
from competition.services.money.budget import (DISTRICT_EVENTS, EXPERT, REWARDS, SUBSIDY, TECHNICAL_SUPPORT, committed,
                                               committed_parts)
from tests.builders import make_entry, make_season
from tests.subsidy_builders import make_claim, make_claimable


def _spend(db):
    """A season with an approved claim (20000), a paid one (15000), a submitted one (not committed), a title
    awarded (2000), and rewards (RULES.md §16): approved 3000, paid 1000, proposed 500 and rejected 700 (neither
    committed)."""
    season = make_season(budget=100_000)
    for state, amount in (("approved", 20000), ("paid", 15000), ("submitted", 9000)):
        make_claim(make_claimable(season=season), state, amount)
    entry = make_entry(make_claimable(season=season, status="final"), "001")
    db.session.add(ExpertTitle(person_id=entry.person_id, season_id=season.id, year=season.year,
                               route=NominationRoute.COMPETITION, subsidy=2000))
    for state, amount in ((RewardState.APPROVED, 3000), (RewardState.PAID, 1000), (RewardState.PROPOSED, 500),
                          (RewardState.REJECTED, 700)):
        db.session.add(Reward(season_id=season.id, kind=RewardKind.ORGANISING_UNIT, town="松陵街道", amount=amount,
                              basis="组织参赛", state=state))
    for category, state, amount in ((BudgetCategory.DISTRICT_EVENTS, SpendingState.APPROVED, 2500),
                                    (BudgetCategory.TECHNICAL_SUPPORT, SpendingState.APPROVED, 500),
                                    (BudgetCategory.DISTRICT_EVENTS, SpendingState.PROPOSED, 800),
                                    (BudgetCategory.DISTRICT_EVENTS, SpendingState.REJECTED, 900)):
        db.session.add(Spending(season_id=season.id, category=category, amount=amount, spent_on=date(season.year, 3, 1),
                                voucher="记-001", state=state))
    db.session.commit()
    return season


def test_every_part_is_counted(db):
    season = _spend(db)
    assert committed_parts(season.id) == {SUBSIDY: 35000, EXPERT: 2000, REWARDS: 4000, DISTRICT_EVENTS: 2500,
                                          TECHNICAL_SUPPORT: 500}
    assert committed(season.id) == 44000


def test_a_fresh_interpreter_that_imports_only_the_budget_sees_every_part(app, db):
    season = _spend(db)
    script = textwrap.dedent(f"""
        import sys
        from flask import Flask
        from competition.extensions import db
        from competition.services.money.budget import committed
        app = Flask("worker")
        app.config["SQLALCHEMY_DATABASE_URI"] = {app.config["SQLALCHEMY_DATABASE_URI"]!r}
        db.init_app(app)
        with app.app_context():
            print(committed({season.id}))
        loaded = sorted(m for m in sys.modules if m.startswith("competition.services."))
        print(",".join(loaded))
    """)
    db.session.remove()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    total, loaded = done.stdout.strip().splitlines()
    assert int(total) == 44000
    assert "competition.services.money.subsidy" not in loaded and "competition.services.titles.nominations" not in loaded
    assert "competition.services.league.rewards" not in loaded
