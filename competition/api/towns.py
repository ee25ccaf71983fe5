"""The league's towns (RULES.md §17): the list every enterprise and town officer names one of."""
from ..services import towns as league_towns
from .framework import SIGNED_IN, api_route
from .schemas import ApiOut

TAGS = ["towns"]


class TownOut(ApiOut):
    """One town of the league's list, in the list's order."""

    id: int
    name: str
    position: int


class TownList(ApiOut):
    """The league's towns, in order."""

    items: list[TownOut]


@api_route("/towns", roles=SIGNED_IN, response=TownList, summary="镇（区）列表", tags=TAGS)
def list_towns():
    """The league's towns (镇、街道、开发区、高新区), in the list's order: the names an enterprise's `town` and a
    town officer's `town` take."""
    return {"items": league_towns.list_towns()}
