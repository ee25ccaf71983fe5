"""Higher-level competitions and the delegates the league sends to them (选送, RULES.md §16).

Organisers record a competition beyond the district (市级, 省级, 国家级, 世界级, 行业协会), choose its delegates from the
league's results (one entry, or every prize winner of a final event in one action) or add a person by ID number, each
with the enterprise that sends them, and record each delegate's result. Recording a result proposes the rewards that
the schedule of the policy version in force on the competition's day gives: one for the person, one for the sending
unit. A result may be recorded again while its rewards are only proposed (they are replaced); once one is decided,
the result stands (409 rewards_decided).
"""
from dataclasses import dataclass
from datetime import date

from ...errors import Duplicate, Invalid, InvalidState, NotFound
from ...extensions import db
from ...models import (Certificate, CertificateKind, CompetitionLevel, Delegate, Enterprise, Entry, Event, EventStatus,
                       ExternalCompetition, Person, Reward, RewardKind, RewardState, Season, utcnow)
from ...rules.identity import check_id_number, check_person_name
from ...rules.league import LEVELS, PRIZE_LENGTH, reward_line, schedule_from_data
from ...rules.messages import Message, clauses
from ..audit import Actor, record, snapshot
from ..common import flush_unique
from ..events.entries import find_or_create_person
from ..policy import ensure_founding_policy, policy_in_force
from .rewards import REWARD_FIELDS

COMPETITION_FIELDS = ("season_id", "name", "level", "occupation", "held_on", "organised_by")
DELEGATE_FIELDS = ("competition_id", "person_id", "entry_id", "sending_enterprise_id", "result_prize", "result_rank")
ALREADY_SENT = Message("该选手已在本赛事的选送名单中。")


@dataclass(frozen=True)
class CompetitionData:
    """A higher-level competition as typed or sent."""

    season_id: int | None
    name: str | None
    level: str | None
    occupation: str | None
    held_on: date | None
    organised_by: str | None = None


def _text(value: str | None, low: int, high: int) -> str | None:
    """Trimmed text when its length is within bounds, else None."""
    text = (value or "").strip()
    return text if low <= len(text) <= high else None


def create_competition(actor: Actor, data: CompetitionData) -> ExternalCompetition:
    """Record a competition beyond the district (400 naming each wrong field otherwise)."""
    problems = []
    season = db.session.get(Season, data.season_id) if isinstance(data.season_id, int) else None
    if season is None:
        problems.append({"field": "season_id", "message": Message("请选择联赛年度。")})
    name, occupation = _text(data.name, 2, 120), _text(data.occupation, 1, 60)
    if name is None:
        problems.append({"field": "name", "message": Message("请填写赛事名称（2至120个字符）。")})
    if data.level not in LEVELS:
        problems.append({"field": "level", "message": Message("请选择赛事级别。")})
    if occupation is None:
        problems.append({"field": "occupation", "message": Message("请填写职业（工种）（最多60个字符）。")})
    if not isinstance(data.held_on, date):
        problems.append({"field": "held_on", "message": Message("请填写举办日期。")})
    elif season is not None and data.held_on.year != season.year:
        problems.append({"field": "held_on", "message": Message("举办日期应在 %(year)s 年内（所选联赛年度）。",
                                                                year=season.year)})
    organised_by = (data.organised_by or "").strip() or None
    if organised_by is not None and len(organised_by) > 120:
        problems.append({"field": "organised_by", "message": Message("主办单位最多120个字符。")})
    if problems or season is None:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    competition = ExternalCompetition(season_id=season.id, name=name, level=CompetitionLevel(data.level),
                                      occupation=occupation, held_on=data.held_on, organised_by=organised_by,
                                      created_by_id=actor.user_id)
    db.session.add(competition)
    db.session.flush()
    record(actor, "competition.create", competition, after=snapshot(competition, COMPETITION_FIELDS))
    return competition


def _sending(enterprise_id: int | None, fallback: int | None) -> int:
    """The sending enterprise: the one named, else the fallback (the entry's employer); 400 when neither exists."""
    chosen = enterprise_id if enterprise_id is not None else fallback
    if chosen is None or db.session.get(Enterprise, chosen) is None:
        message = Message("请选择选送单位（企业）。") if chosen is None else Message("所选选送单位不存在。")
        raise Invalid(message, details=[{"field": "sending_enterprise_id", "message": message}])
    return chosen


def _add(actor: Actor, competition: ExternalCompetition, person_id: int, entry_id: int | None,
         sending_enterprise_id: int) -> Delegate:
    """Add one delegate (409 duplicate when the person is already sent to this competition)."""
    if db.session.scalar(db.select(Delegate.id).where(Delegate.competition_id == competition.id,
                                                      Delegate.person_id == person_id)):
        raise Duplicate(ALREADY_SENT)
    delegate = Delegate(competition_id=competition.id, person_id=person_id, entry_id=entry_id,
                        sending_enterprise_id=sending_enterprise_id, created_by_id=actor.user_id)
    db.session.add(delegate)
    flush_unique(ALREADY_SENT)
    record(actor, "delegate.add", delegate, after=snapshot(delegate, DELEGATE_FIELDS))
    return delegate


def add_from_entry(actor: Actor, competition: ExternalCompetition, entry_id: int | None,
                   sending_enterprise_id: int | None = None) -> Delegate:
    """Send a contestant of a final league event: the entry's employer sends them unless another is named."""
    entry = db.session.get(Entry, entry_id) if isinstance(entry_id, int) else None
    if entry is None:
        raise NotFound(Message("报名记录不存在。"))
    event = db.session.get_one(Event, entry.event_id)
    if event.status is not EventStatus.FINAL:
        raise InvalidState(Message("只能从成绩已确认的赛项中选送选手。"), code="event_not_final")
    return _add(actor, competition, entry.person_id, entry.id, _sending(sending_enterprise_id, entry.employer_id))


def add_by_id_number(actor: Actor, competition: ExternalCompetition, id_number: str | None, name: str | None,
                     sending_enterprise_id: int | None = None) -> Delegate:
    """Send a person by ID number and name (one person per ID number: an existing one is reused, and the name must
    match); the sending enterprise is the one named, else the employer of their latest league entry."""
    checked_id, checked_name = check_id_number(id_number), check_person_name(name)
    problems = [{"field": f, "message": c.error or ""} for f, c in (("id_number", checked_id), ("name", checked_name))
                if not c.ok]
    if problems:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    person = db.session.scalar(db.select(Person).where(Person.id_number == checked_id.passed_value))
    if person is not None and person.name != checked_name.passed_value:
        message = Message("该身份证号码已登记为另一姓名，请核对。")
        raise Invalid(message, details=[{"field": "name", "message": message}])
    latest = None
    if person is not None:
        latest = db.session.scalar(db.select(Entry.employer_id).where(Entry.person_id == person.id,
                                                                      Entry.employer_id.is_not(None))
                                   .order_by(Entry.id.desc()).limit(1))
    sending = _sending(sending_enterprise_id, latest)
    person = person or find_or_create_person(checked_name.passed_value, checked_id.passed_value, None)
    return _add(actor, competition, person.id, None, sending)


def add_event_winners(actor: Actor, competition: ExternalCompetition, event: Event) -> list[Delegate]:
    """Send every prize winner of a final league event in one action (those already sent are skipped), each by
    their employer; a winner without an employer is skipped too (named in the audit row)."""
    if event.status is not EventStatus.FINAL:
        raise InvalidState(Message("只能从成绩已确认的赛项中选送选手。"), code="event_not_final")
    winners = db.session.execute(
        db.select(Entry.id, Entry.person_id, Entry.employer_id).join(Certificate, Certificate.entry_id == Entry.id)
        .where(Certificate.event_id == event.id, Certificate.kind == CertificateKind.PRIZE)
        .order_by(Certificate.prize_tier, Certificate.serial)).all()
    sent = set(db.session.scalars(db.select(Delegate.person_id).where(Delegate.competition_id == competition.id)))
    added, skipped = [], []
    for entry_id, person_id, employer_id in winners:
        if person_id in sent or employer_id is None:
            skipped.append(entry_id)
            continue
        delegate = Delegate(competition_id=competition.id, person_id=person_id, entry_id=entry_id,
                            sending_enterprise_id=employer_id, created_by_id=actor.user_id)
        db.session.add(delegate)
        added.append(delegate)
        sent.add(person_id)
    flush_unique(ALREADY_SENT)
    record(actor, "delegate.add_winners", competition, after={
        "event_id": event.id, "delegates": [d.id for d in added], "skipped_entries": skipped})
    return added


def remove_delegate(actor: Actor, delegate: Delegate) -> None:
    """Take a delegate off the list before any result is recorded (409 result_recorded after)."""
    if delegate.result_recorded_at is not None:
        raise InvalidState(Message("已登记比赛成绩的选手不能移出选送名单。"), code="result_recorded")
    record(actor, "delegate.remove", delegate, before=snapshot(delegate, DELEGATE_FIELDS))
    db.session.delete(delegate)
    db.session.flush()


def _schedule_for(competition: ExternalCompetition):
    """The policy version in force on the competition's day, and its reward schedule."""
    version = policy_in_force(competition.held_on) or ensure_founding_policy()
    return version, schedule_from_data(version.rewards)


def record_result(actor: Actor, delegate: Delegate, prize: str | None, rank: int | None) -> list[Reward]:
    """Record a delegate's result (a prize, a rank, both, or neither: took part without a prize) and propose the
    schedule's rewards for it: to the person and to the sending unit. Returns the rewards proposed."""
    prize = (prize or "").strip() or None
    problems = []
    if prize is not None and len(prize) > PRIZE_LENGTH:
        problems.append({"field": "prize", "message": Message("奖项最多%(max)s个字。", max=PRIZE_LENGTH)})
    if rank is not None and (not isinstance(rank, int) or isinstance(rank, bool) or not 1 <= rank <= 100000):
        problems.append({"field": "rank", "message": Message("名次应为正整数。")})
    if problems:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    db.session.execute(db.select(Delegate).where(Delegate.id == delegate.id).with_for_update(of=Delegate)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched, or nothing is re-read
    earlier = list(db.session.scalars(db.select(Reward).where(Reward.delegate_id == delegate.id)))
    if any(r.state is not RewardState.PROPOSED for r in earlier):
        raise InvalidState(Message("该选手的奖励已经审批，比赛成绩不能再修改。"), code="rewards_decided")
    before = snapshot(delegate, DELEGATE_FIELDS)
    for reward in earlier:
        record(actor, "reward.withdraw", reward, before=snapshot(reward, REWARD_FIELDS),
               message=Message("比赛成绩重新登记，原奖励建议撤回。"))
        db.session.delete(reward)
    db.session.flush()
    delegate.result_prize, delegate.result_rank = prize, rank
    delegate.result_recorded_at, delegate.result_recorded_by_id = utcnow(), actor.user_id
    db.session.flush()
    record(actor, "delegate.result", delegate, before=before, after=snapshot(delegate, DELEGATE_FIELDS))
    return _propose(actor, delegate)


def _propose(actor: Actor, delegate: Delegate) -> list[Reward]:
    """The schedule's rewards for a recorded result, proposed (none when the schedule gives nothing)."""
    competition = delegate.competition
    version, schedule = _schedule_for(competition)
    line = reward_line(schedule, competition.level.value, delegate.result_prize)
    if line is None:
        return []
    basis = Message("%(competition)s（%(level)s）%(prize)s", competition=competition.name,
                    level=LEVELS[competition.level.value], prize=delegate.result_prize)
    proposed = []
    for kind, amount in ((RewardKind.INDIVIDUAL, line.individual), (RewardKind.SENDING_UNIT, line.sending_unit)):
        if amount <= 0:
            continue
        reward = Reward(season_id=competition.season_id, kind=kind, delegate_id=delegate.id,
                        person_id=delegate.person_id if kind is RewardKind.INDIVIDUAL else None,
                        enterprise_id=delegate.sending_enterprise_id, policy_version_id=version.id, amount=amount,
                        basis=str(basis)[:500], created_by_id=actor.user_id)
        db.session.add(reward)
        proposed.append(reward)
    db.session.flush()
    for reward in proposed:
        record(actor, "reward.propose", reward, after=snapshot(reward, REWARD_FIELDS))
    return proposed


def competitions(season_id: int | None = None) -> list[ExternalCompetition]:
    """Recorded competitions, latest first (one season's, or all)."""
    query = db.select(ExternalCompetition).order_by(ExternalCompetition.held_on.desc(), ExternalCompetition.id.desc())
    if season_id is not None:
        query = query.where(ExternalCompetition.season_id == season_id)
    return list(db.session.scalars(query))


def delegates_of(competition_id: int | None = None, enterprise_id: int | None = None) -> list[Delegate]:
    """Delegates of one competition, or those an enterprise sent (its own view), latest competition first."""
    query = (db.select(Delegate).join(ExternalCompetition, ExternalCompetition.id == Delegate.competition_id)
             .order_by(ExternalCompetition.held_on.desc(), Delegate.id))
    if competition_id is not None:
        query = query.where(Delegate.competition_id == competition_id)
    if enterprise_id is not None:
        query = query.where(Delegate.sending_enterprise_id == enterprise_id)
    return list(db.session.scalars(query))


def final_events(season_id: int) -> list[Event]:
    """The season's final league events, latest first: where delegates come from."""
    return list(db.session.scalars(db.select(Event).where(Event.season_id == season_id,
                                                          Event.status == EventStatus.FINAL)
                                   .order_by(Event.event_date.desc(), Event.id.desc())))


def delegate_counts(competitions: list[ExternalCompetition]) -> dict[int, tuple[int, int]]:
    """Delegates and recorded results per competition, in one statement."""
    if not competitions:
        return {}
    rows = db.session.execute(
        db.select(Delegate.competition_id, db.func.count(Delegate.id), db.func.count(Delegate.result_recorded_at))
        .where(Delegate.competition_id.in_([c.id for c in competitions])).group_by(Delegate.competition_id))
    return {competition_id: (sent, results) for competition_id, sent, results in rows}


def rewards_by_delegate(delegates: list[Delegate]) -> dict[int, list[Reward]]:
    """The rewards each delegate's result proposed, by delegate."""
    found: dict[int, list[Reward]] = {}
    if delegates:
        for reward in db.session.scalars(db.select(Reward).where(Reward.delegate_id.in_([d.id for d in delegates]))
                                         .order_by(Reward.kind, Reward.id)):
            found.setdefault(reward.delegate_id, []).append(reward)
    return found


def entry_sources(delegates: list[Delegate]) -> dict[int, tuple]:
    """The league event and competition number each delegate was chosen from, by entry id."""
    entry_ids = [d.entry_id for d in delegates if d.entry_id is not None]
    if not entry_ids:
        return {}
    rows = db.session.execute(db.select(Entry.id, Entry.number, Event.id, Event.name)
                              .join(Event, Event.id == Entry.event_id).where(Entry.id.in_(entry_ids)))
    return {entry_id: (number, event_id, name) for entry_id, number, event_id, name in rows}
