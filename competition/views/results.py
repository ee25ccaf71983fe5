"""Results pages: an event's results by role, publish and finalise, the exports, and the public pages."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from scoring.explain import STATUS_TEXT

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..models import PUBLISHED_STATES, Event, EventStatus, Season
from ..permissions import (can_export_results, can_manage_calendar, can_see_prizes, can_view_results, is_host, is_staff,
                           require, sees_identities)
from ..services.results import exports as result_exports, lifecycle as result_service
from ..services.calendar import notice_end
from ..services.marking.facts import beijing_today
from ..services.results.prizes import prize_legend
from ..services.results.snapshots import current_snapshot
from ..rules.messages import Message
from ..jobs.exports import results_params
from .common import saving
from .jobs import offer_export
from .objections import objection_panel
from .events_labels import STATUS_NAMES, STATUS_STYLES
from .blueprints import results as bp

ROW_STATUS = STATUS_TEXT  # one label per row status, the explanations' own: Messages, rendered by Jinja's finalize


@bp.context_processor
def _names() -> dict:
    """Event status names and styles, and the unranked row statuses, for the results templates."""
    return {"STATUS_NAMES": STATUS_NAMES, "STATUS_STYLES": STATUS_STYLES, "ROW_STATUS": ROW_STATUS}


def reveal_for(user, event: Event) -> str:
    """Names in full for organisers, none for a judge before publication, masked otherwise (as the API)."""
    if is_staff(user):
        return "full"
    return "masked" if sees_identities(user, event) else "none"


def _load(event_id: int) -> Event:
    """The event, or 404; then the results permission, or 403."""
    event = db.get_or_404(Event, event_id)
    message = Message("成绩尚未公示。") if is_host(current_user, event) else Message("您没有权限查看该赛项的成绩。")
    require(can_view_results(current_user, event), message)
    return event


def _page(event: Event, error: str | None = None, status: int = 200):
    """Render the results page for the current user."""
    user = current_user._get_current_object()
    reveal = reveal_for(user, event)
    prizes = can_see_prizes(user, event)
    rows, frozen = result_exports.shaped_rows(event, reveal, prizes=prizes)
    finalise_ready = result_service.notice_has_ended(event)
    finalise_on = event.notice_ends_on + timedelta(days=1) if event.notice_ends_on else None
    would_end, calendar_gap = _notice_if_published_today(event) if is_staff(user) else (None, None)
    return render_template(
        "results/event.html", event=event, rows=rows, frozen=frozen, reveal=reveal,
        modules=result_exports.module_names(rows, event), time_text=result_exports.time_text,
        staff=is_staff(user), exports=is_staff(user) or is_host(user, event),
        notice_days=result_service.notice_days(event), finalise_ready=finalise_ready, finalise_on=finalise_on,
        would_end=would_end, calendar_gap=calendar_gap,
        prizes_shown=prizes, prize_rule=prize_legend(event, rows) if prizes else None,
        objections=objection_panel(event),
        error=error,
        snapshot=current_snapshot(event) if frozen else None), status


def _notice_if_published_today(event: Event) -> tuple[date | None, dict | None]:
    """For signed-off results: the notice's last day if published today, or why it cannot be published yet (the
    working calendar lacks a year), with a link to that year's calendar for an administrator."""
    if event.status is not EventStatus.SIGNED_OFF:
        return None, None
    try:
        return notice_end(beijing_today(), result_service.notice_days(event)), None
    except AppError as missing:
        year = (missing.details or [{}])[0].get("year")
        link = url_for("calendar.year", year=year) if year and can_manage_calendar(current_user) else None
        return None, {"message": missing.message, "link": link}


@bp.get("/events/<int:event_id>/results")
@login_required
def event_results(event_id: int):
    """Ranked rows, then unranked ones with their status; each row explains itself."""
    return _page(_load(event_id))


def _staff_event(event_id: int) -> Event:
    """The event, for the organisers who publish and finalise."""
    event = db.get_or_404(Event, event_id)
    require(is_staff(current_user), Message("只有组委会可以公示或确认最终成绩。"))
    return event


def _refused(event_id: int, error: AppError):
    """The results page again, with the reason a step was refused."""
    return _page(db.get_or_404(Event, event_id), error=error.message, status=error.status)


@bp.post("/events/<int:event_id>/results/publish")
@login_required
def publish(event_id: int):
    """Start the public notice (公示) of signed-off results."""
    event = _staff_event(event_id)
    with saving() as saved:
        ends = result_service.publish(current_actor(), event)
    if saved.error is not None:
        return _refused(event_id, saved.error)
    flash(_("成绩已公示，公示期至 %(date)s。", date=ends.isoformat()), "success")
    return redirect(url_for("results.event_results", event_id=event_id))


@bp.post("/events/<int:event_id>/results/finalize")
@login_required
def finalize(event_id: int):
    """Confirm the final results once the notice has ended."""
    event = _staff_event(event_id)
    with saving() as saved:
        result_service.finalize(current_actor(), event)
    if saved.error is not None:
        return _refused(event_id, saved.error)
    flash(_("已确认最终成绩。"), "success")
    return redirect(url_for("results.event_results", event_id=event_id))


@bp.route("/events/<int:event_id>/results.xlsx", methods=["GET", "POST"])
@login_required
def results_xlsx(event_id: int):
    """成绩册 (organisers; the host once published), names and prizes as the reader sees them; a large one is built
    in the background."""
    event = db.get_or_404(Event, event_id)
    require(can_export_results(current_user, event), Message("您没有权限导出该赛项的成绩册。"))
    params = results_params(event, reveal_for(current_user, event), can_see_prizes(current_user, event))
    return offer_export("results", params, back=url_for("results.event_results", event_id=event.id))


@bp.route("/events/<int:event_id>/mark-sheets.xlsx", methods=["GET", "POST"])
@login_required
def mark_sheets_xlsx(event_id: int):
    """评分表, one sheet per judge (organisers); a large one is built in the background."""
    event = db.get_or_404(Event, event_id)
    require(is_staff(current_user), Message("只有组委会可以导出评分表。"))
    return offer_export("mark_sheets", {"event_id": event.id},
                        back=url_for("results.event_results", event_id=event.id))


@bp.get("/public")
def public_index():
    """Every season's published events: 公示中 until a date, 公示期已满 (awaiting finalisation), or 最终."""
    events = list(db.session.scalars(
        db.select(Event).where(Event.status.in_(PUBLISHED_STATES)).order_by(Event.event_date.desc(), Event.id)))
    seasons = {s.id: s for s in db.session.scalars(
        db.select(Season).where(Season.id.in_({e.season_id for e in events})))} if events else {}
    groups: dict[int, list[Event]] = {}
    for event in events:
        groups.setdefault(event.season_id, []).append(event)
    ordered = sorted(groups, key=lambda sid: getattr(seasons.get(sid), "year", 0) or 0, reverse=True)
    today = beijing_today()
    ended = {e.id for e in events if e.status is EventStatus.NOTICE and result_service.notice_has_ended(e, today)}
    return render_template("results/public_index.html", groups=[(seasons.get(s), groups[s]) for s in ordered],
                           ended=ended)


@bp.get("/public/events/<int:event_id>")
def public_event(event_id: int):
    """One published event's results, names masked (张*丰), no ID or phone; 404 unless 公示 or final."""
    event = db.get_or_404(Event, event_id)
    if not event.is_published or current_snapshot(event) is None:
        abort(404)
    prizes = can_see_prizes(current_user, event)  # published: everyone
    rows, _frozen = result_exports.shaped_rows(event, "masked", prizes=prizes)
    return render_template("results/public_event.html", event=event, rows=rows,
                           modules=result_exports.module_names(rows, event), time_text=result_exports.time_text,
                           prizes_shown=prizes, prize_rule=prize_legend(event, rows) if prizes else None,
                           notice_ended=result_service.notice_has_ended(event))
