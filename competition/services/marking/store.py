"""Reading and writing one batch of marks in as few statements as the database allows (marks.py checks it).

Saving marks is the league's busiest write: every judge, every cell, as it is left. On PostgreSQL a save is
two statements whatever the batch's size, and its audit row a third, at commit:
- READ: the event's status under a shared lock held until commit (a sign-off, which locks it exclusively, never
  freezes results while a correction is being saved), whether it was signed off before, its panel, the criteria
  and entries sent and the stored cells the batch may write;
- WRITE: the new cells (INSERT … ON CONFLICT DO NOTHING), the changed ones (UPDATE … WHERE version = the version
  read) and, when every cell was written, the history of each in the batch's order;
- the audit row, appended already sealed into the hash chain just before the commit (services/audit_sealed.py), so
  the chain's head, which every audited write in the league waits for, is held only for the commit itself.
The cells are read without a row lock: the write itself finds a cell someone else saved after the read (the unique
cell refuses the insert, the version the update; under READ COMMITTED both wait for the other transaction first),
and the batch is refused as stale, as if the read had come after the other save. Cells are written in cell order,
so two saves of the same cells take their row locks in the same order. If the read waited for the event's lock (a
sign-off or reopen at that moment), the status is the one after it and the rest may predate it: the version check
and the status keep the save right. Elsewhere (SQLite, whose BEGIN IMMEDIATE already serialises writers) the same
steps are separate Core statements. Statements are built once, at import.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import db
from ...models import (Criterion, Entry, Event, EventStatus, Mark, MarkChange, Module, PanelMember, ResultSnapshot,
                       utcnow)
from ..audit import Actor
from ..audit_sealed import record_at_commit
from .facts import CriterionFact

MARKS, CHANGES, ENTRIES, EVENTS = Mark.__table__, MarkChange.__table__, Entry.__table__, Event.__table__
PANEL = PanelMember.__table__
CELL_COLUMNS = ("entry_id", "criterion_id", "judge_key")
Cell = tuple[int, int, int]  # entry, criterion, judge key: the unique cell


class Stored(NamedTuple):
    """A stored cell as read before the write (its version is checked by the write), and who last entered it."""

    id: int
    value: Decimal
    version: int
    entered_by_id: int | None = None


class EntryRow(NamedTuple):
    """What a save needs of an entry: its status as stored ("present", …) and its employer (回避)."""

    id: int
    number: str
    status: str
    employer_id: int | None


class PanelSeat(NamedTuple):
    """A panel seat as the permission predicates read it."""

    user_id: int
    is_chief: bool
    submitted_at: datetime | None


@dataclass(frozen=True)
class MarkingEvent:
    """An event as a save is authorised against it: its id and panel seats (what permissions.is_panel_judge and
    is_chief_judge read), read with the rest instead of loading the event."""

    id: int
    panel: tuple[PanelSeat, ...]


@dataclass(frozen=True)
class MarkingState:
    """An event as a save finds it, read under its lock: its panel, status, signed off before, the criteria sent
    (those of the event, by id, in scheme order), the entries of the numbers sent, and the stored cells the batch
    may write."""

    event: MarkingEvent | None  # None when not asked for (SQLite: one statement fewer)
    status: EventStatus
    reopened: bool
    criteria: dict[int, CriterionFact]
    entries: dict[str, EntryRow]
    stored: dict[Cell, Stored]


class Write(NamedTuple):
    """One cell to write: where, the new value, what was stored (None: a new cell), and its place in the batch (the
    history keeps the batch's order)."""

    cell: Cell
    value: Decimal
    old: Stored | None
    order: int


def _postgresql() -> bool:
    """Whether the session's database is PostgreSQL."""
    return db.session.get_bind().dialect.name == "postgresql"


def _run(statement, parameters=None):
    """Execute a statement on the session's connection, in its transaction."""
    return db.session.connection().execute(statement, parameters)


def load_state(event_id: int, numbers: set[str], criterion_ids: set[int], keys: set[int], *,
               panel: bool = True) -> MarkingState | None:
    """The event as the batch finds it, locked until commit (None if it is gone), with the stored cells of those
    numbers, criteria and judge keys, and (`panel`) its panel seats."""
    db.session.flush()  # Core statements do not autoflush: this transaction's pending changes count too
    if _postgresql():
        return _load_in_one(event_id, numbers, criterion_ids, keys)
    return _load_in_steps(event_id, numbers, criterion_ids, keys, panel)


READ = text("""
WITH event AS MATERIALIZED (
    SELECT e.status, EXISTS (SELECT 1 FROM result_snapshots s WHERE s.event_id = e.id) AS reopened
    FROM events e WHERE e.id = :event_id
    FOR SHARE OF e
), entry AS MATERIALIZED (
    SELECT n.id, n.number, n.status, n.employer_id FROM entries n
    WHERE n.event_id = :event_id AND n.number = ANY(CAST(:numbers AS varchar[]))
)
SELECT event.status, event.reopened,
    (SELECT json_agg(json_build_array(p.user_id, p.is_chief, p.submitted_at) ORDER BY p.id)
     FROM panel_members p WHERE p.event_id = :event_id) AS panel,
    (SELECT json_agg(json_build_array(c.id, c.module_id, c.name, c.kind, CAST(c.max_score AS text))
                     ORDER BY m.position, m.id, c.position, c.id)
     FROM modules m JOIN criteria c ON c.module_id = m.id
     WHERE m.event_id = :event_id AND c.id = ANY(CAST(:criteria AS integer[]))) AS criteria,
    (SELECT json_agg(json_build_array(id, number, status, employer_id)) FROM entry) AS entries,
    (SELECT json_agg(json_build_array(k.id, CAST(k.value AS text), k.version, k.entered_by_id, k.entry_id,
                                      k.criterion_id, k.judge_key))
     FROM (SELECT mk.id, mk.value, mk.version, mk.entered_by_id, mk.entry_id, mk.criterion_id, mk.judge_key
           FROM marks mk
           WHERE mk.entry_id = ANY(ARRAY(SELECT id FROM entry)) AND mk.criterion_id = ANY(CAST(:criteria AS integer[]))
             AND mk.judge_key = ANY(CAST(:keys AS integer[]))) k) AS stored
FROM event
""")


def _load_in_one(event_id: int, numbers: set[str], criterion_ids: set[int], keys: set[int]) -> MarkingState | None:
    """PostgreSQL: everything in one statement. The event is locked before anything else is read: the select list
    is computed for the event's row once it is locked, and the entries on demand within it. Each part is an index
    lookup by event, number or cell, whatever the tables' statistics say."""
    row = _run(READ, {"event_id": event_id, "numbers": sorted(numbers), "criteria": sorted(criterion_ids),
                      "keys": sorted(keys)}).first()
    if row is None:
        return None
    status, reopened, panel, criteria, entries, stored = row
    seats = tuple(PanelSeat(p[0], p[1], datetime.fromisoformat(p[2]) if p[2] else None) for p in panel or ())
    return MarkingState(
        MarkingEvent(event_id, seats), EventStatus(status), bool(reopened),
        {c[0]: CriterionFact(c[0], c[1], c[2], c[3], Decimal(c[4])) for c in criteria or ()},
        {e[1]: EntryRow(*e) for e in entries or ()},
        {(m[4], m[5], m[6]): Stored(m[0], Decimal(m[1]), m[2], m[3]) for m in stored or ()})


SEATS = (db.select(PANEL.c.user_id, PANEL.c.is_chief, PANEL.c.submitted_at)
         .where(PANEL.c.event_id == db.bindparam("event_id")).order_by(PANEL.c.id))
SIGNED_OFF_BEFORE = db.exists().where(ResultSnapshot.__table__.c.event_id == EVENTS.c.id)
LOCK = (db.select(EVENTS.c.status, SIGNED_OFF_BEFORE).where(EVENTS.c.id == db.bindparam("event_id"))
        .with_for_update(read=True, of=EVENTS))
CRITERIA = (db.select(Criterion.id, Criterion.module_id, Criterion.name, Criterion.kind, Criterion.max_score)
            .join(Module, Module.id == Criterion.module_id)
            .where(Module.event_id == db.bindparam("event_id"), Criterion.id.in_(db.bindparam("criteria", expanding=True)))
            .order_by(Module.position, Module.id, Criterion.position, Criterion.id))
ENTRY_ROWS = (db.select(ENTRIES.c.id, ENTRIES.c.number, ENTRIES.c.status, ENTRIES.c.employer_id)
              .where(ENTRIES.c.event_id == db.bindparam("event_id"),
                     ENTRIES.c.number.in_(db.bindparam("numbers", expanding=True))))
STORED = (db.select(MARKS.c.id, MARKS.c.value, MARKS.c.version, MARKS.c.entered_by_id,
                    *(MARKS.c[name] for name in CELL_COLUMNS))
          .where(MARKS.c.event_id == db.bindparam("event_id"),
                 MARKS.c.entry_id.in_(db.bindparam("entry_ids", expanding=True)),
                 MARKS.c.criterion_id.in_(db.bindparam("criteria", expanding=True)),
                 MARKS.c.judge_key.in_(db.bindparam("keys", expanding=True))))


def _load_in_steps(event_id: int, numbers: set[str], criterion_ids: set[int], keys: set[int],
                   panel: bool) -> MarkingState | None:
    """The same, one Core statement a step (the lock first); the panel only when asked for."""
    locked = _run(LOCK, {"event_id": event_id}).first()
    if locked is None:
        return None
    criteria = {r.id: CriterionFact(r.id, r.module_id, r.name, r.kind.value, r.max_score)
                for r in _run(CRITERIA, {"event_id": event_id, "criteria": sorted(criterion_ids)})}
    entries = {r.number: EntryRow(r.id, r.number, r.status.value, r.employer_id)
               for r in _run(ENTRY_ROWS, {"event_id": event_id, "numbers": sorted(numbers)})}
    stored = {}
    if entries and criterion_ids and keys:
        stored = {(r.entry_id, r.criterion_id, r.judge_key): Stored(r.id, r.value, r.version, r.entered_by_id)
                  for r in _run(STORED, {"event_id": event_id, "entry_ids": sorted(e.id for e in entries.values()),
                                         "criteria": sorted(criterion_ids), "keys": sorted(keys)})}
    event = MarkingEvent(event_id, tuple(PanelSeat(*row) for row in _run(SEATS, {"event_id": event_id}))) \
        if panel else None
    return MarkingState(event, locked[0], bool(locked[1]), criteria, entries, stored)


def write_cells(actor: Actor, event_id: int, writes: list[Write], reason: str | None, audit: dict) -> set[Cell]:
    """Write the batch, its history (in the batch's order) and its audit row (`audit`: action and after); the cells
    someone else saved between the read and the write come back (the caller refuses the batch as stale and rolls
    back). Cells go to the database in cell order, so two saves of the same cells take their row locks in the same
    order rather than deadlocking."""
    writes = sorted(writes)
    if _postgresql():
        return _write_in_one(actor, event_id, writes, reason, audit)
    return _write_in_steps(actor, event_id, writes, reason, audit)


WRITE = text("""
WITH cells AS (
    SELECT * FROM unnest(CAST(:entry_ids AS integer[]), CAST(:criterion_ids AS integer[]), CAST(:keys AS integer[]),
                         CAST(:new_values AS numeric[]), CAST(:old_values AS numeric[]), CAST(:mark_ids AS integer[]),
                         CAST(:versions AS integer[]), CAST(:orders AS integer[]))
        AS c(entry_id, criterion_id, judge_key, new_value, old_value, mark_id, seen, ord)
), added AS (
    INSERT INTO marks (event_id, entry_id, criterion_id, judge_key, entered_by_id, value, version, updated_at)
    SELECT :event_id, entry_id, criterion_id, judge_key, :user_id, new_value, 1, CAST(:now AS timestamptz)
    FROM cells WHERE mark_id IS NULL ORDER BY entry_id, criterion_id, judge_key
    ON CONFLICT (entry_id, criterion_id, judge_key) DO NOTHING
    RETURNING id, entry_id, criterion_id, judge_key
), changed AS (
    UPDATE marks m SET value = c.new_value, version = m.version + 1, entered_by_id = :user_id,
                       updated_at = CAST(:now AS timestamptz)
    FROM cells c WHERE c.mark_id IS NOT NULL AND m.id = c.mark_id AND m.version = c.seen
    RETURNING m.id, m.entry_id, m.criterion_id, m.judge_key
), written AS (
    SELECT * FROM added UNION ALL SELECT * FROM changed
), logged AS (
    INSERT INTO mark_changes (mark_id, event_id, entry_id, criterion_id, judge_key, old_value, new_value,
                              changed_by_id, changed_at, reason)
    SELECT w.id, :event_id, c.entry_id, c.criterion_id, c.judge_key, c.old_value, c.new_value, :user_id,
           CAST(:now AS timestamptz), CAST(:reason AS text)
    FROM written w JOIN cells c USING (entry_id, criterion_id, judge_key)
    WHERE (SELECT count(*) FROM written) = :count
    ORDER BY c.ord
)
SELECT json_agg(json_build_array(entry_id, criterion_id, judge_key)) FROM written
""")


def _write_in_one(actor: Actor, event_id: int, writes: list[Write], reason: str | None, audit: dict) -> set[Cell]:
    """PostgreSQL: the whole write in one statement."""
    done = _run(WRITE, {
        "entry_ids": [w.cell[0] for w in writes], "criterion_ids": [w.cell[1] for w in writes],
        "keys": [w.cell[2] for w in writes], "new_values": [w.value for w in writes],
        "old_values": [w.old.value if w.old else None for w in writes],
        "mark_ids": [w.old.id if w.old else None for w in writes],
        "versions": [w.old.version if w.old else None for w in writes], "orders": [w.order for w in writes],
        "event_id": event_id, "user_id": actor.user_id, "now": utcnow(), "reason": reason,
        "count": len(writes)}).scalar()
    written = {(d[0], d[1], d[2]) for d in done or ()}
    lost = {w.cell for w in writes if w.cell not in written}  # someone else saved it since the read
    if not lost:
        record_at_commit(actor, audit["action"], ("Event", event_id), after=audit["after"], message=reason)
    return lost


def _insert_cells():
    """INSERT INTO marks … ON CONFLICT (the cell) DO NOTHING, in the session's dialect."""
    dialect = postgresql if _postgresql() else sqlite
    return dialect.insert(MARKS).on_conflict_do_nothing(index_elements=list(CELL_COLUMNS))


def _write_in_steps(actor: Actor, event_id: int, writes: list[Write], reason: str | None, audit: dict) -> set[Cell]:
    """The same, a Core statement a step (INSERT, UPDATE and the history each executed once for every cell)."""
    now = utcnow()
    new = [w for w in writes if w.old is None]
    ids = {w.cell: w.old.id for w in writes if w.old is not None}
    if new:
        rows = _run(_insert_cells().returning(MARKS.c.id, *(MARKS.c[name] for name in CELL_COLUMNS)),
                    [{"event_id": event_id, "entry_id": w.cell[0], "criterion_id": w.cell[1], "judge_key": w.cell[2],
                      "entered_by_id": actor.user_id, "value": w.value, "version": 1, "updated_at": now}
                     for w in new])
        ids |= {(row.entry_id, row.criterion_id, row.judge_key): row.id for row in rows}
        if lost := {w.cell for w in new if w.cell not in ids}:
            return lost
    changed = [w for w in writes if w.old is not None]
    if changed:
        result = _run(db.update(MARKS)
                      .where(MARKS.c.id == db.bindparam("mark_id"), MARKS.c.version == db.bindparam("seen"))
                      .values(value=db.bindparam("new_value"), version=MARKS.c.version + 1,
                              entered_by_id=actor.user_id, updated_at=now),
                      [{"mark_id": w.old.id, "seen": w.old.version, "new_value": w.value} for w in changed if w.old])
        if result.supports_sane_multi_rowcount() and result.rowcount != len(changed):
            return {w.cell for w in changed}  # a cell changed since the read
    _run(CHANGES.insert(), [
        {"mark_id": ids[w.cell], "event_id": event_id, "entry_id": w.cell[0], "criterion_id": w.cell[1],
         "judge_key": w.cell[2], "old_value": w.old.value if w.old else None, "new_value": w.value,
         "changed_by_id": actor.user_id, "changed_at": now, "reason": reason}
        for w in sorted(writes, key=lambda w: w.order)])
    record_at_commit(actor, audit["action"], ("Event", event_id), after=audit["after"], message=reason)
    return set()
