"""技术能手 nominations (RULES.md §11): proposed from final results, recommended by employers, decided by organisers.

When an event becomes final, `propose_for_event` turns its frozen snapshot into proposed
nominations and excluded candidates (rows in state `excluded`, with the rule's reason code and
message), through rules.nominations.select_nominees. An enterprise recommends one of its employees
with `recommend`. An organiser approves (the title for the season's year and the policy's
expert_subsidy, counted in the season budget) or rejects with a reason. The database refuses a second
title for a person and a second live nomination per person and season, so two concurrent approvals
award one title and one subsidy; the loser gets a 409.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from ...errors import Duplicate, Invalid, InvalidState, NotAllowed
from ...extensions import db
from ...models import Entry, Event, ExpertTitle, Nomination, NominationRoute, NominationState, Role, Season, utcnow
from ...rules.identity import check_id_number, check_person_name
from ...rules.messages import Message
from ...rules.nominations import Candidate, ModuleScore, Selection, person_reason, select_nominees
from ..audit import Actor, record
from ..money.budget import require_within_budget
from ..events.entries import find_or_create_person
from ..marking.facts import beijing_today
from ..policy import pin_policy, policy_day, policy_figure, policy_for_event
from ..results.snapshots import current_snapshot
from ..certificates.issue import issue_title_certificate

LIVE = (NominationState.PROPOSED, NominationState.APPROVED)
JUSTIFICATION_MAX = 2000


def holders_among(person_ids) -> set[int]:
    """Which of these persons already hold the title, from any year."""
    ids = set(person_ids)
    if not ids:
        return set()
    return set(db.session.scalars(db.select(ExpertTitle.person_id).where(ExpertTitle.person_id.in_(ids))))


def nominated_in_season(season_id: int, person_ids) -> set[int]:
    """Which of these persons already have a proposed or approved nomination in the season."""
    ids = set(person_ids)
    if not ids:
        return set()
    return set(db.session.scalars(db.select(Nomination.person_id).where(
        Nomination.season_id == season_id, Nomination.person_id.in_(ids), Nomination.state.in_(LIVE))))


def _candidates(event, rows: list[dict]) -> tuple[list[Candidate], dict[int, Entry]]:
    """The snapshot rows as rule candidates, and the entries they came from (by entry id)."""
    entries = {e.id: e for e in db.session.scalars(db.select(Entry).where(Entry.event_id == event.id))}
    candidates = [Candidate(row["entry_id"], entries[row["entry_id"]].person_id, row["rank"],
                            None if row["total"] is None else Decimal(row["total"]),
                            tuple(ModuleScore(m["name"], Decimal(m["score"])) for m in row["modules"]),
                            row["status"])
                  for row in rows if row["entry_id"] in entries]
    return candidates, entries


def _proposal_row(event, entry: Entry, candidate: Candidate, state: NominationState, actor: Actor,
                  code: str | None = None, message: str | None = None) -> Nomination:
    """A competition-route nomination (or excluded candidate) for one final row."""
    return Nomination(season_id=event.season_id, person_id=entry.person_id, route=NominationRoute.COMPETITION,
                      state=state, event_id=event.id, entry_id=entry.id, enterprise_id=entry.employer_id,
                      rank=candidate.rank, total=candidate.total, reason_code=code, reason=message,
                      created_by_id=actor.user_id)


def propose_for_event(actor: Actor, event) -> Selection | None:
    """Propose the competition-route nominations of a final event and keep the excluded candidates with reasons.

    Entries that already have a row (a second call) are left as they are, so the call is idempotent.
    """
    snapshot = current_snapshot(event)
    if snapshot is None:
        return None
    candidates, entries = _candidates(event, snapshot.payload["rows"])
    done = set(db.session.scalars(db.select(Nomination.entry_id).where(Nomination.event_id == event.id)))
    candidates = [c for c in candidates if c.entry_id not in done]
    people = {c.person_id for c in candidates}
    selection = select_nominees(candidates, event.nomination_quota, pin_policy(event).pass_mark,
                                holders_among(people), nominated_in_season(event.season_id, people))
    rows = [_proposal_row(event, entries[c.entry_id], c, NominationState.PROPOSED, actor)
            for c in selection.nominated]
    rows += [_proposal_row(event, entries[x.candidate.entry_id], x.candidate, NominationState.EXCLUDED, actor,
                           x.code, x.message) for x in selection.excluded]
    db.session.add_all(rows)
    _flush_live(Message("该选手本年度刚被他人提名，请刷新后重试。"))
    record(actor, "nomination.propose", event,
           after={"proposed": [n.id for n in rows if n.state is NominationState.PROPOSED],
                  "excluded": [n.id for n in rows if n.state is NominationState.EXCLUDED]})
    return selection


def _flush_live(message: str) -> None:
    """Flush inside a savepoint; a uniqueness race (title or live nomination) becomes a 409."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Duplicate(message) from exc


@dataclass(frozen=True)
class RecommendationData:
    """An enterprise's recommendation as typed: the employee's ID number and name, and why."""

    id_number: str
    name: str
    justification: str
    season_id: int | None = None
    confirmed_employee: bool = False  # the enterprise confirms employment the league has no record of


def _season_for(season_id: int | None) -> Season:
    """The season named, or this year's season; Invalid when there is none."""
    if season_id is not None:
        season = db.session.get(Season, season_id)
    else:
        season = db.session.scalar(db.select(Season).where(Season.year == beijing_today().year))
    if season is None:
        raise Invalid(Message("没有可推荐的联赛年度，请先由组委会创建本年度。"),
                      details=[{"field": "season_id", "message": Message("联赛年度不存在。")}])
    return season


def _checked_recommendation(data: RecommendationData) -> tuple[str, str, str]:
    """Name, ID number and justification normalised, or Invalid with every problem."""
    name, id_number = check_person_name(data.name), check_id_number(data.id_number, today=beijing_today())
    justification = (data.justification or "").strip()
    problems = [{"field": f, "message": c.error} for f, c in (("name", name), ("id_number", id_number)) if not c.ok]
    if not justification:
        problems.append({"field": "justification", "message": Message("请填写推荐理由。")})
    elif len(justification) > JUSTIFICATION_MAX:
        problems.append({"field": "justification",
                         "message": Message("推荐理由不能超过 %(limit)s 字。", limit=JUSTIFICATION_MAX)})
    if problems:
        raise Invalid(Message("推荐信息有误，请修改后重试。"), details=problems)
    return name.passed_value, id_number.passed_value, justification


def recorded_employer(person_id: int) -> int | None:
    """The employer the league last recorded for a person (their latest entry's, by event date), or None."""
    return db.session.scalar(
        db.select(Entry.employer_id).join(Event, Event.id == Entry.event_id)
        .where(Entry.person_id == person_id, Entry.employer_id.is_not(None))
        .order_by(Event.event_date.desc(), Entry.id.desc()).limit(1))


def _require_own_employee(person, enterprise_id: int, confirmed: bool) -> None:
    """An enterprise recommends only its own employees: the employer the league recorded must be the
    enterprise (403 otherwise); where the league has no record, the enterprise must confirm it (409)."""
    employer = recorded_employer(person.id) if person.id is not None else None
    if employer is not None and employer != enterprise_id:
        raise NotAllowed(Message("联赛记录的该人员工作单位不是本企业：企业只能推荐本企业的员工。"),
                         code="not_own_employee")
    if employer is None and not confirmed:
        why = Message("联赛中没有该人员的工作单位记录，请确认其为本企业在职员工后再提交。")
        raise InvalidState(why, code="confirm_employee", details=[{"field": "confirm_employee", "message": why}])


def recommend(actor: Actor, data: RecommendationData) -> Nomination:
    """An enterprise recommends one of its employees; another employer's person is refused (403), one whose
    employer the league never recorded needs the enterprise's confirmation (409 confirm_employee), and a
    title holder or a person already nominated this season is refused with the reason (409)."""
    user = actor.user
    if user is None or user.role is not Role.ENTERPRISE or user.enterprise_id is None:
        raise NotAllowed(Message("只有企业用户可以推荐本企业员工为技术能手。"))
    season = _season_for(data.season_id)
    name, id_number, justification = _checked_recommendation(data)
    person = find_or_create_person(name, id_number, None)
    if person.name != name:
        raise Invalid(Message("姓名与该身份证号码已登记的姓名不一致。"),
                      details=[{"field": "name", "message": Message("姓名与身份证号码不一致。")}])
    _require_own_employee(person, user.enterprise_id, data.confirmed_employee)
    refused = person_reason(person.id, holders_among({person.id}), nominated_in_season(season.id, {person.id}))
    if refused is not None:
        raise Duplicate(refused[1], code=refused[0])
    nomination = Nomination(season_id=season.id, person_id=person.id, route=NominationRoute.ENTERPRISE,
                            state=NominationState.PROPOSED, enterprise_id=user.enterprise_id,
                            justification=justification, created_by_id=actor.user_id)
    db.session.add(nomination)
    _flush_live(Message("该员工本年度刚被他人提名，请刷新后重试。"))
    record(actor, "nomination.recommend", nomination, after={"state": "proposed", "season": season.year,
                                                             "person_id": person.id})
    return nomination


def _lock_proposed(nomination: Nomination) -> None:
    """Re-read the nomination under a row lock; only a proposed one can be decided."""
    db.session.execute(db.select(Nomination).where(Nomination.id == nomination.id).with_for_update(of=Nomination)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched, or nothing is re-read
    if nomination.state is not NominationState.PROPOSED:
        raise InvalidState(Message("该提名已审核或不在待审核状态。"), code="already_decided")


def subsidy_for(nomination: Nomination) -> int:
    """The policy's 技术能手 subsidy for this nomination: its event's version (pinned when it was proposed), else the
    version in force on its day."""
    if nomination.event is not None:
        return policy_for_event(nomination.event).expert_subsidy
    return policy_figure(policy_day(nomination), "expert_subsidy")


def approve(actor: Actor, nomination: Nomination) -> ExpertTitle:
    """Award the title for the season's year and its subsidy, within the season budget (409 over_budget)."""
    amount = subsidy_for(nomination)
    require_within_budget(nomination.season_id, amount)  # takes the season lock first
    _lock_proposed(nomination)
    if holders_among({nomination.person_id}):
        raise Duplicate(Message("该人员已获得过技术能手称号，不能重复授予（补贴只发放一次）。"),
                        code="already_holder")
    title = ExpertTitle(person_id=nomination.person_id, season_id=nomination.season_id, year=nomination.season.year,
                        route=nomination.route, event_id=nomination.event_id, nomination_id=nomination.id,
                        enterprise_id=nomination.enterprise_id, subsidy=amount, awarded_by_id=actor.user_id)
    nomination.state, nomination.decided_by_id, nomination.decided_at = NominationState.APPROVED, actor.user_id, \
        utcnow()
    db.session.add(title)
    _flush_live(Message("该人员刚被他人授予技术能手称号，不能重复授予。"))
    record(actor, "nomination.approve", nomination, before={"state": "proposed"},
           after={"state": "approved", "title_id": title.id, "year": title.year, "subsidy": amount})
    issue_title_certificate(actor, title)  # the title's numbered certificate (RULES.md §15)
    return title


def reject(actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    """Reject a proposed nomination with a written reason."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(Message("请填写不予通过的理由。"),
                      details=[{"field": "reason", "message": Message("请填写理由。")}])
    _lock_proposed(nomination)
    nomination.state, nomination.reason = NominationState.REJECTED, reason[:500]
    nomination.decided_by_id, nomination.decided_at = actor.user_id, utcnow()
    db.session.flush()
    record(actor, "nomination.reject", nomination, before={"state": "proposed"}, after={"state": "rejected"},
           message=nomination.reason)
    return nomination
