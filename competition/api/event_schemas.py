"""Request and response models for events, schemes, panels and entries (see schemas.py for the conventions).

Entries come out in three shapes, chosen by the handler from the caller: StaffEntryOut (whole
mobile), EntryOut (mobile masked) and BlindEntryOut (competition number only, for judges before
publication). ID numbers are always masked; a whole one needs POST /entries/{id}/reveal-id.
"""
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PlainSerializer, computed_field, field_validator, model_validator

from ..models import (ENTRY_STATUS_LABELS, Aggregation, AggregationLevel, CriterionKind, Entry, EntryStatus,
                      EventKind, EventStatus, ModuleKind)
from ..rules.events import STATUS_LABELS
from ..rules.identity import mask_id_number, mask_mobile
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Timestamp

Score = Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json")]
TieBreak = Literal["practical", "time_used"]
MaxScore = Annotated[str | int | float, Field(description="满分，最多两位小数，如 \"60\" 或 60")]
Venue = Annotated[str, Field(max_length=120)]


# Events and schemes

class CriterionIn(ApiIn):
    """A line of the marking scheme."""

    name: str = Field(max_length=120)
    max_score: MaxScore
    kind: CriterionKind

    @field_validator("max_score")
    @classmethod
    def _not_huge(cls, value):
        """Refuse absurd maxima here: rounding them to 2 decimals would overflow (the service checks the rest)."""
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return value
        if number.is_finite() and abs(number) > 1000:
            raise ValueError("满分应为大于0、不超过100、最多两位小数的数。")
        return value


class ModuleIn(ApiIn):
    """A module (theory or practical) with its weight in whole percent and its criteria."""

    name: str = Field(max_length=60)
    kind: ModuleKind
    weight: int = Field(description="权重（整数百分比），各模块之和为100")
    criteria: list[CriterionIn]


class EventIn(ApiIn):
    """A new event with its marking scheme; enterprise users may leave out host_enterprise_id."""

    season_id: Id
    name: str
    occupation: str
    level: int = Field(description="技能等级：1 高级技师 … 5 初级工")
    kind: EventKind
    host_enterprise_id: Id | None = Field(None, description="企业赛的承办企业；企业用户默认为本企业")
    event_date: date
    registration_deadline: date
    venue: Venue | None = None
    min_age: int | None = None
    max_age: int | None = None
    aggregation: Aggregation = Aggregation.TRIMMED_MEAN
    aggregation_level: AggregationLevel = AggregationLevel.JUDGE_TOTAL
    tie_breaks: list[TieBreak] = ["practical", "time_used"]
    strict_ranking: bool = False
    nomination_quota: int = 3
    modules: list[ModuleIn]


class EventPatch(ApiIn):
    """Changes to an event; fields left out keep their values (modules replace the whole scheme)."""

    season_id: Id | None = None
    name: str | None = None
    occupation: str | None = None
    level: int | None = None
    kind: EventKind | None = None
    host_enterprise_id: Id | None = None
    event_date: date | None = None
    registration_deadline: date | None = None
    venue: Venue | None = None
    min_age: int | None = None
    max_age: int | None = None
    aggregation: Aggregation | None = None
    aggregation_level: AggregationLevel | None = None
    tie_breaks: list[TieBreak] | None = None
    strict_ranking: bool | None = None
    nomination_quota: int | None = None
    modules: list[ModuleIn] | None = None


class EventFilter(ApiQuery):
    """Filter the events list."""

    season_id: Id | None = None
    status: EventStatus | None = None
    kind: EventKind | None = None
    occupation: str | None = None
    host_enterprise_id: Id | None = None
    q: str | None = Field(None, description="按赛项名称或职业搜索")


class ReasonIn(ApiIn):
    """A written reason (reject, cancel, disqualify)."""

    reason: str


class CopySchemeIn(ApiIn):
    """The earlier event whose marking scheme is copied."""

    from_event_id: Id


class EnterpriseRefOut(ApiOut):
    """An enterprise named by an event or entry."""

    id: int
    name: str


class CriterionOut(ApiOut):
    """A criterion with its id (marks name it)."""

    id: int
    name: str
    max_score: Score
    kind: CriterionKind


class ModuleOut(ApiOut):
    """A module with its criteria."""

    id: int
    name: str
    kind: ModuleKind
    weight: int
    criteria: list[CriterionOut]


class EventOut(ApiOut):
    """An event as listed."""

    id: int
    season_id: int
    name: str
    occupation: str
    level: int
    kind: EventKind
    host: EnterpriseRefOut | None
    status: EventStatus
    event_date: date
    registration_deadline: date
    venue: str | None
    min_age: int | None
    max_age: int | None
    aggregation: Aggregation
    aggregation_level: AggregationLevel
    tie_breaks: list[str]
    strict_ranking: bool
    nomination_quota: int
    created_at: Timestamp

    @computed_field
    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS[self.status.value]


class EntryCountsOut(ApiOut):
    """Entries per status."""

    registered: int
    present: int
    absent: int
    withdrawn: int
    disqualified: int
    total: int


class EventDetailOut(EventOut):
    """An event with its scheme, counts, panel size, draw and warnings."""

    modules: list[ModuleOut]
    counts: EntryCountsOut
    panel_size: int
    draw_seed: str | None = Field(description="抽签种子（已抽签时），可用于复核抽签")
    drawn_at: Timestamp | None
    scheme_locked: bool
    warnings: list[str]
    rejection_reason: str | None
    cancel_reason: str | None


# Draw and panel

class DrawIn(ApiIn):
    """An optional seed; left out, a random one is chosen and stored."""

    seed: str | None = None


class DrawNumberOut(ApiOut):
    """One entry's competition number."""

    entry_id: int
    number: str


class DrawOut(ApiOut):
    """The stored seed and every present entry's number."""

    seed: str
    numbers: list[DrawNumberOut]


class JudgeIn(ApiIn):
    """A judge to put on the panel."""

    user_id: Id
    is_chief: bool = False


class PanelMemberOut(ApiOut):
    """A panel member."""

    id: int
    user_id: int
    username: str
    display_name: str
    employer_id: int | None
    is_chief: bool
    submitted_at: Timestamp | None


class PanelMemberDetailOut(PanelMemberOut):
    """A panel member with the entries they must stay away from (回避)."""

    conflicts: int = Field(description="与该裁判同一工作单位的报名人数")
    conflict_numbers: list[str] = Field(description="其中已抽签的参赛号")


# Entries

class EntryIn(ApiIn):
    """A contestant to enrol; enterprise users' employer is always their own enterprise."""

    name: str
    id_number: str
    phone: str | None = None
    employer_id: Id | None = None


class EntryFilter(ApiQuery):
    """Filter the entries list (judges may filter by status only)."""

    status: EntryStatus | None = None
    employer_id: Id | None = None
    q: str | None = Field(None, description="按姓名或参赛号搜索")


class ImportQuery(ApiQuery):
    """`?dry_run=1` checks the file and saves nothing."""

    dry_run: bool = False


class ExportQuery(ApiQuery):
    """`?reveal_ids=1` (staff only, audited) writes whole ID numbers."""

    reveal_ids: bool = False


class ImportOut(ApiOut):
    """How many entries the import created, and how many were already enrolled."""

    created: int
    existing: int


class ImportPreviewOut(ApiOut):
    """A dry run: counts and every bad row's problems."""

    rows: int
    new: int
    existing: int
    bad_rows: int
    problems: list[dict[str, Any]]


class CheckInIn(ApiIn):
    """The check-in outcome."""

    status: Literal["present", "absent", "withdrawn"]


class BulkCheckInIn(CheckInIn):
    """Several entries of one event checked in at once, all or none."""

    entry_ids: list[Id] = Field(min_length=1, max_length=10_000)


class BulkCheckInOut(ApiOut):
    """How many entries changed status."""

    changed: int


class TimeUsedIn(ApiIn):
    """Time used, in whole seconds."""

    seconds: int


class RevealOut(ApiOut):
    """A whole ID number, revealed to staff and audited."""

    entry_id: int
    id_number: str


class BlindEntryOut(ApiOut):
    """An entry as a judge sees it before publication: its number, never the person."""

    id: int
    number: str | None
    status: EntryStatus
    time_used_seconds: int | None

    @computed_field
    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return ENTRY_STATUS_LABELS[self.status]


class EntryStateOut(BlindEntryOut):
    """An entry's state after an action; no personal data, so it suits judges too."""

    event_id: int
    disqualify_reason: str | None
    checked_in_at: Timestamp | None


class EntryOut(EntryStateOut):
    """An entry with its contestant: ID number masked, mobile masked."""

    FULL_PHONE: ClassVar[bool] = False

    name: str
    gender: str
    birth_date: date
    id_number: str = Field(description="脱敏身份证号码，如 3205**********123X")
    phone: str | None
    employer: EnterpriseRefOut | None
    created_at: Timestamp

    @model_validator(mode="before")
    @classmethod
    def _from_entry(cls, value: Any) -> Any:
        """Flatten an Entry and its person, masking as the class says."""
        if not isinstance(value, Entry):
            return value
        person = value.person
        fields = {name: getattr(value, name) for name in EntryStateOut.model_fields}
        return fields | {"name": person.name, "gender": person.gender, "birth_date": person.birth_date,
                         "id_number": mask_id_number(person.id_number),
                         "phone": person.phone if cls.FULL_PHONE else (mask_mobile(person.phone) or None),
                         "employer": value.employer, "created_at": value.created_at}


class StaffEntryOut(EntryOut):
    """An entry as staff see it: the whole mobile number (the ID number stays masked)."""

    FULL_PHONE: ClassVar[bool] = True
