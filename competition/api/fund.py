"""The fund (RULES.md §17): a season's budget lines, and the district's spending on its events and on technical
support, recorded as proposed and approved within its category's lines (409 over_budget) or rejected with a reason.
Organisers only."""
from ..models import Season, Spending
from ..permissions import can_manage_fund
from ..services.money import fund as service
from .event_schemas import ReasonIn
from .framework import STAFF_ROLES, actor, api_route, get_or_404
from .fund_schemas import BudgetLinesIn, BudgetLinesOut, SpendingFilter, SpendingIn, SpendingOut

TAGS = ["fund"]


def _lines(season: Season) -> dict:
    """The season's lines and categories as BudgetLinesOut reads them."""
    return {"season_id": season.id, "lines": service.season_lines(season.id),
            "categories": [{"category": c.category, "label": c.label, "amount": c.amount, "committed": c.committed,
                            "remaining": c.remaining} for c in service.season_categories(season.id)]}


@api_route("/seasons/<int:season_id>/budget-lines", roles=STAFF_ROLES, response=BudgetLinesOut, allow=can_manage_fund,
           summary="年度预算科目", tags=TAGS)
def get_budget_lines(season_id: int):
    """A season's lines (category, source, town, amount) and, by category, the total, committed and remaining."""
    return _lines(get_or_404(Season, season_id))


@api_route("/seasons/<int:season_id>/budget-lines", roles=STAFF_ROLES, methods=["PUT"], body=BudgetLinesIn,
           response=BudgetLinesOut, allow=can_manage_fund, summary="设置年度预算科目", tags=TAGS, errors=[409])
def set_budget_lines(season_id: int, body: BudgetLinesIn):
    """Replace a season's lines; 400 naming each wrong line (lines[i].town for a town outside the list or a 镇级 line
    without a town), 409 below_committed when a spending category's lines would not cover its approved spending."""
    season = get_or_404(Season, season_id)
    typed = [service.LineData(category=line.category, source=line.source, amount=line.amount, town=line.town,
                              note=line.note) for line in body.lines]
    service.set_lines(actor(), season, typed)
    return _lines(season)


@api_route("/spending", roles=STAFF_ROLES, methods=["POST"], body=SpendingIn, response=SpendingOut, status=201,
           allow=can_manage_fund, summary="登记区级赛事支出", tags=TAGS)
def create_spending(body: SpendingIn):
    """Record a spending (judges' fees, materials, venue, prizes; or technical support) as proposed; 400 naming each
    wrong field (a date after today, an enterprise event for district_events, …)."""
    return service.record_spending(actor(), service.SpendingData(
        season_id=body.season_id, category=body.category, event_id=body.event_id, amount=body.amount,
        spent_on=body.spent_on, voucher=body.voucher, note=body.note))


@api_route("/spending", roles=STAFF_ROLES, query=SpendingFilter, response=SpendingOut, paginated=True,
           allow=can_manage_fund, summary="区级赛事支出列表", tags=TAGS)
def list_spending(query: SpendingFilter):
    """Spending, most recently spent first, filtered by season, category and state."""
    return service.spending_query(service.SpendingFilter(query.season_id, query.category,
                                                         query.state.value if query.state else None))


@api_route("/spending/<int:spending_id>", roles=STAFF_ROLES, response=SpendingOut, allow=can_manage_fund,
           summary="查看区级赛事支出", tags=TAGS)
def get_spending(spending_id: int):
    """One spending with its decision."""
    return get_or_404(Spending, spending_id)


@api_route("/spending/<int:spending_id>/approve", roles=STAFF_ROLES, methods=["POST"], response=SpendingOut,
           allow=can_manage_fund, summary="批准区级赛事支出", tags=TAGS, errors=[409])
def approve_spending(spending_id: int):
    """proposed → approved; 409 over_budget beyond the category's lines (the message names the lines, their amount,
    committed and remaining) or the season's budget; 409 invalid_spending_state when decided already."""
    return service.approve_spending(actor(), get_or_404(Spending, spending_id))


@api_route("/spending/<int:spending_id>/reject", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn,
           response=SpendingOut, allow=can_manage_fund, summary="驳回区级赛事支出", tags=TAGS, errors=[409])
def reject_spending(spending_id: int, body: ReasonIn):
    """proposed → rejected with a reason; 409 invalid_spending_state when decided already."""
    return service.reject_spending(actor(), get_or_404(Spending, spending_id), body.reason)
