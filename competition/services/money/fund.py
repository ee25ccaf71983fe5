"""The fund (seed 四, RULES.md §17): a season's budget lines and the district's own spending.

A season's budget has lines by category (竞赛经费补贴, 技术能手, 奖励, 区级赛事经费, 技术支持), each with its
source: 区级, or 镇级 naming a town of the league's list (services/towns.require_town). Organisers set a season's
lines all at once (a replacement, audited). What is committed against a category is budget.committed_parts' part of
it, so the season page, the lines and the approvals count the same money.

The district's spending on its own events (judges' fees, materials, venues, prizes) and on technical support is
recorded with its date, amount and voucher (proposed), then approved within its category's lines: the lines' sum less
the category's approved spending must cover it (409 over_budget naming the lines), and within the season's budget
(budget.require_within_budget); or rejected with a reason. The approval takes the season lock and locks the spending
row, re-read, so two approvals racing over one line are decided in turn and a spending is never decided twice.
"""
from dataclasses import dataclass, field
from datetime import date

from ...errors import Invalid, InvalidState
from ...extensions import db
from ...models import (CATEGORY_LABELS, SOURCE_LABELS, SPENDING_CATEGORIES, SPENDING_STATE_LABELS, BudgetCategory,
                       BudgetLine, Event, EventKind, FundSource, Season, Spending, SpendingState, User, utcnow)
from ...rules.messages import Message, clauses, listing
from ..audit import Actor, record, snapshot
from ..marking.facts import beijing_today
from ..towns import require_town
from .budget import CATEGORY_PARTS, committed_parts, lock_season, require_within_budget
from .decisions import clean_reason

MAX_LINE = 10**9
MAX_SPENDING = 10**8
MAX_LINES = 40
NOTE_LENGTH = 500
VOUCHER_LENGTH = 60
SPENDING_FIELDS = ("category", "event_id", "support_request_id", "amount", "spent_on", "voucher", "note", "state",
                   "reason")
CATEGORY_ORDER = {category: index for index, category in enumerate(BudgetCategory)}
SOURCE_ORDER = {FundSource.DISTRICT: 0, FundSource.TOWN: 1}


# Budget lines

@dataclass(frozen=True)
class LineData:
    """One budget line as typed: category, source (district or town), the town for a 镇级 line, amount, note."""

    category: object
    source: object
    amount: object
    town: str | None = None
    note: str | None = None


def line_name(line: BudgetLine) -> str:
    """A line as people name it: 区级赛事经费（区级） or 区级赛事经费（镇级·盛泽镇）."""
    source = SOURCE_LABELS[line.source]
    where = Message("%(source)s·%(town)s", source=source, town=line.town) if line.source is FundSource.TOWN else source
    return Message("%(category)s（%(source)s）", category=CATEGORY_LABELS[line.category], source=where)


def season_lines(season_id: int) -> list[BudgetLine]:
    """A season's lines: by category, 区级 before 镇级, towns by name."""
    lines = db.session.scalars(db.select(BudgetLine).where(BudgetLine.season_id == season_id))
    return sorted(lines, key=lambda line: (CATEGORY_ORDER[line.category], SOURCE_ORDER[line.source], line.town or ""))


def _enum(enum_type, value):
    """The enum member a value names, or None."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        return None


def _clean_line(index: int, line: LineData, problems: list[dict]) -> BudgetLine | None:
    """One line checked (each problem appended, named lines[i].field); the unsaved line, or None."""
    where = f"lines[{index}]"
    row = Message("第 %(n)s 行", n=index + 1)
    category, source = _enum(BudgetCategory, line.category), _enum(FundSource, line.source)
    if category is None:
        problems.append({"field": f"{where}.category", "message": Message("%(row)s：请选择预算科目。", row=row)})
    if source is None:
        problems.append({"field": f"{where}.source", "message": Message("%(row)s：请选择资金来源（区级或镇级）。",
                                                                        row=row)})
    town = (line.town or "").strip() or None
    if source is FundSource.TOWN and town is None:
        problems.append({"field": f"{where}.town", "message": Message("%(row)s：镇级资金须注明所属镇（区）。", row=row)})
    elif source is FundSource.TOWN:
        try:
            town = require_town(town, f"{where}.town")
        except Invalid as exc:
            problems.append({"field": f"{where}.town", "message": Message("%(row)s：%(reason)s", row=row,
                                                                          reason=exc.message)})
            town = None
    elif source is FundSource.DISTRICT and town is not None:
        problems.append({"field": f"{where}.town", "message": Message(
            "%(row)s：区级资金不属于某个镇（区），请不要填写镇（区）。", row=row)})
    amount = line.amount
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_LINE:
        problems.append({"field": f"{where}.amount", "message": Message(
            "%(row)s：金额应为 0 至 %(max)s 元的整数。", row=row, max=format(MAX_LINE, ","))})
    note = (line.note or "").strip() or None
    if note is not None and len(note) > NOTE_LENGTH:
        problems.append({"field": f"{where}.note", "message": Message("%(row)s：备注最多%(max)s个字。", row=row,
                                                                      max=NOTE_LENGTH)})
    if category is None or source is None or not isinstance(amount, int) or (source is FundSource.TOWN and not town):
        return None
    return BudgetLine(category=category, source=source, town=town if source is FundSource.TOWN else None,
                      amount=amount, note=note)


def _line_json(line: BudgetLine) -> dict:
    """A line for the audit log."""
    return {"category": line.category.value, "source": line.source.value, "town": line.town, "amount": line.amount,
            "note": line.note}


def set_lines(actor: Actor, season: Season, lines: list[LineData]) -> list[BudgetLine]:
    """Replace a season's budget lines (organisers); 400 naming each wrong row and field, a line given twice
    included; 409 below_committed when a spending category's lines would no longer cover its approved spending."""
    if len(lines) > MAX_LINES:
        message = Message("预算科目最多%(max)s行。", max=MAX_LINES)
        raise Invalid(message, details=[{"field": "lines", "message": message}])
    problems: list[dict] = []
    cleaned = [_clean_line(index, line, problems) for index, line in enumerate(lines)]
    seen: dict[tuple, int] = {}
    for index, line in enumerate(cleaned):
        if line is None:
            continue
        key = (line.category, line.source, line.town)
        if key in seen:
            problems.append({"field": f"lines[{index}].category", "message": Message(
                "第 %(n)s 行：%(line)s 与第 %(first)s 行重复，同一科目、同一来源只能有一行。", n=index + 1,
                line=line_name(line), first=seen[key] + 1)})
        else:
            seen[key] = index
    if problems:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    lock_season(season.id)  # the lines and the approvals that read them are changed in turn
    new = [line for line in cleaned if line is not None]
    _require_lines_cover_spending(season.id, new)
    old = season_lines(season.id)
    before = [_line_json(line) for line in old]
    for line in old:
        db.session.delete(line)
    db.session.flush()  # the old rows go before the new ones take their (season, category, source, town)
    for line in new:
        line.season_id, line.created_by_id = season.id, actor.user_id
        db.session.add(line)
    db.session.flush()
    record(actor, "budget_lines.set", season, before={"lines": before},
           after={"lines": [_line_json(line) for line in season_lines(season.id)]})
    return season_lines(season.id)


def _require_lines_cover_spending(season_id: int, lines: list[BudgetLine]) -> None:
    """409 when a spending category's new lines would total less than its approved spending."""
    spent = approved_spending(season_id)
    short = [(category, sum(line.amount for line in lines if line.category is category), amount)
             for category, amount in spent.items()]
    short = [item for item in short if item[1] < item[2]]
    if short:
        raise InvalidState(clauses(
            Message("%(category)s 预算合计 %(total)s 元，少于已批准的支出 %(spent)s 元",
                    category=CATEGORY_LABELS[category], total=format(total, ","), spent=format(amount, ","))
            for category, total, amount in short), code="below_committed")


def approved_spending(season_id: int) -> dict[BudgetCategory, int]:
    """A season's approved spending by spending category (both categories, 0 when none)."""
    parts = committed_parts(season_id)
    return {category: parts[CATEGORY_PARTS[category]] for category in SPENDING_CATEGORIES}


@dataclass(frozen=True)
class CategoryLines:
    """One budget category of a season: its lines, their total, what is committed against it and what remains."""

    category: BudgetCategory
    lines: list[BudgetLine] = field(default_factory=list)
    committed: int = 0

    @property
    def amount(self) -> int:
        """The category's budget: its lines' total."""
        return sum(line.amount for line in self.lines)

    @property
    def remaining(self) -> int:
        """What the category has left (negative when more is committed than its lines hold)."""
        return self.amount - self.committed

    @property
    def label(self) -> str:
        """The category's name."""
        return CATEGORY_LABELS[self.category]


def committed_by_category(season_id: int) -> dict[BudgetCategory, int]:
    """What is committed against each category (budget.committed_parts, so one definition of committed)."""
    parts = committed_parts(season_id)
    return {category: parts[label] for category, label in CATEGORY_PARTS.items()}


def season_categories(season_id: int) -> list[CategoryLines]:
    """Every category of a season with its lines, committed and remaining (a category without lines included:
    what it commits then shows as beyond its lines)."""
    lines = season_lines(season_id)
    spent = committed_by_category(season_id)
    return [CategoryLines(category, [line for line in lines if line.category is category], spent.get(category, 0))
            for category in BudgetCategory]


def category_lines(season_id: int, category: BudgetCategory) -> CategoryLines:
    """One category of a season with its lines, committed and remaining."""
    return next(c for c in season_categories(season_id) if c.category is category)


# Spending

@dataclass(frozen=True)
class SpendingData:
    """A spending as recorded: season, category, the event (optional), amount, the day it was spent, the voucher,
    a note; a technical-support cost may name the support request it pays for."""

    season_id: object
    category: object
    amount: object
    spent_on: object
    voucher: str | None
    event_id: object = None
    note: str | None = None
    support_request_id: int | None = None


def _check_event(data: SpendingData, season: Season | None, category: BudgetCategory | None,
                 problems: list[dict]) -> Event | None:
    """The spending's event, when one is named: of the season, and a district event for district_events."""
    if data.event_id is None:
        return None
    event = db.session.get(Event, data.event_id) if isinstance(data.event_id, int) else None
    if event is None:
        problems.append({"field": "event_id", "message": Message("没有这个赛项。")})
    elif season is not None and event.season_id != season.id:
        problems.append({"field": "event_id", "message": Message("赛项「%(event)s」不属于%(season)s。",
                                                                 event=event.name, season=season.name)})
    elif category is BudgetCategory.DISTRICT_EVENTS and event.kind is not EventKind.DISTRICT:
        problems.append({"field": "event_id", "message": Message(
            "区级赛事经费只用于区级赛：「%(event)s」是企业赛（企业赛的支持计入技术支持）。", event=event.name)})
    return event


def record_spending(actor: Actor, data: SpendingData) -> Spending:
    """Record a spending, proposed (organisers); 400 naming each wrong field."""
    problems: list[dict] = []
    season = db.session.get(Season, data.season_id) if isinstance(data.season_id, int) else None
    if season is None:
        problems.append({"field": "season_id", "message": Message("请选择联赛年度。")})
    category = _enum(BudgetCategory, data.category)
    if category not in SPENDING_CATEGORIES:
        category = None
        problems.append({"field": "category", "message": Message("请选择支出科目：区级赛事经费或技术支持。")})
    event = _check_event(data, season, category, problems)
    amount = data.amount
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_SPENDING:
        problems.append({"field": "amount", "message": Message("金额应为 1 至 %(max)s 元的整数。",
                                                               max=format(MAX_SPENDING, ","))})
    spent_on, today = data.spent_on, beijing_today()
    if not isinstance(spent_on, date):
        problems.append({"field": "spent_on", "message": Message("请填写支出日期。")})
    elif spent_on > today:
        problems.append({"field": "spent_on", "message": Message(
            "支出日期 %(date)s 还没到：只能登记已经发生的支出，日期不能晚于今天（%(today)s）。",
            date=spent_on.isoformat(), today=today.isoformat())})
    voucher = (data.voucher or "").strip()
    if not 1 <= len(voucher) <= VOUCHER_LENGTH:
        problems.append({"field": "voucher", "message": Message("请填写凭证号（最多%(max)s个字符）。",
                                                                max=VOUCHER_LENGTH)})
    note = (data.note or "").strip() or None
    if note is not None and len(note) > NOTE_LENGTH:
        problems.append({"field": "note", "message": Message("说明最多%(max)s个字。", max=NOTE_LENGTH)})
    if problems or season is None or category is None:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    spending = Spending(season_id=season.id, category=category, event_id=event.id if event else None,
                        support_request_id=data.support_request_id, amount=amount, spent_on=spent_on,
                        voucher=voucher, note=note, created_by_id=actor.user_id)
    db.session.add(spending)
    db.session.flush()
    record(actor, "spending.record", spending, after=snapshot(spending, SPENDING_FIELDS))
    return spending


def state_label(spending: Spending) -> str:
    """The spending's state in words."""
    return SPENDING_STATE_LABELS[spending.state]


def _lock(spending: Spending, *states: SpendingState) -> dict:
    """Lock the spending's row, re-read it, and require one of the states (409 otherwise); the 'before' snapshot."""
    db.session.execute(db.select(Spending).where(Spending.id == spending.id).with_for_update(of=Spending)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched, or nothing is re-read
    if spending.state not in states:
        raise InvalidState(Message("该支出当前为“%(state)s”，不能执行此操作（需为 %(wanted)s）。",
                                   state=state_label(spending),
                                   wanted=listing(SPENDING_STATE_LABELS[s] for s in states)),
                           code="invalid_spending_state")
    return snapshot(spending, SPENDING_FIELDS)


def _decided(actor: Actor, spending: Spending, action: str, before: dict, message: str | None = None) -> Spending:
    db.session.flush()
    record(actor, action, spending, before=before, after=snapshot(spending, SPENDING_FIELDS), message=message)
    return spending


def require_within_lines(season_id: int, category: BudgetCategory, amount: int) -> None:
    """Refuse (409 over_budget) when approving `amount` more of a spending category would take it beyond the sum of
    its lines; the message names the lines, their amount, what is committed and what remains. Takes the season
    lock first."""
    lock_season(season_id)
    lines = category_lines(season_id, category)
    if amount <= lines.remaining:
        return
    label = CATEGORY_LABELS[category]
    if not lines.lines:
        raise InvalidState(Message("本年度没有「%(category)s」预算科目，不能批准该支出（%(amount)s 元）：请先设置预算科目。",
                                   category=label, amount=format(amount, ",")), code="over_budget")
    named = listing(Message("%(line)s %(amount)s 元", line=line_name(line), amount=format(line.amount, ","))
                    for line in lines.lines)
    raise InvalidState(Message(
        "超出预算科目：%(lines)s，合计 %(total)s 元，已承诺 %(committed)s 元，剩余 %(left)s 元，本次 %(amount)s 元。",
        lines=named, total=format(lines.amount, ","), committed=format(lines.committed, ","),
        left=format(lines.remaining, ","), amount=format(amount, ",")), code="over_budget")


def approve_spending(actor: Actor, spending: Spending) -> Spending:
    """Approve a proposed spending within its category's lines and the season's budget (409 over_budget otherwise)."""
    before = _lock(spending, SpendingState.PROPOSED)
    require_within_lines(spending.season_id, spending.category, spending.amount)
    require_within_budget(spending.season_id, spending.amount)
    spending.state, spending.decided_by_id, spending.decided_at = SpendingState.APPROVED, actor.user_id, utcnow()
    return _decided(actor, spending, "spending.approve", before)


def reject_spending(actor: Actor, spending: Spending, reason: str | None) -> Spending:
    """Reject a proposed spending with a written reason."""
    reason = clean_reason(reason)
    before = _lock(spending, SpendingState.PROPOSED)
    spending.state, spending.reason = SpendingState.REJECTED, reason
    spending.decided_by_id, spending.decided_at = actor.user_id, utcnow()
    return _decided(actor, spending, "spending.reject", before, message=reason)


@dataclass(frozen=True)
class SpendingFilter:
    """What a spending list is narrowed to: a season, a category, a state."""

    season_id: int | None = None
    category: str | None = None
    state: str | None = None


def _where(wanted: SpendingFilter) -> list:
    """The conditions of a filter."""
    conditions = []
    if wanted.season_id is not None:
        conditions.append(Spending.season_id == wanted.season_id)
    if wanted.category:
        conditions.append(Spending.category == BudgetCategory(wanted.category))
    if wanted.state:
        conditions.append(Spending.state == SpendingState(wanted.state))
    return conditions


def spending_query(wanted: SpendingFilter):
    """The spending of a filter, most recently spent first (a select, for paging)."""
    return db.select(Spending).where(*_where(wanted)).order_by(Spending.spent_on.desc(), Spending.id.desc())


def spending_totals(wanted: SpendingFilter) -> dict[str, int]:
    """Whole yuan by state (proposed, approved, rejected) of a filter's spending (one grouped query)."""
    rows = db.session.execute(db.select(Spending.state, db.func.coalesce(db.func.sum(Spending.amount), 0))
                              .where(*_where(wanted)).group_by(Spending.state)).tuples().all()
    totals = {state.value: 0 for state in SpendingState}
    totals.update({state.value: int(amount or 0) for state, amount in rows})
    return totals


def season_spending(season_id: int) -> list[Spending]:
    """Every spending of a season, in the order it was spent (the season report's sheet)."""
    return list(db.session.scalars(db.select(Spending).where(Spending.season_id == season_id)
                                   .order_by(Spending.spent_on, Spending.id)))


def people_of(spendings: list[Spending]) -> dict[int, str]:
    """Display names of the users who recorded or decided the spending, by id (one query)."""
    ids = {i for s in spendings for i in (s.created_by_id, s.decided_by_id) if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())


def spending_events(season_id: int | None) -> list[Event]:
    """The events a spending of a season may name: district events first, then enterprise events, by date."""
    if season_id is None:
        return []
    return list(db.session.scalars(db.select(Event).where(Event.season_id == season_id).order_by(
        (Event.kind != EventKind.DISTRICT), Event.event_date, Event.id)))
