"""Permission-matrix rows for the reward pages (RULES.md §16, issue 20).

The world gains a proposed organising-unit reward to the `enterprise` user's company in the world's season
(ids["reward_id"], unless another matrix module already made one: any reward to that company fits these rows).
An enterprise user sees the list (its own rewards) and its reward; another company's user gets 403 on it. A decision
POST without its form fields is 400 (reject, pay); the organiser approves, then the admin gets 409 (OK); an empty
proposal is 400. The register is for organisers only.
"""
from competition.extensions import db
from competition.models import Reward
from competition.services.audit import SYSTEM
from competition.services.league.rewards import OrganisingReward, propose_organising_reward
from tests.permission_rows import LOGIN, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row

STAFF_BAD_FORM = row(LOGIN, 403, 403, 403, 400, 400)

ROWS = {
    ("rewards.index", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("rewards.new", "GET"): STAFF_ONLY_PAGE,
    ("rewards.new", "POST"): STAFF_ONLY_POST,  # an empty form: 400
    ("rewards.detail", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("rewards.approve", "POST"): STAFF_ONLY_POST,  # the organiser approves (302), the admin then gets 409
    ("rewards.reject", "POST"): STAFF_BAD_FORM,  # no reason given
    ("rewards.pay", "POST"): STAFF_BAD_FORM,  # no date or voucher given
    ("rewards.register", "GET"): STAFF_ONLY_PAGE,
    ("rewards.register", "POST"): STAFF_ONLY_POST,  # a large export, built in the background
}


def extend_world(users, ids, event) -> None:
    """A proposed reward to the host enterprise (the `enterprise` user's company)."""
    existing = db.session.get(Reward, ids["reward_id"]) if "reward_id" in ids else None
    if existing is not None and existing.enterprise_id == event.host_enterprise_id:
        return
    reward = propose_organising_reward(SYSTEM, OrganisingReward(event.season_id, 1000, "承办企业赛",
                                                                enterprise_id=event.host_enterprise_id))
    ids["reward_id"] = reward.id
