"""Demo objections (异议与复核) for `flask seed-demo`, filed and decided through the services:

- 车工 (district, under notice since today): 恒力's HR objects to its employee's practical marks; still undecided,
  so the organisers' queue has one to review and the event can not be finalised until it is decided;
- 汽车维修工 (district, notice over, waiting to be finalised): a contestant telephoned on the day after publication,
  an organiser recorded it and dismissed it the next day with the reason the caller was told.
Either event may still be signed off, not published, when the working calendar lacks a year: then it gets none.
"""
from datetime import timedelta

from ..extensions import db
from ..models import Entry, Event, User
from ..models.types import beijing_at, beijing_day, beijing_today
from ..services.audit import Actor
from ..services.results import objections as service
from ..services.results.snapshots import current_snapshot


def seed_objections(users: dict[str, User], events: dict[str, Event]) -> None:
    """An open objection on 车工 and a dismissed one on 汽车维修工."""
    organiser, hr = Actor(users["organiser"]), Actor(users["enterprise"])
    lathe = events["lathe"]
    today = beijing_today()
    if service.accepting_objections(lathe, today) and (entry := _ranked(lathe, 2)) is not None:
        service.file_objection(hr, lathe, entry, service.ObjectionData(
            "我公司选手对“表面质量”一项的评分有异议：现场三坐标测量报告显示表面粗糙度达到Ra1.6要求，"
            "而五位裁判的评分均明显偏低，请组委会调取评分表和测量记录复核。"), today=today)
    repair = db.session.scalar(db.select(Event).where(Event.occupation == "汽车维修工"))
    if repair is None or repair.published_at is None or (entry := _ranked(repair, 3)) is None:
        return
    called = beijing_day(repair.published_at) + timedelta(days=1)
    objection = service.file_objection(organiser, repair, entry, service.ObjectionData(
        "选手本人来电反映：“故障诊断”一项用时记录比实际多出约两分钟，认为影响了名次。", objector="选手本人",
        contact="0512-63000000（转组委会办公室）", channel="phone"), today=called)
    service.dismiss(organiser, objection, "经调取计时记录和现场视频核实，用时记录无误；故障诊断项不计用时，"
                                          "名次按总分排定，已电话告知选手本人。")
    objection.created_at = beijing_at(called, 10)
    objection.decided_at = beijing_at(called + timedelta(days=1), 15)
    db.session.flush()


def _ranked(event: Event, rank: int) -> Entry | None:
    """The entry ranked `rank` in the event's signed-off results."""
    snapshot = current_snapshot(event)
    row = next((r for r in snapshot.payload["rows"] if r["rank"] == rank), None) if snapshot else None
    return db.session.get(Entry, row["entry_id"]) if row else None
