"""Policy versions (RULES.md §12): the figures in force on a date."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..errors import Duplicate, Invalid, InvalidState, NotAllowed
from ..extensions import db
from ..models import FIRST_POLICY_DATE, FOUNDING_FIGURES, PolicyVersion
from ..permissions import can_manage_policy
from .audit import Actor, record, snapshot
from .common import flush_unique


def ensure_founding_policy() -> PolicyVersion:
    """The first version, effective 2012-12-05, created if missing (the migration also creates it)."""
    first = db.session.scalar(db.select(PolicyVersion).where(PolicyVersion.effective_from == FIRST_POLICY_DATE))
    if first is None:
        first = PolicyVersion(effective_from=FIRST_POLICY_DATE, note="吴政规字〔2012〕13号", **FOUNDING_FIGURES)
        db.session.add(first)
        db.session.flush()
    return first


def policy_in_force(on: date) -> PolicyVersion | None:
    """The version whose effective date is the latest on or before the given day."""
    return db.session.scalar(
        db.select(PolicyVersion).where(PolicyVersion.effective_from <= on)
        .order_by(PolicyVersion.effective_from.desc()).limit(1)
    )


def policy_figure(on: date, name: str) -> int:
    """One policy figure in force on a day (the founding figure before any version exists)."""
    policy = policy_in_force(on)
    return getattr(policy, name) if policy is not None else FOUNDING_FIGURES[name]


def policy_period(version_id: int) -> tuple[date, date | None]:
    """The days a version is in force: from its effective date to the next version's (None: still in force)."""
    start = db.session.scalar(db.select(PolicyVersion.effective_from).where(PolicyVersion.id == version_id))
    following = db.session.scalar(db.select(db.func.min(PolicyVersion.effective_from))
                                  .where(PolicyVersion.effective_from > start))
    return start, following


def list_policy_versions() -> list[PolicyVersion]:
    """Every version, newest first."""
    return list(db.session.scalars(db.select(PolicyVersion).order_by(PolicyVersion.effective_from.desc())))


# Each kind of decision that records the policy version it used registers a counter `version_id -> uses`
# (subsidy claims, 技术能手 nominations): a used version can no longer be edited.
POLICY_USES: list[Callable[[int], int]] = []
FIGURE_LIMITS = {  # name: (lowest, highest, Chinese name)
    "participant_threshold": (1, 100000, "参赛人数门槛"),
    "subsidy_amount": (0, 10**9, "竞赛经费补贴金额"),
    "subsidies_per_enterprise_year": (0, 100, "每企业每年补贴次数"),
    "expert_subsidy": (0, 10**9, "技术能手补贴"),
    "nomination_quota": (1, 1000, "技术能手推荐名额"),
    "pass_mark": (0, 100, "合格分数线"),
    "notice_working_days": (0, 60, "公示工作日"),
}
POLICY_FIELDS = ("effective_from", *FOUNDING_FIGURES, "note")


@dataclass(frozen=True)
class PolicyData:
    """A version's effective date, figures and note, as typed or sent."""

    effective_from: date
    figures: dict[str, int]
    note: str | None = None


def register_policy_use(counter: Callable[[int], int]) -> Callable[[int], int]:
    """Count one kind of decision against the versions it used (used as a decorator)."""
    POLICY_USES.append(counter)
    return counter


def policy_uses(version_id: int) -> int:
    """How many recorded decisions used a version."""
    return sum(counter(version_id) for counter in POLICY_USES)


def policy_for_event(event) -> PolicyVersion:
    """The version in force on the event's date (the founding version for a date before it)."""
    return policy_in_force(event.event_date) or ensure_founding_policy()


def editable(version: PolicyVersion, today: date) -> bool:
    """Only a version not yet in force and used by no decision may be edited; any other change is a new version."""
    return version.effective_from > today and policy_uses(version.id) == 0


def _clean_policy(data: PolicyData, exclude_id: int | None) -> PolicyData:
    """Validate the figures and the date, and refuse a second version on the same date."""
    problems = []
    if not isinstance(data.effective_from, date) or data.effective_from < FIRST_POLICY_DATE:
        problems.append({"field": "effective_from", "message": f"生效日期不能早于 {FIRST_POLICY_DATE}。"})
    for name, (low, high, label) in FIGURE_LIMITS.items():
        value = data.figures.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append({"field": name, "message": f"{label}应为 {low} 至 {high} 之间的整数。"})
    note = (data.note or "").strip() or None
    if note is not None and len(note) > 500:
        problems.append({"field": "note", "message": "备注最多500个字符。"})
    if problems:
        raise Invalid("政策参数有误，请修改后重试。", details=problems)
    query = db.select(PolicyVersion.id).where(PolicyVersion.effective_from == data.effective_from)
    if exclude_id is not None:
        query = query.where(PolicyVersion.id != exclude_id)
    if db.session.scalar(query):
        message = f"{data.effective_from} 生效的版本已存在。"
        raise Duplicate(message, details=[{"field": "effective_from", "message": message}])
    return PolicyData(data.effective_from, {n: data.figures[n] for n in FOUNDING_FIGURES}, note)


def create_policy_version(actor: Actor, data: PolicyData) -> PolicyVersion:
    """Add a version effective from a date (administrators); audited."""
    if not can_manage_policy(actor.user):
        raise NotAllowed("只有系统管理员可以维护政策参数。")
    clean = _clean_policy(data, None)
    version = PolicyVersion(effective_from=clean.effective_from, note=clean.note, created_by_id=actor.user_id,
                            **clean.figures)
    db.session.add(version)
    flush_unique(f"{clean.effective_from} 生效的版本已存在。")
    record(actor, "policy.create", version, after=snapshot(version, POLICY_FIELDS))
    return version


def update_policy_version(actor: Actor, version: PolicyVersion, data: PolicyData, today: date) -> PolicyVersion:
    """Edit a future version no decision has used; a version in force or used is refused (409)."""
    if not can_manage_policy(actor.user):
        raise NotAllowed("只有系统管理员可以维护政策参数。")
    if policy_uses(version.id):
        raise InvalidState("该政策版本已被补贴或推荐决定使用，不能修改；如需调整，请新增一个版本。", code="policy_used")
    if version.effective_from <= today:
        raise InvalidState("该政策版本已经生效，不能修改；如需调整，请新增一个版本。", code="policy_in_force")
    clean = _clean_policy(data, version.id)
    before = snapshot(version, POLICY_FIELDS)
    version.effective_from, version.note = clean.effective_from, clean.note
    for name, value in clean.figures.items():
        setattr(version, name, value)
    flush_unique(f"{clean.effective_from} 生效的版本已存在。")
    record(actor, "policy.update", version, before=before, after=snapshot(version, POLICY_FIELDS))
    return version
