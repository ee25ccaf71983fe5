"""The event page leads each role to the scoring pages it may use, and to nothing else."""
import re

from competition.models import Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import assign_judge
from tests.builders import make_event, make_user
from tests.clients import login


def links(client, event) -> set[str]:
    body = client.get(f"/events/{event.id}").get_data(as_text=True)
    return set(re.findall(r'data-link="([a-z-]+)"', body))


def test_scoring_links_by_role(client, db):
    event = make_event("scoring")
    chief, judge = make_user(Role.JUDGE), make_user(Role.JUDGE)
    assign_judge(SYSTEM, event, chief, True)
    assign_judge(SYSTEM, event, judge, False)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login(client, chief)
    assert {"marks", "scoring-panel", "results"} <= links(client, event)
    client.post("/logout")
    login(client, judge)
    found = links(client, event)
    assert "marks" in found and not {"scoring-panel", "results"} & found
    client.post("/logout")
    login(client, organiser)
    found = links(client, event)
    assert {"scoring-panel", "results"} <= found and "marks" not in found and "public" not in found
