"""Rosters (名单): the import template, bulk enrolment from an uploaded roster file (.xlsx, .xls or .csv, the
kind found from its bytes by competition.xlsx), and roster workbooks.

An import is all-or-nothing: every row is checked first and any bad row refuses the whole file,
with every problem listed. The facts are loaded with a fixed number of queries (IN lists, chunked)
and the rows are written with bulk INSERTs, so a 10,000-row file costs the same few round trips
as a 10-row one. The caller commits once.
"""
import gc
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, func, insert, update
from sqlalchemy.exc import IntegrityError

from ...errors import Duplicate, Invalid, InvalidState, NotAllowed
from ...extensions import db
from ...models import ENTRY_STATUS_LABELS, Enterprise, Entry, EntryStatus, Event, Person, Role
from ...rules.events import check_enrolment_window
from ...rules.identity import mask_id_number, mask_mobile
from ...rules.messages import Message
from ...rules.roster import (
    COLUMNS,
    GUIDE_SHEET,
    TEMPLATE_SHEET,
    RosterCheck,
    RosterFacts,
    check_roster,
    guide_lines,
    roster_keys,
)
from ...models.types import beijing_today
from ...xlsx import DATE_FORMAT, ColumnSpec, PrintSpec, SheetSpec, UploadLimits, read_upload, write_workbook
from ..audit import Actor, record

class _Known(NamedTuple):
    """A person of the league named in the file, with their entry in this event if any."""

    person_id: int
    name: str
    phone: str | None
    entry_id: int | None
    employer_id: int | None


IN_CHUNK = 5000  # bound parameters per IN list: far below SQLite's 32766 and PostgreSQL's 65535
EXAMPLE_ROW = ("张三", "11010519491231002X", "13800000000", "91350100M000100Y43")


def upload_limits() -> UploadLimits:
    """The upload ceilings, from ROSTER_MAX_BYTES, ROSTER_MAX_ROWS and ROSTER_MAX_CELLS when configured (the
    cell ceiling grows with the rows: 20 cells a row; the rectangle a sheet may span is never below it)."""
    config, default = current_app.config, UploadLimits()
    rows = config.get("ROSTER_MAX_ROWS", default.max_rows)
    cells = config.get("ROSTER_MAX_CELLS", max(default.max_cells, rows * 20))
    return UploadLimits(max_bytes=config.get("ROSTER_MAX_BYTES", default.max_bytes), max_rows=rows, max_cells=cells,
                        max_area=max(default.max_area, cells))


@contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector during a bulk import, restoring it as it was found.

    Reading and checking 10,000 rows allocates a few hundred thousand short-lived objects; each
    full collection would walk the whole application's heap, which made up a fifth of the import's
    time. Reference counting still frees everything at once; cycles wait until the import ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def preview_import(actor: Actor, event: Event, data: bytes, *, today: date | None = None) -> dict:
    """Check a roster without saving: counts and every row's problems (file-level problems raise)."""
    with _cyclic_gc_paused():
        checked, _ = _check_file(actor, event, data, today or date.today())
    return {"rows": checked.rows, "new": len(checked.entrants), "existing": checked.existing,
            "bad_rows": checked.bad_rows, "problems": checked.problems}


def import_roster(actor: Actor, event: Event, data: bytes, *, today: date | None = None,
                  filename: str | None = None) -> dict:
    """Enrol every row of a roster, or none: any bad row raises Invalid listing every problem; audited."""
    with _cyclic_gc_paused():
        checked, known = _check_file(actor, event, data, today or date.today())
        if checked.problems:
            raise Invalid(Message("名单中共%(rows)s行有误，未导入任何数据。请按提示修改后重新上传。", rows=checked.bad_rows),
                          details=checked.problems)
        persons_created, phones_added = _save(actor, event, checked, known)
    record(actor, "entry.import", event, after={
        "event_id": event.id, "rows": checked.rows, "created": len(checked.entrants), "existing": checked.existing,
        "persons_created": persons_created, "phones_added": phones_added, "filename": (filename or "")[:200] or None})
    db.session.flush()
    return {"created": len(checked.entrants), "existing": checked.existing}


def _check_file(actor: Actor, event: Event, data: bytes, today: date) -> tuple[RosterCheck, dict[str, _Known]]:
    """Window and role first, then the file, then the rows against the league's facts."""
    if (why := check_enrolment_window(event.status.value, event.registration_deadline, today)):
        raise InvalidState(why)
    own = _enrolling_enterprise(actor)
    rows = read_upload(data, sheet=TEMPLATE_SHEET, limits=upload_limits())
    ids, codes = roster_keys(rows)
    known = _known_persons(event, ids)
    facts = RosterFacts(
        event_date=event.event_date, today=today, min_age=event.min_age, max_age=event.max_age,
        enterprise_id=own, enterprises=_enterprises(codes),
        persons={k: p.name for k, p in known.items()},
        entries={k: p.employer_id for k, p in known.items() if p.entry_id is not None})
    checked = check_roster(rows, facts)
    if checked.error:
        raise Invalid(checked.error, details=[{"row": None, "field": "file", "message": checked.error}])
    return checked, known


def _enrolling_enterprise(actor: Actor) -> int | None:
    """Enterprise users enrol their own employees only (their enterprise id); organisers and the CLI anyone."""
    user = actor.user
    if user is None or user.role in (Role.ADMIN, Role.ORGANISER):
        return None
    if user.role is Role.ENTERPRISE and user.enterprise_id is not None:
        return user.enterprise_id
    raise NotAllowed(Message("只有组委会和已关联企业的企业用户可以导入报名名单。"))


def _chunks(values) -> list[list]:
    """Sorted values in IN-list sized chunks."""
    ordered = sorted(values)
    return [ordered[i:i + IN_CHUNK] for i in range(0, len(ordered), IN_CHUNK)]


def _known_persons(event: Event, ids: set[str]) -> dict[str, _Known]:
    """id number → what the league knows of that person, for the file's ID numbers (one query per chunk)."""
    query = (db.select(Person.id, Person.name, Person.phone, Entry.id, Entry.employer_id, Person.id_number)
             .outerjoin(Entry, and_(Entry.person_id == Person.id, Entry.event_id == event.id)))
    known = {}
    for chunk in _chunks(i for i in ids if len(i) == 18):
        for row in db.session.execute(query.where(Person.id_number.in_(chunk))):
            known[row[5]] = _Known(*row[:5])
    return known


def _enterprises(codes: set[str]) -> dict[str, int]:
    """credit code → enterprise id for the codes the file names."""
    found: dict[str, int] = {}
    for chunk in _chunks(c for c in codes if len(c) == 18):
        query = db.select(Enterprise.credit_code, Enterprise.id).where(Enterprise.credit_code.in_(chunk))
        found.update(db.session.execute(query).tuples().all())
    return found


def _save(actor: Actor, event: Event, checked: RosterCheck, known: dict[str, _Known]) -> tuple[int, int]:
    """Bulk-insert new persons, fetch their ids, bulk-insert the entries; add missing mobiles. Counts back."""
    new = [e for e in checked.entrants if not e.known]
    # created_at from the database clock: one timestamp for the whole import, no per-row conversion.
    stamped = {"created_at": func.current_timestamp()}
    try:
        if new:
            db.session.execute(insert(Person).values(stamped), [
                {"id_number": e.id_number, "name": e.name, "birth_date": e.birth_date, "gender": e.gender,
                 "phone": e.phone} for e in new])
        person_ids = {k: p.person_id for k, p in known.items()} | _person_ids([e.id_number for e in new])
        if checked.entrants:
            db.session.execute(insert(Entry).values(stamped), [
                {"event_id": event.id, "person_id": person_ids[e.id_number], "employer_id": e.employer_id,
                 "status": EntryStatus.REGISTERED.value, "created_by_id": actor.user_id}
                for e in checked.entrants])
        phones = [{"id": known[e.id_number].person_id, "phone": e.phone} for e in checked.entrants
                  if e.known and e.phone and not known[e.id_number].phone]
        if phones:
            db.session.execute(update(Person), phones)
    except IntegrityError as exc:
        raise Duplicate(Message("名单中的部分选手正在被同时登记或报名，未导入任何数据，请稍后重新上传。")) from exc
    return len(new), len(phones)


def _person_ids(id_numbers: list[str]) -> dict[str, int]:
    """id number → person id for persons just inserted."""
    found: dict[str, int] = {}
    for chunk in _chunks(id_numbers):
        query = db.select(Person.id_number, Person.id).where(Person.id_number.in_(chunk))
        found.update(db.session.execute(query).tuples().all())
    return found


def roster_template() -> bytes:
    """The import template: the 报名表 sheet with its headers, and a 填写说明 sheet with an example and the rules."""
    limits = upload_limits()
    columns = [ColumnSpec(c.header, c.width, text=True) for c in COLUMNS]
    guide = guide_lines(limits.max_rows, max(1, limits.max_bytes // (1024 * 1024)))
    return write_workbook([
        SheetSpec(TEMPLATE_SHEET, columns),
        SheetSpec(GUIDE_SHEET, columns, rows=[EXAMPLE_ROW], heading=["填写示例（请在“报名表”中填写，本页内容不会被导入）"],
                  notes=["", "填写说明："] + guide, freeze_header=False),
    ])


EXPORT_COLUMNS = (ColumnSpec("序号", 6), ColumnSpec("姓名", 14), ColumnSpec("性别", 6),
                  ColumnSpec("出生日期", 12, number_format=DATE_FORMAT),
                  ColumnSpec("身份证号码", 22, text=True), ColumnSpec("手机号码", 14, text=True),
                  ColumnSpec("工作单位", 32), ColumnSpec("状态", 10), ColumnSpec("参赛号", 8, text=True))


def roster_export(event: Event, entries: list[Entry], *, reveal_ids: bool = False,
                  actor: Actor | None = None) -> bytes:
    """The entries as a workbook; ID numbers masked unless revealed (a reveal needs the actor and is audited)."""
    if reveal_ids:
        if actor is None:
            raise ValueError("reveal_ids=True needs the actor: every reveal of ID numbers is audited.")
        record(actor, "person.reveal_id", event, after={"event_id": event.id, "count": len(entries)},
               message="导出报名名单时显示完整身份证号码。")
    rows = [(i, e.person.name, e.person.gender, e.person.birth_date,
             e.person.id_number if reveal_ids else mask_id_number(e.person.id_number),
             mask_mobile(e.person.phone), e.employer.name if e.employer else "",
             ENTRY_STATUS_LABELS[e.status], e.number or "") for i, e in enumerate(entries, 1)]
    heading = [f"{event.name} 报名名单",
               f"比赛日期：{event.event_date.isoformat()}　　导出日期：{beijing_today().isoformat()}　　共{len(rows)}人"]
    return write_workbook([SheetSpec("报名名单", EXPORT_COLUMNS, rows=rows, heading=heading, borders=True)])


def sign_in_sheet(event: Event, entries: list[Entry]) -> bytes:
    """The printable 签到表: event, date and venue on top; competition numbers once drawn; a blank 签名 column."""
    drawn = any(e.number for e in entries)
    if drawn:
        entries = sorted(entries, key=lambda e: (e.number is None, e.number or ""))
    columns = [ColumnSpec("序号", 6)] + ([ColumnSpec("参赛号", 8, text=True)] if drawn else []) + [
        ColumnSpec("姓名", 14), ColumnSpec("工作单位", 36), ColumnSpec("签名", 24)]
    rows = [(i,) + ((e.number or "",) if drawn else ()) + (e.person.name, e.employer.name if e.employer else "", None)
            for i, e in enumerate(entries, 1)]
    when = f"{event.event_date.year}年{event.event_date.month}月{event.event_date.day}日"
    heading = [f"{event.name} 签到表", f"比赛日期：{when}　　比赛地点：{event.venue or '—'}　　共{len(entries)}人"]
    return write_workbook([SheetSpec("签到表", columns, rows=rows, heading=heading, print_spec=PrintSpec(),
                                     row_height=28, borders=True)])
