"""Technical support for plan-listed enterprise events (seed 三(三), RULES.md §17).

A host enterprise asks for support on its own enterprise event once the organisers have approved it into the plan
(and while it is not final or cancelled): judges from the district's pool, question setting (命题), venue or
equipment; one request waits for a decision at a time. The organisers grant it fully, grant part of it (what is not
granted is said in the reason), or refuse it with a reason. Judges lent join the event's panel through
`assign_judge`, under the 回避 rule: a judge employed by the host, or by the employer of one of the event's
entrants, is refused. A cost given at the decision is recorded as spending on the 技术支持 line (proposed, to be
approved within that line like any other spending).
"""
from dataclasses import dataclass, field

from ...errors import Duplicate, Invalid, InvalidState
from ...extensions import db
from ...models import (SUPPORT_KIND_LABELS, SUPPORT_STATE_LABELS, BudgetCategory, Enterprise, Entry, Event, EventKind,
                       EventStatus, Role, Spending, SupportKind, SupportRequest, SupportState, User,
                       utcnow)
from ...models.types import beijing_today
from ...rules.messages import Message, clauses, listing
from ..audit import Actor, record, snapshot
from ..money.fund import SpendingData, record_spending
from .entries import assign_judge

# Approved into the plan and not yet final: the states in which a host may ask for support.
REQUESTABLE = (EventStatus.APPROVED, EventStatus.OPEN, EventStatus.CLOSED, EventStatus.DRAWN, EventStatus.SCORING,
               EventStatus.SIGNED_OFF, EventStatus.NOTICE)
DECIDED = (SupportState.GRANTED, SupportState.PARTLY_GRANTED, SupportState.REFUSED)
REQUEST_FIELDS = ("state", "kinds", "judges_wanted", "granted_kinds", "reason")
KIND_ORDER = tuple(kind.value for kind in SupportKind)
MAX_JUDGES_WANTED = 30
MAX_COST = 10_000_000
PENDING_VOUCHER = Message("待补")  # a voucher still to come
DECISIONS = {"grant": SupportState.GRANTED, "partly_grant": SupportState.PARTLY_GRANTED,
             "refuse": SupportState.REFUSED}


@dataclass(frozen=True)
class SupportAsk:
    """What a host asks for: the kinds, how many judges (when judges are asked) and the details."""

    kinds: list[str]
    judges_wanted: int | None
    details: str


@dataclass(frozen=True)
class SupportDecision:
    """The organisers' decision: grant, partly_grant or refuse; what is granted, the judges lent, the cost."""

    decision: str
    granted_kinds: list[str] = field(default_factory=list)
    judge_ids: list[int] = field(default_factory=list)
    cost: int | None = None
    voucher: str | None = None
    reason: str | None = None


def kind_label(kind: str) -> str:
    """A support kind's name (裁判支持, 命题, 场地设备)."""
    try:
        return SUPPORT_KIND_LABELS[SupportKind(kind)]
    except ValueError:
        return kind


def kinds_text(kinds) -> str:
    """Kinds as one listing: 裁判支持、命题."""
    return listing(kind_label(k) for k in ordered_kinds(kinds or []))


def ordered_kinds(kinds) -> list[str]:
    """The kinds in their fixed order (judges, question setting, venue), each once."""
    return [k for k in KIND_ORDER if k in set(kinds)]


def state_label(request: SupportRequest) -> str:
    """The request's state in words."""
    return SUPPORT_STATE_LABELS[request.state]


def may_request(event: Event) -> bool:
    """Whether the event is in the plan and not yet final or cancelled (a host may ask now)."""
    return event.kind is EventKind.ENTERPRISE and event.status in REQUESTABLE


def open_request(event: Event) -> SupportRequest | None:
    """The event's request waiting for a decision, if any."""
    return db.session.scalar(db.select(SupportRequest).where(SupportRequest.event_id == event.id,
                                                            SupportRequest.state == SupportState.REQUESTED))


def requests_of_event(event: Event) -> list[SupportRequest]:
    """Every request of an event, newest first."""
    return list(db.session.scalars(db.select(SupportRequest).where(SupportRequest.event_id == event.id)
                                   .order_by(SupportRequest.id.desc())))


def requests_query(state: SupportState | None = None):
    """The organisers' queue: requests (of a state, or all), the waiting ones first, oldest first among them."""
    query = db.select(SupportRequest)
    if state is not None:
        query = query.where(SupportRequest.state == state)
    waiting_first = db.case((SupportRequest.state == SupportState.REQUESTED, 0), else_=1)
    return query.order_by(waiting_first, SupportRequest.requested_at, SupportRequest.id)


def waiting_count() -> int:
    """How many requests wait for a decision."""
    return db.session.scalar(db.select(db.func.count(SupportRequest.id))
                             .where(SupportRequest.state == SupportState.REQUESTED)) or 0


def judge_pool() -> list[User]:
    """The district's pool: every active judge account, by name."""
    return list(db.session.scalars(db.select(User).where(User.role == Role.JUDGE, User.is_disabled.is_(False))
                                   .order_by(User.display_name, User.id)))


def _clean_kinds(kinds, field_name: str = "kinds") -> list[str]:
    """Known kinds, each once, in order; 400 naming the field otherwise."""
    values = [str(k) for k in (kinds or [])]
    unknown = [k for k in values if k not in KIND_ORDER]
    if unknown:
        raise Invalid(Message("技术支持类型无效：%(kinds)s。", kinds=listing(unknown)),
                      details=[{"field": field_name, "message": Message("请从裁判支持、命题、场地设备中选择。")}])
    return ordered_kinds(values)


def _checked_ask(ask: SupportAsk) -> tuple[list[str], int | None, str]:
    """The kinds, the judges wanted and the details, or 400 with every problem."""
    problems = []
    try:
        kinds = _clean_kinds(ask.kinds)
    except Invalid as error:
        problems += error.details
        kinds = []
    if not kinds and not problems:
        problems.append({"field": "kinds", "message": Message("请至少选择一项技术支持。")})
    wanted = ask.judges_wanted
    if SupportKind.JUDGES.value in kinds:
        if wanted is None or not 1 <= wanted <= MAX_JUDGES_WANTED:
            problems.append({"field": "judges_wanted", "message": Message(
                "申请裁判支持须填写所需裁判人数（1至%(max)s人）。", max=MAX_JUDGES_WANTED)})
    elif wanted is not None:
        problems.append({"field": "judges_wanted", "message": Message("未申请裁判支持，不需填写裁判人数。")})
    details = (ask.details or "").strip()
    if not 2 <= len(details) <= 1000:
        problems.append({"field": "details", "message": Message("请说明所需支持的具体内容（2至1000个字符）。")})
    if problems:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    return kinds, wanted, details


def _lock_event(event: Event) -> Event:
    """Lock the event's row (re-read), so that two requests for one event are checked in turn."""
    return db.session.execute(db.select(Event).where(Event.id == event.id).with_for_update(of=Event)
                              .execution_options(populate_existing=True)).scalar_one()


def request_support(actor: Actor, event: Event, ask: SupportAsk) -> SupportRequest:
    """The host asks for support on its approved enterprise event; 409 when the event is not in the plan (or is
    final or cancelled) or a request already waits for a decision; audited."""
    kinds, wanted, details = _checked_ask(ask)
    _lock_event(event)
    if not may_request(event):
        raise InvalidState(Message("只有经组委会审核列入年度计划、尚未确认最终成绩或取消的企业赛项可以申请技术支持。"),
                           code="not_in_plan")
    if open_request(event) is not None:
        raise Duplicate(Message("本赛项已有一项待处理的技术支持申请，请等组委会处理后再申请。"), code="support_open")
    support = SupportRequest(event_id=event.id, kinds=kinds, judges_wanted=wanted, details=details,
                             state=SupportState.REQUESTED, requested_by_id=actor.user_id)
    db.session.add(support)
    db.session.flush()
    record(actor, "support.request", support, after={**snapshot(support, REQUEST_FIELDS), "event_id": event.id,
                                                      "details": details})
    return support


def _lock_request(support: SupportRequest) -> dict:
    """Lock the request's row, re-read it, and require it to be waiting (409 otherwise); the 'before' snapshot."""
    db.session.execute(db.select(SupportRequest).where(SupportRequest.id == support.id)
                       .with_for_update(of=SupportRequest)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched: the refresh happens as rows are read
    if support.state is not SupportState.REQUESTED:
        raise InvalidState(Message("该技术支持申请已处理（%(state)s），不能再次处理。", state=state_label(support)),
                           code="already_decided")
    return snapshot(support, REQUEST_FIELDS)


def _granted(support: SupportRequest, decision: SupportDecision, state: SupportState) -> list[str]:
    """The kinds granted by a decision, checked against what was asked."""
    asked = list(support.kinds or [])
    if state is SupportState.REFUSED:
        if decision.granted_kinds:
            raise Invalid(Message("不同意申请时不能选择同意的支持类型。"),
                          details=[{"field": "granted_kinds", "message": Message("不同意申请时不能选择同意的支持类型。")}])
        return []
    if state is SupportState.GRANTED:
        granted = _clean_kinds(decision.granted_kinds, "granted_kinds") if decision.granted_kinds else asked
        if set(granted) != set(asked):
            raise Invalid(Message("全部同意时，同意的支持类型须与申请一致；只同意其中一部分请选择“部分同意”。"),
                          details=[{"field": "granted_kinds", "message": Message("全部同意须包括申请的全部类型。")}])
        return ordered_kinds(asked)
    granted = _clean_kinds(decision.granted_kinds, "granted_kinds")
    if not granted or not set(granted) < set(asked):
        raise Invalid(Message("部分同意须选择申请类型中的一部分（至少一项，但不是全部）：申请的是%(kinds)s。",
                              kinds=kinds_text(asked)),
                      details=[{"field": "granted_kinds", "message": Message("请选择同意的部分支持类型。")}])
    return granted


def _clean_reason(reason: str | None, state: SupportState) -> str | None:
    """The reason: required (2 to 500 characters) when refusing or granting in part, where it says what is not
    granted; optional when granting everything."""
    reason = (reason or "").strip()
    if state is SupportState.GRANTED and not reason:
        return None
    if not 2 <= len(reason) <= 500:
        message = (Message("请填写不同意的理由（2至500个字符）。") if state is SupportState.REFUSED
                   else Message("请说明未同意的部分及理由（2至500个字符）。") if state is SupportState.PARTLY_GRANTED
                   else Message("说明最多500个字符。"))
        raise Invalid(message, details=[{"field": "reason", "message": message}])
    return reason


def _conflict(event: Event, judge: User) -> Message | None:
    """Why a judge may not be lent to this event (回避), or None: employed by its host, or by an entrant's employer."""
    if judge.employer_id is None:
        return None
    employer = db.session.get(Enterprise, judge.employer_id)
    name = employer.name if employer is not None else ""
    if event.host_enterprise_id == judge.employer_id:
        return Message("%(judge)s是承办企业%(employer)s的员工，须回避，不能借调为本赛项裁判。",
                       judge=judge.display_name, employer=name)
    entrants = db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.event_id == event.id,
                                                                          Entry.employer_id == judge.employer_id))
    if entrants:
        return Message("%(judge)s与本赛项 %(count)s 名选手同属%(employer)s，须回避，不能借调为本赛项裁判。",
                       judge=judge.display_name, count=entrants, employer=name)
    return None


def _lent_judges(event: Event, judge_ids: list[int], granting_judges: bool) -> list[User]:
    """The judges to lend, checked: pool judges, not yet on the panel, no conflict of interest (回避)."""
    ids = list(dict.fromkeys(judge_ids or []))
    if not granting_judges:
        if ids:
            raise Invalid(Message("未同意裁判支持，不能选择借调裁判。"),
                          details=[{"field": "judge_ids", "message": Message("未同意裁判支持，不能选择借调裁判。")}])
        return []
    if not ids:
        raise Invalid(Message("同意裁判支持须从裁判库中选择借调的裁判。"),
                      details=[{"field": "judge_ids", "message": Message("请选择借调的裁判。")}])
    judges = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}
    seated = {m.user_id for m in event.panel}
    problems, conflict = [], False
    for judge_id in ids:
        judge = judges.get(judge_id)
        if judge is None or judge.role is not Role.JUDGE or not judge.is_active:
            problems.append(Message("所选账户（编号 %(id)s）不是裁判库中启用的裁判。", id=judge_id))
        elif judge_id in seated:
            problems.append(Message("%(judge)s已在本赛项裁判组中。", judge=judge.display_name))
        elif (why := _conflict(event, judge)) is not None:
            problems.append(why)
            conflict = True
    if problems:
        raise Invalid(clauses(problems), code="conflict_of_interest" if conflict else None,
                      details=[{"field": "judge_ids", "message": p} for p in problems])
    return [judges[i] for i in ids]


def _cost(decision: SupportDecision, state: SupportState) -> tuple[int | None, str]:
    """The cost (whole yuan, optional) and its voucher (待补 until given)."""
    voucher = (decision.voucher or "").strip()
    if len(voucher) > 60:
        raise Invalid(Message("凭证号最多60个字符。"), details=[{"field": "voucher", "message": Message("凭证号最多60个字符。")}])
    if decision.cost is None:
        return None, voucher or PENDING_VOUCHER
    if state is SupportState.REFUSED:
        raise Invalid(Message("不同意申请时不产生技术支持费用。"),
                      details=[{"field": "cost", "message": Message("不同意申请时不产生技术支持费用。")}])
    if not 1 <= decision.cost <= MAX_COST:
        raise Invalid(Message("技术支持费用须为1至%(max)s元的整数。", max=format(MAX_COST, ",")),
                      details=[{"field": "cost", "message": Message("请填写正整数金额（元）。")}])
    return decision.cost, voucher or PENDING_VOUCHER


def _record_cost(actor: Actor, support: SupportRequest, amount: int, voucher: str) -> Spending:
    """The cost as spending on the 技术支持 line, through the fund's own service (services/money/fund.py): proposed,
    dated the decision day, with its voucher (or 待补), naming the event and the request."""
    event = support.event
    note = Message("技术支持：%(kinds)s", kinds=kinds_text(support.granted_kinds))
    return record_spending(actor, SpendingData(
        season_id=event.season_id, category=BudgetCategory.TECHNICAL_SUPPORT, amount=amount,
        spent_on=beijing_today(), voucher=voucher, event_id=event.id, note=str(note)[:500],
        support_request_id=support.id))


def decide_support(actor: Actor, support: SupportRequest, decision: SupportDecision) -> SupportRequest:
    """Grant, partly grant or refuse a waiting request (409 when it was already decided): judges lent join the
    panel under 回避, a cost becomes a proposed 技术支持 spending; audited."""
    state = DECISIONS.get(decision.decision)
    if state is None:
        raise Invalid(Message("请选择处理结果：全部同意、部分同意或不同意。"),
                      details=[{"field": "decision", "message": Message("请选择处理结果。")}])
    before = _lock_request(support)
    granted = _granted(support, decision, state)
    if state is not SupportState.REFUSED and not may_request(support.event):
        raise InvalidState(Message("该赛项已确认最终成绩或已取消，不能再给予技术支持，只能不同意。"), code="not_in_plan")
    reason = _clean_reason(decision.reason, state)
    cost, voucher = _cost(decision, state)
    event = support.event
    judges = _lent_judges(event, decision.judge_ids, SupportKind.JUDGES.value in granted)
    for judge in judges:
        assign_judge(actor, event, judge, False)
        support.lent_judges.append(judge)
    db.session.expire(event, ["panel"])
    support.state, support.granted_kinds, support.reason = state, granted, reason
    support.decided_by_id, support.decided_at = actor.user_id, utcnow()
    db.session.flush()
    spending = _record_cost(actor, support, cost, voucher) if cost is not None else None
    record(actor, f"support.{decision.decision}", support, before=before,
           after={**snapshot(support, REQUEST_FIELDS), "judge_ids": [j.id for j in judges],
                  "spending_id": spending.id if spending is not None else None},
           message=reason)
    return support


def spending_of(support: SupportRequest) -> list[Spending]:
    """The spending recorded for a request (its cost)."""
    return list(db.session.scalars(db.select(Spending).where(Spending.support_request_id == support.id)
                                   .order_by(Spending.id)))


def granted_kinds_by_event(event_ids) -> dict[int, list[str]]:
    """The kinds of support granted (fully or in part) to each event, in order (one query)."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = db.session.execute(db.select(SupportRequest.event_id, SupportRequest.granted_kinds).where(
        SupportRequest.event_id.in_(ids),
        SupportRequest.state.in_((SupportState.GRANTED, SupportState.PARTLY_GRANTED)))).tuples().all()
    found: dict[int, set] = {}
    for event_id, kinds in rows:
        found.setdefault(event_id, set()).update(kinds or [])
    return {event_id: ordered_kinds(kinds) for event_id, kinds in found.items()}


def names_of(support: SupportRequest) -> dict[int, str]:
    """Display names of who asked and who decided, by id."""
    ids = {i for i in (support.requested_by_id, support.decided_by_id) if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())
