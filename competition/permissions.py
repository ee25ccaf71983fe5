"""Authorisation as pure predicates of (user, object), checked after loading and before acting.

Every predicate takes the current user (or None for anonymous) and returns a bool. `require`
turns a False into NotAllowed (HTTP 403). Templates get them through a context processor. Every
predicate lives here, pages and API alike (issue 17: the results page and the results API once had a
rule each, and disagreed); compound ones are composed with `any_of`, as pretalx composes its rules.
"""
from collections.abc import Callable

from .errors import NotAllowed
from .models import Enterprise, Event, EventKind, EventStatus, OpenTo, Role, Season, User
from .rules.messages import Message

STAFF = {Role.ADMIN, Role.ORGANISER}


def any_of(*predicates: Callable[..., bool]) -> Callable[..., bool]:
    """A predicate true when any of the given ones (taking the same arguments) is."""
    def composed(*args) -> bool:
        return any(predicate(*args) for predicate in predicates)
    composed.__doc__ = " or ".join(p.__name__ for p in predicates)
    return composed


def _role(user: User | None) -> Role | None:
    """The role of a logged-in, active user; None for anonymous or disabled."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def is_staff(user: User | None) -> bool:
    """Admin or organiser (组委会)."""
    return _role(user) in STAFF


def can_manage_users(user: User | None) -> bool:
    """Only administrators create, disable and reset accounts."""
    return _role(user) is Role.ADMIN


def can_manage_calendar(user: User | None) -> bool:
    """Administrators enter the working calendar's days (the State Council's holidays and 调休 working days)."""
    return _role(user) is Role.ADMIN


def can_view_calendar(user: User | None) -> bool:
    """Staff read the working calendar on its page (every logged-in caller may read it through the API)."""
    return _role(user) in (Role.ADMIN, Role.ORGANISER)


def can_manage_policy(user: User | None) -> bool:
    """Administrators keep the policy versions; organisers read them."""
    return _role(user) is Role.ADMIN


def can_view_policy(user: User | None) -> bool:
    """Staff read the policy history."""
    return is_staff(user)


def _league_role(user: User | None) -> bool:
    """A logged-in user of the league's working roles: everyone but a town officer, who reads its own town through
    the town pages only (RULES.md §3)."""
    return _role(user) not in (None, Role.TOWN)


def can_list_enterprises(user: User | None) -> bool:
    """Any logged-in user of the league's roles sees the enterprise directory (names and towns); a town officer sees
    its town's enterprises on the town page."""
    return _league_role(user)


def can_manage_enterprises(user: User | None) -> bool:
    """Admins and organisers create and edit enterprises."""
    return is_staff(user)


def can_view_enterprise(user: User | None, enterprise: Enterprise) -> bool:
    """Staff see every enterprise; an enterprise user sees their own."""
    if is_staff(user):
        return True
    return _role(user) is Role.ENTERPRISE and user.enterprise_id == enterprise.id


def can_manage_seasons(user: User | None) -> bool:
    """Organisers (and admins) create and edit seasons."""
    return is_staff(user)


def can_view_season(user: User | None, season: Season) -> bool:
    """Any logged-in user may read a season and its budget figures."""
    return _role(user) is not None


def can_view_audit(user: User | None) -> bool:
    """Staff read the audit log."""
    return is_staff(user)


def can_reveal_id_number(user: User | None) -> bool:
    """Only organisers and admins may reveal a whole ID number, and it is audited."""
    return is_staff(user)


PUBLISHED_OR_RUNNING = {
    EventStatus.OPEN, EventStatus.CLOSED, EventStatus.DRAWN, EventStatus.SCORING,
    EventStatus.SIGNED_OFF, EventStatus.NOTICE, EventStatus.FINAL,
}


def is_host(user: User | None, event: Event) -> bool:
    """An enterprise user of the enterprise hosting this event."""
    return (_role(user) is Role.ENTERPRISE and event.kind is EventKind.ENTERPRISE
            and user.enterprise_id is not None and user.enterprise_id == event.host_enterprise_id)


def is_panel_judge(user: User | None, event: Event) -> bool:
    """A judge sitting on this event's panel."""
    return _role(user) is Role.JUDGE and any(m.user_id == user.id for m in event.panel)


def is_chief_judge(user: User | None, event: Event) -> bool:
    """The judge flagged chief (裁判长) on this event's panel."""
    return _role(user) is Role.JUDGE and any(m.user_id == user.id and m.is_chief for m in event.panel)


def _staff_on(user: User | None, event: Event) -> bool:
    """is_staff, taking an event like the predicates it is composed with."""
    return is_staff(user)


# The chief judge's oversight of an event's scoring: progress, every judge's marks, mark histories, sign-off,
# reopen, and the measurement values (RULES.md §3, §8).
can_oversee_scoring = any_of(_staff_on, is_chief_judge)
# Marks through the API: panel judges their own, the organisers and the chief judge everyone's.
can_open_marks = any_of(_staff_on, is_panel_judge)
# Results before publication: the organisers, and the chief judge with numbers only (RULES.md §3, §9).
sees_unpublished_results = can_oversee_scoring


def can_read_results(user: User | None, event: Event) -> bool:
    """The results' rows (API): everyone once published (masked), before that the organisers and the chief judge."""
    return event.is_published or sees_unpublished_results(user, event)


def can_view_results(user: User | None, event: Event) -> bool:
    """The internal results page: the organisers, the chief judge, and the host once published (everyone else has
    the public page)."""
    return sees_unpublished_results(user, event) or (is_host(user, event) and event.is_published)


def can_export_results(user: User | None, event: Event) -> bool:
    """The 成绩册 workbook: the organisers, and the host once published."""
    return is_staff(user) or (is_host(user, event) and event.is_published)


def can_see_prizes(user: User | None, event: Event) -> bool:
    """Prizes (获奖等级, RULES.md §15): the organisers at any stage; everyone else (the chief judge, the host, the
    public) only once the results are published (公示 or final)."""
    return is_staff(user) or event.is_published


def can_view_panel(user: User | None, event: Event) -> bool:
    """The organisers manage the panel; the chief judge may look at it."""
    return can_manage_event(user, event) or is_chief_judge(user, event)


def can_list_events(user: User | None) -> bool:
    """Every logged-in user of the league's roles has an events page (each sees only what they may); a town officer
    sees its town's events on the town page."""
    return _league_role(user)


def can_view_event(user: User | None, event: Event) -> bool:
    """Staff see all; the host sees its own; enterprises see events open for enrolment onward; judges their panels."""
    if is_staff(user) or is_host(user, event):
        return True
    if _role(user) is Role.ENTERPRISE:
        return event.status in PUBLISHED_OR_RUNNING
    return is_panel_judge(user, event)


def can_create_event(user: User | None) -> bool:
    """Staff create district and enterprise events; enterprise users apply for their own."""
    return is_staff(user) or (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None)


def can_edit_event(user: User | None, event: Event) -> bool:
    """Staff edit any event; the host edits its application until it is submitted (or after a rejection)."""
    if is_staff(user):
        return True
    return is_host(user, event) and event.status in (EventStatus.DRAFT, EventStatus.REJECTED)


def can_submit_event(user: User | None, event: Event) -> bool:
    """The host (or staff on its behalf) submits an enterprise event for approval."""
    return event.kind is EventKind.ENTERPRISE and (is_staff(user) or is_host(user, event))


def can_manage_event(user: User | None, event: Event) -> bool:
    """Approve, reject, open, close, cancel, draw, panels, start scoring: the organisers."""
    return is_staff(user)


def _guest_enrols(user: User, event: Event) -> bool:
    """The host let this enterprise user's enterprise enrol: it opened the roster to every enterprise, or invited
    theirs."""
    return event.open_to is OpenTo.ALL or (event.open_to is OpenTo.INVITED and user.enterprise_id in event.invited_ids)


def can_enrol(user: User | None, event: Event) -> bool:
    """Add entries or import a roster. Staff enrol anyone; an enterprise user its own employees, in events it can
    see: any district event; an enterprise event when it is the host's, or the host opened the roster to every
    enterprise or invited theirs (RULES.md §4: an enterprise event's roster belongs to its host)."""
    if is_staff(user):
        return True
    if _role(user) is not Role.ENTERPRISE or user.enterprise_id is None or not can_view_event(user, event):
        return False
    return event.kind is not EventKind.ENTERPRISE or is_host(user, event) or _guest_enrols(user, event)


def can_set_enrolment_policy(user: User | None, event: Event) -> bool:
    """Who else may enrol in an enterprise event (host only, invited enterprises, every enterprise): the organisers
    and the host's users decide (a district event has no such policy: the service says so)."""
    return is_staff(user) or is_host(user, event)


def can_view_entries(user: User | None, event: Event) -> bool:
    """Staff see every entry; enterprise users their own employees'; panel judges numbers after the draw."""
    if is_staff(user):
        return True
    if _role(user) is Role.ENTERPRISE:
        return can_view_event(user, event)
    return is_panel_judge(user, event) and event.draw_seed is not None


def can_correct_entry(user: User | None, entry) -> bool:
    """Staff correct any entry (before the draw); an enterprise user its own employees' (while it may enrol)."""
    if is_staff(user):
        return True
    return (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None
            and entry.employer_id == user.enterprise_id and can_view_event(user, entry.event))


def can_withdraw_entry(user: User | None, event: Event) -> bool:
    """After the draw only the organisers record a withdrawal (退赛), with a reason."""
    return is_staff(user)


def can_check_in(user: User | None, event: Event) -> bool:
    """Check-in is done by the organisers at the venue."""
    return is_staff(user)


def can_disqualify(user: User | None, event: Event) -> bool:
    """Organisers and the event's chief judge may disqualify, with a reason."""
    return is_staff(user) or is_chief_judge(user, event)


def can_enter_measurements(user: User | None, event: Event) -> bool:
    """Measurement values (测量) stay enterable by the chief judge and organisers until sign-off, whoever has
    submitted (RULES.md §6, §8; issue 16)."""
    return can_oversee_scoring(user, event)


def can_export_roster(user: User | None, event: Event) -> bool:
    """Staff export every entry, enterprise users their own employees; judges never (names inside)."""
    return can_view_entries(user, event) and (is_staff(user) or _role(user) is Role.ENTERPRISE)


def can_record_time(user: User | None, event: Event) -> bool:
    """Organisers and panel judges record the time a contestant used."""
    return is_staff(user) or is_panel_judge(user, event)


def can_view_subsidy(user: User | None, event: Event) -> bool:
    """Staff see any event's subsidy checklist (a district event's says the subsidy does not apply); the host
    enterprise its own enterprise event's."""
    return is_staff(user) or (event.kind is EventKind.ENTERPRISE and is_host(user, event))


def can_claim_subsidy(user: User | None, event: Event) -> bool:
    """Only the host enterprise's users claim the subsidy of its event (RULES.md §10.1)."""
    return is_host(user, event)


def can_list_claims(user: User | None) -> bool:
    """Staff see every subsidy claim; enterprise users their own enterprise's."""
    return is_staff(user) or (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None)


def can_view_claim(user: User | None, claim) -> bool:
    """Staff see any claim; an enterprise user only a claim of their own enterprise."""
    if is_staff(user):
        return True
    return (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None
            and user.enterprise_id == claim.host_enterprise_id)


def can_decide_claims(user: User | None) -> bool:
    """Organisers (and admins) approve, reject and record the payment of claims."""
    return is_staff(user)


def sees_identities(user: User | None, event: Event) -> bool:
    """Names and employers are hidden from judges until results are published (blind marking)."""
    if _role(user) is not Role.JUDGE:
        return True
    return event.is_published


def can_recommend(user: User | None) -> bool:
    """An enterprise user recommends their own enterprise's employees for 技术能手."""
    return _role(user) is Role.ENTERPRISE and user.enterprise_id is not None


def can_view_nominations(user: User | None) -> bool:
    """Staff see every nomination; an enterprise user those of its own employees."""
    return is_staff(user) or can_recommend(user)


def can_view_nomination(user: User | None, nomination) -> bool:
    """Staff, or the enterprise that employs (or recommended) the nominee."""
    return is_staff(user) or (can_recommend(user) and nomination.enterprise_id == user.enterprise_id)


def can_decide_nominations(user: User | None) -> bool:
    """Organisers approve or reject 技术能手 nominations."""
    return is_staff(user)


def can_export_experts(user: User | None) -> bool:
    """The year's title register with full names, for the official announcement: staff."""
    return is_staff(user)


def can_view_objections(user: User | None) -> bool:
    """Objections during the notice (RULES.md §14): the organisers see and file every one (on behalf of whoever
    objected by phone, letter or in person); an enterprise user files and follows its own employees'."""
    return is_staff(user) or (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None)


def can_object_to_entry(user: User | None, entry) -> bool:
    """Object to this entry's result: the organisers any entry; an enterprise user only its own employees'."""
    if is_staff(user):
        return True
    return (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None
            and entry.employer_id == user.enterprise_id)


def can_decide_objections(user: User | None) -> bool:
    """The organisers review objections (复核) and uphold or dismiss them, with a written reason."""
    return is_staff(user)


def can_view_season_dashboard(user: User | None) -> bool:
    """Staff read the season dashboard and download the season report."""
    return is_staff(user)


def _employs(user: User | None, enterprise_id: int | None) -> bool:
    """An enterprise user of this enterprise (the employer of a certificate's holder)."""
    return (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None and enterprise_id is not None
            and user.enterprise_id == enterprise_id)


def can_print_event_certificates(user: User | None, event: Event) -> bool:
    """An event's certificates as one PDF (RULES.md §15): the organisers."""
    return is_staff(user)


def can_list_certificates(user: User | None) -> bool:
    """The certificates page: the organisers see every certificate, an enterprise user its own employees'."""
    return is_staff(user) or (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None)


def can_download_certificate(user: User | None, certificate) -> bool:
    """One certificate's PDF: the organisers, and the users of the enterprise that employed the holder when it was
    issued; never another enterprise, a judge or the public (who verify it at /verify/<number> instead)."""
    return is_staff(user) or _employs(user, certificate.enterprise_id)


def can_download_entry_certificate(user: User | None, entry) -> bool:
    """An entry's certificate PDF: the organisers, and the users of the entry's employer."""
    return is_staff(user) or _employs(user, entry.employer_id)


def can_view_job(user: User | None, job) -> bool:
    """A background job's progress and result: the user who started it, and the organisers."""
    return is_staff(user) or (_role(user) is not None and job.owner_id is not None and job.owner_id == user.id)


def can_view_standings(user: User | None) -> bool:
    """The season standings (联赛积分榜, RULES.md §16) are public: enterprises' and towns' names and counts only."""
    return True


def can_manage_competitions(user: User | None) -> bool:
    """Organisers record higher-level competitions, choose their delegates (选送) and record their results."""
    return is_staff(user)


def can_view_delegates(user: User | None) -> bool:
    """Staff see every competition's delegates; an enterprise user the delegates its enterprise sent."""
    return is_staff(user) or (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None)


def can_view_competition(user: User | None, competition) -> bool:
    """Staff see any recorded competition; an enterprise user one its enterprise sent someone to."""
    if is_staff(user):
        return True
    return can_view_delegates(user) and any(
        d.sending_enterprise_id == user.enterprise_id for d in getattr(competition, "delegates", ()))


def can_view_person(user: User | None) -> bool:
    """A person's whole league record (entries, prizes, titles, delegations, rewards): organisers only."""
    return is_staff(user)


def can_list_rewards(user: User | None) -> bool:
    """Staff see every reward; an enterprise user those to it and to the people it sent."""
    return is_staff(user) or (_role(user) is Role.ENTERPRISE and user.enterprise_id is not None)


def can_view_reward(user: User | None, reward) -> bool:
    """Staff see any reward; an enterprise user only one to its enterprise or to someone it sent."""
    return is_staff(user) or _employs(user, reward.enterprise_id)


def can_decide_rewards(user: User | None) -> bool:
    """Organisers propose rewards for organising units, and approve, reject and record the payment of rewards."""
    return is_staff(user)


def can_manage_fund(user: User | None) -> bool:
    """Budget lines and the district's spending (RULES.md §17): organisers set the lines, record and decide."""
    return is_staff(user)


def is_town_officer(user: User | None) -> bool:
    """A town officer (镇区人社, RULES.md §3): read-only, bound to one town of the league's list."""
    return _role(user) is Role.TOWN and bool(user.town)


def can_view_town(user: User | None, town: str | None) -> bool:
    """A town's enterprises, events, participants, results and money, masked as in reports, and its monthly reports:
    the organisers for every town, a town officer for its own town only."""
    return is_staff(user) or (is_town_officer(user) and town is not None and user.town == town)


def can_list_monthly_reports(user: User | None) -> bool:
    """Monthly feedback (RULES.md §17): the organisers read every town's reports, a town officer its own town's (which
    one is can_view_town's question)."""
    return is_staff(user) or is_town_officer(user)


def can_manage_towns(user: User | None) -> bool:
    """The administrator maintains the league's list of towns."""
    return can_manage_users(user)


def can_list_towns(user: User | None) -> bool:
    """The towns page (the list with each town's enterprises and officers, and links to every town's page): the
    organisers read it, the administrator also adds towns."""
    return is_staff(user)


def can_request_support(user: User | None, event: Event) -> bool:
    """Technical support (RULES.md §17): only the host enterprise's users ask for it, on their own enterprise event
    (the service checks that the event is in the plan and not yet final or cancelled)."""
    return is_host(user, event)


def can_decide_support(user: User | None) -> bool:
    """The organisers grant, partly grant or refuse technical support and lend judges from the district's pool."""
    return is_staff(user)


def can_view_support(user: User | None, support) -> bool:
    """A support request: the organisers, and the users of the event's host."""
    return is_staff(user) or is_host(user, support.event)


def require(allowed: bool, message: str = Message("您没有权限执行此操作。")) -> None:
    """Raise NotAllowed (403) unless allowed."""
    if not allowed:
        raise NotAllowed(message)


def host_roster_refusal(user: User | None, event: Event) -> Message | None:
    """Why an enterprise user who sees an enterprise event may not enrol in it, in words that say what to do: the
    roster is the host's (RULES.md §4); None when that is not why can_enrol refuses."""
    if (can_enrol(user, event) or _role(user) is not Role.ENTERPRISE or event.kind is not EventKind.ENTERPRISE
            or user.enterprise_id is None or not can_view_event(user, event)):
        return None
    host = event.host.name if event.host is not None else ""
    return Message("本赛项由%(host)s主办，报名名单由主办企业管理；如需为本企业员工报名，请联系主办企业邀请。", host=host)


def require_enrolment(user: User | None, event: Event, message: str = Message("您没有权限为本赛项报名。")) -> None:
    """require(can_enrol(user, event), message), naming the host when the roster is the host's (code host_roster)."""
    if can_enrol(user, event):
        return
    if (why := host_roster_refusal(user, event)) is not None:
        raise NotAllowed(why, code="host_roster")
    raise NotAllowed(message)


PREDICATES = {
    name: obj
    for name, obj in dict(globals()).items()
    if callable(obj) and (name.startswith(("can_", "is_")) or name == "sees_identities")
}
