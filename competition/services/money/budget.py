"""The season budget (RULES.md §12): committed spending and the guard that keeps approvals within it.

Committed spending is listed here, part by part, and nowhere else (issue 17): subsidy claims approved or
paid, 技术能手 subsidies awarded, the policy's rewards approved or paid (§16), and the district's own spending
approved on its events and on technical support (§17, services/money/fund.py). It used to be a registry that
the subsidy and nominations modules filled when they were imported, so a worker or a command that imported
less saw less spending and could approve beyond the budget. The season page, the API, the dashboard, the
report and every approval read these functions.
"""
from collections import defaultdict
from collections.abc import Collection
from datetime import date

from ...errors import InvalidState
from ...extensions import db
from ...models import (BudgetCategory, ClaimState, ExpertTitle, Reward, RewardState, Season, Spending, SpendingState,
                       SubsidyClaim)
from ...models.types import beijing_day
from ...rules.messages import Message

COMMITTED_CLAIMS = (ClaimState.APPROVED, ClaimState.PAID)
SUBSIDY = Message("竞赛经费补贴")
EXPERT = Message("技术能手补贴")
REWARDS = Message("奖励")
COMMITTED_REWARDS = (RewardState.APPROVED, RewardState.PAID)
DISTRICT_EVENTS = Message("区级赛事经费")
TECHNICAL_SUPPORT = Message("技术支持")
SPENDING_PARTS = {BudgetCategory.DISTRICT_EVENTS: DISTRICT_EVENTS, BudgetCategory.TECHNICAL_SUPPORT: TECHNICAL_SUPPORT}
# Each budget category (fund.py's lines) and the part of committed spending that counts against it.
CATEGORY_PARTS = {BudgetCategory.SUBSIDY: SUBSIDY, BudgetCategory.EXPERT: EXPERT, BudgetCategory.REWARDS: REWARDS,
                  **SPENDING_PARTS}


def committed_parts(season_id: int) -> dict[str, int]:
    """Each part of a season's committed spending in whole yuan, by its label (four aggregate queries)."""
    return committed_parts_by_season([season_id])[season_id]


def committed_parts_by_season(season_ids: Collection[int]) -> dict[int, dict[str, int]]:
    """committed_parts of many seasons in the same four aggregate queries, grouped by season: season id → parts."""
    ids = list(season_ids)
    claims = _sum_by_season(SubsidyClaim.season_id, SubsidyClaim.amount, ids,
                            SubsidyClaim.state.in_(COMMITTED_CLAIMS))
    titles = _sum_by_season(ExpertTitle.season_id, ExpertTitle.subsidy, ids)
    rewards = _sum_by_season(Reward.season_id, Reward.amount, ids, Reward.state.in_(COMMITTED_REWARDS))
    spent: dict[int, dict] = defaultdict(dict)
    for season_id, category, amount in db.session.execute(
            db.select(Spending.season_id, Spending.category, db.func.sum(Spending.amount))
            .where(Spending.season_id.in_(ids), Spending.state == SpendingState.APPROVED)
            .group_by(Spending.season_id, Spending.category)).tuples():
        spent[season_id][category] = amount
    return {season_id: {SUBSIDY: int(claims.get(season_id) or 0), EXPERT: int(titles.get(season_id) or 0),
                        REWARDS: int(rewards.get(season_id) or 0),
                        **{label: int(spent[season_id].get(category) or 0)
                           for category, label in SPENDING_PARTS.items()}}
            for season_id in ids}


def _sum_by_season(season_column, amount, season_ids: list[int], *where) -> dict[int, int]:
    """Season id → the sum of an amount over the rows of these seasons that pass `where` (absent: nothing)."""
    return dict(db.session.execute(db.select(season_column, db.func.sum(amount)).where(
        season_column.in_(season_ids), *where).group_by(season_column)).tuples().all())


def committed(season_id: int) -> int:
    """Committed spending of a season in whole yuan."""
    return sum(committed_parts(season_id).values())


def committed_by_season(season_ids: Collection[int]) -> dict[int, int]:
    """committed() of many seasons in four statements (not four a season): season id → whole yuan."""
    return {season_id: sum(parts.values()) for season_id, parts in committed_parts_by_season(season_ids).items()}


def spending_history(season_id: int) -> list[tuple[str, date | None, int]]:
    """Every committed amount of a season with the Beijing day it was committed: claims by the day they were
    approved (None if that was never recorded), titles by the day they were awarded, rewards by the day they were
    approved, the district's spending by the day it was approved (the dashboard's spending over time)."""
    claims = db.session.execute(db.select(SubsidyClaim.decided_at, SubsidyClaim.amount).where(
        SubsidyClaim.season_id == season_id, SubsidyClaim.state.in_(COMMITTED_CLAIMS))).tuples().all()
    titles = db.session.execute(db.select(ExpertTitle.awarded_at, ExpertTitle.subsidy)
                                .where(ExpertTitle.season_id == season_id)).tuples().all()
    rewards = db.session.execute(db.select(Reward.decided_at, Reward.amount).where(
        Reward.season_id == season_id, Reward.state.in_(COMMITTED_REWARDS))).tuples().all()
    spending = db.session.execute(db.select(Spending.category, Spending.decided_at, Spending.amount).where(
        Spending.season_id == season_id, Spending.state == SpendingState.APPROVED)).tuples().all()
    history: list[tuple[str, date | None, int]] = [(SUBSIDY, beijing_day(at), amount) for at, amount in claims]
    history += [(REWARDS, beijing_day(at), amount) for at, amount in rewards]
    history += [(SPENDING_PARTS[category], beijing_day(at), amount) for category, at, amount in spending]
    return history + [(EXPERT, beijing_day(at), amount) for at, amount in titles]


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
            Message("超出年度预算：预算 %(budget)s 元，已承诺 %(spent)s 元，本次 %(amount)s 元，剩余 %(left)s 元。",
                    budget=season.budget, spent=spent, amount=amount, left=season.budget - spent), code="over_budget")
