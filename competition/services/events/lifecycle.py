"""Events: create and edit with their marking scheme, and move them through the lifecycle."""
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from scoring.aggregate import needed_marks

from ...errors import Invalid, InvalidState, NotAllowed
from ...extensions import db
from ...models import (
    Aggregation,
    AggregationLevel,
    Criterion,
    CriterionKind,
    Enterprise,
    Event,
    EventKind,
    EventStatus,
    Module,
    ModuleKind,
    PanelMember,
    Role,
    Season,
)
from ...rules.events import CriterionSpec, ModuleSpec, check_scheme, decide_transition, parse_max, scheme_locked
from ...permissions import is_staff
from ...rules.messages import Message, listing
from ...rules.prizes import TierSpec, check_floor, check_tiers, clean_tiers, parse_floor, tiers_to_data
from ..audit import Actor, record, snapshot
from ..common import like_pattern
from ..marking.facts import load_facts
from ..marking.marks import has_marks
from ..policy import pin_policy, policy_figure, repin_for_date

EVENT_FIELDS = ("name", "occupation", "level", "kind", "host_enterprise_id", "status", "event_date",
                "registration_deadline", "venue", "min_age", "max_age", "aggregation", "aggregation_level",
                "tie_breaks", "strict_ranking", "nomination_quota", "prize_tiers", "prize_floor")
TIE_BREAKS = ("practical", "time_used")
METHOD_NAMES = {"trimmed_mean": Message("去掉一个最高分和一个最低分后平均"), "mean": Message("平均"),
                "median": Message("取中位数")}


@dataclass(frozen=True)
class EventData:
    """An event as typed, with its scheme as plain module specs."""

    season_id: int | None
    name: str
    occupation: str
    level: int | None
    kind: str
    event_date: date | None
    registration_deadline: date | None
    host_enterprise_id: int | None = None
    venue: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    aggregation: str = "trimmed_mean"
    aggregation_level: str = "judge_total"
    tie_breaks: tuple[str, ...] = TIE_BREAKS
    strict_ranking: bool = False
    nomination_quota: int | None = None  # None: the policy version in force on the event's date (issue 16)
    modules: tuple[ModuleSpec, ...] = field(default_factory=tuple)
    # The event's own prize tiers and prize floor (RULES.md §15); None: its policy version's tiers and pass mark.
    prize_tiers: tuple[TierSpec, ...] | None = None
    prize_floor: Decimal | str | int | None = None


def _field_problems(data: EventData) -> list[dict]:
    """Every problem of the event's own fields (the scheme is checked separately)."""
    problems = []

    def bad(name, message):
        problems.append({"field": name, "message": message})

    if data.season_id is None or db.session.get(Season, data.season_id) is None:
        bad("season_id", Message("请选择联赛年度。"))
    if not 2 <= len((data.name or "").strip()) <= 120:
        bad("name", Message("赛项名称应为2至120个字符。"))
    if not 2 <= len((data.occupation or "").strip()) <= 60:
        bad("occupation", Message("请填写职业（工种），2至60个字符。"))
    if data.level not in (1, 2, 3, 4, 5):
        bad("level", Message("技能等级应为1（高级技师）至5（初级工）。"))
    if data.kind not in ("district", "enterprise"):
        bad("kind", Message("赛项类型应为区级赛或企业赛。"))
    if data.kind == "enterprise" and (data.host_enterprise_id is None
                                      or db.session.get(Enterprise, data.host_enterprise_id) is None):
        bad("host_enterprise_id", Message("企业赛须选择承办企业。"))
    venue = (data.venue or "").strip()
    if not venue:
        bad("venue", Message("请填写比赛地点。"))
    elif len(venue) > 120:
        bad("venue", Message("比赛地点不超过120个字符。"))
    if data.event_date is None:
        bad("event_date", Message("请填写比赛日期。"))
    if data.registration_deadline is None:
        bad("registration_deadline", Message("请填写报名截止日期。"))
    elif data.event_date and data.registration_deadline > data.event_date:
        bad("registration_deadline", Message("报名截止日期不能晚于比赛日期。"))
    problems += _option_problems(data)
    return problems


def _option_problems(data: EventData) -> list[dict]:
    """Age limits, aggregation, tie-breaks and quota."""
    problems = []
    for name in ("min_age", "max_age"):
        value = getattr(data, name)
        if value is not None and not 16 <= value <= 70:
            problems.append({"field": name, "message": Message("年龄限制应在16至70岁之间。")})
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        problems.append({"field": "max_age", "message": Message("最高年龄不能小于最低年龄。")})
    if data.aggregation not in {a.value for a in Aggregation}:
        problems.append({"field": "aggregation",
                         "message": Message("汇总方法应为平均、中位数或去掉最高最低分后平均。")})
    if data.aggregation_level not in {a.value for a in AggregationLevel}:
        problems.append({"field": "aggregation_level",
                         "message": Message("汇总层级应为按裁判小计或按评分项。")})
    if len(set(data.tie_breaks)) != len(data.tie_breaks) or not set(data.tie_breaks) <= set(TIE_BREAKS):
        problems.append({"field": "tie_breaks",
                         "message": Message("并列规则只能是实操得分（practical）和用时（time_used），且不重复。")})
    if data.nomination_quota is not None and (not isinstance(data.nomination_quota, int)
                                              or not 1 <= data.nomination_quota <= 100):
        problems.append({"field": "nomination_quota",
                         "message": Message("技术能手推荐名额应为1至100之间的整数。")})
    if data.prize_tiers is not None:
        problems += check_tiers(data.prize_tiers)
    return problems + check_floor(data.prize_floor)


def validate_event(data: EventData) -> list[str]:
    """Raise Invalid with every problem of fields and scheme; return the scheme's warnings."""
    scheme = check_scheme(list(data.modules))
    problems = _field_problems(data) + scheme.problems
    if problems:
        raise Invalid(Message("赛项信息有误，请修改后重试。"), details=problems)
    return scheme.warnings


def create_event(actor: Actor, data: EventData) -> tuple[Event, list[str]]:
    """Create an event with its scheme; enterprise users create enterprise events for their own enterprise."""
    user = actor.user
    if user is not None and user.role is Role.ENTERPRISE:
        if data.kind != "enterprise" or data.host_enterprise_id != user.enterprise_id:
            raise NotAllowed(Message("企业用户只能为本企业申报企业赛。"))
    warnings = validate_event(data)
    event = Event(status=EventStatus.DRAFT, created_by_id=actor.user_id)
    _apply(event, with_policy_defaults(data))
    db.session.add(event)
    db.session.flush()
    record(actor, "event.create", event, after=snapshot(event, EVENT_FIELDS))
    if user is not None and user.role is Role.ENTERPRISE:
        change_status(actor, event, "submit")
    return event, warnings


def with_policy_defaults(data: EventData) -> EventData:
    """The figures left out taken from the policy version in force on the event's date, not today's (issue 16)."""
    if data.nomination_quota is not None or data.event_date is None:
        return data
    return replace(data, nomination_quota=policy_figure(data.event_date, "nomination_quota"))


def scheme_is_locked(event: Event) -> bool:
    """The scheme locks once the first mark is entered or scoring starts (RULES.md §4)."""
    return scheme_locked(event.status.value, has_marks(event))


def update_event(actor: Actor, event: Event, data: EventData) -> list[str]:
    """Edit an event; the scheme can change only until it locks (first mark or scoring), and what the frozen
    results were computed with (date, aggregation, quota, scheme) not at all once they are signed off."""
    if event.status in (EventStatus.FINAL, EventStatus.CANCELLED):
        raise InvalidState(Message("已确认最终成绩或已取消的赛项不能修改。"))
    if data.kind != event.kind.value or (data.host_enterprise_id or None) != event.host_enterprise_id:
        raise InvalidState(Message("赛项类型和承办企业创建后不能修改。"))
    if data.nomination_quota is None:
        data = replace(data, nomination_quota=event.nomination_quota)
    warnings = validate_event(data)
    _refuse_results_settings(event, data)
    locked = scheme_is_locked(event)
    if locked and _scheme_of(event) != _scheme_of_data(data):
        raise InvalidState(Message("评分已开始，评分方案已锁定，不能修改。"))
    before = snapshot(event, EVENT_FIELDS)
    moved = data.event_date != event.event_date
    _apply(event, data, replace_scheme=not locked)
    if moved and event.status.value in DATE_REPINS:
        repin_for_date(event)
    db.session.flush()
    record(actor, "event.update", event, before=before, after=snapshot(event, EVENT_FIELDS))
    return warnings


# What the signed-off (then published) results were computed with: unchangeable from sign-off on (issue 16).
RESULT_SETTINGS = {"event_date": Message("比赛日期"), "aggregation": Message("汇总方法"),
                   "aggregation_level": Message("汇总层级"), "tie_breaks": Message("并列处理"),
                   "strict_ranking": Message("名次不并列"), "nomination_quota": Message("技术能手推荐名额"),
                   "prize_tiers": Message("获奖等级"), "prize_floor": Message("获奖分数线")}
RESULTS_FROZEN = (EventStatus.SIGNED_OFF, EventStatus.NOTICE, EventStatus.FINAL)
# Before scoring a changed date re-pins the approval to the version in force on the new date.
DATE_REPINS = {"draft", "submitted", "approved", "rejected", "open", "closed", "drawn"}


def _refuse_results_settings(event: Event, data: EventData) -> None:
    """From sign-off on, the settings the results depend on and the scheme are fixed: a 409 naming each change."""
    if event.status not in RESULTS_FROZEN:
        return
    current = {"event_date": event.event_date, "aggregation": event.aggregation.value,
               "aggregation_level": event.aggregation_level.value, "tie_breaks": list(event.tie_breaks),
               "strict_ranking": bool(event.strict_ranking), "nomination_quota": event.nomination_quota,
               "prize_tiers": event.prize_tiers, "prize_floor": event.prize_floor}
    typed = {"event_date": data.event_date, "aggregation": data.aggregation, "aggregation_level": data.aggregation_level,
             "tie_breaks": list(data.tie_breaks), "strict_ranking": bool(data.strict_ranking),
             "nomination_quota": data.nomination_quota, **_prize_values(data)}
    changed = [name for name in RESULT_SETTINGS if current[name] != typed[name]]
    if _scheme_of(event) != _scheme_of_data(data):
        changed.append("modules")
    if changed:
        settings = [(name, RESULT_SETTINGS.get(name, Message("评分方案"))) for name in changed]
        problems = [{"field": name, "message": Message("成绩已签核并公示，%(setting)s不能再修改。", setting=setting)
                     if event.published_at else Message("成绩已签核，%(setting)s不能再修改。", setting=setting)}
                    for name, setting in settings]
        raise InvalidState(Message("成绩已签核，比赛日期、汇总方法、推荐名额和评分方案不能再修改；"
                                   "如成绩有误，请重新开放评分。"),
                           code="results_frozen", details=problems)


def _apply(event: Event, data: EventData, *, replace_scheme: bool = True) -> None:
    """Copy typed values onto the event (and rebuild its scheme when allowed)."""
    # validate_event refuses a missing season, level or date; the callers fill in the quota
    if (data.season_id is None or data.level is None or data.event_date is None
            or data.registration_deadline is None or data.nomination_quota is None):
        raise ValueError("_apply needs validated data with the policy defaults filled in")
    event.season_id = data.season_id
    event.name, event.occupation = data.name.strip(), data.occupation.strip()
    event.level, event.kind = data.level, EventKind(data.kind)
    event.host_enterprise_id = data.host_enterprise_id if data.kind == "enterprise" else None
    event.event_date, event.registration_deadline = data.event_date, data.registration_deadline
    event.venue = (data.venue or "").strip() or None
    event.min_age, event.max_age = data.min_age, data.max_age
    event.aggregation = Aggregation(data.aggregation)
    event.aggregation_level = AggregationLevel(data.aggregation_level)
    event.tie_breaks = list(data.tie_breaks)
    event.strict_ranking, event.nomination_quota = bool(data.strict_ranking), data.nomination_quota
    prizes = _prize_values(data)
    event.prize_tiers, event.prize_floor = prizes["prize_tiers"], prizes["prize_floor"]
    if replace_scheme:
        event.modules = [_module(i, spec) for i, spec in enumerate(data.modules)]


def _prize_values(data: EventData) -> dict:
    """Validated prize settings as the event stores them: tiers as JSON, the floor as Decimal (None: the policy's)."""
    tiers = tiers_to_data(clean_tiers(data.prize_tiers)) if data.prize_tiers is not None else None
    return {"prize_tiers": tiers, "prize_floor": parse_floor(data.prize_floor) if data.prize_floor is not None else None}


def _module(position: int, spec: ModuleSpec) -> Module:
    """A Module row with its criteria from a spec."""
    return Module(
        name=spec.name.strip(), kind=ModuleKind(spec.kind), weight=spec.weight, position=position,
        criteria=[Criterion(name=c.name.strip(), max_score=parse_max(c.max_score), kind=CriterionKind(c.kind),
                            position=j) for j, c in enumerate(spec.criteria)],
    )


def _scheme_of(event: Event) -> list:
    """A comparable form of the stored scheme."""
    return [(m.name, m.kind.value, m.weight, [(c.name, c.max_score, c.kind.value) for c in m.criteria])
            for m in event.modules]


def _scheme_of_data(data: EventData) -> list:
    """A comparable form of a typed scheme."""
    return [(m.name.strip(), m.kind, m.weight, [(c.name.strip(), parse_max(c.max_score), c.kind) for c in m.criteria])
            for m in data.modules]


def scheme_specs(event: Event) -> tuple[ModuleSpec, ...]:
    """An event's stored scheme as specs, e.g. to copy it to a new event."""
    return tuple(ModuleSpec(m.name, m.kind.value, m.weight,
                            tuple(CriterionSpec(c.name, c.max_score, c.kind.value) for c in m.criteria))
                 for m in event.modules)


def change_status(actor: Actor, event: Event, action: str, *, reason: str | None = None) -> Event:
    """Move an event through its lifecycle (RULES.md §4); reasons are required to reject or cancel."""
    decision = decide_transition(action, event.status.value, event.kind.value)
    if decision.reason is not None:  # a refused transition always says why
        raise InvalidState(decision.reason)
    if action == "start_scoring":
        _require_enough_judges(event)
    reason = (reason or "").strip()
    if action in ("reject", "cancel") and not reason:
        raise Invalid(Message("请填写原因。"), details=[{"field": "reason", "message": Message("请填写原因。")}])
    before = {"status": event.status.value}
    event.status = EventStatus(decision.target)
    if action == "reject":
        event.rejection_reason = reason[:500]
    if action == "cancel":
        event.cancel_reason = reason[:500]
    after: dict[str, str | int] = {"status": event.status.value}
    if action == "approve":  # approval into the plan is the first decision: it pins the policy version
        after["policy_version_id"] = pin_policy(event).id
    db.session.flush()
    record(actor, f"event.{action}", event, before=before, after=after,
           message=reason[:500] or None)
    return event


def _require_enough_judges(event: Event) -> None:
    """Scoring starts only when every present entry has as many judges free to mark it as the aggregation needs
    (a trimmed mean 3, RULES.md §6), so no entry can end up unrankable (409 too_few_judges)."""
    needed = needed_marks(event.aggregation.value)
    facts = load_facts(event)
    if not facts.of_kind("judgement"):
        needed = 1  # measurements only: one judge enters them
    if len(facts.judges) < needed:
        raise InvalidState(Message("裁判组只有 %(count)s 位裁判，%(method)s至少需要 %(needed)s 位，不能开始评分。"
                                   "请先增加裁判。", count=len(facts.judges),
                                   method=METHOD_NAMES[event.aggregation.value], needed=needed), code="too_few_judges",
                           details=[{"field": "panel", "message": Message("至少需要 %(needed)s 位裁判。", needed=needed)}])
    short = [e for e in facts.present() if len(facts.markers(e)) < needed]
    if short:
        numbers = listing(e.number or str(e.id) for e in short[:10])
        raise InvalidState(Message("有 %(count)s 位选手（参赛号 %(numbers)s）因裁判回避，可评分的裁判少于 %(needed)s 位，"
                                   "不能开始评分。请增加与其不同单位的裁判。", count=len(short), numbers=numbers,
                                   needed=needed), code="too_few_judges",
                           details=[{"field": "panel", "entry_id": e.id, "number": e.number,
                                     "message": Message("参赛号 %(number)s：可评分的裁判 %(count)s 位",
                                                        number=e.number, count=len(facts.markers(e)))}
                                    for e in short])


def list_scope(user) -> dict:
    """event_query's arguments for what a user may list, pages and API alike: staff every event; an enterprise its
    own and those open for enrolment onward; a judge the events of their panels."""
    if is_staff(user):
        return {}
    if user.role is Role.ENTERPRISE:
        return {"visible_to_enterprise": user.enterprise_id or 0}  # 0 hosts nothing: only running events
    return {"judge_user_id": user.id}


def event_query(*, season_id=None, status=None, kind=None, occupation=None, host_id=None, search=None,
                visible_to_enterprise: int | None = None, judge_user_id: int | None = None):
    """Events filtered for list pages, newest event date first."""
    query = db.select(Event).order_by(Event.event_date.desc(), Event.id.desc())
    filters = [(season_id, Event.season_id == season_id), (status, Event.status == status),
               (kind, Event.kind == kind), (occupation, Event.occupation == occupation),
               (host_id, Event.host_enterprise_id == host_id)]
    for value, condition in filters:
        if value:
            query = query.where(condition)
    if search:
        like = like_pattern(search)
        query = query.where(Event.name.ilike(like, escape="\\") | Event.occupation.ilike(like, escape="\\"))
    if visible_to_enterprise is not None:
        query = query.where((Event.host_enterprise_id == visible_to_enterprise)
                            | Event.status.in_([EventStatus.OPEN, EventStatus.CLOSED, EventStatus.DRAWN,
                                                EventStatus.SCORING, EventStatus.SIGNED_OFF,
                                                EventStatus.NOTICE, EventStatus.FINAL]))
    if judge_user_id is not None:
        query = query.join(PanelMember, PanelMember.event_id == Event.id).where(PanelMember.user_id == judge_user_id)
    return query
