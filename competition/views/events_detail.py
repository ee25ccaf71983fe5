"""One event: its fields, scheme, entry counts and history, and the lifecycle buttons that act on it."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import AppError, Invalid
from ..extensions import db
from ..i18n import as_text
from ..forms.enrolment import OPEN_TO_HELP, EnrolmentPolicyForm
from ..forms.events import ReasonForm
from ..models import AuditEntry, Enterprise, Event, EventKind, EventStatus
from ..permissions import (
    can_edit_event,
    can_enrol,
    can_manage_event,
    can_set_enrolment_policy,
    can_submit_event,
    can_view_entries,
    can_view_event,
    can_view_panel,
    is_host,
    is_staff,
    require,
)
from ..rules.events import decide_transition
from ..services.events.enrolment import POLICY_STATES, guest_entries, policy_sentence, set_enrolment_policy
from ..services.events.entry_queries import status_counts
from ..services.events.lifecycle import change_status
from ..rules.messages import Message
from .common import apply_details, saving
from .blueprints import events as bp

LIFECYCLE = ("submit", "approve", "reject", "open", "close", "start_scoring", "cancel")
REASONED = ("reject", "cancel")
DONE = {
    "submit": _l("已提交审核，等待组委会纳入竞赛计划。"),
    "approve": _l("已将赛项纳入竞赛计划。"),
    "reject": _l("已退回赛项申请，承办企业可修改后重新提交。"),
    "open": _l("赛项已开放报名。"),
    "close": _l("赛项已截止报名。"),
    "start_scoring": _l("赛项已开始评分，评分方案已锁定。"),
    "cancel": _l("赛项已取消。"),
}
CONFIRM = {
    "close": _l("截止报名后，企业将不能再为该赛项报名。确定截止吗？"),
    "start_scoring": _l("开始评分后评分方案将锁定，不能再修改。确定开始评分吗？"),
    "cancel": _l("取消后赛项不能恢复。确定取消该赛项吗？"),
}
FROZEN = (EventStatus.FINAL, EventStatus.CANCELLED)
# What the organisers do next on a page of its own, by status (issue 15, m3): after 截止报名 it is 检录 and then
# 抽签, not 开放报名 again (which stays, as a secondary step, for a deadline that was closed too early).
NEXT_PAGES = {
    EventStatus.CLOSED: (("entries.check_in", _l("检录")), ("entries.draw", _l("抽签"))),
    EventStatus.DRAWN: (("marking.time_used", _l("记录用时")),),
    EventStatus.SCORING: (("marking.scoring_panel", _l("评分进度")), ("marking.time_used", _l("记录用时"))),
    EventStatus.SIGNED_OFF: (("results.event_results", _l("成绩与公示")),),
    EventStatus.NOTICE: (("results.event_results", _l("成绩与公示")),),
}
REOPEN_REGISTRATION = _l("重新开放报名")
REOPEN_CONFIRM = _l("报名已截止。重新开放后，企业可以继续报名和修改报名，检录要等再次截止后进行。确定重新开放报名吗？")


def next_pages(user, event: Event) -> list[tuple[str, str]]:
    """(url, label) of the pages where the organisers take this event's next step."""
    if not can_manage_event(user, event):
        return []
    return [(url_for(endpoint, event_id=event.id), label) for endpoint, label in NEXT_PAGES.get(event.status, ())
            if endpoint in current_app.view_functions]


def may_act(user, event: Event, action: str) -> bool:
    """Who may take a lifecycle step: the host (or staff) submits; the organisers take every other step."""
    allowed = can_submit_event if action == "submit" else can_manage_event
    return can_view_event(user, event) and allowed(user, event)


def available_actions(user, event: Event) -> list[str]:
    """The steps this user may take on this event now (permission and lifecycle both allow it)."""
    return [action for action in LIFECYCLE if may_act(user, event, action)
            and decide_transition(action, event.status.value, event.kind.value).allowed]


def _timeline(event: Event) -> list[AuditEntry]:
    """The event's own audit rows (created, edited, each status change), oldest first."""
    return list(db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "Event", AuditEntry.object_id == event.id,
                                    AuditEntry.action.like("event.%")).order_by(AuditEntry.id)))


def enrolment_panel(user, event: Event, form: EnrolmentPolicyForm | None = None) -> dict | None:
    """An enterprise event's enrolment policy as the page shows it, with the form for the host and the organisers
    while the roster can still change; None for a district event (every enterprise enrols)."""
    if event.kind is not EventKind.ENTERPRISE:
        return None
    editable = can_set_enrolment_policy(user, event) and event.status in POLICY_STATES
    panel = {"sentence": policy_sentence(event), "editable": editable, "may_enrol": can_enrol(user, event)}
    if editable:
        panel.update(
            form=form or EnrolmentPolicyForm(formdata=None, open_to=event.open_to.value,
                                             invited_enterprise_ids=sorted(event.invited_ids)),
            enterprises=db.session.scalars(db.select(Enterprise).where(Enterprise.id != event.host_enterprise_id)
                                           .order_by(Enterprise.name)).all(),
            guests=guest_entries(event), help=OPEN_TO_HELP)
    return panel


def render_detail(event: Event, *, failed: str | None = None, error: AppError | None = None,
                  forms: dict | None = None, policy_form: EnrolmentPolicyForm | None = None):
    """The detail page; after a refused step, that step's form is open with its message and typed reason."""
    user = current_user._get_current_object()
    forms = forms or {}
    for action in REASONED:
        forms.setdefault(action, ReasonForm(formdata=None, prefix=action))
    entries_url = None
    if "entries.index" in current_app.view_functions and can_view_entries(user, event):
        entries_url = url_for("entries.index", event_id=event.id)
    sees_history = is_staff(user) or is_host(user, event)
    return render_template(
        "events/detail.html", event=event, actions=available_actions(user, event), confirm=CONFIRM,
        next_pages=next_pages(user, event), reopen=(REOPEN_REGISTRATION, REOPEN_CONFIRM),
        counts=status_counts(event), timeline=_timeline(event) if sees_history else None,
        sees_reasons=sees_history, entries_url=entries_url, panel_visible=can_view_panel(user, event),
        editable=can_edit_event(user, event) and event.status not in FROZEN,
        failed=failed, error=error.message if error else None, forms=forms,
        enrolment=enrolment_panel(user, event, policy_form))


@bp.get("/<int:event_id>")
@login_required
def detail(event_id: int):
    """One event: fields, marking scheme, entry counts, history and the steps this user may take."""
    event = db.get_or_404(Event, event_id)
    require(can_view_event(current_user, event), Message("您没有权限查看该赛项。"))
    return render_detail(event)


def _take(event_id: int, action: str):
    """Take one lifecycle step; a refused step re-renders the page with the reason typed so far."""
    event = db.get_or_404(Event, event_id)
    require(may_act(current_user, event, action), Message("您没有权限对该赛项执行此操作。"))
    form = ReasonForm(prefix=action)
    with saving() as saved:
        if action in REASONED and not form.validate():
            raise Invalid(form.reason.errors[0], details=[{"field": "reason", "message": form.reason.errors[0]}])
        change_status(current_actor(), event, action, reason=form.reason.data if action in REASONED else None)
    if (error := saved.error) is not None:
        event = db.get_or_404(Event, event_id)
        for detail in error.details:
            if detail.get("field") == "reason" and detail.get("message") not in form.reason.errors:
                form.reason.errors = [*form.reason.errors, detail["message"]]
        return render_detail(event, failed=action, error=error, forms={action: form}), error.status
    flash(str(DONE[action]), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.post("/<int:event_id>/enrolment-policy")
@login_required
def enrolment_policy(event_id: int):
    """Change who besides the host enrols in an enterprise event (the host or an organiser); audited. Entries
    already made stay when the policy narrows."""
    event = db.get_or_404(Event, event_id)
    require(can_view_event(current_user, event) and can_set_enrolment_policy(current_user, event),
            Message("只有主办企业和组委会可以修改本赛项的报名范围。"))
    form = EnrolmentPolicyForm()
    with saving() as saved:
        if not form.validate():
            message = next(iter(form.open_to.errors or form.invited_enterprise_ids.errors), Message("请选择报名范围。"))
            raise Invalid(message)
        invited = form.invited_enterprise_ids.data if form.open_to.data == "invited" else []
        set_enrolment_policy(current_actor(), event, form.open_to.data, invited or [])
    if (error := saved.error) is not None:
        event = db.get_or_404(Event, event_id)
        apply_details(form, error)
        return render_detail(event, failed="enrolment_policy", error=error, policy_form=form), error.status
    flash(_("已更新报名范围：%(policy)s。", policy=as_text(policy_sentence(event))), "success")
    return redirect(url_for("events.detail", event_id=event.id))


def _register(action: str) -> None:
    """POST /events/<id>/<action> for one lifecycle step, endpoint events.<action>."""
    def view(event_id: int):
        """Take this step on one event."""
        return _take(event_id, action)

    view.__name__ = action
    view.__doc__ = f"Lifecycle step “{action}” on one event (RULES.md §4)."
    bp.add_url_rule(f"/<int:event_id>/{action.replace('_', '-')}", endpoint=action,
                    view_func=login_required(view), methods=["POST"])


for _action in LIFECYCLE:
    _register(_action)
