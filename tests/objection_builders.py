"""Builders for objections (RULES.md §14): an event marked, signed off and published for notice on a Friday, with
entries of two enterprises, and objections filed through the service."""
from datetime import date

from competition.models import Role
from competition.services.audit import Actor
from competition.services.results import objections as service
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_enterprise, make_user
from tests.marking_builders import fill, make_world, submit_all

# Published on Friday 2026-06-19, the notice of 5 working days ends on Friday 2026-06-26.
PUBLISHED_ON, NOTICE_ENDS, AFTER_NOTICE = date(2026, 6, 19), date(2026, 6, 26), date(2026, 6, 27)


def noticed_world(judges: int = 3, hosted: bool = False, **event):
    """An event under notice: 001 of `firm` (80 / 50+30 from each judge), 002 of `rival` (70 / 40+30), with an HR
    user of each enterprise; `hosted`: an enterprise event of `firm`. Returns (world, firm_user, rival_user)."""
    firm, rival = make_enterprise(), make_enterprise()
    if hosted:
        event |= {"kind": "enterprise", "host_enterprise_id": firm.id}
    world = make_world(2, judges=judges, entry_employers=(firm, rival), **event)
    fill(world, "001", "80", [("50", "30")] * judges)
    fill(world, "002", "70", [("40", "30")] * judges)
    submit_all(world)
    sign_off(world.actor(0), world.event)
    publish(Actor(world.organiser), world.event, today=PUBLISHED_ON)
    return world, make_user(Role.ENTERPRISE, enterprise=firm), make_user(Role.ENTERPRISE, enterprise=rival)


def make_objection(world, user, number: str = "001", reason: str = "工艺质量评分明显偏低，申请复核。", **data):
    """An objection filed through the service on the day of publication."""
    entry = service.entry_by_number(world.event, number)
    return service.file_objection(Actor(user), world.event, entry, service.ObjectionData(reason, **data),
                                  today=PUBLISHED_ON)
