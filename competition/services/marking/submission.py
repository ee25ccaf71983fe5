"""A judge's submission of their marks (RULES.md §8), and the marks still missing (progress, sign-off)."""
from dataclasses import dataclass

from ...errors import InvalidState, NotAllowed
from ...extensions import db
from ...models import MEASUREMENT_KEY, EventStatus, PanelMember, utcnow
from ...permissions import is_panel_judge
from ...rules.messages import Message
from ..audit import Actor, record
from .facts import Facts, load_facts, lock_event, mark_keys


def submit_marks(actor: Actor, event) -> PanelMember:
    """A judge submits their marks, which become read-only to them; every cell they must mark is needed."""
    lock_event(event, shared=True)
    if event.status is not EventStatus.SCORING:
        raise InvalidState(Message("赛项不在评分阶段，不能提交评分。"))
    user = actor.user
    if user is None or not is_panel_judge(user, event):
        raise NotAllowed(Message("只有本赛项裁判组的裁判可以提交评分。"))
    member = next(m for m in event.panel if m.user_id == user.id)
    if member.submitted_at is not None:
        raise InvalidState(Message("您已提交过评分。"), code="marks_submitted")
    missing = [m for m in missing_marks(event) if m.judge_id == user.id]
    if missing:
        raise InvalidState(Message("还有 %(count)s 项评分未录入，不能提交。", count=len(missing)),
                           code="marks_incomplete",
                           details=[m.detail() for m in missing])
    member.submitted_at = utcnow()
    db.session.flush()
    record(actor, "mark.submit", event, after={"judge_id": user.id, "submitted_at": member.submitted_at})
    return member


@dataclass(frozen=True)
class MissingMark:
    """A mark not yet entered: judge_id is None for a measurement value."""

    judge_id: int | None
    judge_name: str | None
    entry_id: int
    number: str | None
    criterion_id: int
    criterion_name: str

    def detail(self) -> dict:
        """The error detail of this missing mark."""
        if self.judge_name:
            message = Message("裁判 %(judge)s：参赛号 %(number)s「%(criterion)s」未评分",
                              judge=self.judge_name, number=self.number, criterion=self.criterion_name)
        else:
            message = Message("参赛号 %(number)s「%(criterion)s」未评分", number=self.number, criterion=self.criterion_name)
        return {"field": "marks", "message": message,
                "judge_id": self.judge_id, "number": self.number, "criterion_id": self.criterion_id}


def missing_marks(event, facts: Facts | None = None, keys: set | None = None) -> list["MissingMark"]:
    """Every mark still to enter for present entries: measurements, then each judge's, by number."""
    facts = facts or load_facts(event)
    keys = mark_keys(event) if keys is None else keys
    measured, judged = facts.of_kind("measurement"), facts.of_kind("judgement")
    missing = []
    for entry in facts.present():
        missing += [MissingMark(None, None, entry.id, entry.number, c.id, c.name)
                    for c in measured if (entry.id, c.id, MEASUREMENT_KEY) not in keys]
        missing += [MissingMark(j.user_id, j.name, entry.id, entry.number, c.id, c.name)
                    for j in facts.markers(entry) for c in judged if (entry.id, c.id, j.user_id) not in keys]
    return missing


def empty_measurements(event) -> list[MissingMark]:
    """The measurement values still empty for present entries (shown when a judge submits, and on the panel)."""
    return [m for m in missing_marks(event) if m.judge_id is None]
