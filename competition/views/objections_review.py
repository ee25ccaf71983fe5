"""Objections, the organisers' side (复核, RULES.md §14): a season's queue, the review of one objection (the entry's
marks by judge and criterion, the explanation of its results row and its mark history, side by side), and the
decision: uphold (the event returns to scoring) or dismiss, each with a written reason the filer reads."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from scoring.explain import STATUS_TEXT

from ..context import current_actor
from ..extensions import db
from ..forms.filters import ObjectionFilters
from ..forms.objections import ObjectionDecisionForm
from ..models import Objection, Season
from ..permissions import can_decide_objections, require
from ..rules.messages import Message
from ..services.results import objections as service
from ..services.results.objection_review import review as objection_review
from .blueprints import objections as bp
from .events_labels import STATUS_NAMES
from .common import kept_args, page_filters, paginate, saving


@bp.context_processor
def _names() -> dict:
    """Event status names and the unranked row statuses, for the review page."""
    return {"STATUS_NAMES": STATUS_NAMES, "ROW_STATUS": STATUS_TEXT}


def _staff() -> None:
    """Only the organisers review and decide objections."""
    require(can_decide_objections(current_user), Message("只有组委会可以复核和处理异议。"))


@bp.get("/seasons/<int:season_id>/objections")
@login_required
def season_objections(season_id: int):
    """Every objection of the season, undecided first, filterable by state and event, paged."""
    season = db.get_or_404(Season, season_id)
    _staff()
    typed = page_filters(ObjectionFilters)
    query = service.objections_query(season_id=season.id, state=typed.state.value if typed.state else None,
                                     event_id=typed.event)
    return render_template("objections/season.html", season=season, page=paginate(query),
                           counts=service.state_counts(season_id=season.id, event_id=typed.event),
                           events=service.events_with_objections(season.id))


def _page(objection: Objection, *, form: ObjectionDecisionForm | None = None, action: str | None = None,
          error: str | None = None, status: int = 200):
    """The review page of one objection, with the decision forms while it is undecided."""
    return render_template("objections/review.html", objection=objection, review=objection_review(objection),
                           form=form or ObjectionDecisionForm(formdata=None), form_action=action, error=error), status


@bp.get("/objections/<int:objection_id>")
@login_required
def review(objection_id: int):
    """复核: the objection beside the entry's marks, the explanation of its row and the history of its marks."""
    objection = db.get_or_404(Objection, objection_id)
    _staff()
    return _page(objection)


def _decide(objection_id: int, action: str, decide, done: str):
    """Uphold or dismiss with the form's reason; the review page again when refused."""
    objection = db.get_or_404(Objection, objection_id)
    _staff()
    form = ObjectionDecisionForm()
    if not form.validate_on_submit():
        return _page(objection, form=form, action=action, error=_("请填写处理理由。"), status=400)
    with saving() as saved:
        decide(current_actor(), objection, form.reason.data)
    if (failure := saved.error) is not None:
        return _page(db.get_or_404(Objection, objection_id), form=form, action=action, error=failure.message,
                     status=failure.status)
    flash(done, "success")
    return redirect(url_for("objections.review", **kept_args(objection_id=objection_id)))


@bp.post("/objections/<int:objection_id>/uphold")
@login_required
def uphold(objection_id: int):
    """The objection stands: the event returns to scoring for the marks to be corrected, signed off and published
    again (a new full notice)."""
    return _decide(objection_id, "uphold", service.uphold,
                   _("已认定异议成立，赛项已退回评分阶段：请裁判更正评分（写明原因），裁判长重新签核后再次公示。"))


@bp.post("/objections/<int:objection_id>/dismiss")
@login_required
def dismiss(objection_id: int):
    """The objection does not stand: the results stay as published."""
    return _decide(objection_id, "dismiss", service.dismiss, _("已认定异议不成立，处理理由已告知异议人。"))
