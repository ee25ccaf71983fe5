"""The navigation bar as a registry: each blueprint adds its items, each item says who sees it.

A later issue adds a page to the menu from its own module:

    add_nav(NavItem(_l("赛项"), "events.index", can_list_events, order=25))
"""
from dataclasses import dataclass, field
from typing import Callable

from flask import request, url_for
from flask_login import current_user


def _no_values(user) -> dict:
    """Most items need no URL values."""
    return {}


@dataclass(frozen=True)
class NavItem:
    """One menu entry: label (lazy gettext), endpoint, who sees it, where it sits (order)."""

    label: object
    endpoint: str
    visible: Callable
    order: int = 50
    url_values: Callable = field(default=_no_values)
    exact: bool = False  # active only on this endpoint, not on the whole blueprint


_ITEMS: dict[str, NavItem] = {}


def add_nav(item: NavItem) -> NavItem:
    """Register (or replace) a menu entry, keyed by its endpoint."""
    _ITEMS[item.endpoint] = item
    return item


def _is_active(item: NavItem) -> bool:
    """The entry for the current page (or, unless exact, the current blueprint)."""
    if request.endpoint == item.endpoint:
        return True
    return not item.exact and request.blueprint == item.endpoint.split(".", 1)[0]


def nav_items() -> list[dict]:
    """The entries the current user may see, in order, with URL and active flag."""
    if not current_user.is_authenticated:
        return []
    user = current_user._get_current_object()
    items = sorted(_ITEMS.values(), key=lambda i: (i.order, i.endpoint))
    return [
        {"label": item.label, "url": url_for(item.endpoint, **item.url_values(user)),
         "active": _is_active(item), "endpoint": item.endpoint}
        for item in items if item.visible(user)
    ]
