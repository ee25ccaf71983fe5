"""The money side of the season report and the enterprise dashboard: the sheets and lists of subsidy claims,
技术能手 titles and rewards (what was committed when is budget.spending_history). Reads the claims and titles tables; decides
nothing."""
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from ...extensions import db
from ...models import Enterprise, Event, Person, Reward
from ...models.types import beijing_day
from ...models.nominations import NOMINATION_STATE_LABELS, ROUTE_LABELS, ExpertTitle, Nomination, NominationState
from ...models.subsidy import CLAIM_STATE_LABELS, ClaimState, SubsidyClaim
from ...rules.identity import mask_id_number
from ...xlsx import DATE_FORMAT, MONEY_FORMAT, ColumnSpec, SheetSpec
from .workbook import heading
from .figures import SeasonFigures, month_range

def in_period(figures: SeasonFigures, *moments) -> bool:
    """Whole year: always; a month: when any of the moments falls in it."""
    if figures.month is None:
        return True
    start, end = month_range(figures.month, figures.season)
    return any(day is not None and start <= day <= end for day in moments)


def subsidy_sheet(f: SeasonFigures) -> SheetSpec:
    """竞赛补贴: every claim of the season (a month: claimed, decided or paid in it)."""
    rows = db.session.execute(
        db.select(SubsidyClaim, Event.name, Enterprise.name).join(Event, Event.id == SubsidyClaim.event_id)
        .join(Enterprise, Enterprise.id == SubsidyClaim.host_enterprise_id)
        .where(SubsidyClaim.season_id == f.season.id).order_by(SubsidyClaim.created_at, SubsidyClaim.id)).all()
    columns = [ColumnSpec("申请编号", 10), ColumnSpec("赛项", 34, text=True), ColumnSpec("承办企业", 28, text=True),
               ColumnSpec("参赛人数", 10), ColumnSpec("金额（元）", 12, number_format=MONEY_FORMAT),
               ColumnSpec("状态", 10, text=True), ColumnSpec("申请日期", 12, number_format=DATE_FORMAT),
               ColumnSpec("审核日期", 12, number_format=DATE_FORMAT), ColumnSpec("拨付日期", 12, number_format=DATE_FORMAT),
               ColumnSpec("凭证号", 16, text=True), ColumnSpec("驳回原因", 30, text=True)]
    out = []
    for claim, event_name, host in rows:
        claimed, decided = beijing_day(claim.created_at), beijing_day(claim.decided_at)
        if in_period(f, claimed, decided, claim.paid_on):
            out.append([claim.id, event_name, host, claim.participants, claim.amount,
                        CLAIM_STATE_LABELS.get(claim.state, claim.state.value), claimed, decided, claim.paid_on,
                        claim.voucher or "", (claim.reason or "") if claim.state is ClaimState.REJECTED else ""])
    committed = sum(r[4] for r in out if r[5] in (CLAIM_STATE_LABELS[ClaimState.APPROVED],
                                                  CLAIM_STATE_LABELS[ClaimState.PAID]))
    return SheetSpec("竞赛补贴", columns, rows=out, heading=heading(f, "竞赛经费补贴"), borders=True,
                     notes=["", f"已批准及已拨付合计（元）：{committed}"])


def nominations_sheet(f: SeasonFigures) -> SheetSpec:
    """技术能手: the titles awarded (a month: awarded in it), then the nominations by state."""
    titles = db.session.execute(
        db.select(ExpertTitle, Person.name, Person.id_number, Event.name, Enterprise.name)
        .join(Person, Person.id == ExpertTitle.person_id).outerjoin(Event, Event.id == ExpertTitle.event_id)
        .outerjoin(Enterprise, Enterprise.id == ExpertTitle.enterprise_id)
        .where(ExpertTitle.season_id == f.season.id).order_by(ExpertTitle.awarded_at, ExpertTitle.id)).all()
    columns = [ColumnSpec("姓名", 12, text=True), ColumnSpec("身份证号码", 22, text=True),
               ColumnSpec("途径", 10, text=True), ColumnSpec("赛项", 34, text=True),
               ColumnSpec("工作单位", 28, text=True), ColumnSpec("补贴（元）", 12, number_format=MONEY_FORMAT),
               ColumnSpec("授予日期", 12, number_format=DATE_FORMAT)]
    rows = [[name, mask_id_number(id_number), ROUTE_LABELS[title.route], event or "",
             employer or "", title.subsidy, beijing_day(title.awarded_at)]
            for title, name, id_number, event, employer in titles if in_period(f, beijing_day(title.awarded_at))]
    states: Counter[NominationState] = Counter(dict(db.session.execute(
        db.select(Nomination.state, db.func.count(Nomination.id)).where(Nomination.season_id == f.season.id)
        .group_by(Nomination.state)).tuples().all()))
    notes = ["", f"授予人数：{len(rows)}　补贴合计（元）：{sum(r[5] for r in rows)}",
             "全年提名：" + "，".join(f"{NOMINATION_STATE_LABELS[s]} {states.get(s, 0)}" for s in NominationState)]
    return SheetSpec("技术能手", columns, rows=rows, heading=heading(f, "技术能手"), borders=True, notes=notes)


def enterprise_claims(enterprise_id: int) -> Sequence[Row[Any]]:
    """The enterprise's subsidy claims, newest first, with the event's name."""
    return db.session.execute(
        db.select(SubsidyClaim.id, SubsidyClaim.event_id, Event.name.label("event_name"), SubsidyClaim.amount,
                  SubsidyClaim.state, SubsidyClaim.created_at, SubsidyClaim.paid_on)
        .join(Event, Event.id == SubsidyClaim.event_id).where(SubsidyClaim.host_enterprise_id == enterprise_id)
        .order_by(SubsidyClaim.created_at.desc(), SubsidyClaim.id.desc())).all()


def enterprise_titles(enterprise_id: int) -> Sequence[Row[Any]]:
    """技术能手 titles held by the enterprise's employees (as recorded at the award), newest first."""
    return db.session.execute(
        db.select(ExpertTitle.year, ExpertTitle.route, ExpertTitle.subsidy, Person.name, Event.name.label("event_name"))
        .join(Person, Person.id == ExpertTitle.person_id).outerjoin(Event, Event.id == ExpertTitle.event_id)
        .where(ExpertTitle.enterprise_id == enterprise_id)
        .order_by(ExpertTitle.year.desc(), ExpertTitle.id.desc())).all()


def enterprise_rewards(enterprise_id: int) -> list[Reward]:
    """The rewards to the enterprise and to the people it sent (RULES.md §16), newest first, every season."""
    return list(db.session.scalars(db.select(Reward).where(Reward.enterprise_id == enterprise_id)
                                   .order_by(Reward.created_at.desc(), Reward.id.desc())))
