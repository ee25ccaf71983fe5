"""Permission-matrix rows for the pages of higher-level competitions and their delegates (选送, RULES.md §16).

The world gains a province competition in the world's season with one delegate: the world's entry's person (the host's
employee), sent by the host (the `enterprise` user's company), whose result is recorded (ids["competition_id"],
ids["delegate_id"]). Organisers and admins see and act on every competition; an enterprise user sees the list of its
own delegates and a competition it sent someone to (`other` sent no one: 403); judges see nothing. The matrix posts an
empty form: a 400 once past the gate (a field is required), never a competition or delegate stored; taking the
delegate off the list is refused because its result is recorded (409)."""
from tests.permission_rows import LOGIN, STAFF_ONLY_PAGE, row

STAFF_EMPTY_POST = row(LOGIN, 403, 403, 403, 400, 400)

ROWS = {
    ("competitions.index", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("competitions.new", "GET"): STAFF_ONLY_PAGE,
    ("competitions.new", "POST"): STAFF_EMPTY_POST,
    ("competitions.detail", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("competitions.add_winners", "POST"): STAFF_EMPTY_POST,
    ("competitions.add_entry", "POST"): STAFF_EMPTY_POST,
    ("competitions.add_person", "POST"): STAFF_EMPTY_POST,
    ("competitions.remove", "POST"): row(LOGIN, 403, 403, 403, 409, 409),
    ("competitions.result", "GET"): STAFF_ONLY_PAGE,
    ("competitions.result", "POST"): STAFF_EMPTY_POST,
}


def extend_world(users, ids, event) -> None:
    """A province competition of the world's season; the world's entry sent by the host, its result recorded."""
    from datetime import date

    from competition.extensions import db
    from competition.models import Entry
    from competition.services.audit import SYSTEM
    from competition.services.league.delegates import (CompetitionData, add_by_id_number, create_competition,
                                                       record_result)

    competition = create_competition(SYSTEM, CompetitionData(event.season_id, "江苏省电工职业技能竞赛", "province", "电工",
                                                             date(event.season.year, 9, 20)))
    entry = db.session.get(Entry, ids["entry_id"])
    delegate = add_by_id_number(SYSTEM, competition, entry.person.id_number, entry.person.name,
                                event.host_enterprise_id)
    record_result(SYSTEM, delegate, "一等奖", 1)
    ids["competition_id"], ids["delegate_id"] = competition.id, delegate.id
