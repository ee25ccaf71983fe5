"""Builders of the fund's tests (RULES.md §17): a season with budget lines, a district event, and spending."""
from datetime import timedelta

from competition.extensions import db
from competition.models import BudgetCategory, Spending, SpendingState
from competition.models.types import beijing_today
from competition.services.audit import SYSTEM
from competition.services.money import fund
from tests.builders import make_event, make_season

YESTERDAY = beijing_today() - timedelta(days=1)


def line(category: str, amount: int, source: str = "district", town: str | None = None, note: str | None = None):
    """One typed line."""
    return fund.LineData(category=category, source=source, amount=amount, town=town, note=note)


def funded_season(district_events: int = 10_000, budget: int = 1_000_000, year: int | None = None, **lines: int):
    """A season (of a year far off unless told) whose district_events line (区级) holds `district_events`, and any
    other 区级 lines given."""
    season = make_season(budget=budget, **({"year": year} if year else {}))
    typed = [line("district_events", district_events)] + [line(category, amount) for category, amount in lines.items()]
    fund.set_lines(SYSTEM, season, typed)
    db.session.flush()
    return season


def district_event(season, **overrides):
    """A district event of the season."""
    return make_event("open", season=season, kind="district", **overrides)


def make_spending(season, amount: int, state: str = "proposed", category: str = "district_events",
                  event=None) -> Spending:
    """A spending of the season in a state, recorded yesterday (approved ones decided now)."""
    spending = fund.record_spending(SYSTEM, fund.SpendingData(
        season_id=season.id, category=category, amount=amount, spent_on=YESTERDAY, voucher="记-001",
        event_id=event.id if event is not None else None, note="裁判劳务费"))
    if state == "approved":
        fund.approve_spending(SYSTEM, spending)
    elif state == "rejected":
        fund.reject_spending(SYSTEM, spending, "凭证不全")
    db.session.flush()
    assert spending.state is SpendingState(state) and spending.category is BudgetCategory(category)
    return spending
