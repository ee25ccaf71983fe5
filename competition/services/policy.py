"""Policy versions (RULES.md §12): the figures in force on a date."""
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import Duplicate, Invalid, InvalidState
from ..extensions import db
from ..models import (FIRST_POLICY_DATE, FOUNDING_FIGURES, Event, EventStatus, Nomination, NominationRoute,
                      NominationState, PolicyVersion, Reward)
from ..models.types import beijing_day
from ..rules.league import (RewardLine, StandingPoints, check_reward_schedule, check_standing_points,
                            clean_reward_schedule, clean_standing_points)
from ..rules.messages import Message, listing
from ..rules.prizes import TierSpec, check_tiers, clean_tiers, default_tiers_data, tiers_to_data
from .audit import Actor, record, snapshot
from .common import flush_unique


def ensure_founding_policy() -> PolicyVersion:
    """The first version, effective 2012-12-05, created if missing (the migration also creates it)."""
    first = db.session.scalar(db.select(PolicyVersion).where(PolicyVersion.effective_from == FIRST_POLICY_DATE))
    if first is None:
        first = PolicyVersion(effective_from=FIRST_POLICY_DATE, note=Message("吴政规字〔2012〕13号"), **FOUNDING_FIGURES)
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


FIGURE_LIMITS = {  # name: (lowest, highest, Chinese name)
    "participant_threshold": (1, 100000, Message("参赛人数门槛")),
    "subsidy_amount": (0, 10**9, Message("竞赛经费补贴金额")),
    "subsidies_per_enterprise_year": (0, 100, Message("每企业每年补贴次数")),
    "expert_subsidy": (0, 10**9, Message("技术能手补贴")),
    "nomination_quota": (1, 1000, Message("技术能手推荐名额")),
    "pass_mark": (0, 100, Message("合格分数线")),
    "notice_working_days": (0, 60, Message("公示工作日")),
}
POLICY_FIELDS = ("effective_from", *FOUNDING_FIGURES, "prize_tiers", "standing_points", "rewards", "note")


@dataclass(frozen=True)
class PolicyData:
    """A version's effective date, figures and note, as typed or sent; its default prize tiers (RULES.md §15), its
    standings points and reward schedule (§16, as sent: a dict and a list of dicts), each None to keep them (an edit)
    or to take those of the version it follows (a new version)."""

    effective_from: date
    figures: dict[str, int]
    note: str | None = None
    prize_tiers: tuple[TierSpec, ...] | None = None
    standing_points: Any = None
    rewards: Any = None


def policy_uses(version_id: int) -> int:
    """How many decisions used a version (such a version can no longer be edited), listed here and nowhere else
    (issue 17): the events it governs, pinned by their first decision (approval, sign-off, claim, nomination),
    the enterprise recommendations whose titles its subsidy paid, and the rewards its schedule proposed."""
    return events_pinned(version_id) + recommendations_governed(version_id) + rewards_proposed(version_id)


def rewards_proposed(version_id: int) -> int:
    """Rewards a version's schedule proposed (RULES.md §16)."""
    return db.session.scalar(db.select(db.func.count(Reward.id)).where(Reward.policy_version_id == version_id)) or 0


def policy_day(nomination: Nomination) -> date:
    """The day whose policy governs a nomination: its event's date, else the recommendation's day within
    the season's year."""
    if nomination.event is not None:
        return nomination.event.event_date
    year = nomination.season.year
    return min(max(beijing_day(nomination.created_at), date(year, 1, 1)), date(year, 12, 31))


def recommendations_governed(version_id: int) -> int:
    """Approved enterprise recommendations (no event) whose day falls in the version's period."""
    start, end = policy_period(version_id)
    recommended = db.session.scalars(db.select(Nomination).where(
        Nomination.route == NominationRoute.ENTERPRISE, Nomination.state == NominationState.APPROVED,
        Nomination.event_id.is_(None)))
    return sum(1 for n in recommended if start <= policy_day(n) and (end is None or policy_day(n) < end))


def policy_for_event(event) -> PolicyVersion:
    """The version that governs an event: the one pinned by its first decision, else the one in force on its date
    (the founding version for a date before it)."""
    if event.policy_version_id is not None:
        return db.session.get_one(PolicyVersion, event.policy_version_id)  # a foreign key: the row exists
    return policy_in_force(event.event_date) or ensure_founding_policy()


def pin_policy(event) -> PolicyVersion:
    """Pin the version that governs an event, at the first decision that uses it (approval into the plan,
    sign-off, a subsidy claim, a nomination: issue 16); a later version, even back-dated, never changes it."""
    version = policy_for_event(event)
    if event.policy_version_id is None:
        event.policy_version_id = version.id
    return version


def repin_for_date(event) -> None:
    """An event whose date changes before sign-off, without a claim or nomination, is governed by the version in
    force on its new date (its approval is re-read under it); a signed-off event's date does not change."""
    if event.policy_version_id is not None:
        event.policy_version_id = None
        pin_policy(event)


def events_pinned(version_id: int) -> int:
    """Events whose decisions pinned a version (such a version can no longer be edited)."""
    return db.session.scalar(db.select(db.func.count(Event.id)).where(Event.policy_version_id == version_id)) or 0


@dataclass(frozen=True)
class GovernedEvent:
    """An event a new version would govern: not yet pinned, dated within the version's period."""

    id: int
    name: str
    event_date: date
    status: str

    def detail(self) -> dict:
        """The confirmation's detail naming the event."""
        return {"field": "effective_from", "event_id": self.id, "event_date": self.event_date.isoformat(),
                "message": Message("赛项「%(name)s」（%(date)s）", name=self.name, date=self.event_date)}


def events_governed(effective_from: date, exclude_id: int | None = None) -> list[GovernedEvent]:
    """The unpinned, not cancelled events a version effective from a day would govern: dated from that day until
    the next version's date. Pinned events keep their version."""
    following = db.select(db.func.min(PolicyVersion.effective_from)).where(PolicyVersion.effective_from > effective_from)
    if exclude_id is not None:
        following = following.where(PolicyVersion.id != exclude_id)
    end = db.session.scalar(following)
    query = (db.select(Event.id, Event.name, Event.event_date, Event.status)
             .where(Event.policy_version_id.is_(None), Event.status != EventStatus.CANCELLED,
                    Event.event_date >= effective_from)
             .order_by(Event.event_date, Event.id))
    if end is not None:
        query = query.where(Event.event_date < end)
    return [GovernedEvent(row.id, row.name, row.event_date, row.status.value) for row in db.session.execute(query)]


def _confirm_backdated(data: PolicyData, today: date | None, confirmed: bool, exclude_id: int | None) -> None:
    """A version whose effect starts before today needs an explicit confirmation naming the events it would govern
    (only unpinned ones: decided events keep their version); 409 confirm_backdated otherwise."""
    if today is None or confirmed or not isinstance(data.effective_from, date) or data.effective_from >= today:
        return
    governed = events_governed(data.effective_from, exclude_id)
    if governed:
        names = listing(Message("「%(name)s」", name=g.name) for g in governed[:10])
        if len(governed) > 10:
            names = Message("%(names)s等 %(count)s 个赛项", names=names, count=len(governed))
        message = Message("生效日期 %(date)s 早于今天（%(today)s）。新版本将适用于尚未确定政策版本的赛项：%(events)s；"
                          "已作出决定的赛项保持原版本。请确认后再保存。", date=data.effective_from, today=today, events=names)
    else:
        message = Message("生效日期 %(date)s 早于今天（%(today)s）。没有尚未确定政策版本的赛项会采用它；"
                          "已作出决定的赛项保持原版本。请确认后再保存。", date=data.effective_from, today=today)
    raise InvalidState(message, code="confirm_backdated",
                       details=[g.detail() for g in governed] or [{"field": "effective_from", "message": message}])


def editable(version: PolicyVersion, today: date) -> bool:
    """Only a version not yet in force and used by no decision may be edited; any other change is a new version."""
    return version.effective_from > today and policy_uses(version.id) == 0


def _clean_policy(data: PolicyData, exclude_id: int | None) -> PolicyData:
    """Validate the figures and the date, and refuse a second version on the same date."""
    problems = []
    if not isinstance(data.effective_from, date) or data.effective_from < FIRST_POLICY_DATE:
        problems.append({"field": "effective_from",
                         "message": Message("生效日期不能早于 %(date)s。", date=FIRST_POLICY_DATE)})
    for name, (low, high, label) in FIGURE_LIMITS.items():
        value = data.figures.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append({"field": name, "message": Message("%(label)s应为 %(low)s 至 %(high)s 之间的整数。",
                                                               label=label, low=low, high=high)})
    note = (data.note or "").strip() or None
    if note is not None and len(note) > 500:
        problems.append({"field": "note", "message": Message("备注最多500个字符。")})
    if data.prize_tiers is not None:
        problems += check_tiers(data.prize_tiers)
    if data.standing_points is not None:
        problems += check_standing_points(data.standing_points)
    if data.rewards is not None:
        problems += check_reward_schedule(data.rewards)
    if problems:
        raise Invalid(Message("政策参数有误，请修改后重试。"), details=problems)
    query = db.select(PolicyVersion.id).where(PolicyVersion.effective_from == data.effective_from)
    if exclude_id is not None:
        query = query.where(PolicyVersion.id != exclude_id)
    if db.session.scalar(query):
        message = Message("%(date)s 生效的版本已存在。", date=data.effective_from)
        raise Duplicate(message, details=[{"field": "effective_from", "message": message}])
    tiers = clean_tiers(data.prize_tiers) if data.prize_tiers is not None else None
    points = clean_standing_points(data.standing_points) if data.standing_points is not None else None
    rewards = clean_reward_schedule(data.rewards) if data.rewards is not None else None
    return PolicyData(data.effective_from, {n: data.figures[n] for n in FOUNDING_FIGURES}, note, tiers, points, rewards)


def _league_data(clean: PolicyData, before: PolicyVersion | None) -> dict:
    """The standings points and reward schedule to store: those sent, else those kept (an edit) or inherited (a new
    version: the version it follows, else the league's defaults and no schedule)."""
    points: StandingPoints | None = clean.standing_points
    rewards: tuple[RewardLine, ...] | None = clean.rewards
    return {"standing_points": points.to_data() if points is not None else
            dict(before.standing_points) if before is not None else StandingPoints().to_data(),
            "rewards": [line.to_data() for line in rewards] if rewards is not None else
            list(before.rewards) if before is not None else []}


def _inherited_tiers(effective_from: date) -> list:
    """A new version's prize tiers when none are given: those of the version it follows, else the league's default."""
    before = policy_in_force(effective_from)
    return list(before.prize_tiers) if before is not None else default_tiers_data()


def create_policy_version(actor: Actor, data: PolicyData, today: date | None = None, *,
                          confirm_backdated: bool = False) -> PolicyVersion:
    """Add a version effective from a date (administrators); audited. One effective before `today` needs
    confirm_backdated (409 confirm_backdated naming the unpinned events it would govern)."""
    clean = _clean_policy(data, None)
    _confirm_backdated(clean, today, confirm_backdated, None)
    tiers = tiers_to_data(clean.prize_tiers) if clean.prize_tiers is not None else _inherited_tiers(clean.effective_from)
    version = PolicyVersion(effective_from=clean.effective_from, note=clean.note, created_by_id=actor.user_id,
                            prize_tiers=tiers, **_league_data(clean, policy_in_force(clean.effective_from)),
                            **clean.figures)
    db.session.add(version)
    flush_unique(Message("%(date)s 生效的版本已存在。", date=clean.effective_from))
    record(actor, "policy.create", version, after=snapshot(version, POLICY_FIELDS))
    return version


def update_policy_version(actor: Actor, version: PolicyVersion, data: PolicyData, today: date, *,
                          confirm_backdated: bool = False) -> PolicyVersion:
    """Edit a future version no decision has used; a version in force or used is refused (409), and moving its date
    before today needs the confirmation a new back-dated version needs."""
    if policy_uses(version.id):
        raise InvalidState(Message("该政策版本已被补贴、推荐或奖励决定使用，不能修改；如需调整，请新增一个版本。"),
                           code="policy_used")
    if version.effective_from <= today:
        raise InvalidState(Message("该政策版本已经生效，不能修改；如需调整，请新增一个版本。"), code="policy_in_force")
    clean = _clean_policy(data, version.id)
    _confirm_backdated(clean, today, confirm_backdated, version.id)
    before = snapshot(version, POLICY_FIELDS)
    version.effective_from, version.note = clean.effective_from, clean.note
    for name, value in clean.figures.items():
        setattr(version, name, value)
    if clean.prize_tiers is not None:
        version.prize_tiers = tiers_to_data(clean.prize_tiers)
    league = _league_data(clean, version)
    version.standing_points, version.rewards = league["standing_points"], league["rewards"]
    flush_unique(Message("%(date)s 生效的版本已存在。", date=clean.effective_from))
    record(actor, "policy.update", version, before=before, after=snapshot(version, POLICY_FIELDS))
    return version
