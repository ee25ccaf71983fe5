"""The competition subsidy rule (竞赛经费补贴, RULES.md §10).

Contract: `decide_subsidy(facts, policy)` is a pure function of plain facts about one event and one
claimant and of the policy figures in force on the event's date. It returns every check of §10 in
order, each passed or failed with a Chinese message, whether the event is eligible, and the amount
(the policy's subsidy amount when eligible, else 0). Nothing raises for an ordinary outcome.

Participants are entries present at check-in: a disqualification after check-in does not remove one;
absent, withdrawn and merely registered entries never count. The count frozen at sign-off wins over
the live count. "50人以上" includes 50.

`select_checklist(kind, decision)` is what a checklist shows: an enterprise event's every check; a district
event's one line, "区级赛不适用竞赛经费补贴" (§10.1 only ever names enterprise events).
"""
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .events import STATUS_LABELS as EVENT_STATUS_LABELS
from .messages import Message

# Statuses that make an entry a participant (present at check-in, disqualified included).
PARTICIPANT_STATUSES = frozenset({"present", "disqualified"})
# An enterprise event in any of these has been approved into the plan (the lifecycle passes approval).
APPROVED_STATUSES = frozenset({"approved", "open", "closed", "drawn", "scoring", "signed_off", "notice", "final"})
# Claims that hold the event and the host's yearly cap; a rejected claim frees them.
LIVE_CLAIM_STATES = frozenset({"submitted", "approved", "paid"})
STATE_LABELS = {"submitted": Message("待审核"), "approved": Message("已批准"), "paid": Message("已拨付"),
                "rejected": Message("已驳回")}
NOT_APPLICABLE = Message("区级赛不适用竞赛经费补贴")


@dataclass(frozen=True)
class SubsidyFacts:
    """What the rule needs to know about one event and the enterprise claiming for it."""

    kind: str  # "district" | "enterprise"
    status: str  # the event's lifecycle status
    claimant_is_host: bool
    frozen_participants: int | None = None  # Event.participants, set at sign-off
    entry_counts: Mapping[str, int] = field(default_factory=dict)  # live entries by status
    event_claim_states: tuple[str, ...] = ()  # states of the claims already made for this event
    host_claim_states: tuple[str, ...] = ()  # the host's claims for its other events in the same season


@dataclass(frozen=True)
class Check:
    """One condition of §10: a stable code, pass or fail, and the reason in Chinese."""

    rule: str
    passed: bool
    message: str


@dataclass(frozen=True)
class SubsidyDecision:
    """The outcome: eligible, the amount, the participants counted and every check."""

    eligible: bool
    amount: int
    participants: int
    threshold: int
    checks: tuple[Check, ...]

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks that did not pass."""
        return tuple(c for c in self.checks if not c.passed)


def count_participants(facts: SubsidyFacts) -> int:
    """Participants: the count frozen at sign-off, else the live present and disqualified entries."""
    if facts.frozen_participants is not None:
        return facts.frozen_participants
    return sum(n for status, n in facts.entry_counts.items() if status in PARTICIPANT_STATUSES)


def _live(states: tuple[str, ...]) -> list[str]:
    """The claim states that still hold a cap (not rejected)."""
    return [s for s in states if s in LIVE_CLAIM_STATES]


def _kind_check(facts: SubsidyFacts) -> Check:
    """§10.1: an enterprise event."""
    if facts.kind == "enterprise":
        return Check("enterprise_event", True, Message("企业赛"))
    return Check("enterprise_event", False, Message("区级赛不享受企业竞赛经费补贴"))


def _host_check(facts: SubsidyFacts) -> Check:
    """§10.1: the claimant is the host enterprise."""
    if facts.claimant_is_host:
        return Check("claimant_is_host", True, Message("申请单位为举办企业"))
    return Check("claimant_is_host", False, Message("申请单位不是本赛项的举办企业"))


def _approved_check(facts: SubsidyFacts) -> Check:
    """§10.2: approved into the plan."""
    if facts.kind != "enterprise":
        return Check("approved", False, Message("区级赛不经企业赛纳入计划审核"))
    if facts.status in APPROVED_STATUSES:
        return Check("approved", True, Message("已纳入竞赛计划"))
    here = EVENT_STATUS_LABELS.get(facts.status, facts.status)
    return Check("approved", False, Message("未纳入竞赛计划（当前：%(status)s）", status=here))


def _final_check(facts: SubsidyFacts) -> Check:
    """§10.3: results final."""
    if facts.status == "final":
        return Check("results_final", True, Message("成绩已确认为最终成绩"))
    here = EVENT_STATUS_LABELS.get(facts.status, facts.status)
    return Check("results_final", False, Message("成绩尚未最终确认（当前：%(status)s）", status=here))


def _participants_check(facts: SubsidyFacts, threshold: int) -> Check:
    """§10.4: at least the threshold of participants ("以上" includes the number itself)."""
    n = count_participants(facts)
    note = Message("签核时确定") if facts.frozen_participants is not None else Message("按当前到场人数，签核时确定")
    if n >= threshold:
        return Check("participants", True, Message("参赛人数 %(n)s/%(threshold)s（%(note)s）",
                                                   n=n, threshold=threshold, note=note))
    return Check("participants", False, Message("参赛人数 %(n)s/%(threshold)s（%(note)s，还差 %(short)s 人）",
                                                n=n, threshold=threshold, note=note, short=threshold - n))


def _host_year_check(facts: SubsidyFacts, per_year: int) -> Check:
    """§10.5: the host's other live claims this season stay under the yearly cap."""
    held = len(_live(facts.host_claim_states))
    if held < per_year:
        return Check("host_year_cap", True, Message("本年度尚未享受其他赛项补贴（每年限 %(per_year)s 项）",
                                                    per_year=per_year))
    return Check("host_year_cap", False, Message("本年度已有 %(held)s 项其他赛项的补贴申请（每年限 %(per_year)s 项）",
                                                 held=held, per_year=per_year))


def _event_claim_check(facts: SubsidyFacts) -> Check:
    """§10.6: no live claim for this event yet."""
    live = _live(facts.event_claim_states)
    if not live:
        return Check("event_unclaimed", True, Message("本赛项尚未申请补贴"))
    return Check("event_unclaimed", False, Message("本赛项已申请补贴（%(state)s）", state=STATE_LABELS[live[0]]))


def decide_subsidy(facts: SubsidyFacts, policy: Mapping[str, int]) -> SubsidyDecision:
    """Every check of §10 for one event and claimant, the eligibility and the amount."""
    threshold = policy["participant_threshold"]
    checks = (_kind_check(facts), _host_check(facts), _approved_check(facts), _final_check(facts),
              _participants_check(facts, threshold),
              _host_year_check(facts, policy["subsidies_per_enterprise_year"]), _event_claim_check(facts))
    eligible = all(c.passed for c in checks)
    return SubsidyDecision(eligible, policy["subsidy_amount"] if eligible else 0,
                           count_participants(facts), threshold, checks)


def subsidy_applies(kind: str) -> bool:
    """§10.1: only an enterprise event can earn the subsidy."""
    return kind == "enterprise"


def select_checklist(kind: str, decision: SubsidyDecision) -> SubsidyDecision:
    """The checklist shown for an event: an enterprise event's decision as it is; for a district event, not
    eligible, no amount and one check saying the subsidy does not apply (its other checks, a plan approval or
    a head count it never needs, would only mislead)."""
    if subsidy_applies(kind):
        return decision
    return replace(decision, eligible=False, amount=0, checks=(Check("enterprise_event", False, NOT_APPLICABLE),))
