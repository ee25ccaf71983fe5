"""Home-page figures as a registry: each domain adds the numbers a role sees on its home page.

A later issue adds a figure from its own module (imported by views.register_blueprints):

    @home_figure(Role.ADMIN, Role.ORGANISER, order=15)
    def events_figure(user):
        return Figure("events", _l("赛项"), count_events(), url_for("events.index"))
"""
from dataclasses import dataclass
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
