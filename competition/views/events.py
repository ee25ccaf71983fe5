"""Events (赛项): list, create and edit with the marking scheme, lifecycle actions, judge panels.

The routes live on this one blueprint, spread over events_*.py modules imported at the bottom.
"""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..forms.events import (
    AGGREGATION_LEVEL_NAMES,
    AGGREGATION_NAMES,
    CRITERION_KIND_NAMES,
    KIND_NAMES,
    LEVEL_NAMES,
    MODULE_KIND_NAMES,
    TIE_BREAK_NAMES,
)
from ..models import Enterprise, Event, EventStatus, Role, Season, User
from ..permissions import can_list_events, require
from ..services.events.entry_queries import entry_status_counts
from ..services.events.lifecycle import event_query, list_scope
from ..forms.filters import EventFilters
from .common import page_filters, paginate
from .dashboard import Figure, home_figure
from .events_labels import ACTION_NAMES, ENTRY_STATUS_NAMES, STATUS_NAMES, STATUS_STYLES
from .nav import NavItem, add_nav
from .blueprints import events as bp

add_nav(NavItem(_l("赛项"), "events.index", can_list_events, order=25))


@bp.context_processor
def _event_names() -> dict:
    """Display names of statuses, levels, kinds and scheme codes for the events templates."""
    return {
        "STATUS_NAMES": STATUS_NAMES, "STATUS_STYLES": STATUS_STYLES, "LEVEL_NAMES": LEVEL_NAMES,
        "KIND_NAMES": KIND_NAMES, "MODULE_KIND_NAMES": MODULE_KIND_NAMES,
        "CRITERION_KIND_NAMES": CRITERION_KIND_NAMES, "AGGREGATION_NAMES": AGGREGATION_NAMES,
        "AGGREGATION_LEVEL_NAMES": AGGREGATION_LEVEL_NAMES, "TIE_BREAK_NAMES": TIE_BREAK_NAMES,
        "ENTRY_STATUS_NAMES": ENTRY_STATUS_NAMES, "ACTION_NAMES": ACTION_NAMES,
    }


@home_figure(Role.ADMIN, Role.ORGANISER, order=15)
def events_figure(user: User) -> Figure:
    """How many events exist, and how many wait for approval."""
    total = db.session.scalar(db.select(db.func.count(Event.id))) or 0
    waiting = db.session.scalar(db.select(db.func.count(Event.id))
                                .where(Event.status == EventStatus.SUBMITTED)) or 0
    note = _("待审核 %(count)s 项", count=waiting) if waiting else None
    return Figure("events", _l("赛项"), total, url_for("events.index"), note)


def _filters() -> dict:
    """The list filters from the query string, typed (an invalid value is dropped, and the page says so)."""
    wanted = page_filters(EventFilters)
    return {"season_id": wanted.season, "status": wanted.status, "kind": wanted.kind,
            "occupation": wanted.occupation, "host_id": wanted.host, "search": wanted.q}


def _options(scope: dict) -> dict:
    """Filter choices drawn from the events this user may see."""
    ids = event_query(**scope).with_only_columns(Event.id).order_by(None)
    occupations = db.session.scalars(db.select(Event.occupation).where(Event.id.in_(ids))
                                     .distinct().order_by(Event.occupation)).all()
    host_ids = db.select(Event.host_enterprise_id).where(Event.id.in_(ids))
    hosts = db.session.scalars(db.select(Enterprise).where(Enterprise.id.in_(host_ids))
                               .order_by(Enterprise.name)).all()
    seasons = db.session.scalars(db.select(Season).order_by(Season.year.desc())).all()
    return {"occupations": occupations, "hosts": hosts, "seasons": seasons}


@bp.get("")
@login_required
def index():
    """Events this user may see, filtered by season, status, kind, occupation and host, with a search."""
    user = current_user._get_current_object()
    require(can_list_events(user))
    scope = list_scope(user)
    filters = _filters()
    page = paginate(event_query(**filters, **scope))
    filtered = any(filters.values())
    return render_template("events/list.html", page=page, filtered=filtered,
                           counts=entry_status_counts(e.id for e in page.items), **_options(scope))

