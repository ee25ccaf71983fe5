"""Helpers shared by the entry pages: loading, the viewer's scope, htmx, and links to the event."""
from flask import current_app, url_for
from flask_login import current_user

from ..errors import NotFound
from ..extensions import db
from ..context import is_htmx  # noqa: F401 (the views of this package import it from here)
from ..models import Entry, Event, Role
from ..permissions import is_staff, sees_identities
from ..rules.identity import age_on
from ..services.events.entry_queries import NOBODY, Scope
from ..rules.messages import Message


def load_event(event_id: int) -> Event:
    """The event or 404."""
    return db.get_or_404(Event, event_id)


def load_entry(event: Event, entry_id: int) -> Entry:
    """An entry of this event or 404 (an entry of another event is not found here)."""
    entry = db.session.get(Entry, entry_id)
    if entry is None or entry.event_id != event.id:
        raise NotFound(Message("报名记录不存在。"))
    return entry


def viewer_scope(event: Event, user=None) -> Scope:
    """What the current user may see of the event's entries (call after can_view_entries)."""
    user = user or current_user._get_current_object()
    if is_staff(user):
        return Scope()
    if user.role is Role.ENTERPRISE:
        return Scope(employer_id=user.enterprise_id if user.enterprise_id is not None else NOBODY)
    return Scope(numbered_only=True, identities=sees_identities(user, event))


def shows_contact(user=None) -> bool:
    """Masked ID numbers and mobiles are for staff and the contestant's employer, never for judges."""
    user = user or current_user._get_current_object()
    return is_staff(user) or user.role is Role.ENTERPRISE


def event_url(event: Event) -> str | None:
    """The event's own page, once the events blueprint serves it."""
    if "events.detail" in current_app.view_functions:
        return url_for("events.detail", event_id=event.id)
    return None


def template_helpers() -> dict:
    """Names every entry template uses."""
    return {"event_url": event_url, "age_on": age_on}


def xlsx_name(event: Event, what: str) -> str:
    """A download name such as 电工技能竞赛-报名名单.xlsx (xlsx_download removes characters no file name takes)."""
    return f"{event.name}-{what}.xlsx"
