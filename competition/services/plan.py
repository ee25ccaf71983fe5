"""The annual plan (年度竞赛计划, RULES.md §17): a season's district events and its enterprise events approved into
the plan, by date, with occupation, level, host, venue and the technical support granted.

The plan is public: it names events, occupations, enterprises and venues, never a person. District events are
listed unless cancelled; enterprise events once approved (approved and every later state), never while draft,
submitted or rejected, nor once cancelled. The workbook (services/plan_workbook.py) is in the form the district
publishes.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, EventKind, EventStatus, Season
from ..models.types import beijing_today
from ..rules.messages import Message
from .events.support import granted_kinds_by_event, kind_label

ENTERPRISE_LISTED = (EventStatus.APPROVED, EventStatus.OPEN, EventStatus.CLOSED, EventStatus.DRAWN,
                     EventStatus.SCORING, EventStatus.SIGNED_OFF, EventStatus.NOTICE, EventStatus.FINAL)
DISTRICT_HOST = Message("区组委会")
SKILL_LEVELS = {5: Message("五级/初级工"), 4: Message("四级/中级工"), 3: Message("三级/高级工"), 2: Message("二级/技师"),
                1: Message("一级/高级技师")}
KIND_NAMES = {EventKind.DISTRICT: Message("区级赛"), EventKind.ENTERPRISE: Message("企业赛")}


@dataclass(frozen=True)
class PlanItem:
    """One row of the plan: an event as the public may see it."""

    event_id: int
    name: str
    kind: str
    occupation: str
    level: int
    event_date: date
    host: str
    venue: str
    support: list[str]

    @property
    def level_label(self) -> str:
        """五级/初级工 … 一级/高级技师."""
        return SKILL_LEVELS.get(self.level, str(self.level))

    @property
    def kind_label(self) -> str:
        """区级赛 or 企业赛."""
        return KIND_NAMES[EventKind(self.kind)]

    @property
    def support_labels(self) -> list[str]:
        """The support granted, in words."""
        return [kind_label(k) for k in self.support]


def _listed():
    """The events the plan lists (see the module docstring)."""
    district = db.and_(Event.kind == EventKind.DISTRICT, Event.status != EventStatus.CANCELLED)
    enterprise = db.and_(Event.kind == EventKind.ENTERPRISE, Event.status.in_(ENTERPRISE_LISTED))
    return db.or_(district, enterprise)


def season_plan(season: Season) -> list[PlanItem]:
    """The season's plan, by date (two queries whatever the number of events)."""
    events = list(db.session.scalars(db.select(Event).where(Event.season_id == season.id, _listed())
                                     .options(selectinload(Event.host)).order_by(Event.event_date, Event.id)))
    support = granted_kinds_by_event(e.id for e in events)
    return [PlanItem(event_id=e.id, name=e.name, kind=e.kind.value, occupation=e.occupation, level=e.level,
                     event_date=e.event_date,
                     host=e.host.name if e.kind is EventKind.ENTERPRISE and e.host is not None else str(DISTRICT_HOST),
                     venue=e.venue or "", support=support.get(e.id, []))
            for e in events]


def current_season() -> Season | None:
    """This year's season (Beijing time), else the latest one."""
    season = db.session.scalar(db.select(Season).where(Season.year == beijing_today().year))
    return season or db.session.scalar(db.select(Season).order_by(Season.year.desc()).limit(1))
