"""Rewards of the policy (seed 三(三): 给予竞赛成绩优异者、优秀选送和组织单位相应奖励; RULES.md §16).

A recorded result proposes the schedule's rewards (delegates.py); an organiser proposes one for an organising unit (an
enterprise or a town) with an amount and a basis. Decisions work like subsidy claims: approve within the season budget
(409 over_budget, under the season's lock), reject with a reason, record the payment with a date and a voucher; a
reward decided already is a 409 (the row is locked and re-read first, so two deciders never both win).
"""
from dataclasses import dataclass
from datetime import date

from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import (REWARD_STATE_LABELS, Enterprise, Reward, RewardKind, RewardState, Season, utcnow)
from ...rules.messages import Message, clauses, listing
from ..audit import Actor, record, snapshot
from ..money.budget import require_within_budget
from ..money.decisions import clean_payment, clean_reason
from ..towns import is_town

REWARD_FIELDS = ("kind", "amount", "basis", "state", "reason", "paid_on", "voucher", "enterprise_id", "town",
                 "person_id", "delegate_id")
MAX_AMOUNT = 10**7


@dataclass(frozen=True)
class OrganisingReward:
    """An organiser's proposal for an organising unit: an enterprise or a town, an amount and the basis."""

    season_id: int | None
    amount: object
    basis: str | None
    enterprise_id: int | None = None
    town: str | None = None


def propose_organising_reward(actor: Actor, data: OrganisingReward) -> Reward:
    """Propose a reward for an organising unit (组织单位): 400 naming each wrong field otherwise."""
    problems = []
    season = db.session.get(Season, data.season_id) if isinstance(data.season_id, int) else None
    if season is None:
        problems.append({"field": "season_id", "message": Message("请选择联赛年度。")})
    enterprise = db.session.get(Enterprise, data.enterprise_id) if isinstance(data.enterprise_id, int) else None
    town = (data.town or "").strip() or None
    if (enterprise is None) == (town is None) or (data.enterprise_id is not None and enterprise is None):
        problems.append({"field": "enterprise_id", "message": Message("请选择一个组织单位：一家企业或一个镇区（二选一）。")})
    elif town is not None and not is_town(town):
        problems.append({"field": "town", "message": Message("没有名为「%(town)s」的镇区。", town=town)})
    amount = data.amount
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_AMOUNT:
        problems.append({"field": "amount", "message": Message("奖励金额应为 1 至 %(max)s 元的整数。", max=MAX_AMOUNT)})
    basis = (data.basis or "").strip()
    if not 2 <= len(basis) <= 500:
        problems.append({"field": "basis", "message": Message("请填写奖励依据（2至500个字符）。")})
    if problems or season is None:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    reward = Reward(season_id=season.id, kind=RewardKind.ORGANISING_UNIT, enterprise_id=enterprise.id if enterprise
                    else None, town=town, amount=amount, basis=basis, created_by_id=actor.user_id)
    db.session.add(reward)
    db.session.flush()
    record(actor, "reward.propose", reward, after=snapshot(reward, REWARD_FIELDS))
    return reward


def _lock(reward: Reward, *states: RewardState) -> dict:
    """Lock the reward's row, re-read it and require one of the states (409 otherwise); the 'before' snapshot."""
    db.session.execute(db.select(Reward).where(Reward.id == reward.id).with_for_update(of=Reward)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched, or nothing is re-read
    if reward.state not in states:
        raise InvalidState(Message("该奖励当前为“%(state)s”，不能执行此操作（需为 %(wanted)s）。", state=reward.state_label,
                                   wanted=listing(REWARD_STATE_LABELS[s] for s in states)),
                           code="invalid_reward_state")
    return snapshot(reward, REWARD_FIELDS)


def _decided(actor: Actor, reward: Reward, action: str, before: dict, message: str | None = None) -> Reward:
    db.session.flush()
    record(actor, action, reward, before=before, after=snapshot(reward, REWARD_FIELDS), message=message)
    return reward


def approve_reward(actor: Actor, reward: Reward) -> Reward:
    """Approve a proposed reward within the season's budget (409 over_budget otherwise)."""
    before = _lock(reward, RewardState.PROPOSED)
    require_within_budget(reward.season_id, reward.amount)
    reward.state, reward.decided_by_id, reward.decided_at = RewardState.APPROVED, actor.user_id, utcnow()
    return _decided(actor, reward, "reward.approve", before)


def reject_reward(actor: Actor, reward: Reward, reason: str) -> Reward:
    """Reject a proposed reward with a written reason."""
    reason = clean_reason(reason)
    before = _lock(reward, RewardState.PROPOSED)
    reward.state, reward.reason = RewardState.REJECTED, reason
    reward.decided_by_id, reward.decided_at = actor.user_id, utcnow()
    return _decided(actor, reward, "reward.reject", before, message=reason)


def pay_reward(actor: Actor, reward: Reward, paid_on: date, voucher: str) -> Reward:
    """Record that an approved reward was paid: the date (not before the approval, not in the future), the voucher."""
    before = _lock(reward, RewardState.APPROVED)
    reward.voucher = clean_payment(paid_on, voucher, reward.decided_at)
    reward.state, reward.paid_on = RewardState.PAID, paid_on
    reward.paid_by_id, reward.paid_at = actor.user_id, utcnow()
    return _decided(actor, reward, "reward.pay", before)


@dataclass(frozen=True)
class RewardFilter:
    """What a reward list is narrowed to: a state, a kind, an enterprise (an enterprise user: always its own)."""

    state: str | None = None
    kind: str | None = None
    enterprise_id: int | None = None


def season_rewards(season_id: int, wanted: RewardFilter = RewardFilter()) -> list[Reward]:
    """A season's rewards, newest first; an enterprise's are those to it and to its people it sent."""
    query = db.select(Reward).where(Reward.season_id == season_id).order_by(Reward.id.desc())
    if wanted.state:
        query = query.where(Reward.state == RewardState(wanted.state))
    if wanted.kind:
        query = query.where(Reward.kind == RewardKind(wanted.kind))
    if wanted.enterprise_id is not None:
        query = query.where(Reward.enterprise_id == wanted.enterprise_id)
    return list(db.session.scalars(query))


def reward_totals(rewards: list[Reward]) -> dict[str, int]:
    """Whole yuan by state (proposed, approved, paid, rejected) of a list of rewards."""
    totals = {state.value: 0 for state in RewardState}
    for reward in rewards:
        totals[reward.state.value] += reward.amount
    return totals
