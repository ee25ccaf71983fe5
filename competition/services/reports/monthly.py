"""Monthly feedback to the towns (月度反馈, seed 五(二), RULES.md §17): each town's report for one month, its figures
beside the district's and the year to date, kept as JSON for the page and as the workbook the town's office files.

What each figure counts (a town is the town of the enterprise concerned; the district is every town, and whatever
belongs to no town):
- participants: entries present (or disqualified) at check-in in the events held in the period, whose employer is in
  the town;
- events: the events held in the period (dated in it, past their registration, not cancelled) with the town's
  participants or hosted by one of its enterprises;
- prizes: the prize certificates of the final events held in the period, by tier, whose holder's employer (when the
  certificate was issued) is in the town: an event finalised after the report was written shows in the next months'
  year to date, and in this month's report once an organiser regenerates it;
- titles: the 技术能手 titles awarded in the period (Beijing day), whose holder's employer is in the town;
- subsidies and rewards: the competition subsidies (to the host enterprise) and rewards (to the enterprise, else the
  town named) paid in the period (paid_on).

The period is the month; the year to date runs from 1 January to the month's last day. Regenerating a report
replaces the town's row for the month (unique (town, month)); the scheduled run (the CLI) calls `generate_month` on
the first working day of each month for the month before (`scheduled_month`).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from ...errors import Invalid
from ...extensions import db
from ...models import (Certificate, CertificateKind, Enterprise, Entry, Event, EventStatus, MonthlyReport, Person,
                       Reward, RewardState, utcnow)
from ...models.nominations import ROUTE_LABELS, ExpertTitle
from ...models.subsidy import ClaimState, SubsidyClaim
from ...models.types import beijing_at, beijing_day, beijing_today
from ...rules.calendar import WorkingCalendar
from ...rules.identity import mask_name
from ...rules.text import is_ascii_digits
from ...rules.messages import Message
from ..audit import Actor, record
from ..calendar import working_calendar
from ..towns import require_town, town_names
from .figures import PRESENT
from .workbook import KIND_TEXT

# An event is held once its registration has closed; one never run (cancelled) or never approved is not.
HELD = (EventStatus.CLOSED, EventStatus.DRAWN, EventStatus.SCORING, EventStatus.SIGNED_OFF, EventStatus.NOTICE,
        EventStatus.FINAL)
# The figures, in the order the page and the workbook show them: key, label, unit.
METRICS = (
    ("participants", Message("参赛人数"), Message("人次")),
    ("events", Message("举办（参与）赛项"), Message("项")),
    ("prizes", Message("获奖人数"), Message("人")),
    ("titles", Message("授予技术能手"), Message("人")),
    ("subsidies", Message("拨付竞赛经费补贴"), Message("元")),
    ("rewards", Message("拨付奖励"), Message("元")),
)
MONEY_METRICS = ("subsidies", "rewards")
ORGANISERS = Message("吴江区职业技能联赛组委会")  # the host of a district event
PAYMENT_LABELS = {"subsidy": Message("竞赛经费补贴"), "reward": Message("奖励")}
FIRST_YEAR, LAST_YEAR = 2000, 2100
ONE_DAY = timedelta(days=1)


def month_start(day: date) -> date:
    """The first day of a day's month."""
    return day.replace(day=1)


def month_end(month: date) -> date:
    """The last day of a month (given by any of its days)."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - ONE_DAY


def previous_month(day: date) -> date:
    """The first day of the month before a day's month."""
    return month_start(month_start(day) - ONE_DAY)


def parse_month(text: str | None) -> date:
    """'2026-11' as 2026-11-01; anything else is a 400 naming the field."""
    value = (text or "").strip()
    parts = value.split("-")
    if (len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2
            and is_ascii_digits(parts[0]) and is_ascii_digits(parts[1]) and 1 <= int(parts[1]) <= 12
            and FIRST_YEAR <= int(parts[0]) <= LAST_YEAR):
        return date(int(parts[0]), int(parts[1]), 1)
    message = Message("月份应写成 2026-11 的格式（%(first)s至%(last)s年）。", first=FIRST_YEAR, last=LAST_YEAR)
    raise Invalid(message, details=[{"field": "month", "message": message}])


def month_label(month: date) -> str:
    """2026年11月."""
    return Message("%(year)s年%(month)s月", year=month.year, month=month.month)


def first_working_day(year: int, month: int, calendar: WorkingCalendar) -> date:
    """The month's first working day on China's calendar (CalendarMissing when the year has no data)."""
    day = date(year, month, 1)
    while not calendar.is_working_day(day):
        day += ONE_DAY
    return day


def scheduled_month(today: date | None = None) -> date | None:
    """The month the scheduled run reports on today: the month before, when today (Beijing) is the first working day
    of its month; None on any other day. A year without calendar data raises CalendarMissing (never guessed)."""
    today = today or beijing_today()
    calendar = working_calendar([today.year])
    if today != first_working_day(today.year, today.month, calendar):
        return None
    return previous_month(today)


# The figures

@dataclass
class Tally:
    """One period's figures for every town at once (the district is the sum, and what belongs to no town)."""

    participants: dict[str | None, int] = field(default_factory=lambda: defaultdict(int))
    events: dict[str | None, set[int]] = field(default_factory=lambda: defaultdict(set))
    all_events: set[int] = field(default_factory=set)
    prizes: dict[str | None, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    titles: dict[str | None, int] = field(default_factory=lambda: defaultdict(int))
    subsidies: dict[str | None, int] = field(default_factory=lambda: defaultdict(int))
    rewards: dict[str | None, int] = field(default_factory=lambda: defaultdict(int))
    tier_order: dict[str, int] = field(default_factory=dict)

    def value(self, key: str, town: str | None) -> int:
        """A figure of one town, or of the district when town is None."""
        if key == "events":
            return len(self.all_events) if town is None else len(self.events.get(town, ()))
        if key == "prizes":
            groups = self.prizes.values() if town is None else [self.prizes.get(town, {})]
            return sum(sum(tiers.values()) for tiers in groups)
        counts: dict[str | None, int] = getattr(self, key)
        return sum(counts.values()) if town is None else counts.get(town, 0)

    def tier(self, name: str, town: str | None) -> int:
        """Prizes of one tier of a town, or of the district."""
        groups = self.prizes.values() if town is None else [self.prizes.get(town, {})]
        return sum(tiers.get(name, 0) for tiers in groups)


def _held(start: date, end: date):
    """Events held in a period."""
    return Event.event_date.between(start, end), Event.status.in_(HELD)


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    """Instants surely covering a period's Beijing days (the exact day is checked in Python)."""
    return beijing_at(start - ONE_DAY, 0), beijing_at(end + 2 * ONE_DAY, 0)


def tally(start: date, end: date) -> Tally:
    """Every town's figures for a period, in a fixed number of grouped queries."""
    out = Tally()
    held = _held(start, end)
    for town, event_id, count in db.session.execute(
            db.select(Enterprise.town, Entry.event_id, db.func.count(Entry.id)).select_from(Entry)
            .join(Event, Event.id == Entry.event_id).outerjoin(Enterprise, Enterprise.id == Entry.employer_id)
            .where(*held, Entry.status.in_(PRESENT)).group_by(Enterprise.town, Entry.event_id)).all():
        out.participants[town] += count
        out.events[town].add(event_id)
    for event_id, town in db.session.execute(
            db.select(Event.id, Enterprise.town).outerjoin(Enterprise, Enterprise.id == Event.host_enterprise_id)
            .where(*held)).all():
        out.all_events.add(event_id)
        if town:
            out.events[town].add(event_id)
    for town, name, tier, count in db.session.execute(
            db.select(Enterprise.town, Certificate.prize_name, db.func.min(Certificate.prize_tier),
                      db.func.count(Certificate.id)).select_from(Certificate)
            .join(Event, Event.id == Certificate.event_id)
            .outerjoin(Enterprise, Enterprise.id == Certificate.enterprise_id)
            .where(Certificate.kind == CertificateKind.PRIZE, Event.event_date.between(start, end),
                   Event.status == EventStatus.FINAL)
            .group_by(Enterprise.town, Certificate.prize_name)).all():
        out.prizes[town][name] += count
        out.tier_order[name] = min(out.tier_order.get(name, tier or 99), tier or 99)
    low, high = _window(start, end)
    for town, awarded_at in db.session.execute(
            db.select(Enterprise.town, ExpertTitle.awarded_at).select_from(ExpertTitle)
            .outerjoin(Enterprise, Enterprise.id == ExpertTitle.enterprise_id)
            .where(ExpertTitle.awarded_at.between(low, high))).all():
        if start <= beijing_day(awarded_at) <= end:
            out.titles[town] += 1
    for town, amount in db.session.execute(
            db.select(Enterprise.town, db.func.sum(SubsidyClaim.amount)).select_from(SubsidyClaim)
            .join(Enterprise, Enterprise.id == SubsidyClaim.host_enterprise_id)
            .where(SubsidyClaim.state == ClaimState.PAID, SubsidyClaim.paid_on.between(start, end))
            .group_by(Enterprise.town)).all():
        out.subsidies[town] += int(amount or 0)
    for town, named, amount in db.session.execute(
            db.select(Enterprise.town, Reward.town, db.func.sum(Reward.amount)).select_from(Reward)
            .outerjoin(Enterprise, Enterprise.id == Reward.enterprise_id)
            .where(Reward.state == RewardState.PAID, Reward.paid_on.between(start, end))
            .group_by(Enterprise.town, Reward.town)).all():
        out.rewards[town or named] += int(amount or 0)
    return out


def share(part: int, whole: int) -> str | None:
    """The town's share of the district, in percent with one decimal ("25.0"); None when the district has none."""
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def figure_rows(town: str, month: Tally, ytd: Tally) -> list[dict]:
    """The figures table: each figure for the town, the district and the town's share, in the month and the year to
    date; the prizes' tiers follow the prizes."""
    rows = []
    for key, label, unit in METRICS:
        rows.append(_row(key, str(label), str(unit), month.value(key, town), month.value(key, None),
                         ytd.value(key, town), ytd.value(key, None)))
        if key == "prizes":
            order = {**ytd.tier_order, **month.tier_order}
            for name in sorted(order, key=lambda n: (order[n], n)):
                rows.append(_row(f"prizes:{name}", name, str(unit), month.tier(name, town), month.tier(name, None),
                                 ytd.tier(name, town), ytd.tier(name, None), tier=True))
    return rows


def _row(key: str, label: str, unit: str, town: int, district: int, town_ytd: int, district_ytd: int,
         tier: bool = False) -> dict:
    """One line of the figures table."""
    return {"key": key, "label": label, "unit": unit, "tier": tier, "town": town, "district": district,
            "share": share(town, district), "town_ytd": town_ytd, "district_ytd": district_ytd,
            "share_ytd": share(town_ytd, district_ytd)}


# The lists of one town's month

def town_events(town: str, start: date, end: date) -> list[dict]:
    """The events held in the month with the town's participants or hosted by its enterprises, each with the town's
    participants and all of them."""
    held = _held(start, end)
    theirs = dict(db.session.execute(
        db.select(Entry.event_id, db.func.count(Entry.id)).join(Event, Event.id == Entry.event_id)
        .join(Enterprise, Enterprise.id == Entry.employer_id)
        .where(*held, Entry.status.in_(PRESENT), Enterprise.town == town).group_by(Entry.event_id)).tuples().all())
    hosted = set(db.session.scalars(db.select(Event.id).join(Enterprise, Enterprise.id == Event.host_enterprise_id)
                                    .where(*held, Enterprise.town == town)))
    ids = set(theirs) | hosted
    if not ids:
        return []
    everyone = dict(db.session.execute(
        db.select(Entry.event_id, db.func.count(Entry.id)).where(Entry.event_id.in_(ids), Entry.status.in_(PRESENT))
        .group_by(Entry.event_id)).tuples().all())
    rows = db.session.execute(
        db.select(Event, Enterprise.name).outerjoin(Enterprise, Enterprise.id == Event.host_enterprise_id)
        .where(Event.id.in_(ids)).order_by(Event.event_date, Event.id)).all()
    return [{"id": event.id, "name": event.name, "occupation": event.occupation, "kind": event.kind.value,
             "kind_label": KIND_TEXT.get(event.kind.value, event.kind.value), "date": event.event_date.isoformat(),
             "host": host or str(ORGANISERS), "hosted": event.id in hosted, "town_participants": theirs.get(event.id, 0),
             "participants": everyone.get(event.id, 0)} for event, host in rows]


def town_prizes(town: str, start: date, end: date) -> list[dict]:
    """The prizes of the town's people in the final events held in the month, by event (names masked)."""
    rows = db.session.execute(
        db.select(Certificate, Event.name, Event.event_date, Enterprise.name).join(Event, Event.id == Certificate.event_id)
        .join(Enterprise, Enterprise.id == Certificate.enterprise_id)
        .where(Certificate.kind == CertificateKind.PRIZE, Event.event_date.between(start, end),
               Event.status == EventStatus.FINAL, Enterprise.town == town)
        .order_by(Event.event_date, Event.id, Certificate.prize_tier, Certificate.number)).all()
    events: dict[int, dict] = {}
    for certificate, event_name, event_date, employer in rows:
        group = events.setdefault(certificate.event_id, {"event_id": certificate.event_id, "event": event_name,
                                                         "date": event_date.isoformat(), "items": []})
        group["items"].append({"name": mask_name(certificate.person.name), "enterprise": employer,
                               "prize": certificate.prize_name, "tier": certificate.prize_tier,
                               "certificate": certificate.number})
    return list(events.values())


def town_titles(town: str, start: date, end: date) -> list[dict]:
    """The 技术能手 titles awarded in the month to the town's people (names masked)."""
    low, high = _window(start, end)
    rows = db.session.execute(
        db.select(ExpertTitle, Person.name, Event.name, Enterprise.name).join(Person, Person.id == ExpertTitle.person_id)
        .join(Enterprise, Enterprise.id == ExpertTitle.enterprise_id).outerjoin(Event, Event.id == ExpertTitle.event_id)
        .where(Enterprise.town == town, ExpertTitle.awarded_at.between(low, high))
        .order_by(ExpertTitle.awarded_at, ExpertTitle.id)).all()
    return [{"name": mask_name(name), "enterprise": employer, "route": title.route.value,
             "route_label": str(ROUTE_LABELS[title.route]), "event": event or "", "subsidy": title.subsidy,
             "awarded_on": beijing_day(title.awarded_at).isoformat()}
            for title, name, event, employer in rows if start <= beijing_day(title.awarded_at) <= end]


def town_payments(town: str, start: date, end: date) -> list[dict]:
    """The subsidies and rewards paid in the month to the town's enterprises, their people, or the town itself."""
    out = []
    for claim, event_name, host in db.session.execute(
            db.select(SubsidyClaim, Event.name, Enterprise.name).join(Event, Event.id == SubsidyClaim.event_id)
            .join(Enterprise, Enterprise.id == SubsidyClaim.host_enterprise_id)
            .where(SubsidyClaim.state == ClaimState.PAID, SubsidyClaim.paid_on.between(start, end),
                   Enterprise.town == town)).all():
        out.append({"kind": "subsidy", "kind_label": str(PAYMENT_LABELS["subsidy"]), "payee": host,
                    "basis": event_name, "amount": claim.amount, "paid_on": claim.paid_on.isoformat(),
                    "voucher": claim.voucher or ""})
    rewards = db.session.scalars(
        db.select(Reward).outerjoin(Enterprise, Enterprise.id == Reward.enterprise_id)
        .where(Reward.state == RewardState.PAID, Reward.paid_on.between(start, end),
               or_(Enterprise.town == town, db.and_(Reward.enterprise_id.is_(None), Reward.town == town))))
    for reward in rewards:
        payee = mask_name(reward.person.name) if reward.person is not None and reward.enterprise is None else \
            (Message("%(name)s（%(unit)s）", name=mask_name(reward.person.name), unit=reward.enterprise.name)
             if reward.person is not None else reward.name)
        out.append({"kind": "reward", "kind_label": str(PAYMENT_LABELS["reward"]), "payee": payee,
                    "basis": reward.basis, "amount": reward.amount, "paid_on": reward.paid_on.isoformat(),
                    "voucher": reward.voucher or ""})
    return sorted(out, key=lambda p: (p["paid_on"], p["kind"], p["payee"]))


def town_figures(town: str, month: date, month_tally: Tally, ytd_tally: Tally) -> dict:
    """Everything one town's report shows, as JSON."""
    start, end = month, month_end(month)
    return {
        "town": town, "month": f"{month:%Y-%m}", "start": start.isoformat(), "end": end.isoformat(),
        "ytd_start": date(month.year, 1, 1).isoformat(), "rows": figure_rows(town, month_tally, ytd_tally),
        "events": town_events(town, start, end), "prizes": town_prizes(town, start, end),
        "titles": town_titles(town, start, end), "payments": town_payments(town, start, end),
    }


# Writing the reports

def _check_month(month: date) -> date:
    """A month that has begun (Beijing), in the years the league may hold."""
    month = month_start(month)
    if not FIRST_YEAR <= month.year <= LAST_YEAR or month > month_start(beijing_today()):
        message = Message("%(month)s尚未开始，不能生成月度反馈。", month=month_label(month)) \
            if month.year <= LAST_YEAR else Message("月份无效。")
        raise Invalid(message, details=[{"field": "month", "message": message}])
    return month


def generate_month(actor: Actor, month: date, towns: list[str] | None = None, *,
                   started_only: bool = True) -> list[MonthlyReport]:
    """Write (or replace) the month's report of every town of the league (or of the towns given); audited, one row
    per town and month whatever the number of runs. A month that has not begun is refused (the demo, whose dates are
    fixed, writes its months whatever today is: started_only=False)."""
    from .monthly_book import monthly_workbook

    month = _check_month(month) if started_only else month_start(month)
    month_tally = tally(month, month_end(month))
    ytd_tally = tally(date(month.year, 1, 1), month_end(month))
    out = []
    for town in towns if towns is not None else town_names():
        figures = town_figures(town, month, month_tally, ytd_tally)
        out.append(_store(actor, town, month, figures, monthly_workbook(figures)))
    return out


def regenerate(actor: Actor, report: MonthlyReport) -> MonthlyReport:
    """Write a report again from today's data (organisers), replacing it."""
    return generate_month(actor, report.month, [require_town(report.town)])[0]


def _store(actor: Actor, town: str, month: date, figures: dict, workbook: bytes) -> MonthlyReport:
    """Insert the town's report for the month, or replace the one there (locked, re-read); audited."""
    report = db.session.scalar(
        db.select(MonthlyReport).where(MonthlyReport.town == town, MonthlyReport.month == month)
        .with_for_update().execution_options(populate_existing=True))
    replaced = report is not None
    if report is None:
        report = MonthlyReport(town=town, month=month)
        try:
            with db.session.begin_nested():  # a run at the same moment inserted it first: replace that one
                db.session.add(report)
                report.figures, report.workbook, report.generated_by_id = figures, workbook, actor.user_id
                db.session.flush()
        except IntegrityError:  # the savepoint is rolled back; the row the other run wrote is there now
            report = db.session.scalar(
                db.select(MonthlyReport).where(MonthlyReport.town == town, MonthlyReport.month == month)
                .with_for_update().execution_options(populate_existing=True))
            if report is None:
                raise
            replaced = True
    report.figures, report.workbook = figures, workbook
    report.generated_at, report.generated_by_id = utcnow(), actor.user_id
    report.first_seen_at = None  # a new (or renewed) report is new to the town
    db.session.flush()
    record(actor, "monthly_report.generate", report,
           after={"town": town, "month": f"{month:%Y-%m}", "replaced": replaced,
                  **{row["key"]: row["town"] for row in figures["rows"] if not row["tier"]}})
    return report


def mark_seen(report: MonthlyReport, officer_town: str | None) -> bool:
    """The town's officer opened its report: the first time ends its 新 badge. Others opening it change nothing."""
    if officer_town is None or officer_town != report.town or report.first_seen_at is not None:
        return False
    report.first_seen_at = utcnow()
    db.session.flush()
    return True


# Reading them

@dataclass(frozen=True)
class ReportFilter:
    """Which reports a list shows: a month, a town (a town officer: always its own)."""

    month: date | None = None
    town: str | None = None


def reports_query(wanted: ReportFilter):
    """The reports, newest month first, then in the towns' list order (without the workbooks' bytes)."""
    from ...models import Town

    query = (db.select(MonthlyReport).outerjoin(Town, Town.name == MonthlyReport.town)
             .order_by(MonthlyReport.month.desc(), Town.position, MonthlyReport.town))
    if wanted.month is not None:
        query = query.where(MonthlyReport.month == wanted.month)
    if wanted.town is not None:
        query = query.where(MonthlyReport.town == wanted.town)
    return query


def list_reports(wanted: ReportFilter) -> list[MonthlyReport]:
    """Every report the filter names (the API's list)."""
    return list(db.session.scalars(reports_query(wanted)))


def report_months() -> list[date]:
    """The months that have reports, newest first (the list's month filter)."""
    return list(db.session.scalars(db.select(MonthlyReport.month).distinct().order_by(MonthlyReport.month.desc())))


def file_name(report: MonthlyReport) -> str:
    """盛泽镇-2026年11月-高技能人才培养情况反馈.xlsx."""
    return Message("%(town)s-%(month)s-高技能人才培养情况反馈.xlsx", town=report.town, month=month_label(report.month))
