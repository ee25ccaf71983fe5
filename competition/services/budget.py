"""The season budget (RULES.md §12): committed spending and the guard that keeps approvals within it.

Each kind of spending registers a function `season_id -> yuan` in COMMITMENT_SOURCES (subsidy claims
approved or paid, 技术能手 subsidies awarded), so the budget has one definition of "committed" that the
season page, the API, the dashboard and every approval share.
"""
from collections.abc import Callable
from datetime import date

from ..errors import InvalidState
from ..extensions import db
from ..models import Season

COMMITMENT_SOURCES: list[Callable[[int], int]] = []
# For the dashboard's spending over time: season_id -> [(kind label, Beijing day decided, yuan)].
SPENDING_HISTORY: list[Callable[[int], list[tuple[str, date, int]]]] = []


def register_commitment(source: Callable[[int], int]) -> Callable[[int], int]:
    """Count one kind of spending in every season's committed total (used as a decorator)."""
    COMMITMENT_SOURCES.append(source)
    return source


def register_spending_history(source: Callable[[int], list]) -> Callable[[int], list]:
    """Show one kind of spending, by the day it was committed, on the season dashboard (a decorator)."""
    SPENDING_HISTORY.append(source)
    return source


def committed(season_id: int) -> int:
    """Committed spending of a season in whole yuan."""
    return sum(source(season_id) for source in COMMITMENT_SOURCES)


def lock_season(season_id: int) -> Season:
    """Load the season, locking its row on PostgreSQL so that concurrent approvals check the budget in turn.

    SQLite already serialises writers (BEGIN IMMEDIATE), so FOR UPDATE is only emitted where it exists.
    """
    return db.session.execute(
        db.select(Season).where(Season.id == season_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()


def require_within_budget(season_id: int, amount: int) -> None:
    """Refuse (409 over_budget) when committing `amount` more would take the season above its budget.

    Call it inside the approving transaction; it takes the season lock first.
    """
    season = lock_season(season_id)
    spent = committed(season_id)
    if spent + amount > season.budget:
        raise InvalidState(
            f"超出年度预算：预算 {season.budget} 元，已承诺 {spent} 元，本次 {amount} 元，"
            f"剩余 {season.budget - spent} 元。", code="over_budget")
