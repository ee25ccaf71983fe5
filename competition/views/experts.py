"""技术能手名录: the public title register (names masked, never ID numbers or phones) and the year's xlsx."""
from flask import render_template, url_for
from flask_login import current_user, login_required

from ..forms.filters import ExpertFilters
from ..permissions import can_export_experts, is_staff, require
from ..services.titles import queries
from .common import page_filters, paginate
from .jobs import offer_export
from ..rules.messages import Message
from .nominations import ROUTE_NAMES
from .blueprints import experts as bp

# the stored gender (男 or 女, as rules.identity derives it) as the reader says it
GENDER_NAMES = {str(name): name for name in (Message("男"), Message("女"))}


@bp.get("/experts")
def index():
    """Every title holder by year: name (masked for all but organisers), employer, route, event."""
    staff = is_staff(current_user)
    wanted = page_filters(ExpertFilters)
    year = wanted.year
    page = paginate(queries.register_query(year, wanted.q or ""))
    rows = [queries.register_row(title, masked=not staff) for title in page.items]
    return render_template("experts/index.html", page=page, rows=rows, years=queries.register_years(), year=year,
                           exports=can_export_experts(current_user), ROUTE_NAMES=ROUTE_NAMES,
                           GENDER_NAMES=GENDER_NAMES)


@bp.route("/experts/<int:year>.xlsx", methods=["GET", "POST"])
@login_required
def export(year: int):
    """The year's register for the official announcement (organisers): full names, no ID numbers; a large one is
    built in the background."""
    require(can_export_experts(current_user), Message("只有组委会可以导出技术能手名录。"))
    return offer_export("experts", {"year": year}, back=url_for("experts.index", year=year))
