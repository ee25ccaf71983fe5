"""The demo's fund (RULES.md §17): seed_fund gives the demo season a line of every category (盛泽镇's share among
them) and the 车工 competition's spending, two approved within the 区级赛事经费 line and one waiting."""
from competition.models import BudgetCategory, BudgetLine, Event, Season, Spending, SpendingState, User
from competition.services.money import budget, fund


def _seeded(app, db) -> Season:
    """The demo, with seed_fund run once (by seed-demo once the lead wires it in, else here)."""
    from competition.demo.fund import seed_fund

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    season = db.session.scalar(db.select(Season).where(Season.year == 2026))
    if not db.session.scalar(db.select(db.func.count(BudgetLine.id)).where(BudgetLine.season_id == season.id)):
        users = {u.username: u for u in db.session.scalars(db.select(User))}
        lathe = db.session.scalar(db.select(Event).where(Event.name == "2026年吴江区车工职业技能竞赛"))
        seed_fund(season, users, {"lathe": lathe})
        db.session.commit()
    return season


def test_the_demo_season_has_every_line_and_the_lathe_competitions_spending(app, db):
    season = _seeded(app, db)
    lines = fund.season_lines(season.id)
    assert {line.category for line in lines} == set(BudgetCategory)
    assert [(line.category, line.town) for line in lines if line.town] == [(BudgetCategory.DISTRICT_EVENTS, "盛泽镇")]
    spending = db.session.scalars(db.select(Spending).where(Spending.season_id == season.id,
                                                            Spending.support_request_id.is_(None))).all()
    states = sorted(s.state.value for s in spending)
    assert states == ["approved", "approved", "proposed"]
    assert all(s.event is not None and s.event.kind.value == "district" for s in spending)
    approved = sum(s.amount for s in spending if s.state is SpendingState.APPROVED)
    events_line = fund.category_lines(season.id, BudgetCategory.DISTRICT_EVENTS)
    assert events_line.committed == approved == 24_260 and events_line.remaining == 450_000 - approved
    assert budget.committed_parts(season.id)[budget.DISTRICT_EVENTS] == approved
    assert budget.committed(season.id) <= season.budget
