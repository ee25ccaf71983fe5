"""Competition subsidy claims (竞赛经费补贴, RULES.md §10, §12): the live check, claims and their decisions.

The rule (rules/subsidy.py) decides from plain facts loaded here. A claim stores the checks it passed
and the policy version it used, and pins that version to its event (services/policy.py), so the version
can no longer be edited and no later version changes the event. The caps are enforced twice:
the rule refuses with reasons, and the partial unique indexes on subsidy_claims settle a race (the loser
gets 409 duplicate, never a second claim). Approval takes the season's budget lock (services/budget.py).
"""
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import case
from sqlalchemy.exc import IntegrityError

from ...errors import Duplicate, InvalidState
from ...extensions import db
from ...models import (CLAIM_STATE_LABELS, ClaimState, Entry, EntryStatus, Event, EventKind, PolicyVersion, SubsidyClaim,
                       User, utcnow)
from ...rules.subsidy import PARTICIPANT_STATUSES, SubsidyDecision, SubsidyFacts, decide_subsidy
from ...rules.messages import Message, clauses, listing
from ..audit import Actor, record, snapshot
from .budget import require_within_budget
from .decisions import clean_payment, clean_reason
from ..events.entry_queries import status_counts
from ..policy import pin_policy, policy_for_event

LIVE = (ClaimState.SUBMITTED, ClaimState.APPROVED, ClaimState.PAID)
COMMITTED = (ClaimState.APPROVED, ClaimState.PAID)
CLAIM_FIELDS = ("state", "amount", "reason", "paid_on", "voucher")
DUPLICATE_MESSAGE = Message("本赛项或贵单位本年度已有补贴申请（可能刚由他人提交），"
                            "同一赛项、同一企业每年只能保留一项申请。")


def _claim_states(*conditions) -> tuple[str, ...]:
    """The states of the claims matching the conditions."""
    return tuple(s.value for s in db.session.scalars(db.select(SubsidyClaim.state).where(*conditions)))


def subsidy_facts(event: Event, enterprise_id: int | None) -> SubsidyFacts:
    """Facts for the rule; `enterprise_id` is the claimant (None: the host, as staff see it)."""
    host = event.host_enterprise_id
    claimant = host if enterprise_id is None else enterprise_id
    other_host_claims = () if host is None else _claim_states(
        SubsidyClaim.host_enterprise_id == host, SubsidyClaim.season_id == event.season_id,
        SubsidyClaim.event_id != event.id)
    return SubsidyFacts(
        kind=event.kind.value, status=event.status.value,
        claimant_is_host=event.kind is EventKind.ENTERPRISE and host is not None and claimant == host,
        frozen_participants=event.participants,
        entry_counts=status_counts(event) if event.participants is None else {},
        event_claim_states=_claim_states(SubsidyClaim.event_id == event.id),
        host_claim_states=other_host_claims)


def check_subsidy(event: Event, enterprise_id: int | None = None) -> tuple[SubsidyDecision, PolicyVersion]:
    """The live decision for an event and claimant, with the policy version in force on the event's date."""
    policy = policy_for_event(event)
    return decide_subsidy(subsidy_facts(event, enterprise_id), policy.figures()), policy


def checks_json(decision: SubsidyDecision) -> list[dict]:
    """The checks as plain dicts (stored on the claim and sent by the API)."""
    return [asdict(c) for c in decision.checks]


@dataclass(frozen=True)
class ParticipantOrigins:
    """An event's participants (present at check-in, disqualified included) by employer: the host's own employees
    and everyone else (invited enterprises', or anyone an organiser enrolled). RULES.md §4: the checklist shows
    how many are the host's own; §10 counts them all."""

    total: int
    host: int

    @property
    def others(self) -> int:
        """Participants who are not the host's employees."""
        return self.total - self.host

    @property
    def sentence(self) -> str:
        """The line under the checklist's participant count: 其中主办企业员工 48 人，其他单位人员 14 人."""
        return Message("其中主办企业员工 %(host)s 人，其他单位人员 %(others)s 人", host=self.host, others=self.others)


def participant_origins(event: Event) -> ParticipantOrigins:
    """How many of the event's participants are its host's employees (one query)."""
    host_id = event.host_enterprise_id or 0  # 0 employs nobody: a district event has no host
    is_host = case((Entry.employer_id == host_id, 1), else_=0)
    total, host = db.session.execute(
        db.select(db.func.count(Entry.id), db.func.coalesce(db.func.sum(is_host), 0))
        .where(Entry.event_id == event.id, Entry.status.in_([EntryStatus(s) for s in PARTICIPANT_STATUSES]))).one()
    return ParticipantOrigins(total or 0, int(host or 0))


def claim_subsidy(actor: Actor, event: Event) -> SubsidyClaim:
    """Claim the subsidy of an event for its host; 409 with the failed checks, or duplicate on a lost race."""
    user = actor.user
    if user is None:  # the page and the API let only the host enterprise's users claim
        raise ValueError("a subsidy claim needs the claiming user")
    decision, policy = check_subsidy(event, user.enterprise_id)
    if not decision.eligible:
        raise InvalidState(Message("本赛项暂不符合竞赛经费补贴条件：%(reasons)s。",
                                   reasons=clauses(c.message for c in decision.failed)),
                           code="not_eligible",
                           details=[{"field": c.rule, "message": c.message} for c in decision.failed])
    pin_policy(event)  # the claim's version governs the event from now on, whatever version comes later
    claim = SubsidyClaim(event_id=event.id, season_id=event.season_id, host_enterprise_id=event.host_enterprise_id,
                         policy_version_id=policy.id, amount=decision.amount, participants=decision.participants,
                         checks=checks_json(decision), created_by_id=actor.user_id)
    try:
        with db.session.begin_nested():  # a lost race undoes only the claim
            db.session.add(claim)
            db.session.flush()
    except IntegrityError as exc:
        raise Duplicate(DUPLICATE_MESSAGE, code="duplicate_claim") from exc
    record(actor, "claim.submit", claim, after={**snapshot(claim, CLAIM_FIELDS), "event_id": event.id,
                                                 "policy_version_id": policy.id})
    db.session.flush()
    return claim


def _lock_claim(actor: Actor, claim: SubsidyClaim, *states: ClaimState) -> dict:
    """Authorise a decision, lock the claim's row, re-read it and require one of the states; the 'before' snapshot."""
    db.session.execute(db.select(SubsidyClaim).where(SubsidyClaim.id == claim.id).with_for_update(of=SubsidyClaim)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched: the refresh happens as rows are read
    if claim.state not in states:
        wanted = listing(CLAIM_STATE_LABELS[s] for s in states)
        raise InvalidState(Message("补贴申请当前为“%(state)s”，不能执行此操作（需为 %(wanted)s）。",
                                   state=claim.state_label, wanted=wanted),
                           code="invalid_claim_state")
    return snapshot(claim, CLAIM_FIELDS)


def _decided(actor: Actor, claim: SubsidyClaim, action: str, before: dict, message: str | None = None) -> None:
    """Flush the change and write its audit row."""
    db.session.flush()
    record(actor, action, claim, before=before, after=snapshot(claim, CLAIM_FIELDS), message=message)


def approve_claim(actor: Actor, claim: SubsidyClaim) -> SubsidyClaim:
    """Approve a submitted claim, within the season's budget (409 over_budget otherwise)."""
    before = _lock_claim(actor, claim, ClaimState.SUBMITTED)
    require_within_budget(claim.season_id, claim.amount)
    claim.state, claim.decided_by_id, claim.decided_at = ClaimState.APPROVED, actor.user_id, utcnow()
    _decided(actor, claim, "claim.approve", before)
    return claim


def reject_claim(actor: Actor, claim: SubsidyClaim, reason: str) -> SubsidyClaim:
    """Reject a submitted claim with a written reason; the event and the host's yearly cap are freed."""
    reason = clean_reason(reason)
    before = _lock_claim(actor, claim, ClaimState.SUBMITTED)
    claim.state, claim.reason = ClaimState.REJECTED, reason
    claim.decided_by_id, claim.decided_at = actor.user_id, utcnow()
    _decided(actor, claim, "claim.reject", before, message=reason)
    return claim


def record_payment(actor: Actor, claim: SubsidyClaim, paid_on: date, voucher: str) -> SubsidyClaim:
    """Record that an approved claim was paid: the date (not before the approval, not in the future) and the
    voucher number."""
    before = _lock_claim(actor, claim, ClaimState.APPROVED)
    voucher = clean_payment(paid_on, voucher, claim.decided_at)
    claim.state, claim.paid_on, claim.voucher = ClaimState.PAID, paid_on, voucher
    claim.paid_by_id, claim.paid_at = actor.user_id, utcnow()
    _decided(actor, claim, "claim.pay", before)
    return claim


def claims_of_event(event: Event) -> list[SubsidyClaim]:
    """Every claim of an event, newest first (rejected ones included)."""
    return list(db.session.scalars(db.select(SubsidyClaim).where(SubsidyClaim.event_id == event.id)
                                   .order_by(SubsidyClaim.id.desc())))


def decider_names(claims: list[SubsidyClaim]) -> dict[int, str]:
    """Display names of the users who made or decided the claims, by id (one query)."""
    ids = {i for c in claims for i in (c.created_by_id, c.decided_by_id, c.paid_by_id) if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())
