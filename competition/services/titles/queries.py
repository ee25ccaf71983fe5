"""Reading 技术能手 nominations and the title register (技术能手名录): filters, counts, the xlsx announcement.

An enterprise's scope is its own employees: nominations whose enterprise (the entry's employer on the
competition route, the recommending enterprise otherwise) is theirs. Names go out masked (张*丰) to
everyone but organisers; ID numbers and phones never appear in the register.
"""
from dataclasses import dataclass

from ...extensions import db
from ...models import (
    ROUTE_LABELS,
    Enterprise,
    Event,
    ExpertTitle,
    Nomination,
    NominationRoute,
    NominationState,
    Person,
)
from ...rules.identity import mask_name
from ...xlsx.writing import ColumnSpec, PrintSpec, SheetSpec, write_workbook
from ..common import like_pattern
from ..marking.facts import beijing_today

STATE_ORDER = (NominationState.PROPOSED, NominationState.APPROVED, NominationState.REJECTED,
               NominationState.EXCLUDED)


@dataclass(frozen=True)
class NominationFilter:
    """What the nominations list is narrowed to; None or '' means any."""

    state: str | None = None
    event_id: int | None = None
    route: str | None = None
    enterprise_id: int | None = None
    q: str = ""


def _in_scope(query, scope: int | None):
    """Only one enterprise's employees when scope is an enterprise id (None: every nomination)."""
    return query if scope is None else query.where(Nomination.enterprise_id == scope)


def _valid(enum_cls, value: str | None):
    """The enum member for a filter value, or None when absent or unknown."""
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def nominations_query(season_id: int, scope: int | None, wanted: NominationFilter):
    """A select of the season's nominations in scope, filtered, proposals first, then by event and rank."""
    query = _in_scope(db.select(Nomination).join(Person, Person.id == Nomination.person_id)
                      .where(Nomination.season_id == season_id), scope)
    if state := _valid(NominationState, wanted.state):
        query = query.where(Nomination.state == state)
    if route := _valid(NominationRoute, wanted.route):
        query = query.where(Nomination.route == route)
    if wanted.event_id is not None:
        query = query.where(Nomination.event_id == wanted.event_id)
    if wanted.enterprise_id is not None:
        query = query.where(Nomination.enterprise_id == wanted.enterprise_id)
    if wanted.q.strip():
        query = query.where(Person.name.like(like_pattern(wanted.q), escape="\\"))
    order = db.case({s: i for i, s in enumerate(STATE_ORDER)}, value=Nomination.state)
    return query.order_by(order, Nomination.event_id.is_(None), Nomination.event_id, Nomination.rank,
                          Nomination.id)


def state_counts(season_id: int, scope: int | None) -> dict[str, int]:
    """Nominations in scope by state (one query)."""
    query = _in_scope(db.select(Nomination.state, db.func.count()).where(Nomination.season_id == season_id), scope)
    found: dict[NominationState, int] = dict(db.session.execute(query.group_by(Nomination.state)).tuples().all())
    return {s.value: found.get(s, 0) for s in STATE_ORDER}


def filter_choices(season_id: int, scope: int | None) -> tuple[list, list]:
    """The events and the enterprises that appear among the season's nominations in scope."""
    ids = _in_scope(db.select(Nomination.event_id, Nomination.enterprise_id)
                    .where(Nomination.season_id == season_id), scope).distinct()
    pairs = db.session.execute(ids).all()
    events = db.session.scalars(db.select(Event).where(Event.id.in_({p[0] for p in pairs if p[0]}))
                                .order_by(Event.event_date, Event.id)).all()
    enterprises = db.session.scalars(db.select(Enterprise).where(Enterprise.id.in_({p[1] for p in pairs if p[1]}))
                                     .order_by(Enterprise.name)).all()
    return list(events), list(enterprises)


def register_query(year: int | None = None, q: str = ""):
    """A select of title holders, newest year first, optionally of one year and by name."""
    query = db.select(ExpertTitle).join(Person, Person.id == ExpertTitle.person_id)
    if year is not None:
        query = query.where(ExpertTitle.year == year)
    if q.strip():
        query = query.where(Person.name.like(like_pattern(q), escape="\\"))
    return query.order_by(ExpertTitle.year.desc(), ExpertTitle.id)


def register_years() -> list[int]:
    """Every year with a title holder, newest first."""
    return list(db.session.scalars(db.select(ExpertTitle.year).distinct().order_by(ExpertTitle.year.desc())))


def register_row(title: ExpertTitle, masked: bool) -> dict:
    """One register line: name (masked unless told), gender, employer, year, route, event; never an ID number."""
    return {"id": title.id, "name": mask_name(title.person.name) if masked else title.person.name,
            "gender": title.person.gender, "employer": title.enterprise.name if title.enterprise else None,
            "year": title.year, "route": title.route.value, "route_name": ROUTE_LABELS[title.route],
            "event_id": title.event_id, "event": title.event.name if title.event else None,
            "occupation": title.event.occupation if title.event else None}


def register_workbook(year: int, masked: bool = False) -> bytes:
    """技术能手名录 of one year for the official announcement: user text written as text."""
    titles = db.session.scalars(register_query(year)).all()
    columns = [ColumnSpec("序号", 8), ColumnSpec("姓名", 14, text=True), ColumnSpec("性别", 8, text=True),
               ColumnSpec("工作单位", 30, text=True), ColumnSpec("产生方式", 12, text=True),
               ColumnSpec("赛项", 30, text=True), ColumnSpec("职业（工种）", 16, text=True)]
    rows = [[i, r["name"], r["gender"], r["employer"] or "", r["route_name"], r["event"] or "", r["occupation"] or ""]
            for i, r in enumerate((register_row(t, masked) for t in titles), start=1)]
    heading = [f"{year}年度吴江区技术能手名录", f"共 {len(rows)} 人　制表日期：{beijing_today()}"]
    return write_workbook([SheetSpec("技术能手名录", columns, rows=rows, heading=heading, print_spec=PrintSpec(),
                                     borders=True)])
