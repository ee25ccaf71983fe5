"""The query strings of the league's pages (RULES.md §16), typed like every page's filters (forms/filters.py)."""
from ..typed import SearchText
from .filters import PageFilters


class PersonSearch(PageFilters):
    """/persons: a name (or its start) or a whole ID number."""

    q: SearchText | None = None
