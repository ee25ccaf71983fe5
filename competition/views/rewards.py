"""Reward pages (RULES.md §16): a season's rewards (an enterprise user: its own), an organiser's reward for an
organising unit, one reward with its decisions (as subsidy claims are decided), and the season's reward register."""
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.events import choice
from ..forms.rewards import UNIT_TOWN, OrganisingRewardForm, RejectRewardForm, RewardFilters, RewardPaymentForm
from ..models import REWARD_KIND_LABELS, REWARD_STATE_LABELS, Enterprise, Reward, Season
from ..permissions import (can_decide_rewards, can_list_rewards, can_view_competition, can_view_person,
                           can_view_reward, is_staff, require)
from ..rules.league import LEVELS
from ..rules.messages import Message
from ..services.league import rewards as service
from ..services.money.budget import committed, committed_parts
from ..services.reports import money as report_money
from ..services.reports.rewards import reward_people
from . import labels
from ..services.towns import town_names
from .blueprints import rewards as bp
from .common import apply_details, guard, page_filters, page_number, render_failed, render_invalid, saving
from .jobs import offer_export
from .main import current_season

bp.before_request(guard(can_list_rewards, Message("只有组委会和企业用户可以查看奖励。")))
# No menu item of its own: the menu's 选送与奖励 (competitions.index) leads here by its tabs.
KIND_NAMES = {kind.value: _l(label) for kind, label in REWARD_KIND_LABELS.items()}
STATE_NAMES = {state.value: _l(label) for state, label in REWARD_STATE_LABELS.items()}
LEVEL_NAMES = {code: _l(label) for code, label in LEVELS.items()}
STATE_STYLES = {"proposed": "text-bg-warning", "approved": "text-bg-primary", "paid": "text-bg-success",
                "rejected": "text-bg-secondary"}
PER_PAGE = 50

labels.ACTION_LABELS.update({"reward.propose": _l("提出奖励建议"), "reward.withdraw": _l("撤回奖励建议"),
                             "reward.approve": _l("批准奖励"), "reward.reject": _l("驳回奖励"),
                             "reward.pay": _l("登记奖励拨付")})
labels.OBJECT_LABELS.setdefault("Reward", _l("奖励"))


@bp.app_context_processor
def _helpers() -> dict:
    """Reward names and styles, and an enterprise's rewards (its dashboard lists them beside its claims)."""
    return {"REWARD_KIND_NAMES": KIND_NAMES, "REWARD_STATE_NAMES": STATE_NAMES, "REWARD_STATE_STYLES": STATE_STYLES,
            "enterprise_rewards": report_money.enterprise_rewards}


def _seasons() -> list[Season]:
    """Every season, newest first (the pickers)."""
    return list(db.session.scalars(db.select(Season).order_by(Season.year.desc())))


def _budget(season: Season) -> dict:
    """The season's budget line: budget, each part committed, committed, remaining."""
    spent = committed(season.id)
    return {"budget": season.budget, "parts": committed_parts(season.id), "committed": spent,
            "remaining": season.budget - spent}


@bp.get("")
@login_required
def index():
    """A season's rewards with their totals by state (organisers: every reward and the budget; enterprises: their own)."""
    typed = page_filters(RewardFilters)
    seasons = _seasons()
    season = db.get_or_404(Season, typed.season) if typed.season else current_season()
    staff = is_staff(current_user)
    rewards: list[Reward] = []
    if season is not None:
        wanted = service.RewardFilter(typed.state.value if typed.state else None,
                                      typed.kind.value if typed.kind else None,
                                      None if staff else current_user.enterprise_id)
        rewards = service.season_rewards(season.id, wanted)
    return render_template("rewards/index.html", season=season, seasons=seasons, staff=staff, rewards=rewards,
                           page=_page_of(rewards), totals=service.reward_totals(rewards),
                           budget=_budget(season) if staff and season is not None else None)


class _ListPage(Pagination):
    """One page of a list already loaded (a season holds a few hundred rewards, and the totals need them all)."""

    def _query_items(self) -> list:
        return self._query_args["rows"][self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def _page_of(rewards: list[Reward]) -> Pagination:
    """The page the query string asks for, PER_PAGE rows (an absurd page is an empty page)."""
    return _ListPage(page=page_number(), per_page=PER_PAGE, max_per_page=None, error_out=False, rows=rewards)


def _towns() -> list[str]:
    """The league's towns, in the list's order."""
    return town_names()


def _new_form() -> OrganisingRewardForm:
    """The organising-unit form with its choices; the current season chosen at first."""
    form = OrganisingRewardForm()
    form.season_id.choices = [choice("", _("请选择联赛年度"))] + [choice(s.id, s.name) for s in _seasons()]
    enterprises = db.session.scalars(db.select(Enterprise).order_by(Enterprise.name)).all()
    form.enterprise_id.choices = [choice("", _("请选择企业"))] + [choice(e.id, e.name) for e in enterprises]
    form.town.choices = [choice("", _("请选择镇区"))] + [choice(t, t) for t in _towns()]
    if not form.is_submitted() and (season := current_season()) is not None:
        form.season_id.data = season.id
    return form


def _proposal(form: OrganisingRewardForm) -> service.OrganisingReward:
    """The typed proposal: the enterprise or the town, as the unit type says."""
    town = form.unit.data == UNIT_TOWN
    return service.OrganisingReward(season_id=form.season_id.data, amount=form.amount.data, basis=form.basis.data,
                                    enterprise_id=None if town else form.enterprise_id.data,
                                    town=(form.town.data or None) if town else None)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Propose a reward for an organising unit: an enterprise or a town's organising body."""
    require(can_decide_rewards(current_user), Message("只有组委会可以提出组织单位奖励。"))
    form = _new_form()
    if not form.validate_on_submit():
        return render_invalid("rewards/new.html", form)
    with saving() as saved:
        reward = service.propose_organising_reward(current_actor(), _proposal(form))
    if (error := saved.error) is not None:
        return render_failed("rewards/new.html", form, error)
    flash(_("已提出组织单位奖励，待审批。"), "success")
    return redirect(url_for("rewards.detail", reward_id=reward.id))


@bp.route("/register.xlsx", methods=["GET", "POST"])
@login_required
def register():
    """The season's reward register (.xlsx), as a finance office files it; a large one is built in the background."""
    require(can_decide_rewards(current_user), Message("只有组委会可以导出奖励台账。"))
    typed = page_filters(RewardFilters)
    season = db.get_or_404(Season, typed.season) if typed.season else current_season()
    if season is None:
        flash(_("尚未创建联赛年度。"), "warning")
        return redirect(url_for("rewards.index"))
    return offer_export("rewards", {"season_id": season.id}, back=url_for("rewards.index", season=season.id),
                        ascii_name=f"rewards-{season.year}.xlsx")


def _reward(reward_id: int) -> Reward:
    """The reward, or 404; then the viewer's right to it, or 403."""
    reward = db.get_or_404(Reward, reward_id)
    require(can_view_reward(current_user, reward), Message("只能查看本企业的奖励。"))
    return reward


def _detail(reward: Reward, error: str | None = None, status: int = 200, reject=None, pay=None, unsaved=None):
    """One reward with its history and, for organisers, the decision forms and the season's budget; `unsaved` is a
    decision refused because someone decided first, whose typed values the page shows so nothing is lost."""
    deciding = can_decide_rewards(current_user)
    season = db.session.get(Season, reward.season_id)
    delegate = reward.delegate
    return render_template(
        "rewards/detail.html", reward=reward, season=season, error=error, staff=deciding,
        names=reward_people(reward), budget=_budget(season) if deciding and season is not None else None,
        level_names=LEVEL_NAMES, person_url=url_for("persons.detail", person_id=reward.person_id)
        if reward.person_id and can_view_person(current_user) else None,
        competition_url=url_for("competitions.detail", competition_id=delegate.competition_id)
        if delegate is not None and can_view_competition(current_user, delegate.competition) else None,
        reject_form=reject or RejectRewardForm(formdata=None), pay_form=pay or RewardPaymentForm(formdata=None),
        unsaved=unsaved), status


@bp.get("/<int:reward_id>")
@login_required
def detail(reward_id: int):
    """A reward: whom it goes to, on what basis, where it came from, and every decision."""
    return _detail(_reward(reward_id))


def _deciding(reward_id: int) -> Reward:
    """The reward, for the organisers who decide it."""
    reward = _reward(reward_id)
    require(can_decide_rewards(current_user), Message("只有组委会可以审批奖励。"))
    return reward


def _refused(reward_id: int, error: AppError, form=None, **forms) -> tuple[str, int]:
    """The reward's page again with the reason a decision was refused (each problem also under its field)."""
    if form is not None:
        apply_details(form, error)
    unsaved = form if form is not None and error.code == "invalid_reward_state" else None
    return _detail(db.get_or_404(Reward, reward_id), error=error.message, status=error.status, unsaved=unsaved,
                   **forms)


def _decided(reward_id: int, message: str) -> Response:
    """Back to the reward, with what was decided."""
    flash(message, "success")
    return redirect(url_for("rewards.detail", reward_id=reward_id))


@bp.post("/<int:reward_id>/approve")
@login_required
def approve(reward_id: int):
    """Approve a proposed reward within the season's budget."""
    reward = _deciding(reward_id)
    with saving() as saved:
        service.approve_reward(current_actor(), reward)
    if saved.error is not None:
        return _refused(reward_id, saved.error)
    return _decided(reward_id, _("已批准奖励，金额 %(amount)s 元。", amount=format(reward.amount, ",")))


@bp.post("/<int:reward_id>/reject")
@login_required
def reject(reward_id: int):
    """Reject a proposed reward with a reason."""
    reward = _deciding(reward_id)
    form = RejectRewardForm()
    if not form.validate_on_submit():
        return _detail(reward, error=_("请检查填写的内容。"), status=400, reject=form)
    with saving() as saved:
        service.reject_reward(current_actor(), reward, form.reason.data or "")
    if saved.error is not None:
        return _refused(reward_id, saved.error, form, reject=form)
    return _decided(reward_id, _("已驳回奖励。"))


@bp.post("/<int:reward_id>/pay")
@login_required
def pay(reward_id: int):
    """Record the payment of an approved reward."""
    reward = _deciding(reward_id)
    form = RewardPaymentForm()
    if not form.validate_on_submit():
        return _detail(reward, error=_("请检查填写的内容。"), status=400, pay=form)
    with saving() as saved:
        service.pay_reward(current_actor(), reward, form.paid_on.data, form.voucher.data or "")
    if saved.error is not None:
        return _refused(reward_id, saved.error, form, pay=form)
    return _decided(reward_id, _("已登记奖励拨付。"))

