"""Response models of certificates (RULES.md §15) and background jobs (see schemas.py for the conventions)."""
from typing import Any

from pydantic import Field

from .schemas import ApiOut, Timestamp


class CertificateOut(ApiOut):
    """What anyone may read of a certificate: never an ID number, a mobile or the employer."""

    number: str = Field(description="证书编号，如 WJ2026-000123")
    name: str | None = Field(description="获证人姓名，脱敏（张*丰）")
    event: str | None = Field(description="赛项；企业推荐产生的技术能手为 null")
    occupation: str | None = Field(description="职业（工种）")
    level: int | None = Field(description="技能等级：1 高级技师 … 5 初级工")
    prize: str = Field(description="获奖等级（如 一等奖），或「吴江区技术能手」称号")
    year: int = Field(description="联赛年度")


class JobOut(ApiOut):
    """A background job: its state and progress (done of total); the file is ready when state is done."""

    id: int
    kind: str
    state: str = Field(description="queued 排队中；running 进行中；done 完成；failed 失败（见 error）")
    done: int
    total: int
    progress: int = Field(description="进度百分比（0-100）")
    result: Any = Field(None, description="完成后的结果（如导入名单的 {created, existing}）；失败时为发现的问题 {code, details}")
    error: str | None = None
    created_at: Timestamp
    finished_at: Timestamp | None = None
    status_url: str = Field(description="查询本任务进度的地址")
    result_url: str | None = Field(None, description="完成后下载结果的地址")
