"""A person's league record (organisers only, RULES.md §16): find a person by name or whole ID number, and see
everything the league knows about them (entries and prizes, 技术能手 titles, delegations, rewards). The ID number is
masked here as everywhere; revealing it is an audited action on the entry."""
from flask import current_app, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..forms.league_search import PersonSearch
from ..models import Person
from ..permissions import can_view_person, require
from ..rules.identity import mask_id_number
from ..rules.league import LEVELS
from ..rules.messages import Message
from ..services.league.people import SEARCH_LIMIT, find_persons, person_record
from .blueprints import persons as bp
from .common import page_filters
from .events_labels import ENTRY_STATUS_NAMES, STATUS_NAMES

REFUSED = Message("只有组委会可以查看选手档案。")


def link(endpoint: str, **values) -> str | None:
    """A URL for an endpoint of another part of the league, or None while the app has no such page."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


@bp.context_processor
def _helpers() -> dict:
    return {"mask_id_number": mask_id_number, "LEVELS": LEVELS, "ENTRY_STATUS_NAMES": ENTRY_STATUS_NAMES,
            "STATUS_NAMES": STATUS_NAMES, "link": link}


@bp.get("")
@login_required
def search():
    """Persons by the start of a name or a whole ID number (a part of a number finds nobody)."""
    require(can_view_person(current_user), REFUSED)
    text = (page_filters(PersonSearch).q or "").strip()
    found = find_persons(text) if text else []
    return render_template("persons/search.html", q=text, found=found, limit=SEARCH_LIMIT)


@bp.get("/<int:person_id>")
@login_required
def detail(person_id: int):
    """A person's entries, titles, delegations and rewards."""
    require(can_view_person(current_user), REFUSED)
    person = db.get_or_404(Person, person_id)
    return render_template("persons/detail.html", record=person_record(person))
