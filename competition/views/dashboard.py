"""Home-page figures as a registry: each domain adds the numbers a role sees on its home page.

A later issue adds a figure from its own module (imported by views.register_blueprints):

    @home_figure(Role.ADMIN, Role.ORGANISER, order=15)
    def events_figure(user):
        return Figure("events", _l("赛项"), count_events(), url_for("events.index"))

A larger block (a table, a chart) is a section: a template under templates/main/ with its own context, shown below
the role's part of the page in order; `charts=True` loads the vendored Chart.js and static/js/charts.js:

    @home_section(Role.ADMIN, Role.ORGANISER, order=20)
    def standings_section(user):
        return Section("standings", "main/_standings_staff.html", {"standings": ...}, charts=True)
"""
from dataclasses import dataclass, field
from typing import Callable

from ..models import Role, User


@dataclass(frozen=True)
class Figure:
    """One number on the home page; key names it for tests and styling."""

    key: str
    label: object
    value: object
    url: str | None = None
    note: object | None = None


_PROVIDERS: list[tuple[int, frozenset, Callable[[User], Figure | None]]] = []


def home_figure(*roles: Role, order: int = 50):
    """Register a function (user) -> Figure | None for the home page of the given roles."""
    def register(provider):
        _PROVIDERS.append((order, frozenset(roles), provider))
        return provider
    return register


def figures_for(user: User) -> list[Figure]:
    """The figures this user's role sees, in order; a provider may return None to show nothing."""
    figures = []
    for _order, roles, provider in sorted(_PROVIDERS, key=lambda p: p[0]):
        if user.role in roles and (figure := provider(user)) is not None:
            figures.append(figure)
    return figures


@dataclass(frozen=True)
class Section:
    """A block of the home page: its template (which reads `section.context`), and whether it draws charts."""

    key: str
    template: str
    context: dict = field(default_factory=dict)
    charts: bool = False


_SECTIONS: list[tuple[int, frozenset, Callable[[User], Section | None]]] = []


def home_section(*roles: Role, order: int = 50):
    """Register a function (user) -> Section | None for the home page of the given roles."""
    def register(provider):
        _SECTIONS.append((order, frozenset(roles), provider))
        return provider
    return register


def sections_for(user: User) -> list[Section]:
    """The sections this user's role sees, in order; a provider may return None to show nothing."""
    sections = []
    for _order, roles, provider in sorted(_SECTIONS, key=lambda p: p[0]):
        if user.role in roles and (section := provider(user)) is not None:
            sections.append(section)
    return sections
