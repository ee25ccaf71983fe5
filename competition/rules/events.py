"""Event rules: the lifecycle (RULES.md §4), marking-scheme checks, enrolment windows and the draw.

Contract: pure functions of plain values. Checks return lists of Chinese problems (empty = fine)
or decisions with reasons; nothing raises for an ordinary outcome, nothing touches Flask or the DB.
"""
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .identity import age_on
from .messages import Message

STATUS_LABELS = {
    "draft": Message("草稿"),
    "submitted": Message("待审核"),
    "approved": Message("已纳入计划"),
    "rejected": Message("未通过"),
    "open": Message("报名中"),
    "closed": Message("报名截止"),
    "drawn": Message("已抽签"),
    "scoring": Message("评分中"),
    "signed_off": Message("已签核"),
    "notice": Message("公示中"),
    "final": Message("最终成绩"),
    "cancelled": Message("已取消"),
}

# action → (states it may start from, state it leads to); enterprise-only steps are marked below.
TRANSITIONS = {
    "submit": ({"draft", "rejected"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "open": ({"draft", "approved", "closed"}, "open"),
    "close": ({"open"}, "closed"),
    "draw": ({"closed"}, "drawn"),
    "start_scoring": ({"drawn"}, "scoring"),
    "sign_off": ({"scoring"}, "signed_off"),
    "reopen": ({"signed_off", "notice"}, "scoring"),
    "publish": ({"signed_off"}, "notice"),
    "finalize": ({"notice"}, "final"),
    "cancel": ({"draft", "submitted", "approved", "rejected", "open", "closed", "drawn", "scoring"}, "cancelled"),
}
ENTERPRISE_ONLY = {"submit", "approve", "reject"}
ACTION_LABELS = {
    "submit": Message("提交审核"), "approve": Message("纳入计划"), "reject": Message("退回"),
    "open": Message("开放报名"), "close": Message("截止报名"), "draw": Message("抽签"),
    "start_scoring": Message("开始评分"), "sign_off": Message("签核"), "reopen": Message("重新开放评分"),
    "publish": Message("公示"), "finalize": Message("确认最终成绩"), "cancel": Message("取消赛项"),
}


@dataclass(frozen=True)
class Transition:
    """Whether an action may move an event on, and why not."""

    allowed: bool
    target: str | None
    reason: str | None = None


def decide_transition(action: str, status: str, kind: str) -> Transition:
    """May `action` be taken on an event of this kind in this status?"""
    if action not in TRANSITIONS:
        return Transition(False, None, Message("未知操作：%(action)s", action=action))
    sources, target = TRANSITIONS[action]
    if action in ENTERPRISE_ONLY and kind != "enterprise":
        return Transition(False, None, Message("区级赛无需提交审核。"))
    if action == "open" and kind == "enterprise" and status == "draft":
        return Transition(False, None, Message("企业赛须先经组委会纳入竞赛计划，才能开放报名。"))
    if action == "open" and kind == "district" and status == "approved":
        return Transition(False, None, Message("区级赛无需审核。"))
    if status not in sources:
        here = STATUS_LABELS.get(status, status)
        return Transition(False, None, Message("赛项当前状态为“%(status)s”，不能%(action)s。",
                                               status=here, action=ACTION_LABELS[action]))
    return Transition(True, target)


SCHEME_EDITABLE = {"draft", "submitted", "approved", "rejected", "open", "closed", "drawn"}


def scheme_locked(status: str, has_marks: bool) -> bool:
    """The scheme locks once the first mark is entered (and after scoring starts)."""
    return has_marks or status not in SCHEME_EDITABLE


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as typed: name, maximum, kind."""

    name: str
    max_score: str | Decimal | int | float | None
    kind: str


@dataclass(frozen=True)
class ModuleSpec:
    """A module as typed: name, kind, weight, criteria."""

    name: str
    kind: str
    weight: int | None
    criteria: tuple[CriterionSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SchemeCheck:
    """Problems block saving; warnings are shown but allowed (theory above 30%)."""

    problems: list[dict]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        """True when the scheme may be saved."""
        return not self.problems


def parse_max(value) -> Decimal | None:
    """A criterion maximum as Decimal with at most 2 decimals, or None when it is not one."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    exponent = number.as_tuple().exponent  # "n", "N" or "F" for NaN and infinity, else an int
    if not isinstance(exponent, int) or exponent < -2 or abs(number) >= 1000:
        return None  # also keeps quantize() away from huge exponents
    return number.quantize(Decimal("0.01"))


def check_scheme(modules: list[ModuleSpec], theory_warn_above: int = 30) -> SchemeCheck:
    """Weights are whole percents summing to 100; each module's maxima sum to 100 (RULES.md §4)."""
    problems: list[dict] = []
    if not modules:
        return SchemeCheck([{"field": "modules", "message": Message("评分方案至少需要一个考核模块。")}], [])
    for i, module in enumerate(modules):
        problems += _module_problems(i, module)
    weights = [m.weight for m in modules if isinstance(m.weight, int)]
    if len(weights) == len(modules) and sum(weights) != 100:
        problems.append({"field": "modules",
                         "message": Message("各模块权重之和应为100%%，当前为%(total)s%%。", total=sum(weights))})
    theory = sum(m.weight for m in modules if m.kind == "theory" and isinstance(m.weight, int))
    warnings: list[str] = []
    if theory > theory_warn_above:
        warnings.append(Message("理论知识权重合计%(theory)s%%，高于国家指导的%(guide)s%%。",
                                theory=theory, guide=theory_warn_above))
    return SchemeCheck(problems, warnings)


def _module_problems(i: int, module: ModuleSpec) -> list[dict]:
    """The problems of one module and its criteria."""
    where = f"modules[{i}]"
    label = module.name or Message("第%(n)s个模块", n=i + 1)
    problems = []
    if not (module.name or "").strip():
        problems.append({"field": f"{where}.name", "message": Message("第%(n)s个模块缺少名称。", n=i + 1)})
    elif len(module.name.strip()) > 60:
        problems.append({"field": f"{where}.name", "message": Message("第%(n)s个模块的名称不超过60个字符。", n=i + 1)})
    if module.kind not in ("theory", "practical"):
        problems.append({"field": f"{where}.kind",
                         "message": Message("模块“%(module)s”的类型应为理论知识或操作技能。", module=label)})
    if not isinstance(module.weight, int) or isinstance(module.weight, bool) or not 1 <= module.weight <= 100:
        problems.append({"field": f"{where}.weight",
                         "message": Message("模块“%(module)s”的权重应为1至100之间的整数百分比。", module=label)})
    if not module.criteria:
        problems.append({"field": f"{where}.criteria",
                         "message": Message("模块“%(module)s”至少需要一个评分项。", module=label)})
        return problems
    total = Decimal(0)
    for j, criterion in enumerate(module.criteria):
        spot = f"{where}.criteria[{j}]"
        maximum = parse_max(criterion.max_score)
        if not (criterion.name or "").strip():
            problems.append({"field": f"{spot}.name",
                             "message": Message("模块“%(module)s”第%(n)s个评分项缺少名称。", module=label, n=j + 1)})
        elif len(criterion.name.strip()) > 120:
            problems.append({"field": f"{spot}.name",
                             "message": Message("模块“%(module)s”第%(n)s个评分项的名称不超过120个字符。",
                                                module=label, n=j + 1)})
        if criterion.kind not in ("measurement", "judgement"):
            problems.append({"field": f"{spot}.kind",
                             "message": Message("评分项“%(criterion)s”的类型应为测量或评价。", criterion=criterion.name)})
        if maximum is None or not Decimal(0) < maximum <= 100:
            problems.append({"field": f"{spot}.max_score",
                             "message": Message("评分项“%(criterion)s”的满分应为大于0、不超过100、最多两位小数的数。",
                                                criterion=criterion.name)})
        else:
            total += maximum
    if total != 100 and not any(p["field"].endswith("max_score") for p in problems):
        problems.append({"field": f"{where}.criteria",
                         "message": Message("模块“%(module)s”各评分项满分之和应为100，当前为%(total)s。",
                                            module=label, total=format(total.normalize(), "f"))})
    return problems


def check_enrolment_window(status: str, deadline: date, today: date) -> str | None:
    """Registration is possible only while the event is open and the deadline has not passed."""
    if status != "open":
        return Message("赛项当前状态为“%(status)s”，不在报名期内。", status=STATUS_LABELS.get(status, status))
    if today > deadline:
        return Message("报名已于 %(deadline)s 截止。", deadline=deadline.isoformat())
    return None


def check_age(birth_date: date, event_date: date, min_age: int | None, max_age: int | None) -> str | None:
    """Age on the event date must lie within the event's limits, when it has them."""
    age = age_on(birth_date, event_date)
    if min_age is not None and age < min_age:
        return Message("比赛当日年龄%(age)s岁，低于最低年龄%(min_age)s岁。", age=age, min_age=min_age)
    if max_age is not None and age > max_age:
        return Message("比赛当日年龄%(age)s岁，超过最高年龄%(max_age)s岁。", age=age, max_age=max_age)
    return None


def draw_numbers(entry_ids: list[int], seed: str) -> dict[int, str]:
    """Distinct competition numbers 001, 002, … in an order shuffled by the seed; reproducible."""
    ordered = sorted(entry_ids)
    random.Random(seed).shuffle(ordered)
    width = max(3, len(str(len(ordered))))
    return {entry_id: str(i + 1).zfill(width) for i, entry_id in enumerate(ordered)}
