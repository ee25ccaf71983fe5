"""Read side of subsidy claims: the organisers' queue, a claim's evidence, the printable claim form
(xlsx; user text stays text) and the season's breakdown of subsidy spending."""
from dataclasses import dataclass

from ...extensions import db
from ...models import CLAIM_STATE_LABELS, ClaimState, Enterprise, Entry, EntryStatus, Event, SubsidyClaim
from ...rules.identity import mask_id_number
from ...xlsx import ColumnSpec, PrintSpec, SheetSpec, write_workbook
from ..common import like_pattern
from ..marking.facts import beijing_today
from ..results.exports import shaped_rows
from .subsidy import participant_origins

PARTICIPANT_STATUSES = (EntryStatus.PRESENT, EntryStatus.DISQUALIFIED)


@dataclass(frozen=True)
class ClaimFilter:
    """The queue's filters: season, state, enterprise and a search over event and enterprise names."""

    season_id: int | None = None
    state: str = ""
    enterprise_id: int | None = None
    search: str = ""


def claims_query(wanted: ClaimFilter = ClaimFilter()):
    """A select of claims, newest first, filtered (the caller scopes enterprise users to their own)."""
    query = (db.select(SubsidyClaim).join(Event, Event.id == SubsidyClaim.event_id)
             .join(Enterprise, Enterprise.id == SubsidyClaim.host_enterprise_id))
    if wanted.season_id is not None:
        query = query.where(SubsidyClaim.season_id == wanted.season_id)
    if wanted.state in {s.value for s in ClaimState}:
        query = query.where(SubsidyClaim.state == ClaimState(wanted.state))
    if wanted.enterprise_id is not None:
        query = query.where(SubsidyClaim.host_enterprise_id == wanted.enterprise_id)
    if wanted.search.strip():
        pattern = like_pattern(wanted.search)
        query = query.where(Event.name.ilike(pattern, escape="\\") | Enterprise.name.ilike(pattern, escape="\\"))
    return query.order_by(SubsidyClaim.created_at.desc(), SubsidyClaim.id.desc())


def claimant_enterprises() -> list[Enterprise]:
    """The enterprises that have made claims, by name (the queue's enterprise filter)."""
    return list(db.session.scalars(db.select(Enterprise).where(
        Enterprise.id.in_(db.select(SubsidyClaim.host_enterprise_id))).order_by(Enterprise.name)))


def waiting_claims() -> int:
    """How many claims wait for a decision."""
    return db.session.scalar(db.select(db.func.count(SubsidyClaim.id))
                             .where(SubsidyClaim.state == ClaimState.SUBMITTED)) or 0


def participants_of(event: Event) -> list[Entry]:
    """The entries present at check-in (disqualified ones included), by number then name."""
    return list(db.session.scalars(
        db.select(Entry).where(Entry.event_id == event.id, Entry.status.in_(PARTICIPANT_STATUSES))
        .order_by(Entry.number.is_(None), Entry.number, Entry.id)))


def results_summary(event: Event) -> list[dict]:
    """The event's result rows (rank, number, name, employer, total, status), ranked first."""
    rows, _frozen = shaped_rows(event, "full", explained=False)  # the explanations are not shown here
    return rows


def season_breakdown(season_id: int) -> dict[str, dict[str, int]]:
    """Subsidy claims of a season by state: count and yuan (one grouped query)."""
    totals = {state.value: {"count": 0, "amount": 0} for state in ClaimState}
    for state, count, amount in db.session.execute(
            db.select(SubsidyClaim.state, db.func.count(SubsidyClaim.id), db.func.sum(SubsidyClaim.amount))
            .where(SubsidyClaim.season_id == season_id).group_by(SubsidyClaim.state)):
        totals[ClaimState(state).value] = {"count": count, "amount": amount or 0}
    return totals


def _form_sheet(claim: SubsidyClaim, participants: int) -> SheetSpec:
    """The first sheet: who claims what, for which event, with the checks at claim time."""
    event = claim.event
    origins = participant_origins(event)  # RULES.md §4: how many are the host's own employees
    lines = [["申请单位", claim.host.name], ["统一社会信用代码", claim.host.credit_code],
             ["赛项", event.name], ["职业（工种）", event.occupation], ["技能等级", f"{event.level} 级"],
             ["比赛日期", str(event.event_date)], ["比赛地点", event.venue or ""], ["联赛年度", claim.season.name],
             ["参赛人数", f"{participants} 人"], ["其中主办企业员工", f"{origins.host} 人"],
             ["其他单位人员", f"{origins.others} 人"], ["申请金额", f"{claim.amount:,} 元"],
             ["申请状态", CLAIM_STATE_LABELS[claim.state]], ["申请日期", claim.created_at.date().isoformat()]]
    lines += [[("✓ " if c["passed"] else "✗ ") + "条件", c["message"]] for c in claim.checks]
    return SheetSpec("补贴申请表", [ColumnSpec("项目", 20, text=True), ColumnSpec("内容", 60, text=True)],
                     rows=lines, borders=True, print_spec=PrintSpec(landscape=False),
                     heading=["吴江职业技能联赛 企业竞赛经费补贴申请表", f"申请编号：{claim.id}　制表日期：{beijing_today()}"],
                     notes=["", "申请单位（盖章）：________________　日期：__________",
                            "组委会审核意见：________________　日期：__________"])


def _results_sheet(event: Event) -> SheetSpec:
    """The second sheet: every participant with number, masked ID, employer, rank, total and status."""
    entries = {e.id: e for e in participants_of(event)}
    ranks = {(r["number"], r["name"]): r for r in results_summary(event)}
    rows = []
    for entry in entries.values():
        row = ranks.get((entry.number, entry.person.name), {})
        rank = f"{row['rank']}{'（并列）' if row.get('shared') else ''}" if row.get("rank") else ""
        rows.append([entry.number or "", entry.person.name, mask_id_number(entry.person.id_number),
                     entry.employer.name if entry.employer else "", rank, row.get("total") or "",
                     "取消资格" if entry.status is EntryStatus.DISQUALIFIED else "到场"])
    columns = [ColumnSpec("参赛号", 10, text=True), ColumnSpec("姓名", 14, text=True),
               ColumnSpec("身份证号", 22, text=True), ColumnSpec("工作单位", 28, text=True),
               ColumnSpec("名次", 8, text=True), ColumnSpec("总分", 10, text=True), ColumnSpec("状态", 10, text=True)]
    return SheetSpec("参赛人员及成绩", columns, rows=rows, borders=True, print_spec=PrintSpec(),
                     heading=[f"{event.name} 参赛人员及成绩", f"到场参赛 {len(rows)} 人（含取消资格）"])


def claim_form_workbook(claim: SubsidyClaim) -> bytes:
    """The printable claim form: the claim, the event, its participants and results, the amount."""
    return write_workbook([_form_sheet(claim, claim.participants), _results_sheet(claim.event)])
