"""Request and response models for entries (see schemas.py for the conventions).

Entries come out in three shapes, chosen by the handler from the caller: StaffEntryOut (whole
mobile), EntryOut (mobile masked) and BlindEntryOut (competition number only, for judges).
ID numbers are always masked; a whole one needs POST /entries/{id}/reveal-id.
"""
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field, computed_field, model_validator

from ..models import ENTRY_STATUS_LABELS, Entry, EntryStatus
from ..rules.identity import mask_id_number, mask_mobile
from .event_schemas import EnterpriseRefOut
from .schemas import ApiIn, ApiOut, ApiQuery, Id, Identifier, SearchText, Timestamp

class EntryIn(ApiIn):
    """A contestant to enrol; enterprise users' employer is always their own enterprise."""

    name: str
    id_number: Identifier
    phone: Identifier | None = None
    employer_id: Id | None = None


class EntryPatch(ApiIn):
    """Corrections before the draw; fields left out keep their values (name and ID number never change)."""

    phone: Identifier | None = Field(None, description="11位手机号码；空字符串清除")
    employer_id: Id | None = Field(None, description="工作单位（企业用户只能是本企业）")


class EntryFilter(ApiQuery):
    """Filter the entries list (judges may filter by status only)."""

    status: EntryStatus | None = None
    employer_id: Id | None = None
    q: SearchText | None = Field(None, description="按姓名或参赛号搜索")


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
    withdraw_reason: str | None = None
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
