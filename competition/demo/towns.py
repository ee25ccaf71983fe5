"""Demo data for the towns (RULES.md §3, §17): a town officer (镇区人社) of 盛泽镇, the town of the demo's 恒力化纤.

Wiring (competition/demo/__init__.py, after the accounts are made): `accounts.append(seed_towns(users))`; the officer
logs in as `town` / `Zhenqu-2026` and sees 盛泽镇's page, dashboard and home figures.
"""
from ..models import Role, User
from ..services.accounts import NewUser, create_user
from ..services.audit import SYSTEM
from ..services.towns import ensure_founding_towns

TOWN_OFFICER = ("town", "Zhenqu-2026", "盛泽镇人社 周科长", "盛泽镇")


def seed_towns(users: dict[str, User] | None = None) -> tuple[str, str, str]:
    """The town list (the founding towns, if empty) and one town officer for 盛泽镇, added to `users` under its
    username; returns the account as (username, password, role label), like seed_demo's list."""
    ensure_founding_towns()
    username, password, name, town = TOWN_OFFICER
    officer = create_user(SYSTEM, NewUser(username=username, password=password, display_name=name,
                                          role=Role.TOWN.value, town=town))
    if users is not None:
        users[username] = officer
    return username, password, Role.TOWN.label
