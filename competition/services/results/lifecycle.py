"""Results (RULES.md §7-§9): compute from raw marks, sign off, tie orders, reopen, publish, finalise.

Raw marks are the source of truth: marking_facts.compute_event_results reads them in a constant
number of queries and hands them to scoring/. Totals and ranks are stored only in the ResultSnapshot frozen at
sign-off; a reopen supersedes it (kept, with the reason) and the next sign-off adds a new one.
Judges appear in scoring, and so in the explanations, by panel seat (裁判 1, 裁判 2, … in the order
they joined the panel), never by account. Entries never checked in count as absent. A tie order
stays on record after a reopen and applies again only while it names exactly a group still tied.
"""
from collections.abc import Hashable
from datetime import date

from scoring import Results

from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import EventStatus, Objection, ObjectionState, PanelMember, ResultSnapshot, TieOrder, utcnow
from ...rules.calendar import notice_over
from ...rules.events import decide_transition
from ...rules.messages import Message, listing
from ..audit import Actor, record
from ..calendar import notice_end
from ..common import flush_unique
from ..marking.facts import Facts, JudgeFact, beijing_today, evaluate, lock_event
from ..titles.nominations import propose_for_event
from ..certificates.issue import issue_event_certificates
from ..policy import pin_policy, policy_for_event
from .snapshots import current_snapshot, snapshot_payload, split_explanations

PARTICIPANTS = ("present", "disqualified")  # at check-in; a later disqualification still counts


def _transition(event, action: str) -> EventStatus:
    """Lock the event; the lifecycle's target for this action, or InvalidState with the reason."""
    lock_event(event)
    decision = decide_transition(action, event.status.value, event.kind.value)
    if decision.reason is not None:  # a refused transition always says why
        raise InvalidState(decision.reason)
    return EventStatus(decision.target)


def _blockers(facts: Facts, results: Results) -> list[dict]:
    """Why the results can not be signed off yet: unsubmitted judges, missing marks, problems."""
    # scoring/ hands ids back as Hashable, whatever the caller used
    by_seat: dict[Hashable, JudgeFact] = {j.seat: j for j in facts.judges}
    names: dict[Hashable, str] = {c.id: c.name for c in facts.criteria}
    details = [{"field": "judges", "message": Message("裁判 %(judge)s 尚未提交评分", judge=j.name), "judge_id": j.user_id}
               for j in facts.judges if j.submitted_at is None]
    for m in results.missing:
        judge = by_seat.get(m.judge_id)
        if judge:
            message = Message("裁判 %(judge)s：参赛号 %(number)s「%(criterion)s」未评分",
                              judge=judge.name, number=m.number, criterion=names[m.criterion_id])
        else:
            message = Message("参赛号 %(number)s「%(criterion)s」未评分", number=m.number, criterion=names[m.criterion_id])
        details.append({"field": "marks", "message": message,
                        "judge_id": judge.user_id if judge else None, "number": m.number,
                        "criterion_id": m.criterion_id})
    details += [{"field": "entries", "message": Message("参赛号 %(number)s：%(problem)s", number=p.number,
                                                        problem=p.message), "number": p.number}
                for p in results.problems]
    return details


def _tie_details(facts: Facts, results: Results) -> list[dict]:
    """The strict-mode ties still waiting for an organiser's order."""
    numbers: dict[Hashable, str | None] = {e.id: e.number for e in facts.entries}
    return [{"field": "ties", "entry_ids": list(group), "numbers": [numbers[i] for i in group],
             "message": Message("参赛号 %(numbers)s 无法区分名次，待组委会确定顺序",
                                numbers=listing(numbers[i] or str(i) for i in group))}
            for group in results.unresolved_ties]


def sign_off(actor: Actor, event) -> ResultSnapshot:
    """Freeze the results and the participant count once every judge submitted and nothing is missing or tied."""
    target = _transition(event, "sign_off")
    facts, results = evaluate(event)
    if blockers := _blockers(facts, results):
        raise InvalidState(Message("评分尚未完成，不能签核。"), code="marks_incomplete", details=blockers)
    if results.unresolved_ties:
        raise InvalidState(Message("存在无法区分的并列名次（本赛项名次不并列），须由组委会确定顺序后才能签核。"),
                           code="unresolved_tie", details=_tie_details(facts, results))
    participants = sum(1 for e in facts.entries if e.status in PARTICIPANTS)
    sequence = 1 + (db.session.scalar(db.select(db.func.max(ResultSnapshot.sequence))
                                      .where(ResultSnapshot.event_id == event.id)) or 0)
    payload, explanations = split_explanations(snapshot_payload(event, facts, results))
    snapshot = ResultSnapshot(event_id=event.id, sequence=sequence, signed_off_by_id=actor.user_id,
                              participants=participants, payload=payload, explanations=explanations)
    db.session.add(snapshot)
    before = {"status": event.status.value}
    event.status, event.participants, event.signed_off_at = target, participants, utcnow()
    policy = pin_policy(event)  # the results' notice, subsidy and nominations follow the version of this decision
    flush_unique(Message("成绩刚被他人签核，请刷新页面。"))
    record(actor, "event.sign_off", event, before=before,
           after={"status": target.value, "participants": participants, "snapshot": sequence,
                  "policy_version_id": policy.id})
    return snapshot


def record_tie_order(actor: Actor, event, entry_ids, reason: str) -> TieOrder:
    """An organiser orders a strict-mode tie that the tie-break chain could not separate, with a reason."""
    if not event.strict_ranking:
        raise InvalidState(Message("本赛项允许名次并列，无需确定顺序。"))
    lock_event(event)
    if event.status is not EventStatus.SCORING:
        raise InvalidState(Message("只有评分阶段（签核前）可以确定并列名次的顺序。"))
    if not (reason or "").strip():
        raise Invalid(Message("请填写确定顺序的理由。"),
                      details=[{"field": "reason", "message": Message("请填写理由。")}])
    ids = [int(i) for i in entry_ids]
    facts, results = evaluate(event, with_orders=False)
    if len(set(ids)) != len(ids) or not any(set(ids) == set(g) for g in results.unresolved_ties):
        raise Invalid(Message("所列选手不是一组无法区分名次的并列选手，请按当前并列情况完整列出。"),
                      details=[{"field": "entry_ids", "message": Message("应恰好列出一组并列选手，每人一次。")}])
    order = TieOrder(event_id=event.id, entry_ids=ids, reason=reason.strip()[:500], decided_by_id=actor.user_id)
    db.session.add(order)
    db.session.flush()
    numbers = {e.id: e.number for e in facts.entries}
    record(actor, "event.tie_order", event, after={"entry_ids": ids, "numbers": [numbers[i] for i in ids]},
           message=order.reason)
    return order


def reopen(actor: Actor, event, reason: str) -> ResultSnapshot | None:
    """Reopen scoring before final, with a reason: the snapshot is superseded (kept), submissions cleared."""
    target = _transition(event, "reopen")
    if not (reason or "").strip():
        raise Invalid(Message("请填写重新开放评分的原因。"),
                      details=[{"field": "reason", "message": Message("请填写原因。")}])
    reason = reason.strip()[:500]
    snapshot = current_snapshot(event)
    if snapshot is not None:
        snapshot.superseded_at, snapshot.superseded_by_id, snapshot.superseded_reason = utcnow(), actor.user_id, reason
    for member in db.session.scalars(db.select(PanelMember).where(PanelMember.event_id == event.id)):
        member.submitted_at = None
    before = {"status": event.status.value, "notice_ends_on": event.notice_ends_on,
              "participants": event.participants, "snapshot": snapshot.sequence if snapshot else None}
    event.status, event.participants, event.signed_off_at = target, None, None
    event.published_at = event.notice_ends_on = None
    db.session.flush()
    record(actor, "event.reopen", event, before=before, after={"status": target.value}, message=reason)
    return snapshot


def notice_days(event) -> int:
    """The notice's working days from the policy version governing the event (pinned at sign-off)."""
    return policy_for_event(event).notice_working_days


def publish(actor: Actor, event, today: date | None = None) -> date:
    """Publish signed-off results for public notice (公示); returns the notice's last day."""
    target = _transition(event, "publish")
    today = today or beijing_today()
    days = notice_days(event)
    ends_on = notice_end(today, days)  # China's working calendar; refused (calendar_missing) before anything changes
    before = {"status": event.status.value}
    event.status, event.published_at = target, utcnow()
    event.notice_ends_on = ends_on
    db.session.flush()
    record(actor, "event.publish", event, before=before,
           after={"status": target.value, "notice_ends_on": event.notice_ends_on, "working_days": days})
    return event.notice_ends_on


def notice_has_ended(event, today: date | None = None) -> bool:
    """Whether the event's public notice has run its course (finalisation is allowed from then on); False before
    publication. The public pages and the results page ask this too, so they never disagree with finalize."""
    return event.notice_ends_on is not None and notice_over(event.notice_ends_on, today or beijing_today())


def open_objections(event) -> int:
    """How many objections of the event are still undecided (RULES.md §14: finalisation waits for them)."""
    return db.session.scalar(db.select(db.func.count(Objection.id)).where(
        Objection.event_id == event.id, Objection.state == ObjectionState.RECEIVED)) or 0


def finalize(actor: Actor, event, today: date | None = None) -> None:
    """Confirm the final results once the notice has ended and every objection is decided, not before."""
    target = _transition(event, "finalize")
    if not notice_has_ended(event, today):
        raise InvalidState(Message("公示期至 %(date)s 结束，之后才能确认最终成绩。", date=event.notice_ends_on),
                           code="notice_running")
    if (undecided := open_objections(event)):
        raise InvalidState(Message("本赛项还有 %(count)s 件异议尚未处理，全部处理后才能确认最终成绩。", count=undecided),
                           code="open_objections")
    before = {"status": event.status.value}
    event.status, event.finalised_at = target, utcnow()
    db.session.flush()
    record(actor, "event.finalize", event, before=before, after={"status": target.value})
    propose_for_event(actor, event)  # 技术能手: the competition route's proposals (RULES.md §11)
    issue_event_certificates(actor, event)  # a numbered certificate for every prize (RULES.md §15)
