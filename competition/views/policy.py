"""Policy versions: the history for staff; administrators add a version effective from a date and may edit
a future version no decision has used (a change to a version in force or used is a new version). A version also holds
the league's standings points and reward schedule (RULES.md §16), edited here with its figures."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.league import points_form_data, rewards_posted, schedule_form_data, typed_schedule
from ..forms.prizes import rows_posted, tier_data, typed_tiers
from ..forms.subsidy import PolicyForm
from ..models import FOUNDING_FIGURES, PolicyVersion
from ..permissions import can_manage_policy, can_view_policy, require
from ..services import policy as policy_service
from ..services.marking.facts import beijing_today
from ..rules.messages import Message
from ..rules.league import points_from_data, schedule_from_data
from ..rules.prizes import default_tiers_data, describe_tiers, tiers_from_data
from .common import guard, render_failed, render_invalid, saving
from .labels import MONEY_FIGURES, POLICY_COLUMNS
from .nav import NavItem, add_nav
from .blueprints import policy as bp

bp.before_request(guard(can_view_policy, Message("只有系统管理员和组委会可以查看政策参数。")))
add_nav(NavItem(_l("政策参数"), "policy.index", can_view_policy, order=95))


@bp.get("")
def index():
    """The policy version history, newest first; which versions decisions used, and which may be edited."""
    today = beijing_today()
    versions = policy_service.list_policy_versions()
    uses = {v.id: policy_service.policy_uses(v.id) for v in versions}
    in_force = policy_service.policy_in_force(today)
    return render_template("policy/index.html", versions=versions, columns=POLICY_COLUMNS,
                           tiers={v.id: describe_tiers(tiers_from_data(v.prize_tiers)) for v in versions},
                           points={v.id: points_from_data(v.standing_points) for v in versions},
                           tier_names={v.id: [t.name for t in tiers_from_data(v.prize_tiers)] for v in versions},
                           schedules={v.id: schedule_from_data(v.rewards) for v in versions},
                           money_figures=MONEY_FIGURES, uses=uses, in_force=in_force.id if in_force else None,
                           editable={v.id for v in versions if v.effective_from > today and not uses[v.id]},
                           manage=can_manage_policy(current_user))


def _data(form: PolicyForm, base: PolicyVersion | None) -> policy_service.PolicyData:
    """The typed version. Blank tier rows are left out (every row blank is refused: a version needs its tiers); a post
    without the tier rows at all keeps the version's tiers, or a new version takes those of the one it follows. The
    standings points and the reward schedule likewise (blank schedule rows are left out; every row blank: no
    schedule); prize points beyond the third tier, which only the API sets, are kept from `base`."""
    posted = rows_posted(form.prize_tiers)
    points = None
    if form.points.form.posted():
        extra = points_from_data(base.standing_points).prizes[3:] if base is not None else ()
        points = form.points.form.to_data(extra)
    rewards = typed_schedule(form.reward_rows)[0] if rewards_posted(form.reward_rows) else None
    return policy_service.PolicyData(form.effective_from.data, {n: getattr(form, n).data for n in FOUNDING_FIGURES},
                                     form.note.data, typed_tiers(form.prize_tiers) if posted else None,
                                     standing_points=points, rewards=rewards)


def _form(version: PolicyVersion | None) -> PolicyForm:
    """The form with a version's figures, tiers, points and schedule (the league's defaults without one)."""
    form = PolicyForm(obj=version)
    if not form.is_submitted():
        form.prize_tiers.process(None, tier_data(version.prize_tiers if version else default_tiers_data()))
        form.points.process(None, points_form_data(version.standing_points if version else None))
        form.reward_rows.process(None, schedule_form_data(version.rewards if version else []))
    return form


def _valid(form: PolicyForm) -> bool:
    """Field validation, then the points: when posted, each one must be filled in (0 to the maximum)."""
    valid = form.validate_on_submit()
    if form.is_submitted() and form.points.form.posted() and form.points.form.problems():
        return False
    return valid


_ROW = re.compile(r"rewards\[([0-9]+)\](?:\.([a-z_]+))?")
_POINTS = {"standing_points": "prize_1", "standing_points.prizes": "prize_1",
           "standing_points.participant": "participant", "standing_points.hosted_event": "hosted_event"}


def _league_details(form: PolicyForm, error: AppError) -> None:
    """Put the service's problems with the points and the schedule under their fields and rows (the schedule's lines
    are numbered as sent: blank rows were left out); the rest stay for render_failed."""
    _, where = typed_schedule(form.reward_rows)
    rest = []
    for detail in error.details or []:
        name, message = detail.get("field") or "", detail.get("message", "")
        row = _ROW.fullmatch(name)
        if name in _POINTS:
            target = form.points.form[_POINTS[name]]
        elif name == "rewards":
            target = form.reward_rows
        elif row is not None and int(row.group(1)) < len(where):
            cells = form.reward_rows.entries[where[int(row.group(1))]].form
            target = cells[row.group(2)] if row.group(2) in cells._fields else cells.prize
        else:
            rest.append(detail)
            continue
        if message not in target.errors:
            target.errors = [*target.errors, message]
    error.details = rest


def _backdated(error: AppError) -> dict:
    """A back-dated version waiting for its confirmation: the events it would govern, and the checkbox."""
    if error.code != "confirm_backdated":
        return {}
    governed = [d for d in error.details or [] if d.get("event_id")]
    error.details = []  # listed above the checkbox, not as field errors
    return {"confirm_backdated": True, "governed": governed}


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Add a version effective from a date, starting from the figures in force today."""
    require(can_manage_policy(current_user), Message("只有系统管理员可以维护政策参数。"))
    base = policy_service.policy_in_force(beijing_today())
    form = _form(base)
    if not form.is_submitted():
        form.effective_from.data, form.note.data = None, None
    if not _valid(form):
        return render_invalid("policy/form.html", form, version=None)
    with saving() as saved:
        version = policy_service.create_policy_version(current_actor(), _data(form, base), beijing_today(),
                                                       confirm_backdated=bool(form.confirm_backdated.data))
    if (error := saved.error) is not None:
        _league_details(form, error)
        return render_failed("policy/form.html", form, error, version=None, **_backdated(error))
    flash(_("已新增 %(date)s 起施行的政策版本。", date=version.effective_from.isoformat()), "success")
    return redirect(url_for("policy.index"))


@bp.route("/<int:version_id>/edit", methods=["GET", "POST"])
def edit(version_id: int):
    """Edit a future version that no decision has used."""
    version = db.get_or_404(PolicyVersion, version_id)
    require(can_manage_policy(current_user), Message("只有系统管理员可以维护政策参数。"))
    if request.method == "GET" and not policy_service.editable(version, beijing_today()):
        flash(_("该版本已经生效或已被决定采用，不能修改；如需调整，请新增一个版本。"), "warning")
        return redirect(url_for("policy.index"))
    form = _form(version)
    if not _valid(form):
        return render_invalid("policy/form.html", form, version=version)
    with saving() as saved:
        policy_service.update_policy_version(current_actor(), version, _data(form, version), beijing_today(),
                                             confirm_backdated=bool(form.confirm_backdated.data))
    if (error := saved.error) is not None:
        _league_details(form, error)
        version = db.get_or_404(PolicyVersion, version_id)
        return render_failed("policy/form.html", form, error, version=version, **_backdated(error))
    flash(_("已保存政策版本。"), "success")
    return redirect(url_for("policy.index"))
