"""Permission-matrix rows for the league's API (RULES.md §16; issue 20): standings, higher-level competitions and
delegates, rewards.

The world gains a province competition in the world's season (ids["competition_id"]) to which the `enterprise` user's
company sent the world's entry's contestant, whose result (优胜奖, no reward) is recorded (ids["delegate_id"]): the
host's user sees the competition, another company's user gets 403; removing a delegate with a result is 409 for staff
(OK) and recording it again with `{}` is 200. It also gains a proposed organising-unit reward to the host
(ids["reward_id"]; matrix_rewards.py keeps any reward to the host). The standings are public (the world's season has
no final event: empty tables, still 200). The matrix sends `{}` to API writes: 400 where a body field is required; the
organiser approves the reward, then the admin gets 409 (OK).
"""
from tests.permission_rows import OK, PUBLIC, row

API_STAFF_BAD_BODY = row(401, 403, 403, 403, 400, 400)
OWN_OR_STAFF = row(401, 403, 200, 403, 200, 200)
LIST = row(401, 403, 200, 200, 200, 200)  # `other`: its own (none)
STAFF_OK = row(401, 403, 403, 403, OK, OK)

ROWS = {
    ("api.season_standings_table", "GET"): PUBLIC,
    ("api.enterprise_standing", "GET"): PUBLIC,
    ("api.create_external_competition", "POST"): API_STAFF_BAD_BODY,
    ("api.list_external_competitions", "GET"): LIST,
    ("api.get_external_competition", "GET"): OWN_OR_STAFF,
    ("api.add_delegate", "POST"): API_STAFF_BAD_BODY,
    ("api.add_event_winners", "POST"): API_STAFF_BAD_BODY,
    ("api.remove_delegate", "DELETE"): STAFF_OK,  # a result is recorded: 409
    ("api.record_delegate_result", "POST"): STAFF_OK,  # `{}`: took part without a prize, 200
    ("api.list_season_rewards", "GET"): LIST,
    ("api.get_reward", "GET"): OWN_OR_STAFF,
    ("api.propose_reward", "POST"): API_STAFF_BAD_BODY,
    ("api.approve_reward", "POST"): STAFF_OK,
    ("api.reject_reward", "POST"): API_STAFF_BAD_BODY,  # no reason given
    ("api.pay_reward", "POST"): API_STAFF_BAD_BODY,  # no date or voucher given
}


def extend_world(users, ids, event) -> None:
    """A competition with the host's delegate (result recorded) and a proposed reward to the host."""
    from datetime import date

    from competition.extensions import db
    from competition.models import CompetitionLevel, Delegate, Entry, ExternalCompetition, utcnow
    from competition.services.audit import SYSTEM
    from competition.services.league.rewards import OrganisingReward, propose_organising_reward

    competition = ExternalCompetition(season_id=event.season_id, name="江苏省电工职业技能竞赛",
                                      level=CompetitionLevel.PROVINCE, occupation="电工",
                                      held_on=date(event.season.year, 9, 20))
    db.session.add(competition)
    db.session.flush()
    entry = db.session.get(Entry, ids["entry_id"])
    # sent by ID number (no entry_id): the world's entry is in an open event, which the matrix may remove
    delegate = Delegate(competition_id=competition.id, person_id=entry.person_id, entry_id=None,
                        sending_enterprise_id=event.host_enterprise_id, result_prize="优胜奖",
                        result_recorded_at=utcnow())
    db.session.add(delegate)
    reward = propose_organising_reward(SYSTEM, OrganisingReward(event.season_id, 1000, "承办企业赛",
                                                                enterprise_id=event.host_enterprise_id))
    ids["competition_id"], ids["delegate_id"], ids["reward_id"] = competition.id, delegate.id, reward.id
