"""The league (RULES.md §16): season standings, higher-level competitions and their delegates (选送), rewards.

The standings are public (names of enterprises and towns, counts, points). Organisers record competitions beyond the
district, send delegates (a league entry of a final event, every prize winner of one in one action, or a person by
ID number) each with a sending enterprise, and record their results, which propose the rewards of the schedule of the
policy version in force on the competition's day. They propose rewards for organising units and decide rewards as
subsidy claims are decided: approve within the season budget (409 over_budget), reject with a reason, record the
payment; deciding twice is 409. An enterprise user sees the competitions it sent someone to with its own delegates,
and the rewards to it and to the people it sent; another enterprise's is 403 (audited as every refusal is).
"""
from datetime import date

from ..errors import Invalid
from ..models import Delegate, Enterprise, Event, ExternalCompetition, Reward, Season
from ..permissions import (can_decide_rewards, can_list_rewards, can_manage_competitions, can_view_competition,
                           can_view_delegates, can_view_reward, is_staff, require)
from ..rules.league import points_from_data
from ..rules.messages import Message
from ..services.league import delegates as delegates_service
from ..services.league import rewards as rewards_service
from ..services.league.standings import enterprise_breakdown, season_standings, town_members
from ..services.marking.facts import beijing_today
from ..services.policy import policy_in_force
from .event_schemas import ReasonIn
from .framework import STAFF_AND_ENTERPRISE, STAFF_ROLES, actor, api_route, api_user, get_or_404
from .league_schemas import (BreakdownOut, CompetitionFilter, CompetitionIn, CompetitionOut, DecidedResultOut,
                             DelegateIn, DelegateOut, OrganisingRewardIn, RewardFilterIn, RewardListOut, RewardOut,
                             ResultIn, StandingsOut, WinnersIn, competition_out, delegate_out, reward_out)
from .pagination import paginate, parse_page
from .subsidy_schemas import PaymentIn

STANDINGS_TAGS = ["standings"]
COMPETITION_TAGS = ["competitions"]
REWARD_TAGS = ["rewards"]
NOT_YOUR_COMPETITION = Message("只能查看本企业选送了选手的赛事。")
NOT_YOUR_REWARD = Message("只能查看本企业及本企业选送人员的奖励。")
ONE_WAY = Message("请提供 entry_id（从联赛报名记录选送），或提供 id_number 和 name（按身份证号码添加），二选一。")


# Standings

def _tiers(by_tier: dict[int, int], names: tuple[str, ...]) -> list[dict]:
    """Prize counts for every tier of the league's default tiers (zeros too) and any further tier counted."""
    last = max([len(names), *by_tier])
    return [{"tier": tier, "name": str(names[tier - 1]) if tier <= len(names) else str(Message("第%(n)s等奖", n=tier)),
             "count": by_tier.get(tier, 0)} for tier in range(1, last + 1)]


def _season_points(season: Season) -> dict:
    """The points of the policy version in force for the season (on its last day, or today while it runs)."""
    day = min(date(season.year, 12, 31), max(beijing_today(), date(season.year, 1, 1)))
    version = policy_in_force(day)
    return points_from_data(version.standing_points if version is not None else None).to_data()


@api_route("/seasons/<int:season_id>/standings", auth=False, response=StandingsOut, summary="联赛积分榜",
           tags=STANDINGS_TAGS)
def season_standings_table(season_id: int):
    """The season's standings computed from its final events, best first: enterprises and towns with points,
    participants, prizes (the total and by tier) and hosted events; a row's events are its breakdown's. Points follow each event's policy
    version (by default 一等奖 10, 二等奖 6, 三等奖 3, 1 per participant, 5 per hosted final enterprise event). Public:
    no personal data. An unknown season: 404."""
    season = get_or_404(Season, season_id)
    standings = season_standings(season.id)
    names = standings.tier_names
    enterprises = [{"rank": row.rank, "enterprise_id": row.key, "name": row.name, "town": row.town,
                    "points": row.points, "participants": row.participants, "prizes": row.prizes,
                    "prizes_by_tier": _tiers(row.prizes_by_tier, names), "hosted_events": row.hosted_events}
                   for row in standings.enterprises]
    towns = [{"rank": row.rank, "town": row.key, "name": row.name, "points": row.points,
              "participants": row.participants, "prizes": row.prizes,
              "prizes_by_tier": _tiers(row.prizes_by_tier, names), "hosted_events": row.hosted_events,
              "enterprises": len(town_members(standings, row.key))} for row in standings.towns]
    return {"season_id": season.id, "year": season.year, "points": _season_points(season),
            "enterprises": enterprises, "towns": towns}


@api_route("/seasons/<int:season_id>/standings/enterprises/<int:enterprise_id>", auth=False, response=BreakdownOut,
           summary="企业的联赛积分明细", tags=STANDINGS_TAGS)
def enterprise_standing(season_id: int, enterprise_id: int):
    """What each final event of the season brought an enterprise: participants, prizes by tier, hosting, points; by
    date. Public. An unknown season or enterprise: 404; an enterprise without points: rank null, no events."""
    season = get_or_404(Season, season_id)
    enterprise = get_or_404(Enterprise, enterprise_id)
    standings = season_standings(season.id)
    row = standings.place_of(enterprise.id)
    lines = enterprise_breakdown(season.id, enterprise.id)
    names = standings.tier_names
    return {"season_id": season.id, "enterprise_id": enterprise.id, "name": enterprise.name, "town": enterprise.town,
            "rank": row.rank if row is not None else None, "points": row.points if row is not None else 0,
            "events": [{"event_id": line.event_id, "name": line.name, "event_date": line.event_date,
                        "kind": line.kind, "hosted": line.hosted, "participants": line.participants,
                        "prizes": line.prizes, "prizes_by_tier": _tiers(line.prizes_by_tier, names),
                        "points": line.points} for line in lines]}


# Competitions and delegates

def _scope(user) -> int | None:
    """None for staff (everything), else the enterprise whose delegates the caller sees."""
    return None if is_staff(user) else user.enterprise_id


def _competition(competition_id: int) -> ExternalCompetition:
    """A competition (404) the caller may see (403)."""
    competition = get_or_404(ExternalCompetition, competition_id)
    require(can_view_competition(api_user(), competition), NOT_YOUR_COMPETITION)
    return competition


@api_route("/external-competitions", methods=["POST"], body=CompetitionIn, response=CompetitionOut, status=201,
           roles=STAFF_ROLES, allow=can_manage_competitions, summary="登记上级赛事", tags=COMPETITION_TAGS)
def create_external_competition(body: CompetitionIn):
    """Record a competition beyond the district (市级, 省级, 国家级, 世界级, 行业协会) in a season, held within the
    season's year; 400 naming each wrong field."""
    data = delegates_service.CompetitionData(body.season_id, body.name, body.level, body.occupation, body.held_on,
                                             body.organised_by)
    return competition_out(delegates_service.create_competition(actor(), data))


@api_route("/external-competitions", roles=STAFF_AND_ENTERPRISE, query=CompetitionFilter, response=CompetitionOut,
           paginated=True, allow=can_view_delegates, summary="上级赛事列表", tags=COMPETITION_TAGS)
def list_external_competitions(query: CompetitionFilter):
    """Recorded competitions, latest first, with their delegates: staff every one; an enterprise user those it sent
    someone to, with its own delegates only."""
    scope = _scope(api_user())
    found = delegates_service.competitions(query.season_id)
    if scope is not None:
        found = [c for c in found if any(d.sending_enterprise_id == scope for d in c.delegates)]
    return [competition_out(c, scope) for c in found]


@api_route("/external-competitions/<int:competition_id>", roles=STAFF_AND_ENTERPRISE, response=CompetitionOut,
           allow=can_view_delegates, summary="查看上级赛事", tags=COMPETITION_TAGS)
def get_external_competition(competition_id: int):
    """A competition with its delegates and their results; an enterprise user sees only the delegates it sent (a
    competition it sent nobody to: 403)."""
    return competition_out(_competition(competition_id), _scope(api_user()))


@api_route("/external-competitions/<int:competition_id>/delegates", methods=["POST"], body=DelegateIn,
           response=DelegateOut, status=201, roles=STAFF_ROLES, allow=can_manage_competitions, summary="添加选送选手",
           tags=COMPETITION_TAGS)
def add_delegate(competition_id: int, body: DelegateIn):
    """Send a contestant: `entry_id` (an entry of a final league event; its employer sends them unless
    `sending_enterprise_id` names another; an event not final: 409 `event_not_final`), or a person by `id_number` and
    `name`. The person already sent to this competition: 409 `duplicate`."""
    competition = get_or_404(ExternalCompetition, competition_id)
    by_entry = body.entry_id is not None
    by_person = body.id_number is not None or body.name is not None
    if by_entry == by_person:
        raise Invalid(ONE_WAY, details=[{"field": "entry_id" if by_entry else "body", "message": ONE_WAY}])
    if by_entry:
        delegate = delegates_service.add_from_entry(actor(), competition, body.entry_id, body.sending_enterprise_id)
    else:
        delegate = delegates_service.add_by_id_number(actor(), competition, body.id_number, body.name,
                                                      body.sending_enterprise_id)
    return delegate_out(delegate)


@api_route("/external-competitions/<int:competition_id>/delegates/winners", methods=["POST"], body=WinnersIn,
           response=CompetitionOut, status=201, roles=STAFF_ROLES, allow=can_manage_competitions,
           summary="选送赛项的全部获奖选手", tags=COMPETITION_TAGS)
def add_event_winners(competition_id: int, body: WinnersIn):
    """Send every prize winner of a final league event in one action, each by their employer (those already sent,
    and winners without an employer, are skipped); an event not final: 409 `event_not_final`. Answers the
    competition with all its delegates."""
    competition = get_or_404(ExternalCompetition, competition_id)
    event = get_or_404(Event, body.event_id)
    delegates_service.add_event_winners(actor(), competition, event)
    return competition_out(competition)


@api_route("/delegates/<int:delegate_id>", methods=["DELETE"], status=204, roles=STAFF_ROLES,
           allow=can_manage_competitions, summary="移出选送名单", tags=COMPETITION_TAGS)
def remove_delegate(delegate_id: int):
    """Take a delegate off the list before a result is recorded (after: 409 `result_recorded`)."""
    delegates_service.remove_delegate(actor(), get_or_404(Delegate, delegate_id))


@api_route("/delegates/<int:delegate_id>/result", methods=["POST"], body=ResultIn, response=DecidedResultOut,
           roles=STAFF_ROLES, allow=can_manage_competitions, summary="登记选送选手的比赛成绩", tags=COMPETITION_TAGS)
def record_delegate_result(delegate_id: int, body: ResultIn):
    """Record a delegate's result (a prize, a rank, both or neither) and propose the rewards the schedule of the
    policy version in force on the competition's day gives: to the person and to the sending unit. Recording again
    replaces the proposals while they are undecided; once one is decided: 409 `rewards_decided`."""
    delegate = get_or_404(Delegate, delegate_id)
    proposed = delegates_service.record_result(actor(), delegate, body.prize, body.rank)
    return {"delegate": delegate_out(delegate), "rewards": [reward_out(r) for r in proposed]}


# Rewards

def _reward(reward_id: int) -> Reward:
    """A reward (404) the caller may see (403)."""
    reward = get_or_404(Reward, reward_id)
    require(can_view_reward(api_user(), reward), NOT_YOUR_REWARD)
    return reward


@api_route("/seasons/<int:season_id>/rewards", roles=STAFF_AND_ENTERPRISE, query=RewardFilterIn,
           response=RewardListOut, allow=can_list_rewards, summary="年度奖励", tags=REWARD_TAGS)
def list_season_rewards(season_id: int, query: RewardFilterIn):
    """A season's rewards, newest first, with the totals by state of the whole list: organisers every one, an
    enterprise user those to it and to the people it sent; filtered by `state`, `kind` (and `enterprise_id` for
    organisers); paginated as every list."""
    season = get_or_404(Season, season_id)
    user = api_user()
    enterprise_id = query.enterprise_id if is_staff(user) else user.enterprise_id
    wanted = rewards_service.RewardFilter(query.state.value if query.state else None,
                                          query.kind.value if query.kind else None, enterprise_id)
    found = rewards_service.season_rewards(season.id, wanted)
    page = paginate([reward_out(r) for r in found], RewardOut, parse_page())
    return {**page, "totals": rewards_service.reward_totals(found)}


@api_route("/rewards/<int:reward_id>", roles=STAFF_AND_ENTERPRISE, response=RewardOut, allow=can_list_rewards,
           summary="查看奖励", tags=REWARD_TAGS)
def get_reward(reward_id: int):
    """One reward (an enterprise user: one to it or to someone it sent; another's: 403)."""
    return reward_out(_reward(reward_id))


@api_route("/rewards", methods=["POST"], body=OrganisingRewardIn, response=RewardOut, status=201, roles=STAFF_ROLES,
           allow=can_decide_rewards, summary="提出组织单位奖励", tags=REWARD_TAGS)
def propose_reward(body: OrganisingRewardIn):
    """Propose a reward for an organising unit (组织单位): an enterprise or a town, an amount in whole yuan and the
    basis. Rewards to people and sending units come from recorded results; any other `kind` is 400."""
    data = rewards_service.OrganisingReward(body.season_id, body.amount, body.basis, body.enterprise_id, body.town)
    return reward_out(rewards_service.propose_organising_reward(actor(), data))


@api_route("/rewards/<int:reward_id>/approve", methods=["POST"], response=RewardOut, roles=STAFF_ROLES,
           allow=can_decide_rewards, summary="批准奖励", tags=REWARD_TAGS)
def approve_reward(reward_id: int):
    """proposed → approved, within the season budget (beyond it: 409 `over_budget`); decided already: 409."""
    return reward_out(rewards_service.approve_reward(actor(), _reward(reward_id)))


@api_route("/rewards/<int:reward_id>/reject", methods=["POST"], body=ReasonIn, response=RewardOut, roles=STAFF_ROLES,
           allow=can_decide_rewards, summary="驳回奖励", tags=REWARD_TAGS)
def reject_reward(reward_id: int, body: ReasonIn):
    """proposed → rejected with a written reason; decided already: 409."""
    return reward_out(rewards_service.reject_reward(actor(), _reward(reward_id), body.reason))


@api_route("/rewards/<int:reward_id>/pay", methods=["POST"], body=PaymentIn, response=RewardOut, roles=STAFF_ROLES,
           allow=can_decide_rewards, summary="登记奖励拨付", tags=REWARD_TAGS)
def pay_reward(reward_id: int, body: PaymentIn):
    """approved → paid, with the payment date (not before the approval, not in the future) and the voucher; not
    approved (or paid already): 409."""
    return reward_out(rewards_service.pay_reward(actor(), _reward(reward_id), body.paid_on, body.voucher))

