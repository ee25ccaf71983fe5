"""Demo subsidy claims for `flask seed-demo` (RULES.md §10), on the events that demo/results.py scored.

- 恒力's final 络筒工 event (52 participants) gets a claim through the same service the claim button uses,
  waiting for the organisers' decision (待审核), dated two days after the results became final;
- 亨通's final 电线电缆制造工 event (36 participants) is left alone: its page shows why it is not eligible
  (参赛人数 36/50), and 亨通 may still claim another event this year.
"""
from datetime import timedelta

from ..extensions import db
from ..models import Event, User
from ..models.types import beijing_at, beijing_day
from ..services.audit import Actor
from ..services.money.subsidy import claim_subsidy


def seed_subsidy(events: dict[str, Event], users: dict[str, User]) -> None:
    """A pending claim for 恒力's eligible final event."""
    winding = events["winding"]
    claim = claim_subsidy(Actor(users["enterprise"], "demo"), winding)
    if winding.finalised_at is not None:
        claim.created_at = beijing_at(beijing_day(winding.finalised_at) + timedelta(days=2), 10)
    db.session.flush()
