"""Competition subsidy pages (竞赛经费补贴): the event checklist and claim button, the claims queue,
one claim with its evidence and the organisers' decisions, and the claim form download."""
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..i18n import as_text
from ..forms.filters import ClaimFilters
from ..forms.subsidy import PaymentForm, RejectClaimForm
from ..models import CLAIM_STATE_LABELS, Event, Role, Season, SubsidyClaim, User
from ..permissions import (can_claim_subsidy, can_decide_claims, can_list_claims, can_view_claim, can_view_subsidy,
                           is_staff, require)
from ..rules.subsidy import subsidy_applies
from ..services.money import subsidy as subsidy_service
from ..services.money.subsidy_reports import (
    ClaimFilter,
    claim_form_workbook,
    claimant_enterprises,
    claims_query,
    participants_of,
    results_summary,
    season_breakdown,
    waiting_claims,
)
from ..rules.messages import Message
from . import labels
from .common import apply_details, guard, page_filters, paginate, xlsx_download, saving
from .dashboard import Figure, home_figure
from .events import _event_names
from .nav import NavItem, add_nav
from .blueprints import subsidy as bp

bp.before_request(guard(can_list_claims, Message("只有组委会和企业用户可以查看竞赛经费补贴。")))
add_nav(NavItem(_l("经费补贴"), "subsidy.claims", can_list_claims, order=60))
STATE_NAMES = {state.value: _l(label) for state, label in CLAIM_STATE_LABELS.items()}
STATE_STYLES = {"submitted": "text-bg-warning", "approved": "text-bg-primary", "paid": "text-bg-success",
                "rejected": "text-bg-secondary"}

labels.ACTION_LABELS.update({
    "claim.submit": _l("申请竞赛经费补贴"),
    "claim.approve": _l("批准补贴申请"),
    "claim.reject": _l("驳回补贴申请"),
    "claim.pay": _l("登记补贴拨付"),
    "policy.create": _l("新增政策版本"),
    "policy.update": _l("修改政策版本"),
})
labels.OBJECT_LABELS.setdefault("SubsidyClaim", _l("补贴申请"))
bp.context_processor(_event_names)  # level, status and scheme names for the claim page


def subsidy_panel(event: Event) -> dict | None:
    """The checklist of an enterprise event for staff and the host, with its claims; for staff on a district event
    only that the subsidy does not apply (`applies` False); None for anyone else."""
    user = current_user._get_current_object()
    if not can_view_subsidy(user, event):
        return None
    if not subsidy_applies(event.kind.value):
        return {"applies": False}
    decision, version = subsidy_service.check_subsidy(event, None if is_staff(user) else user.enterprise_id)
    claims = subsidy_service.claims_of_event(event)
    # A claim in progress or paid is what the event's subsidy *is* now: the checklist's "no claim yet" rule fails
    # because of it, and "尚不符合补贴条件" would say the opposite of the truth (issue 15, m7).
    live = next((claim for claim in claims if claim.state in subsidy_service.LIVE), None)
    return {"applies": True, "decision": decision, "version": version, "claims": claims, "live": live,
            "can_claim": can_claim_subsidy(user, event) and decision.eligible, "frozen": event.participants is not None,
            "origins": subsidy_service.participant_origins(event)}


def subsidy_season(season: Season) -> dict:
    """The season's subsidy claims by state, for the season page."""
    return season_breakdown(season.id)


@bp.app_context_processor
def _helpers() -> dict:
    """The checklist, the season breakdown and the state names for every template."""
    return {"subsidy_panel": subsidy_panel, "subsidy_season": subsidy_season, "CLAIM_STATE_NAMES": STATE_NAMES,
            "CLAIM_STATE_STYLES": STATE_STYLES}


@home_figure(Role.ADMIN, Role.ORGANISER, order=40)
def claims_figure(user: User) -> Figure:
    """How many subsidy claims wait for a decision."""
    return Figure("subsidy_claims", _l("待审核补贴申请"), waiting_claims(), url_for("subsidy.claims", state="submitted"))


def _wanted() -> ClaimFilter:
    """The queue's filters from the query string; enterprise users are held to their own enterprise."""
    typed = page_filters(ClaimFilters)
    enterprise_id = typed.enterprise if is_staff(current_user) else current_user.enterprise_id
    return ClaimFilter(typed.season, typed.state.value if typed.state else "", enterprise_id, typed.q or "")


@bp.get("/claims")
@login_required
def claims():
    """The claims queue: organisers all with filters, enterprise users their own."""
    staff = is_staff(current_user)
    page = paginate(claims_query(_wanted()))
    seasons = db.session.scalars(db.select(Season).order_by(Season.year.desc())).all()
    enterprises = claimant_enterprises() if staff else []
    return render_template("subsidy/claims.html", page=page, seasons=seasons, enterprises=enterprises, staff=staff)


def _claim(claim_id: int) -> SubsidyClaim:
    """The claim, or 404; then the viewer's right to it, or 403."""
    claim = db.get_or_404(SubsidyClaim, claim_id)
    require(can_view_claim(current_user, claim), Message("只能查看本企业的补贴申请。"))
    return claim


def _page(claim: SubsidyClaim, error: str | None = None, status: int = 200, reject=None, pay=None):
    """One claim with its evidence and, for organisers, the decision forms."""
    return render_template(
        "subsidy/claim.html", claim=claim, error=error, staff=can_decide_claims(current_user),
        participants=participants_of(claim.event), results=results_summary(claim.event),
        origins=subsidy_service.participant_origins(claim.event),
        names=subsidy_service.decider_names([claim]), reject_form=reject or RejectClaimForm(),
        pay_form=pay or PaymentForm()), status


@bp.get("/claims/<int:claim_id>")
@login_required
def claim(claim_id: int):
    """A claim: event, scheme, participants, results, the checks at claim time, the decisions."""
    return _page(_claim(claim_id))


def _deciding(claim_id: int) -> SubsidyClaim:
    """The claim, for the organisers who decide it."""
    claim = _claim(claim_id)
    require(can_decide_claims(current_user), Message("只有组委会可以审核补贴申请。"))
    return claim


def _refused(claim_id: int, error: AppError, form=None, **forms) -> Response:
    """The claim's page again with the reason a decision was refused (each problem also under its field)."""
    if form is not None:
        apply_details(form, error)
    return _page(db.get_or_404(SubsidyClaim, claim_id), error=error.message, status=error.status, **forms)


def _decided(claim_id: int, message: str) -> Response:
    """Back to the claim, with what was decided."""
    flash(message, "success")
    return redirect(url_for("subsidy.claim", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/approve")
@login_required
def approve(claim_id: int):
    """Approve a submitted claim within the season's budget."""
    claim = _deciding(claim_id)
    with saving() as saved:
        subsidy_service.approve_claim(current_actor(), claim)
    if saved.error is not None:
        return _refused(claim_id, saved.error)
    return _decided(claim_id, _("已批准补贴申请，金额 %(amount)s 元。", amount=format(claim.amount, ",")))


@bp.post("/claims/<int:claim_id>/reject")
@login_required
def reject(claim_id: int):
    """Reject a submitted claim with a reason."""
    claim = _deciding(claim_id)
    form = RejectClaimForm()
    if not form.validate_on_submit():
        return _page(claim, error=_("请检查填写的内容。"), status=400, reject=form)
    with saving() as saved:
        subsidy_service.reject_claim(current_actor(), claim, form.reason.data or "")
    if saved.error is not None:
        return _refused(claim_id, saved.error, form, reject=form)
    return _decided(claim_id, _("已驳回补贴申请。"))


@bp.post("/claims/<int:claim_id>/pay")
@login_required
def pay(claim_id: int):
    """Record the payment of an approved claim."""
    claim = _deciding(claim_id)
    form = PaymentForm()
    if not form.validate_on_submit():
        return _page(claim, error=_("请检查填写的内容。"), status=400, pay=form)
    with saving() as saved:
        subsidy_service.record_payment(current_actor(), claim, form.paid_on.data, form.voucher.data or "")
    if saved.error is not None:
        return _refused(claim_id, saved.error, form, pay=form)
    return _decided(claim_id, _("已登记拨付。"))


@bp.get("/claims/<int:claim_id>/form.xlsx")
@login_required
def claim_form(claim_id: int):
    """The printable claim form (.xlsx)."""
    claim = _claim(claim_id)
    return xlsx_download(claim_form_workbook(claim), _("竞赛经费补贴申请表-%(event)s.xlsx", event=claim.event.name))


@bp.post("/events/<int:event_id>/claim")
@login_required
def claim_event(event_id: int):
    """The host claims the subsidy of its event; a refusal goes back to the event with the reasons."""
    event = db.get_or_404(Event, event_id)
    require(can_claim_subsidy(current_user, event), Message("只有本赛项的举办企业可以申请竞赛经费补贴。"))
    with saving() as saved:
        claim = subsidy_service.claim_subsidy(current_actor(), event)
    if (error := saved.error) is not None:
        flash(as_text(error.message), "danger")
        return redirect(url_for("events.detail", event_id=event_id))
    flash(_("已提交补贴申请，请下载申请表盖章后报送组委会。"), "success")
    return redirect(url_for("subsidy.claim", claim_id=claim.id))
