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
    """A claim for the event in the given state, written directly (bypassing the rule)."""
    from competition.services.policy import policy_for_event

    claim = SubsidyClaim(event_id=event.id, season_id=event.season_id, host_enterprise_id=event.host_enterprise_id,
                         policy_version_id=policy_for_event(event).id, amount=amount,
                         participants=event.participants or 0, checks=[], state=ClaimState(state))
    db.session.add(claim)
    db.session.flush()
    return claim


def organiser_actor() -> Actor:
    """A fresh organiser as an actor."""
    return Actor(make_user(Role.ORGANISER), "127.0.0.1")
