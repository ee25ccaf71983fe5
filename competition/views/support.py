"""Technical support pages (seed 三(三), RULES.md §17): the host's request on its event, the organisers' queue, one
request with the decision form (kinds granted, judges lent from the pool, cost, reason), and the panel on the event
page that shows the request's state to the host and the organisers."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.support import SupportDecisionForm, SupportFilters, SupportRequestForm
from ..forms.events import LEVEL_NAMES
from ..models import SPENDING_STATE_LABELS, SUPPORT_STATE_LABELS, Event, Role, SupportKind, SupportRequest, User
from ..permissions import can_decide_support, can_request_support, can_view_support, is_staff, require
from ..rules.messages import Message
from ..services.events import support as support_service
from . import labels
from .blueprints import support as bp
from .common import apply_details, page_filters, paginate, saving
from .dashboard import Figure, home_figure
from .nav import NavItem, add_nav

add_nav(NavItem(_l("技术支持"), "support.index", can_decide_support, order=62))
STATE_NAMES = {state.value: _l(label) for state, label in SUPPORT_STATE_LABELS.items()}
STATE_STYLES = {"requested": "text-bg-warning", "granted": "text-bg-success", "partly_granted": "text-bg-info",
                "refused": "text-bg-secondary"}
KIND_NAMES = {"judges": _l("裁判支持"), "question_setting": _l("命题"), "venue": _l("场地设备")}

labels.ACTION_LABELS.update({
    "support.request": _l("申请技术支持"),
    "support.grant": _l("同意技术支持"),
    "support.partly_grant": _l("部分同意技术支持"),
    "support.refuse": _l("不同意技术支持"),
})
labels.OBJECT_LABELS.setdefault("SupportRequest", _l("技术支持申请"))
labels.OBJECT_LABELS.setdefault("Spending", _l("支出"))


def support_panel(event: Event) -> dict | None:
    """The event page's technical-support panel, for the host and the organisers of an enterprise event; None for
    anyone else or a district event."""
    user = current_user._get_current_object()
    if event.kind.value != "enterprise" or not (is_staff(user) or can_request_support(user, event)):
        return None
    requests = support_service.requests_of_event(event)
    waiting = next((r for r in requests if r.state.value == "requested"), None)
    return {"requests": requests, "waiting": waiting, "in_plan": support_service.may_request(event),
            "can_request": can_request_support(user, event) and support_service.may_request(event) and waiting is None}


@bp.app_context_processor
def _helpers() -> dict:
    """The panel and the state and kind names for every template."""
    return {"support_panel": support_panel, "SUPPORT_STATE_NAMES": STATE_NAMES, "SUPPORT_STATE_STYLES": STATE_STYLES,
            "SUPPORT_KIND_NAMES": KIND_NAMES}


@bp.context_processor
def _names() -> dict:
    """Level and spending-state names for this blueprint's pages."""
    return {"LEVEL_NAMES": LEVEL_NAMES,
            "SPENDING_STATE_NAMES": {state.value: _l(label) for state, label in SPENDING_STATE_LABELS.items()}}


@home_figure(Role.ADMIN, Role.ORGANISER, order=45)
def support_figure(user: User) -> Figure:
    """How many support requests wait for a decision."""
    return Figure("support_requests", _l("待处理技术支持申请"), support_service.waiting_count(),
                  url_for("support.index", state="requested"))


def _event_for_request(event_id: int) -> Event:
    """The event, or 404; then the host's right to ask, or 403."""
    event = db.get_or_404(Event, event_id)
    require(can_request_support(current_user, event), Message("只有本赛项的承办企业可以申请技术支持。"))
    return event


@bp.route("/events/<int:event_id>/support", methods=["GET", "POST"])
@login_required
def request(event_id: int):
    """The host's request: kinds, how many judges, details."""
    event = _event_for_request(event_id)
    form = SupportRequestForm()
    error, status = None, 200
    if form.validate_on_submit():
        kinds = list(form.kinds.data or [])
        wanted = form.judges_wanted.data if SupportKind.JUDGES.value in kinds else None
        with saving() as saved:
            support = support_service.request_support(
                current_actor(), event, support_service.SupportAsk(kinds, wanted, form.details.data or ""))
        if saved.error is None:
            flash(_("已提交技术支持申请，请等待组委会处理。"), "success")
            return redirect(url_for("support.detail", request_id=support.id))
        apply_details(form, saved.error)
        error, status = saved.error.message, saved.error.status
    elif form.is_submitted():
        error, status = _("请检查填写的内容。"), 400
    return render_template("support/request.html", event=event, form=form, error=error,
                           waiting=support_service.open_request(event), in_plan=support_service.may_request(event),
                           ), status


@bp.get("/support")
@login_required
def index():
    """The organisers' queue, waiting requests first; filter by state."""
    require(can_decide_support(current_user), Message("只有组委会可以处理技术支持申请。"))
    wanted = page_filters(SupportFilters)
    page = paginate(support_service.requests_query(wanted.state))
    return render_template("support/index.html", page=page, states=STATE_NAMES)


def _support(request_id: int) -> SupportRequest:
    """The request, or 404; then the viewer's right to it, or 403."""
    support = db.get_or_404(SupportRequest, request_id)
    require(can_view_support(current_user, support), Message("只能查看本企业赛项的技术支持申请。"))
    return support


def _decision_form(support: SupportRequest, form: SupportDecisionForm | None = None) -> SupportDecisionForm:
    """The decision form with the pool's judges (name and employer) and the kinds asked as choices."""
    form = form or SupportDecisionForm()
    form.judge_ids.choices = [(judge.id, judge_label(judge)) for judge in support_service.judge_pool()]
    asked = set(support.kinds or [])
    form.granted_kinds.choices = [(code, name) for code, name in KIND_NAMES.items() if code in asked]
    return form


def judge_label(judge: User) -> str:
    """A pool judge as an option: name, and employer (or 无工作单位)."""
    employer = judge.employer.name if judge.employer is not None else _("无工作单位")
    return f"{judge.display_name}（{judge.username}）· {employer}"


def _page(support: SupportRequest, form: SupportDecisionForm | None = None, error: str | None = None,
          status: int = 200):
    """One request with its decision, and the decision form for the organisers while it waits."""
    deciding = can_decide_support(current_user) and support.state.value == "requested"
    return render_template("support/detail.html", support=support, event=support.event,
                           form=_decision_form(support, form) if deciding else None, deciding=deciding,
                           names=support_service.names_of(support), spending=support_service.spending_of(support),
                           kinds_text=support_service.kinds_text, error=error), status


@bp.get("/support/<int:request_id>")
@login_required
def detail(request_id: int):
    """A request: what was asked, its state, what was granted, the judges lent and the cost."""
    return _page(_support(request_id))


@bp.post("/support/<int:request_id>/decide")
@login_required
def decide(request_id: int):
    """Grant, partly grant or refuse a waiting request (the page asks for confirmation first)."""
    support = _support(request_id)
    require(can_decide_support(current_user), Message("只有组委会可以处理技术支持申请。"))
    form = _decision_form(support)
    if not form.validate_on_submit():
        return _page(support, form, _("请检查填写的内容。"), 400)
    decision = support_service.SupportDecision(
        decision=form.decision.data or "", granted_kinds=list(form.granted_kinds.data or []),
        judge_ids=list(form.judge_ids.data or []), cost=form.cost.data, voucher=form.voucher.data,
        reason=form.reason.data)
    with saving() as saved:
        support_service.decide_support(current_actor(), support, decision)
    if (error := saved.error) is not None:
        support = db.get_or_404(SupportRequest, request_id)
        apply_details(form, error)
        return _page(support, form, error.message, error.status)
    flash(_("已处理技术支持申请：%(state)s。", state=STATE_NAMES[support.state.value]), "success")
    return redirect(url_for("support.detail", request_id=request_id))
