"""The league's towns (RULES.md §17): the list, kept by the administrator, that every enterprise and town officer
names one of. Names are checked here and nowhere else (`require_town`), so an enterprise, a town officer, a budget
line or a reward can never name a town the league does not have."""
from ..errors import Duplicate, Invalid
from ..extensions import db
from ..models import FOUNDING_TOWNS, Town
from ..rules.messages import Message
from .audit import Actor, record
from .common import flush_unique

NAME_LENGTH = 40


def ensure_founding_towns() -> list[Town]:
    """The district's divisions, written once into an empty list (the migration writes them too)."""
    if db.session.scalar(db.select(db.func.count(Town.id))):
        return list_towns()
    for position, name in enumerate(FOUNDING_TOWNS, start=1):
        db.session.add(Town(name=name, position=position))
    db.session.flush()
    return list_towns()


def list_towns() -> list[Town]:
    """Every town, in the list's order."""
    return list(db.session.scalars(db.select(Town).order_by(Town.position, Town.id)))


def town_names() -> list[str]:
    """Every town's name, in the list's order."""
    return list(db.session.scalars(db.select(Town.name).order_by(Town.position, Town.id)))


def is_town(name: str | None) -> bool:
    """Whether the league has a town of this name."""
    return bool(name) and db.session.scalar(db.select(Town.id).where(Town.name == name)) is not None


def require_town(name: str | None, field: str = "town") -> str:
    """A town's name as given, trimmed, when the league has it; 400 naming the field otherwise."""
    text = (name or "").strip()
    if not is_town(text):
        message = Message("请从镇（区）列表中选择；没有名为「%(town)s」的镇（区）。", town=text) if text else \
            Message("请选择所属镇（区）。")
        raise Invalid(message, details=[{"field": field, "message": message}])
    return text


def add_town(actor: Actor, name: str | None) -> Town:
    """Add a town at the end of the list (administrators); a name the list has is 409."""
    text = (name or "").strip()
    if not 2 <= len(text) <= NAME_LENGTH:
        message = Message("镇（区）名称应为2至%(max)s个字符。", max=NAME_LENGTH)
        raise Invalid(message, details=[{"field": "name", "message": message}])
    if is_town(text):
        raise Duplicate(Message("镇（区）「%(town)s」已在列表中。", town=text))
    last = db.session.scalar(db.select(db.func.max(Town.position))) or 0
    town = Town(name=text, position=last + 1)
    db.session.add(town)
    flush_unique(Message("镇（区）「%(town)s」已在列表中。", town=text))
    record(actor, "town.create", town, after={"name": town.name, "position": town.position})
    return town
