"""Request and response models of the fund's endpoints (RULES.md §17; see schemas.py for the conventions): a season's
budget lines, and the district's spending on its events and on technical support."""
from datetime import date
from typing import Literal

from pydantic import Field, computed_field

from ..models import CATEGORY_LABELS, SOURCE_LABELS, SPENDING_STATE_LABELS, BudgetCategory, FundSource, SpendingState
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Paragraph, Timestamp, Yuan

CategoryCode = Literal["subsidy", "expert", "rewards", "district_events", "technical_support"]
SpendingCategoryCode = Literal["district_events", "technical_support"]
SourceCode = Literal["district", "town"]


class BudgetLineIn(ApiIn):
    """One line: category, source (district 区级 or town 镇级), the town of a 镇级 line, amount, note."""

    category: CategoryCode = Field(description="预算科目：subsidy 竞赛经费补贴、expert 技术能手、rewards 奖励、"
                                               "district_events 区级赛事经费、technical_support 技术支持")
    source: SourceCode = Field(description="资金来源：district 区级、town 镇级")
    town: str | None = Field(None, description="镇级资金所属的镇（区），须为镇（区）列表中的名称；区级不填")
    amount: Yuan
    note: str | None = Field(None, description="备注（最多500个字）")


class BudgetLinesIn(ApiIn):
    """A season's lines, all at once: they replace the season's lines (an empty list removes them)."""

    lines: list[BudgetLineIn] = Field(max_length=40)


class BudgetLineOut(ApiOut):
    """A saved line."""

    id: int
    category: BudgetCategory
    source: FundSource
    town: str | None
    amount: Yuan
    note: str | None

    @computed_field
    @property
    def category_label(self) -> str:
        """The category in Chinese."""
        return CATEGORY_LABELS[self.category]

    @computed_field
    @property
    def source_label(self) -> str:
        """区级 or 镇级."""
        return SOURCE_LABELS[self.source]


class CategoryOut(ApiOut):
    """A category of the season: its lines' total, what is committed against it and what remains."""

    category: BudgetCategory
    label: str
    amount: Yuan = Field(description="该科目各行合计")
    committed: Yuan = Field(description="已承诺：补贴、奖励为已批准及已拨付，技术能手为已授予，支出为已批准")
    remaining: Yuan


class BudgetLinesOut(ApiOut):
    """A season's lines, and by category the total, committed and remaining."""

    season_id: int
    lines: list[BudgetLineOut]
    categories: list[CategoryOut]


class SpendingIn(ApiIn):
    """A spending of the district, recorded as proposed."""

    season_id: Id
    category: SpendingCategoryCode = Field(description="district_events 区级赛事经费（须为区级赛）或 technical_support 技术支持")
    event_id: Id | None = None
    amount: Yuan
    spent_on: date = Field(description="支出日期，不能晚于今天")
    voucher: str = Field(description="凭证号（最多60个字符）")
    note: Paragraph | None = Field(None, description="用途说明（最多500个字）")


class SpendingFilter(ApiQuery):
    """Filter the spending list."""

    season_id: Id | None = None
    category: SpendingCategoryCode | None = None
    state: SpendingState | None = None


class SpendingOut(ApiOut):
    """A spending with its state and decision."""

    id: int
    season_id: int
    category: BudgetCategory
    event_id: int | None
    support_request_id: int | None
    amount: Yuan
    spent_on: date
    voucher: str
    note: str | None
    state: SpendingState
    reason: str | None
    created_at: Timestamp
    decided_at: Timestamp | None

    @computed_field
    @property
    def category_label(self) -> str:
        """The category in Chinese."""
        return CATEGORY_LABELS[self.category]

    @computed_field
    @property
    def state_label(self) -> str:
        """The state in Chinese."""
        return SPENDING_STATE_LABELS[self.state]
