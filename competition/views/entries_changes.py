"""Correcting entries (issue 15, M5): before the draw change the mobile and employer, or remove the entry with a
confirmation; after the draw only a withdrawal (退赛) with a reason. The services audit every change."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..i18n import as_text
from ..forms.entries import EntryEditForm, WithdrawForm
from ..forms.users import enterprise_choices
from ..models import Enterprise, Role
from ..permissions import can_correct_entry, can_withdraw_entry, require
from ..services.events import entry_changes
from ..rules.messages import Message
from .common import render_failed, render_invalid, saving
from .blueprints import entries as bp
from .entries_common import load_entry, load_event
from .entries_roster import roster_page


def _form(entry, formdata=True) -> EntryEditForm:
    """The correction form with the employers to choose from (an enterprise user keeps its own)."""
    data = {"phone": entry.person.phone, "employer_id": entry.employer_id}
    form = EntryEditForm() if formdata and request.method == "POST" else EntryEditForm(formdata=None, data=data)
    enterprises = db.session.scalars(db.select(Enterprise).order_by(Enterprise.name)).all()
    form.employer_id.choices = enterprise_choices(enterprises)
    return form


@bp.route("/<int:event_id>/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(event_id: int, entry_id: int):
    """Correct an entry's mobile and employer before the draw."""
    event = load_event(event_id)
    entry = load_entry(event, entry_id)
    require(can_correct_entry(current_user, entry), Message("只能修改本企业员工的报名。"))
    form = _form(entry)
    context = {"event": event, "entry": entry}
    if request.method == "GET" or not form.validate_on_submit():
        return render_invalid("entries/edit.html", form, **context)
    user = current_user._get_current_object()
    employer = user.enterprise_id if user.role is Role.ENTERPRISE else form.employer_id.data
    with saving() as saved:
        entry_changes.update_entry(current_actor(), entry, phone=form.phone.data, employer_id=employer)
    if (error := saved.error) is not None:
        return render_failed("entries/edit.html", form, error, **context)
    flash(_("已修改%(name)s的报名信息。", name=entry.person.name), "success")
    return redirect(url_for("entries.index", event_id=event.id))


@bp.post("/<int:event_id>/entries/<int:entry_id>/remove")
@login_required
def remove_entry(event_id: int, entry_id: int):
    """Remove an entry before the draw (the page asks for a confirmation first)."""
    event = load_event(event_id)
    entry = load_entry(event, entry_id)
    require(can_correct_entry(current_user, entry), Message("只能删除本企业员工的报名。"))
    name = entry.person.name
    with saving() as saved:
        entry_changes.remove_entry(current_actor(), entry)
    if (error := saved.error) is not None:
        return roster_page(event, error=error.message, status=error.status)
    flash(_("已删除%(name)s的报名。", name=name), "success")
    return redirect(url_for("entries.index", event_id=event.id))


@bp.post("/<int:event_id>/entries/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(event_id: int, entry_id: int):
    """Record a withdrawal after the draw, with its reason (organisers)."""
    event = load_event(event_id)
    entry = load_entry(event, entry_id)
    require(can_withdraw_entry(current_user, event), Message("只有组委会可以办理退赛。"))
    form = WithdrawForm(prefix=f"w{entry.id}")
    if not form.validate_on_submit():
        message = next(iter(form.reason.errors), _("请填写退赛原因。"))
        return roster_page(event, error=as_text(message), status=400, failed_entry=entry.id)
    with saving() as saved:
        entry_changes.withdraw_entry(current_actor(), entry, form.reason.data)
    if (error := saved.error) is not None:
        return roster_page(event, error=error.message, status=error.status, failed_entry=entry.id)
    flash(_("%(number)s号选手已办理退赛。", number=entry.number or "—"), "success")
    return redirect(url_for("entries.index", event_id=event.id))
