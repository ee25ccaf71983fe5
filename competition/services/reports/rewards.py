"""The reward register (奖励台账, RULES.md §16) as a finance office files it, and the same rows as the season report's
奖励 sheet; also the names the reward pages show. Reads the rewards table; decides nothing.

Rows come approved, paid, proposed, then rejected (each by id), numbered 序号 1…; a rejected reward carries its
reason in 备注; the total row sums what is committed (approved and paid), as budget.committed_parts counts it.
"""
from collections.abc import Sequence
from datetime import date

from ...extensions import db
from ...models import REWARD_KIND_LABELS, REWARD_STATE_LABELS, Reward, RewardState, Season, User
from ...models.types import beijing_day, beijing_today
from ...xlsx import DATE_FORMAT, MONEY_FORMAT, ColumnSpec, SheetSpec, write_workbook
from ..money.budget import COMMITTED_REWARDS
from .figures import SeasonFigures
from .money import in_period
from .workbook import heading

ORDER = (RewardState.APPROVED, RewardState.PAID, RewardState.PROPOSED, RewardState.REJECTED)
AMOUNT = 5  # the 金额（元） column's index
COLUMNS = (ColumnSpec("序号", 6), ColumnSpec("类别", 14, text=True), ColumnSpec("获奖对象", 20, text=True),
           ColumnSpec("单位", 26, text=True), ColumnSpec("依据", 40, text=True),
           ColumnSpec("金额（元）", 12, number_format=MONEY_FORMAT), ColumnSpec("状态", 10, text=True),
           ColumnSpec("批准日期", 12, number_format=DATE_FORMAT), ColumnSpec("拨付日期", 12, number_format=DATE_FORMAT),
           ColumnSpec("凭证号", 16, text=True), ColumnSpec("备注", 30, text=True))
TOTAL_LABEL = "合计（已批准及已拨付）"


def register_rewards(season_id: int) -> list[Reward]:
    """The season's rewards in the register's order: approved, paid, proposed, rejected, each by id."""
    rewards = db.session.scalars(db.select(Reward).where(Reward.season_id == season_id).order_by(Reward.id)).all()
    return sorted(rewards, key=lambda r: ORDER.index(r.state))


def _unit(reward: Reward) -> str:
    """The unit column: the sending enterprise of a person's reward, else the organising enterprise or town."""
    if reward.enterprise is not None:
        return reward.enterprise.name
    return reward.town or ""


def _approved_on(reward: Reward) -> date | None:
    """The Beijing day of the approval (a rejection's day is not an approval)."""
    return beijing_day(reward.decided_at) if reward.state in COMMITTED_REWARDS else None


def _row(number: int, reward: Reward) -> list:
    """One register line."""
    note = f"驳回理由：{reward.reason}" if reward.state is RewardState.REJECTED and reward.reason else ""
    return [number, REWARD_KIND_LABELS[reward.kind], reward.name, _unit(reward), reward.basis, reward.amount,
            REWARD_STATE_LABELS[reward.state], _approved_on(reward), reward.paid_on, reward.voucher or "", note]


def register_rows(rewards: Sequence[Reward]) -> list[list]:
    """The numbered lines, then the total row of approved and paid rewards."""
    rows = [_row(number, reward) for number, reward in enumerate(rewards, 1)]
    total = sum(r.amount for r in rewards if r.state in COMMITTED_REWARDS)
    rows.append(["", TOTAL_LABEL, "", "", "", total, "", None, None, "", ""])
    return rows


def register_title(season: Season) -> str:
    """吴江职业技能联赛 2026年度奖励台账."""
    return f"吴江职业技能联赛 {season.year}年度奖励台账"


def reward_register(season: Season) -> bytes:
    """The season's reward register workbook: title, header, the lines, the total, and the signature lines."""
    rewards = register_rewards(season.id)
    notes = ["", f"制表日期：{beijing_today().isoformat()}　　经办人：　　　　　　审核人：　　　　　　负责人："]
    sheet = SheetSpec("奖励台账", COLUMNS, rows=register_rows(rewards), heading=[register_title(season)],
                      borders=True, notes=notes)
    return write_workbook([sheet])


def rewards_sheet(f: SeasonFigures) -> SheetSpec:
    """奖励: the register's lines for the report's period (a month: proposed, decided or paid in it)."""
    rewards = [r for r in register_rewards(f.season.id)
               if in_period(f, beijing_day(r.created_at), beijing_day(r.decided_at), r.paid_on)]
    return SheetSpec("奖励", COLUMNS, rows=register_rows(rewards), heading=heading(f, "奖励"), borders=True)


def reward_people(reward: Reward) -> dict[int, str]:
    """Display names of the users who proposed, decided and paid the reward, by id (one query)."""
    ids = {i for i in (reward.created_by_id, reward.decided_by_id, reward.paid_by_id) if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())

