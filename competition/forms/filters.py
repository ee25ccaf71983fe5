"""The query strings of the HTML pages, typed (issue 14): every page reads its filters through one of these
models, with the same field types and text policy as the JSON API's query models, so `?q=%00`, a lone
backslash, `?user=²` or a 20-digit id never reach the database. A value a model refuses is dropped and the
page says so (views/common.py, `page_filters`); the guard tests send hostile values to every field below."""
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from ..models import ClaimState, EntryStatus, EventStatus, NominationRoute, NominationState, ObjectionState, Role
from ..typed import Id, Identifier, Paragraph, SearchText, TypedInput, TypedQuery

Year = int  # bounded per field below: a year the league could hold


class PageFilters(TypedQuery):
    """Query-string filters of a page (see TypedQuery; an invalid value is dropped by `page_filters`)."""


class EventFilters(PageFilters):
    """/events: season, status, kind, occupation, host, search."""

    season: Id | None = None
    status: EventStatus | None = None
    kind: Literal["district", "enterprise"] | None = None
    occupation: SearchText | None = None
    host: Id | None = None
    q: SearchText | None = None


class ImportJobFilters(PageFilters):
    """/events/<id>/entries/import?job=: the import job to follow (a large roster, confirmed)."""

    job: Id | None = None


class EventFormFilters(PageFilters):
    """/events/new and edit: copy the scheme of another event."""

    copy_from: Id | None = None


class UserFilters(PageFilters):
    """/admin/users: search, role, disabled."""

    q: SearchText | None = None
    role: Role | None = None
    disabled: Literal["0", "1"] | None = None


class EnterpriseFilters(PageFilters):
    """/enterprises: search and town."""

    q: SearchText | None = None
    town: SearchText | None = None


class RosterFilters(PageFilters):
    """An event's roster and check-in list: search, status, employer."""

    q: SearchText | None = None
    status: EntryStatus | None = None
    employer: Id | None = None


class AuditFilters(PageFilters):
    """/audit: user (username or id), object type and id, action."""

    user: SearchText | None = None
    object_type: SearchText | None = None
    object_id: Id | None = None
    action: SearchText | None = None


class ClaimFilters(PageFilters):
    """/claims: season, state, enterprise, search."""

    season: Id | None = None
    state: ClaimState | None = None
    enterprise: Id | None = None
    q: SearchText | None = None


class NominationFilters(PageFilters):
    """A season's nominations: state, event, route, enterprise, search."""

    state: NominationState | None = None
    event: Id | None = None
    route: NominationRoute | None = None
    enterprise: Id | None = None
    q: SearchText | None = None


class ObjectionFilters(PageFilters):
    """An event's or a season's objections: state, and (a season's) event."""

    state: ObjectionState | None = None
    event: Id | None = None


class ExpertFilters(PageFilters):
    """/experts: year and name."""

    year: Year | None = Field(None, ge=2000, le=2999)
    q: SearchText | None = None


class DashboardFilters(PageFilters):
    """A season dashboard: one month (YYYY-MM)."""

    month: str | None = Field(None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")
    job: Id | None = None  # the report job the page follows


class CellPost(TypedInput):
    """One grid cell as the tablet posts it (form fields, typed like every other input)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    number: Identifier = Field("", max_length=20)
    criterion_id: Id | None = None
    value: str = Field("", max_length=20)
    expected: str | None = Field(None, max_length=20)
    reason: Paragraph | None = Field(None, max_length=500)  # why a mark changes after the results were reopened

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        """An empty criterion or expected value means none."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (k in ("criterion_id", "expected") and v in ("", None))}
        return data


class PanelFilters(PageFilters):
    """The chief judge's panel: the spread threshold (up to 100 marks, 2 decimals)."""

    threshold: str | None = Field(None, max_length=12, pattern=r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


class MeasurementSheetPost(TypedInput):
    """The measurement sheet as posted (issue 16): one field per cell, m-<entry id>-<criterion id>, kept as typed
    (the service checks the number and range), and the reason for changing a value someone else entered."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    values: dict[str, str] = {}
    reason: Paragraph = ""

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, data: Any) -> Any:
        """Gather the cell fields into `values`."""
        if isinstance(data, dict):
            return {"values": {k: v for k, v in data.items() if k.startswith("m-")}, "reason": data.get("reason", "")}
        return data
