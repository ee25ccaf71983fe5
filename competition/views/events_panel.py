"""An event's judge panel: members, chief flag, conflicts of interest (回避); add and remove judges."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..context import current_actor
from ..extensions import db
from ..i18n import as_text
from ..forms.events import PanelForm, choice
from ..models import Event, PanelMember, Role, User
from ..permissions import can_manage_event, can_view_panel, is_staff, require, sees_identities
from ..services.events.entries import assign_judge, conflicts, remove_judge
from ..rules.messages import Message
from .common import apply_details, saving
from .blueprints import events as bp


def _candidates(event: Event) -> list[User]:
    """Active judge accounts, those already on the panel last (choosing one again changes the chief flag)."""
    judges = db.session.scalars(db.select(User).where(User.role == Role.JUDGE, User.is_disabled.is_(False))
                                .order_by(User.display_name, User.username)).all()
    seated = {m.user_id for m in event.panel}
    return sorted(judges, key=lambda judge: judge.id in seated)


def _form(event: Event) -> PanelForm:
    """The add-judge form with its choices."""
    form = PanelForm()
    seated = {m.user_id for m in event.panel}
    form.user_id.choices = [choice("", _("请选择裁判"))] + [
        choice(judge.id, _label(judge, judge.id in seated)) for judge in _candidates(event)]
    return form


def _label(judge: User, seated: bool) -> str:
    """A judge as an option: name, username, employer, and whether already on the panel."""
    text = f"{judge.display_name}（{judge.username}）"
    if judge.employer is not None:
        text += f" · {judge.employer.name}"
    return text + (_("（已在裁判组）") if seated else "")


def _rows(event: Event) -> list[dict]:
    """Each member with the entries they may not mark: names for staff, competition numbers for judges."""
    user = current_user._get_current_object()
    names = is_staff(user) and sees_identities(user, event)
    rows = []
    for member in event.panel:
        blocked = conflicts(event, member.user)
        shown = [_who(entry) if names else entry.number for entry in blocked]
        rows.append({"member": member, "conflicts": len(blocked),
                     "shown": [item for item in shown if item], "undrawn": sum(1 for item in shown if not item)})
    return rows


def _who(entry) -> str:
    """An entry as staff see it: the name, and the competition number once drawn."""
    return f"{entry.person.name}（{entry.number}）" if entry.number else entry.person.name


def _render(event: Event, form: PanelForm, error: str | None = None, status: int = 200):
    """The panel page."""
    user = current_user._get_current_object()
    return render_template("events/panel.html", event=event, rows=_rows(event), form=form, error=error,
                           manages=can_manage_event(user, event), shows_employers=is_staff(user)), status


@bp.get("/<int:event_id>/panel")
@login_required
def panel(event_id: int):
    """The judge panel: who sits on it, who is chief, and whom each judge may not mark."""
    event = db.get_or_404(Event, event_id)
    require(can_view_panel(current_user, event), Message("只有组委会和本赛项裁判长可以查看裁判组。"))
    return _render(event, _form(event))


@bp.post("/<int:event_id>/panel")
@login_required
def add_judge(event_id: int):
    """Put a judge on the panel, or change the chief judge."""
    event = db.get_or_404(Event, event_id)
    require(can_manage_event(current_user, event), Message("只有组委会可以调整裁判组。"))
    form = _form(event)
    if not form.validate_on_submit():
        return _render(event, form, _("请选择要编入裁判组的裁判。"), 400)
    judge = db.session.get(User, form.user_id.data)
    with saving() as saved:
        if judge is None:
            form.user_id.errors = [_("该账户不存在。")]
            return _render(event, form, _("请选择要编入裁判组的裁判。"), 400)
        assign_judge(current_actor(), event, judge, bool(form.is_chief.data))
    if (error := saved.error) is not None:
        event = db.get_or_404(Event, event_id)
        leftover = apply_details(form, error)
        return _render(event, form, "；".join(as_text(text) for text in [error.message, *leftover]), error.status)
    if form.is_chief.data:
        flash(_("已将%(name)s设为裁判长。", name=judge.display_name), "success")
    else:
        flash(_("已将%(name)s编入裁判组。", name=judge.display_name), "success")
    return redirect(url_for("events.panel", event_id=event.id))


@bp.post("/<int:event_id>/panel/<int:member_id>/remove")
@login_required
def remove_member(event_id: int, member_id: int):
    """Take a judge off the panel (before scoring starts); a second click finds them already gone."""
    event = db.get_or_404(Event, event_id)
    require(can_manage_event(current_user, event), Message("只有组委会可以调整裁判组。"))
    member = db.session.get(PanelMember, member_id)
    if member is None:
        flash(_("该裁判已不在裁判组中。"), "info")
        return redirect(url_for("events.panel", event_id=event.id))
    if member.event_id != event.id:
        abort(404)
    name = member.user.display_name
    with saving() as saved:
        remove_judge(current_actor(), event, member)
    if (error := saved.error) is not None:
        event = db.get_or_404(Event, event_id)
        return _render(event, _form(event), error.message, error.status)
    flash(_("已将%(name)s移出裁判组。", name=name), "success")
    return redirect(url_for("events.panel", event_id=event.id))
