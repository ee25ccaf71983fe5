"""Permission predicates as a table: (predicate, role) → allowed."""
from types import SimpleNamespace

import pytest

from competition import permissions as p
from competition.models import Role

ROLES = ["anonymous", "admin", "organiser", "judge", "enterprise", "disabled_admin"]


def user(kind: str, enterprise_id: int | None = None):
    """A stand-in user: predicates only read role, activity and affiliation."""
    if kind == "anonymous":
        return None
    role = Role.ADMIN if kind == "disabled_admin" else Role(kind)
    return SimpleNamespace(role=role, is_authenticated=True, is_active=kind != "disabled_admin",
                           enterprise_id=enterprise_id, id=1)


TABLE = {
    # predicate:             anonymous admin organiser judge enterprise disabled_admin
    "can_manage_users":       (False, True, False, False, False, False),
    "can_manage_policy":      (False, True, False, False, False, False),
    "can_view_policy":        (False, True, True, False, False, False),
    "can_list_enterprises":   (False, True, True, True, True, False),
    "can_manage_enterprises": (False, True, True, False, False, False),
    "can_manage_seasons":     (False, True, True, False, False, False),
    "can_view_audit":         (False, True, True, False, False, False),
    "can_reveal_id_number":   (False, True, True, False, False, False),
}


@pytest.mark.parametrize("name, expected", TABLE.items())
def test_role_predicates(name, expected):
    predicate = getattr(p, name)
    assert tuple(predicate(user(kind)) for kind in ROLES) == expected


@pytest.mark.parametrize("kind, own, expected", [
    ("admin", False, True), ("organiser", False, True), ("judge", False, False),
    ("enterprise", True, True), ("enterprise", False, False), ("anonymous", False, False),
])
def test_view_enterprise(kind, own, expected):
    enterprise = SimpleNamespace(id=7)
    assert p.can_view_enterprise(user(kind, enterprise_id=7 if own else 8), enterprise) is expected


def test_require_raises_403():
    with pytest.raises(p.NotAllowed) as caught:
        p.require(False)
    assert caught.value.status == 403
    p.require(True)


def test_every_predicate_is_in_the_table_or_tested():
    """A new predicate must be added to these tables."""
    covered = set(TABLE) | {"can_view_enterprise", "can_view_season", "is_staff"}
    assert set(p.PREDICATES) <= covered, set(p.PREDICATES) - covered
