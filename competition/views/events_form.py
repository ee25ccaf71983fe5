"""Create and edit an event with its marking scheme; copy a scheme from an earlier event."""
from dataclasses import replace
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import Invalid, InvalidState
from ..extensions import db
from ..i18n import as_text
from ..forms.events import EventForm, choice
from ..forms.filters import EventFormFilters
from ..forms.prizes import field_posted, rows_posted, tier_data, typed_tiers
from ..models import Enterprise, Event, EventStatus, Role, Season, User
from ..permissions import can_create_event, can_edit_event, can_view_event, is_host, require
from ..services.events.lifecycle import (
    RESULTS_FROZEN,
    EventData,
    create_event,
    event_query,
    list_scope,
    scheme_is_locked,
    scheme_specs,
    update_event,
    validate_event,
)
from ..services.marking.facts import beijing_today
from ..services.policy import list_policy_versions, policy_figure
from ..services.results.prizes import policy_prize_hint, policy_prize_settings, prize_rule, prize_settings
from ..rules.messages import Message
from ..rules.prizes import tiers_from_data
from .common import page_filters, saving
from .blueprints import events as bp
from .events_detail import FROZEN
from .events_scheme import (
    STARTER,
    attach_problems,
    blank_criterion,
    blank_module,
    editor_rows,
    rows_from_specs,
    specs_from_form,
    totals,
)
from .main import current_season


def _fixed(user: User, event: Event | None) -> tuple[str, int | None] | None:
    """Kind and host when they are not the user's choice: on edit (they never change) and for enterprise users."""
    if event is not None:
        return event.kind.value, event.host_enterprise_id
    if user.role is Role.ENTERPRISE:
        return "enterprise", user.enterprise_id
    return None


def _form(user: User, event: Event | None, data: dict | None = None) -> EventForm:
    """The event form with its choices; kind and host are dropped where they are fixed."""
    form = EventForm(data=data) if data is not None else EventForm()
    seasons = db.session.scalars(db.select(Season).order_by(Season.year.desc())).all()
    form.season_id.choices = [choice("", _("请选择联赛年度"))] + [choice(s.id, s.name) for s in seasons]
    if _fixed(user, event) is not None:
        del form.kind
        del form.host_enterprise_id
    else:
        enterprises = db.session.scalars(db.select(Enterprise).order_by(Enterprise.name)).all()
        form.host_enterprise_id.choices = [choice("", _("请选择承办企业"))] + [choice(e.id, e.name) for e in enterprises]
    return form


def _default_quota(on: date | None = None) -> int:
    """The nomination quota of the policy in force on a day (the event's date; today while none is typed)."""
    return policy_figure(on or beijing_today(), "nomination_quota")


def _policy_defaults() -> list[dict]:
    """Every version's defaults by effective date, oldest first, so the page can follow the date typed."""
    return [{"from": v.effective_from.isoformat(), "quota": v.nomination_quota, "notice": v.notice_working_days}
            for v in reversed(list_policy_versions())]


def _initial(user: User, event: Event | None, modules: list[dict] | None) -> dict:
    """What the form shows before any typing: the event's values, or sensible defaults for a new one."""
    if event is None:
        season = current_season()
        quota = _default_quota()
        return {"season_id": season.id if season else None, "kind": "district", "aggregation": "trimmed_mean",
                "aggregation_level": "judge_total", "tie_breaks": "practical,time_used",
                "nomination_quota": quota, "quota_prefilled": str(quota),
                "modules": modules or [dict(m) for m in STARTER]}
    values = {name: getattr(event, name) for name in (
        "season_id", "name", "occupation", "level", "event_date", "registration_deadline", "venue",
        "min_age", "max_age", "strict_ranking", "nomination_quota")}
    return {**values, "aggregation": event.aggregation.value, "aggregation_level": event.aggregation_level.value,
            "tie_breaks": ",".join(event.tie_breaks or []), "prize_tiers": tier_data(event.prize_tiers),
            "prize_floor": "" if event.prize_floor is None else str(event.prize_floor),
            "modules": modules or rows_from_specs(scheme_specs(event))}


def _data(form: EventForm, kind: str, host_id: int | None, modules, event: Event | None = None) -> EventData:
    """The typed event for the service (unparsable values are None, so the service names them)."""
    quota = form.nomination_quota.data
    if quota is not None and str(quota) == (form.quota_prefilled.data or None):
        quota = None  # left as prefilled: the version in force on the event's date decides (issue 16)
    data = EventData(
        season_id=form.season_id.data, name=form.name.data or "", occupation=form.occupation.data or "",
        level=form.level.data, kind=kind, event_date=form.event_date.data,
        registration_deadline=form.registration_deadline.data,
        host_enterprise_id=host_id if kind == "enterprise" else None, venue=form.venue.data,
        min_age=form.min_age.data, max_age=form.max_age.data, aggregation=form.aggregation.data or "",
        aggregation_level=form.aggregation_level.data or "",
        tie_breaks=tuple(code for code in (form.tie_breaks.data or "").split(",") if code),
        strict_ranking=bool(form.strict_ranking.data), nomination_quota=quota, modules=modules,
        prize_tiers=typed_tiers(form.prize_tiers) or None, prize_floor=(form.prize_floor.data or "").strip() or None)
    return data if event is None else _stored_prizes(form, event, data)


def _stored_prizes(form: EventForm, event: Event, data: EventData) -> EventData:
    """An edit keeps the stored prize settings once the results are signed off (the page shows them read-only), and
    those a post leaves out (blank rows are sent: they mean the policy's)."""
    stored = tiers_from_data(event.prize_tiers) if event.prize_tiers is not None else None
    if event.status in RESULTS_FROZEN:
        return replace(data, prize_tiers=stored, prize_floor=event.prize_floor)
    if not rows_posted(form.prize_tiers):
        data = replace(data, prize_tiers=stored)
    if not field_posted(form.prize_floor):
        data = replace(data, prize_floor=event.prize_floor)
    return data


def _copy_sources(user: User, event: Event | None) -> list[Event]:
    """Earlier events this user may see whose scheme can be copied, newest first."""
    query = event_query(**list_scope(user)).where(Event.modules.any())
    if event is not None:
        query = query.where(Event.id != event.id)
    return list(db.session.scalars(query.limit(100)))


def _locked(event: Event | None) -> bool:
    """An existing event's scheme is locked once scoring starts or a mark exists."""
    return event is not None and scheme_is_locked(event)


def _render(form: EventForm, event: Event | None, *, status: int = 200, problems=(), error=None, copied=None,
            past_dates: bool = False):
    """The form page: problems under their fields and scheme rows, live sums, the copy control."""
    user = current_user._get_current_object()
    scheme_errors, per_module, leftover = attach_problems(form, list(problems))
    locked = _locked(event)
    specs = scheme_specs(event) if locked else specs_from_form(form)
    return render_template(
        "events/form.html", form=form, event=event, locked=locked,
        scheme=[] if locked else editor_rows(form, per_module),
        scheme_errors=scheme_errors, totals=totals(specs), blank_module=blank_module(),
        blank_criterion=blank_criterion(), copy_sources=[] if locked else _copy_sources(user, event),
        copied=copied, error=error, error_details=leftover, fixed_host=_fixed_host(user, event),
        past_dates=past_dates or bool(form.confirm_past_dates.data), policy_defaults=_policy_defaults(),
        results_frozen=event is not None and event.status in RESULTS_FROZEN, **_prize_texts(event)), status


def _prize_texts(event: Event | None) -> dict:
    """The prize section's texts: what blank settings mean (the policy's tiers and pass mark), and, once the results
    are signed off, the settings in force."""
    policy = policy_prize_settings(event, beijing_today())
    return {"prize_default_text": policy_prize_hint(policy), "prize_floor_default": policy.floor,
            "prize_settings_text": prize_rule(prize_settings(event)) if event is not None else None}



def _fixed_host(user: User, event: Event | None) -> Enterprise | None:
    """The host shown as text when it cannot be chosen."""
    fixed = _fixed(user, event)
    return db.session.get(Enterprise, fixed[1]) if fixed and fixed[1] else None


def _problems(data: EventData) -> list[dict]:
    """Every problem the service would report, to show with the form's own (one round of messages)."""
    try:
        validate_event(data)
    except Invalid as error:
        return error.details
    return []


def _show(user: User, event: Event | None):
    """GET: the form with the event's values (or defaults), or a scheme copied from ?copy_from=."""
    copied, modules = None, None
    source_id = page_filters(EventFormFilters).copy_from
    if source_id is not None and not _locked(event):
        copied = db.get_or_404(Event, source_id)
        require(can_view_event(user, copied), Message("您没有权限查看该赛项。"))
        modules = rows_from_specs(scheme_specs(copied))
    return _render(_form(user, event, _initial(user, event, modules)), event, copied=copied)


def _save(user: User, event: Event | None):
    """POST: validate, create or update through the service, commit; on a problem show everything at once."""
    form = _form(user, event)
    kind, host_id = _fixed(user, event) or (form.kind.data or "", form.host_enterprise_id.data)
    locked = _locked(event)
    data = _data(form, kind, host_id, scheme_specs(event) if locked else specs_from_form(form), event)
    if not form.validate_on_submit():
        return _render(form, event, status=400, problems=_problems(data), error=_("请修改标出的内容后重试。"))
    if (past := _past_dates(form, event)) and not form.confirm_past_dates.data:
        form.confirm_past_dates.errors = [past]
        return _render(form, event, status=409, past_dates=True,
                       error=_("%(why)s请核对日期；如确为补录，请勾选下方的确认后再保存。", why=past))
    event_id = event.id if event is not None else None
    with saving() as saved:
        if event is None:
            event, warnings = create_event(current_actor(), data)
        else:
            warnings = update_event(current_actor(), event, data)
    if (error := saved.error) is not None:
        event = db.get_or_404(Event, event_id) if event_id is not None else None
        return _render(form, event, status=error.status, problems=error.details, error=error.message)
    flash(_done(user, event, created=event_id is None), "success")
    for warning in warnings:
        flash(as_text(warning), "warning")
    return redirect(url_for("events.detail", event_id=event.id))


def _past_dates(form: EventForm, event: Event | None) -> str | None:
    """Why the typed dates need a confirmation: the event day or the registration deadline has passed (asked on
    creation, and on an edit that changes a date; an old event's other fields save as usual)."""
    today = date.today()
    typed = (form.event_date.data, form.registration_deadline.data)
    if event is not None and typed == (event.event_date, event.registration_deadline):
        return None
    if typed[0] is not None and typed[0] < today:
        return _("比赛日期 %(day)s 已经过去。", day=typed[0].isoformat())
    if typed[1] is not None and typed[1] < today:
        return _("报名截止日期 %(day)s 已经过去，企业将无法报名。", day=typed[1].isoformat())
    return None


def _done(user: User, event: Event, *, created: bool) -> str:
    """The success message: enterprise applications go straight to the organisers."""
    if created and event.status is EventStatus.SUBMITTED:
        return _("已提交赛项申请“%(name)s”，等待组委会审核。", name=event.name)
    if created:
        return _("已创建赛项“%(name)s”。", name=event.name)
    return _("已保存赛项“%(name)s”。", name=event.name)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create an event with its marking scheme (enterprise users apply for their own enterprise)."""
    user = current_user._get_current_object()
    require(can_create_event(user), Message("只有组委会和企业用户可以创建赛项。"))
    return _show(user, None) if request.method == "GET" else _save(user, None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """Edit an event; its scheme only until it locks (then it is shown read-only)."""
    user = current_user._get_current_object()
    event = db.get_or_404(Event, event_id)
    if is_host(user, event) and not can_edit_event(user, event):
        require(False, Message("赛项申请已提交，只有在草稿或被退回时才能修改。"))
    require(can_view_event(user, event) and can_edit_event(user, event), Message("您没有权限修改该赛项。"))
    if event.status in FROZEN:
        raise InvalidState(Message("已确认最终成绩或已取消的赛项不能修改。"))
    return _show(user, event) if request.method == "GET" else _save(user, event)
