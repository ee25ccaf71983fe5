"""Certificates (RULES.md §15): an event's certificates, printed as one PDF by a background job (organisers); the
certificates page (an enterprise user sees its own employees'); one certificate's PDF; and the public verification
page a certificate's QR code opens (no login, masked name, never an ID number)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..forms.events import LEVEL_NAMES
from ..jobs.certificates import KIND, printing_job, subject
from ..models import Event, EventStatus
from ..pdf import PDF_TYPE, render_certificates
from ..permissions import (can_download_certificate, can_list_certificates, can_print_event_certificates, is_staff,
                           require)
from ..rules.messages import Message
from ..services.certificates import queries
from ..services.jobs import latest_job
from . import labels
from .blueprints import certificates as bp
from .common import file_download, paginate, public_base_url, saving
from .jobs import job_view
from .nav import NavItem, add_nav

add_nav(NavItem(_l("证书"), "certificates.index", can_list_certificates, order=45))
labels.ACTION_LABELS.update({"certificate.issue": _l("签发证书")})
labels.OBJECT_LABELS.setdefault("Certificate", _l("证书"))


@bp.context_processor
def _names() -> dict:
    """Level names and the prize text of a certificate, for the certificates templates."""
    return {"LEVEL_NAMES": LEVEL_NAMES, "prize_text": queries.prize_text}


def _staff_event(event_id: int) -> Event:
    """The event, for the organisers who print its certificates (404, then 403)."""
    event = db.get_or_404(Event, event_id)
    require(can_print_event_certificates(current_user, event), Message("只有组委会可以打印赛项证书。"))
    return event


def _event_page(event: Event, error: str | None = None, status: int = 200):
    """The event's certificates and the newest job printing them."""
    job = latest_job(KIND, subject(event))
    return render_template("certificates/event.html", event=event, certificates=queries.event_certificates(event),
                           final=event.status is EventStatus.FINAL, job=job_view(job) if job else None,
                           error=error), status


@bp.get("/events/<int:event_id>/certificates")
@login_required
def event_certificates(event_id: int):
    """A final event's certificates by number, and their printing as one PDF (organisers)."""
    return _event_page(_staff_event(event_id))


@bp.post("/events/<int:event_id>/certificates/print")
@login_required
def print_event(event_id: int):
    """Start printing every certificate of the event as one PDF (issuing any still missing first)."""
    event = _staff_event(event_id)
    with saving() as saved:
        printing_job(current_actor(), event, public_base_url())
    if saved.error is not None:
        return _event_page(db.get_or_404(Event, event_id), error=saved.error.message, status=saved.error.status)
    flash(_("正在生成证书 PDF，完成后可在本页下载。"), "info")
    return redirect(url_for("certificates.event_certificates", event_id=event_id))


@bp.get("/certificates")
@login_required
def index():
    """Certificates: the organisers every one, an enterprise user its own employees' (as issued), newest year first."""
    require(can_list_certificates(current_user), Message("您没有权限查看证书。"))
    scope = None if is_staff(current_user) else current_user.enterprise_id
    page = paginate(queries.certificates_list(scope))
    return render_template("certificates/index.html", page=page, staff=scope is None)


@bp.get("/certificates/<number>.pdf")
@login_required
def download(number: str):
    """One certificate's PDF: the organisers, and the holder's employer's users."""
    certificate = queries.by_number(number)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, number=number[:40]), 404
    require(can_download_certificate(current_user, certificate), Message("只能下载本企业员工的证书。"))
    data = render_certificates([queries.card(certificate)], public_base_url(), title=certificate.number)
    return file_download(data, f"{certificate.number}.pdf", PDF_TYPE, ascii_name=f"{certificate.number}.pdf")


@bp.get("/verify/<number>")
def verify(number: str):
    """Anyone checks a certificate (its QR code opens this page): masked name, event, occupation, level, prize and
    year; a number that names no certificate is 404."""
    certificate = queries.by_number(number)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, number=number[:40]), 404
    return render_template("certificates/verify.html", certificate=queries.verification(certificate),
                           number=certificate.number)
