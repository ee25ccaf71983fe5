"""Builders for subsidy tests: enterprise events ready (or not) for a claim, and claims."""
from competition.extensions import db
from competition.models import ClaimState, Role, SubsidyClaim
from competition.services.audit import Actor
from tests.builders import make_enterprise, make_event, make_season, make_user

FROZEN = {"signed_off", "notice", "final"}


def make_claimable(participants: int = 50, *, host=None, season=None, status: str = "final", **overrides):
    """An enterprise event hosted by `host` with its participant count frozen (from sign-off on)."""
    host = host or make_enterprise()
    event = make_event(status, season or make_season(), kind="enterprise", host_enterprise_id=host.id,
                       name=overrides.pop("name", f"{host.name}技能竞赛"), **overrides)
    event.participants = participants if status in FROZEN else None
    db.session.flush()
    return event


def host_user(event):
    """An enterprise user of the event's host."""
    return make_user(Role.ENTERPRISE, enterprise_id=event.host_enterprise_id)


def make_claim(event, state: str = "submitted", amount: int = 20000) -> SubsidyClaim:
    """A claim for the event in the given state, written directly (bypassing the rule); it pins the event's policy
    version as claiming does."""
    from competition.services.policy import pin_policy

    claim = SubsidyClaim(event_id=event.id, season_id=event.season_id, host_enterprise_id=event.host_enterprise_id,
                         policy_version_id=pin_policy(event).id, amount=amount,
                         participants=event.participants or 0, checks=[], state=ClaimState(state))
    db.session.add(claim)
    db.session.flush()
    return claim


def organiser_actor() -> Actor:
    """A fresh organiser as an actor."""
    return Actor(make_user(Role.ORGANISER), "127.0.0.1")


SUBSIDY_EVENT = "浏览器测试：亨通电工技能竞赛"


def subsidy_journey_event() -> None:
    """For the browser journey: a 亨通 (enterprise2) enterprise event approved into the plan, 50 contestants
    enrolled and checked in through the services, then taken to final with 50 participants, unclaimed."""
    from datetime import date, timedelta

    from competition.models import Enterprise, EventStatus, Season
    from competition.services.audit import SYSTEM
    from competition.services.events.entries import EntryData, check_in, enrol
    from competition.services.events.lifecycle import EventData, change_status, create_event
    from tests.builders import default_modules, id_number

    today = date.today()
    season = db.session.scalar(db.select(Season).order_by(Season.year.desc()))  # the newest, first on /seasons
    host = db.session.scalar(db.select(Enterprise).where(Enterprise.name.startswith("亨通")))
    event, _ = create_event(SYSTEM, EventData(
        season_id=season.id, name=SUBSIDY_EVENT, occupation="电工", level=4, kind="enterprise",
        host_enterprise_id=host.id, event_date=today - timedelta(days=20), registration_deadline=today - timedelta(days=30),
        venue="亨通集团七都产业园", modules=default_modules()))
    for action in ("submit", "approve", "open"):
        change_status(SYSTEM, event, action)
    surnames, given = "赵钱孙李周吴郑王冯陈", "伟芳娜敏静丽强磊"
    entries = [enrol(SYSTEM, event, EntryData(surnames[i % 10] + given[i // 10 % 8] + given[i % 8],
                                              id_number(600 + i), employer_id=host.id),
                     today=event.registration_deadline)
               for i in range(50)]
    check_in(SYSTEM, entries, "present")
    change_status(SYSTEM, event, "close")
    event.status, event.participants = EventStatus.FINAL, 50  # marking has its own journeys; this one starts at final
    db.session.flush()
