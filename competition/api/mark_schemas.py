"""Request and response models for marks, progress, sign-off and results (see schemas.py for the conventions).

Marks and scores go out as strings with 2 decimals ("87.45"). Marks come in as strings or JSON
numbers; a number is turned into text with str() (so 88.5 is "88.5", never a binary float) and
the service refuses anything with more than 2 decimals or out of range, naming the criterion.
Results never carry a judge's account, only panel seats (裁判 1, 裁判 2, …) in the explanations.
"""
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer

from .schemas import ApiIn, ApiOut, Id, Identifier, Paragraph, Timestamp

Score = Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json")]
MarkValue = Annotated[str | int | float, Field(description="分数：字符串或数字，最多两位小数，如 \"87.5\" 或 87.5")]


class MarkIn(ApiIn):
    """One cell: competition number, criterion, value, and the value the client last saw (null: empty)."""

    number: Identifier = Field(max_length=20, description="参赛号，如 \"001\"")
    criterion_id: Id
    value: MarkValue
    expected: MarkValue | None = Field(None, description="客户端看到的原值；空白为 null。与库中不符则 409 stale_mark")


class MarksIn(ApiIn):
    """A batch of marks saved all-or-nothing; a reason is needed for changes after a reopen."""

    marks: list[MarkIn] = Field(min_length=1, max_length=10_000)
    reason: Paragraph | None = Field(None, max_length=500)
    judge_id: Id | None = Field(None, description="裁判长或组委会在重新开放评分后更正该裁判的评分")


class MarkOut(ApiOut):
    """A stored mark; judge_id is null for a measurement value (entered once per entry)."""

    entry_id: int
    number: str
    criterion_id: int
    judge_id: int | None
    value: Score
    version: int


class SavedMarksOut(ApiOut):
    """The saved state of every cell of the batch."""

    marks: list[MarkOut]


class JudgeProgressOut(ApiOut):
    """One judge's judgement cells marked of those expected, and whether they submitted."""

    judge_id: int
    name: str
    is_chief: bool
    marked: int
    expected: int
    submitted_at: Timestamp | None


class MissingMarkOut(ApiOut):
    """A mark still to enter; judge_id is null for a measurement value."""

    judge_id: int | None
    judge_name: str | None
    entry_id: int
    number: str | None
    criterion_id: int
    criterion_name: str


class SubmissionOut(ApiOut):
    """A judge's submission: their marks are now read-only to them."""

    judge_id: int
    submitted_at: Timestamp
    measurements_missing: list[MissingMarkOut] = Field(
        default_factory=list, description="仍为空白的测量值：裁判长或组委会在签核前录入（PUT marks，无须 judge_id）")


class ProgressOut(ApiOut):
    """Per judge marked / expected, the measurement values, and every missing mark."""

    judges: list[JudgeProgressOut]
    measured: int
    measurements_expected: int
    missing: list[MissingMarkOut]
    complete: bool


class SignOffOut(ApiOut):
    """The frozen results: the event's new status, the participant count and the snapshot's number."""

    status: str
    participants: int
    sequence: int


class TieOrderIn(ApiIn):
    """The order of a strict-mode tie, best first, with the reason."""

    entry_ids: list[Id] = Field(min_length=2, max_length=1000)
    reason: Paragraph = Field(max_length=500)


class TieOrderOut(ApiOut):
    """A recorded tie order."""

    id: int
    entry_ids: list[int]
    reason: str


class StatusOut(ApiOut):
    """The event's status after a lifecycle step."""

    status: str
    notice_ends_on: date | None = None


class PublishOut(StatusOut):
    """The notice (公示) has started; it runs to the end of notice_ends_on."""

    notice_ends_on: date


class ModuleScoreOut(ApiOut):
    """A module's score as displayed (2 decimals)."""

    name: str
    score: str


class ResultRowOut(ApiOut):
    """One results row; rank is null for absent, withdrawn and disqualified entries (or incomplete marks)."""

    rank: int | None
    shared: bool = False
    entry_id: int | None = None
    number: str | None
    name: str | None = Field(description="组委会：全名；公众与裁判：脱敏（张*丰）；公示前裁判：null")
    employer: str | None
    modules: list[ModuleScoreOut]
    total: str | None
    practical: str | None
    time_used: int | None
    status: str
    explanation: dict[str, Any]
    prize: str | None = Field(None, description="获奖等级（如 一等奖）；未获奖为 null；成绩公示前仅组委会可见（RULES.md §15）")
    certificate_no: str | None = Field(None, description="获奖证书编号（如 WJ2026-000123，可在 /verify/{编号} 核验）；"
                                                         "成绩确认为最终成绩后才有，未获奖为 null")


class ResultsOut(ApiOut):
    """An event's results: frozen after sign-off, computed from the raw marks before."""

    event_id: int
    status: str
    frozen: bool = Field(description="true：签核时冻结的成绩；false：按当前评分实时计算")
    notice_ends_on: date | None
    participants: int | None
    rows: list[ResultRowOut]
