"""The checked items of a batch of marks, and the reasons a batch is refused whole (marks.save_marks): a conflict of
interest, a stale cell, a measurement value someone else entered, a cell someone else saved meanwhile."""
from dataclasses import dataclass
from decimal import Decimal

from ...errors import InvalidState, NotAllowed
from ...extensions import db
from ...models import User
from ...rules.messages import Message, listing
from ..audit import Actor
from .facts import CriterionFact
from .store import Stored

USERS = User.__table__


@dataclass(frozen=True)
class Target:
    """A checked item: where it goes and what it holds."""

    index: int
    entry_id: int
    number: str
    criterion: CriterionFact
    key: int
    value: Decimal
    expected: Decimal | None
    stored: Stored | None = None  # what the cell held when read

    @property
    def cell(self) -> tuple[int, int, int]:
        """The unique cell: entry, criterion, judge key."""
        return (self.entry_id, self.criterion.id, self.key)

    def where(self) -> str:
        """'参赛号 003「工艺质量」' for messages."""
        return Message("参赛号 %(number)s「%(criterion)s」", number=self.number, criterion=self.criterion.name)


def refuse_conflicts(items: list, entries: dict, employers: set) -> None:
    """回避: nobody marks an entry of their own employer."""
    conflicted = sorted({str(i.number) for i in items if (e := entries.get(str(i.number))) is not None
                         and e.employer_id is not None and e.employer_id in employers})
    if conflicted:
        raise NotAllowed(Message("参赛号 %(numbers)s 的选手与您（或被更正的裁判）同一工作单位，须回避，不能评分。",
                                 numbers=listing(conflicted)),
                         code="conflict_of_interest")


def refuse_stale(targets: list[Target], stored: dict, correcting: bool) -> None:
    """Refuse cells whose stored value is not what the client saw, and corrections of empty cells. A cell that
    already holds the value sent is fine: a tablet resending a save whose answer the network lost stores
    nothing twice."""
    problems = []
    for t in targets:
        mark = stored.get(t.cell)
        current = mark.value if mark is not None else None
        if correcting and mark is None:
            problems.append({"field": f"marks[{t.index}]",
                             "message": Message("%(cell)s 尚无评分，只能更正已有的评分。", cell=t.where())})
        elif current != t.expected and current != t.value:  # the same value again is a retry, not a clash
            message = Message("%(cell)s 已被改为 %(now)s（您看到的是 %(seen)s），请刷新后再改。",
                              cell=t.where(), now=_shown(current), seen=_shown(t.expected))
            problems.append({"field": f"marks[{t.index}]", "message": message})
    if problems:
        raise InvalidState(Message("有评分已被他人修改，未保存任何分数，请刷新后重试。"), code="stale_mark",
                           details=problems)


def refuse_others_measurements(targets: list[Target], stored: dict, actor: Actor) -> None:
    """A measurement value someone else entered is changed only with a reason: a 409 stale edit naming who entered
    it (RULES.md §6: one value per entry, so two judges measuring the same piece must not overwrite each other)."""
    others = [(t, mark) for t in targets if t.criterion.is_measurement and (mark := stored.get(t.cell)) is not None
              and mark.value != t.value and mark.entered_by_id not in (None, actor.user_id)]
    if not others:
        return
    names = dict(db.session.execute(db.select(USERS.c.id, USERS.c.display_name)
                                    .where(USERS.c.id.in_({mark.entered_by_id for _, mark in others}))).tuples().all())
    problems = [{"field": f"marks[{t.index}]", "entered_by_id": mark.entered_by_id,
                 "entered_by": names.get(mark.entered_by_id),
                 "message": Message("%(cell)s 的测量值 %(value)s 由 %(who)s 录入；如需修改，请填写修改原因。",
                                    cell=t.where(), value=mark.value,
                                    who=names.get(mark.entered_by_id, Message("他人")))} for t, mark in others]
    raise InvalidState(Message("测量值由他人录入，修改须填写原因，未保存任何分数。"), code="stale_mark",
                       details=problems)


def _shown(value: Decimal | None) -> str:
    """A cell's value for a message: the number, or 空白."""
    return Message("空白") if value is None else str(value)


def refuse_lost_race(targets: list[Target]) -> None:
    """Cells another judge or tab saved between our read and our write: the batch is stale."""
    if targets:
        cells = [{"field": f"marks[{t.index}]", "message": Message("%(cell)s 刚被他人保存。", cell=t.where())}
                 for t in targets]
        raise InvalidState(Message("有评分刚被他人同时保存，未保存任何分数，请刷新后重试。"), code="stale_mark",
                           details=cells)
