"""Monthly feedback pages (RULES.md §17): the list's filters (a month as YYYY-MM, a town's name)."""
from pydantic import Field

from ..typed import SearchText
from .filters import PageFilters


class MonthlyFilters(PageFilters):
    """/monthly-reports: month (YYYY-MM) and town."""

    month: str | None = Field(None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")
    town: SearchText | None = None
