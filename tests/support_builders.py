"""Builders for the technical-support and annual-plan tests: an enterprise event approved into the plan with its
host's user, pool judges, and requests."""
from competition.extensions import db
from competition.models import Role
from competition.services.audit import Actor
from competition.services.events.support import SupportAsk, SupportDecision, decide_support, request_support
from tests.builders import make_enterprise, make_event, make_season, make_user


def make_plan_event(status: str = "approved", *, host=None, season=None, **overrides):
    """An enterprise event of `host` in the given state (set directly)."""
    host = host or make_enterprise()
    return make_event(status, season or make_season(), kind="enterprise", host_enterprise_id=host.id,
                      name=overrides.pop("name", f"{host.name}技能竞赛"), venue=overrides.pop("venue", "企业实训中心"),
                      **overrides)


def host_of(event):
    """An enterprise user of the event's host."""
    return make_user(Role.ENTERPRISE, enterprise_id=event.host_enterprise_id)


def pool_judges(count: int = 2, employer=None):
    """Judges of the district's pool (no employer unless one is given)."""
    return [make_user(Role.JUDGE, display_name=f"借调裁判{i}", employer_id=employer.id if employer else None)
            for i in range(count)]


def ask_judges(event, wanted: int = 2, kinds=("judges", "question_setting"), details="需要两名裁判和理论题库支持。"):
    """A waiting request of the event's host: judges and question setting by default."""
    host = host_of(event)
    return request_support(Actor(host), event, SupportAsk(list(kinds), wanted if "judges" in kinds else None,
                                                          details))


def grant(support, judges=(), cost=None, **overrides):
    """Grant a request fully as a new organiser, lending the judges."""
    organiser = make_user(Role.ORGANISER)
    values = {"decision": "grant", "judge_ids": [j.id for j in judges], "cost": cost}
    values.update(overrides)
    decided = decide_support(Actor(organiser), support, SupportDecision(**values))
    db.session.flush()
    return decided
