"""Higher-level competitions and their delegates (选送, RULES.md §16).

Organisers record the competitions beyond the district, send delegates to them (every prize winner of a final league
event in one action, one contestant of such an event, or a person by ID number, each with a sending enterprise), take
a delegate off the list before a result, and record each delegate's result, which proposes the rewards of the policy
version's schedule. An enterprise user sees the delegates its enterprise sent, and a competition it sent someone to
(its own delegates only)."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.league import (CompetitionFilters, CompetitionForm, EntryDelegateForm, PersonDelegateForm, ResultForm,
                            WinnersForm)
from ..i18n import as_text
from ..models import Delegate, Enterprise, Event, EventStatus, ExternalCompetition, Reward, Season
from ..permissions import can_manage_competitions, can_view_competition, can_view_delegates, is_staff, require
from ..rules.league import LEVELS
from ..rules.messages import Message, clauses
from ..services.league import delegates as delegate_service
from ..services.results.objection_review import entry_choices
from . import labels
from .common import apply_details, guard, page_filters, render_failed, render_invalid, saving
from .filters import yuan
from .main import current_season
from .nav import NavItem, add_nav
from .blueprints import competitions as bp

bp.before_request(guard(can_view_delegates, Message("只有组委会和企业用户可以查看选送情况。")))
add_nav(NavItem(_l("选送与奖励"), "competitions.index", can_view_delegates, order=44))
MANAGE_ONLY = Message("只有组委会可以登记赛事和选送选手。")

labels.ACTION_LABELS.update({
    "competition.create": _l("登记上级赛事"),
    "delegate.add": _l("选送选手"),
    "delegate.add_winners": _l("选送赛项获奖选手"),
    "delegate.remove": _l("移出选送名单"),
    "delegate.result": _l("登记选送选手成绩"),
})
labels.OBJECT_LABELS.setdefault("ExternalCompetition", _l("上级赛事"))
labels.OBJECT_LABELS.setdefault("Delegate", _l("选送选手"))


def league_url(endpoint: str, **values) -> str | None:
    """The address of one of the league's pages, None when the app serves no such page."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


@bp.app_context_processor
def _helpers() -> dict:
    """The competition levels' names and the league's links for every template."""
    return {"COMPETITION_LEVELS": LEVELS, "league_url": league_url}


def _seasons() -> list[Season]:
    """Every season, latest first (the pickers)."""
    return list(db.session.scalars(db.select(Season).order_by(Season.year.desc())))


def _enterprises() -> list[Enterprise]:
    """Every enterprise by name (the sending enterprise selects)."""
    return list(db.session.scalars(db.select(Enterprise).order_by(Enterprise.name)))


@bp.get("")
def index():
    """Staff: a season's competitions; an enterprise user: the delegates its enterprise sent."""
    user = current_user._get_current_object()
    if not is_staff(user):
        delegates = delegate_service.delegates_of(enterprise_id=user.enterprise_id)
        return render_template("competitions/enterprise.html", delegates=delegates)
    wanted = page_filters(CompetitionFilters)
    seasons = _seasons()
    season = next((s for s in seasons if s.id == wanted.season), None) or current_season()
    competitions = delegate_service.competitions(season.id) if season is not None else []
    return render_template("competitions/index.html", seasons=seasons, season=season, competitions=competitions,
                           counts=delegate_service.delegate_counts(competitions), manage=can_manage_competitions(user))


def _competition_form() -> CompetitionForm:
    """The form with its season choices (the current season chosen on a fresh form)."""
    form = CompetitionForm()
    seasons = _seasons()
    form.season_id.choices = [("", _("请选择联赛年度"))] + [(str(s.id), s.name) for s in seasons]
    if not form.is_submitted():
        current = current_season()
        form.season_id.data = current.id if current is not None else None
    return form


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Record a competition beyond the district."""
    require(can_manage_competitions(current_user), MANAGE_ONLY)
    form = _competition_form()
    if not form.validate_on_submit():
        return render_invalid("competitions/new.html", form)
    data = delegate_service.CompetitionData(form.season_id.data, form.name.data, form.level.data,
                                            form.occupation.data, form.held_on.data, form.organised_by.data)
    with saving() as saved:
        competition = delegate_service.create_competition(current_actor(), data)
    if (error := saved.error) is not None:
        return render_failed("competitions/new.html", form, error)
    flash(_("已登记赛事「%(name)s」，请选送选手。", name=competition.name), "success")
    return redirect(url_for("competitions.detail", competition_id=competition.id))


def _competition(competition_id: int) -> ExternalCompetition:
    """The competition, or 404; then the viewer's right to it, or 403."""
    competition = db.get_or_404(ExternalCompetition, competition_id)
    require(can_view_competition(current_user, competition), Message("只能查看本企业选送了选手的赛事。"))
    return competition


def _managed(competition_id: int) -> ExternalCompetition:
    """The competition, for the organisers who send its delegates."""
    require(can_manage_competitions(current_user), MANAGE_ONLY)
    return _competition(competition_id)


def _fill(forms: dict, competition: ExternalCompetition, event: Event | None) -> dict:
    """The detail page's action forms, with their choices."""
    finals = delegate_service.final_events(competition.season_id)
    enterprises = [("", _("（按工作单位）"))] + [(str(e.id), e.name) for e in _enterprises()]
    winners = forms.get("winners") or WinnersForm(formdata=None)
    winners.event_id.choices = [("", _("请选择赛项"))] + [(str(e.id), f"{e.name}（{e.event_date.isoformat()}）")
                                                       for e in finals]
    if event is not None and winners.event_id.data is None:
        winners.event_id.data = event.id
    entry = forms.get("entry") or EntryDelegateForm(formdata=None)
    choices = entry_choices(event) if event is not None else []
    entry.entry_id.choices = [("", _("请选择选手"))] + [
        (str(c.entry_id), f"{c.number} {c.name}" + (f"（{c.employer}）" if c.employer else "")) for c in choices]
    entry.sending_enterprise_id.choices = enterprises
    person = forms.get("person") or PersonDelegateForm(formdata=None)
    person.sending_enterprise_id.choices = enterprises
    return {"finals": finals, "winners_form": winners, "entry_form": entry, "person_form": person}


def _chosen_event(competition: ExternalCompetition, event_id: int | None) -> Event | None:
    """The final event of the competition's season whose entries the page offers (None: none chosen)."""
    if event_id is None:
        return None
    event = db.session.get(Event, event_id)
    if event is None or event.season_id != competition.season_id or event.status is not EventStatus.FINAL:
        return None
    return event


def _detail(competition: ExternalCompetition, error=None, status: int = 200, event_id: int | None = None, **forms):
    """The competition, its delegates (an enterprise user's own only) and, for organisers, the actions."""
    user = current_user._get_current_object()
    manage = can_manage_competitions(user)
    delegates = delegate_service.delegates_of(competition_id=competition.id,
                                              enterprise_id=None if is_staff(user) else user.enterprise_id)
    if event_id is None:
        event_id = page_filters(CompetitionFilters).event
    event = _chosen_event(competition, event_id) if manage else None
    context = _fill(forms, competition, event) if manage else {}
    return render_template("competitions/detail.html", competition=competition, delegates=delegates,
                           rewards=delegate_service.rewards_by_delegate(delegates),
                           sources=delegate_service.entry_sources(delegates), manage=manage, event=event,
                           error=error, **context), status


@bp.get("/<int:competition_id>")
def detail(competition_id: int):
    """One competition and its delegates."""
    return _detail(_competition(competition_id))


def _refused(competition_id: int, error: AppError, name: str | None = None, form=None, event_id: int | None = None):
    """The competition's page again with the reason an action was refused (each problem also under its field)."""
    if form is not None:
        apply_details(form, error)
    competition = db.get_or_404(ExternalCompetition, competition_id)
    return _detail(competition, error=error.message, status=error.status, event_id=event_id,
                   **({name: form} if name else {}))


@bp.post("/<int:competition_id>/winners")
def add_winners(competition_id: int):
    """Send every prize winner of a final league event of the season in one action."""
    competition = _managed(competition_id)
    form = WinnersForm()
    if not form.validate_on_submit():
        return _detail(competition, error=_("请检查填写的内容。"), status=400, winners=form)
    event = _chosen_event(competition, form.event_id.data)
    if event is None:
        form.event_id.errors = [*form.event_id.errors, _("请选择本联赛年度成绩已确认的赛项。")]
        return _detail(competition, error=_("请检查填写的内容。"), status=400, winners=form)
    with saving() as saved:
        added = delegate_service.add_event_winners(current_actor(), competition, event)
    if saved.error is not None:
        return _refused(competition_id, saved.error, "winners", form, event_id=event.id)
    if added:
        flash(_("已从「%(event)s」选送 %(count)s 名获奖选手。", event=event.name, count=len(added)), "success")
    else:
        flash(_("「%(event)s」没有可选送的获奖选手（已在名单中或没有工作单位的不重复添加）。", event=event.name), "warning")
    return redirect(url_for("competitions.detail", competition_id=competition_id, event=event.id))


@bp.post("/<int:competition_id>/entries")
def add_entry(competition_id: int):
    """Send one contestant of a final league event, by their employer or the enterprise chosen."""
    competition = _managed(competition_id)
    form = EntryDelegateForm()
    event_id = page_filters(CompetitionFilters).event
    if not form.validate_on_submit():
        return _detail(competition, error=_("请检查填写的内容。"), status=400, event_id=event_id, entry=form)
    with saving() as saved:
        delegate = delegate_service.add_from_entry(current_actor(), competition, form.entry_id.data,
                                                   form.sending_enterprise_id.data)
    if saved.error is not None:
        return _refused(competition_id, saved.error, "entry", form, event_id=event_id)
    flash(_("已选送 %(name)s。", name=delegate.person.name), "success")
    return redirect(url_for("competitions.detail", competition_id=competition_id, event=event_id))


@bp.post("/<int:competition_id>/persons")
def add_person(competition_id: int):
    """Send a person by ID number and name."""
    competition = _managed(competition_id)
    form = PersonDelegateForm()
    if not form.validate_on_submit():
        return _detail(competition, error=_("请检查填写的内容。"), status=400, person=form)
    with saving() as saved:
        delegate = delegate_service.add_by_id_number(current_actor(), competition, form.id_number.data,
                                                     form.name.data, form.sending_enterprise_id.data)
    if saved.error is not None:
        return _refused(competition_id, saved.error, "person", form)
    flash(_("已选送 %(name)s。", name=delegate.person.name), "success")
    return redirect(url_for("competitions.detail", competition_id=competition_id))


def _delegate(delegate_id: int) -> Delegate:
    """A delegate, for the organisers (404 when there is none)."""
    require(can_manage_competitions(current_user), MANAGE_ONLY)
    return db.get_or_404(Delegate, delegate_id)


@bp.post("/delegates/<int:delegate_id>/remove")
def remove(delegate_id: int):
    """Take a delegate off the list (refused once a result is recorded)."""
    delegate = _delegate(delegate_id)
    competition_id, name = delegate.competition_id, delegate.person.name
    with saving() as saved:
        delegate_service.remove_delegate(current_actor(), delegate)
    if saved.error is not None:
        return _refused(competition_id, saved.error)
    flash(_("已将 %(name)s 移出选送名单。", name=name), "success")
    return redirect(url_for("competitions.detail", competition_id=competition_id))


def _result_page(delegate: Delegate, form: ResultForm, error=None, status: int = 200):
    """A delegate's result form, with the rewards its result proposed."""
    rewards = delegate_service.rewards_by_delegate([delegate]).get(delegate.id, [])
    return render_template("competitions/result.html", delegate=delegate, competition=delegate.competition,
                           form=form, rewards=rewards, decided=any(r.state.value != "proposed" for r in rewards),
                           error=error), status


def _proposed_text(rewards: list[Reward]) -> str:
    """What the schedule proposed, for the flash."""
    if not rewards:
        return _("按奖励标准，该成绩没有奖励。")
    return _("已提出奖励建议：%(rewards)s（待审批）。", rewards=as_text(clauses(
        f"{as_text(r.kind_label)} {r.name} {yuan(r.amount)}" for r in rewards)))


@bp.route("/delegates/<int:delegate_id>/result", methods=["GET", "POST"])
def result(delegate_id: int):
    """Record (or correct, while its rewards are only proposed) a delegate's result."""
    delegate = _delegate(delegate_id)
    form = ResultForm()
    if not form.is_submitted():
        if delegate.result_recorded_at is not None:
            form.show(delegate.result_prize, delegate.result_rank)
        return _result_page(delegate, form)
    if not form.validate():
        return _result_page(delegate, form, error=_("请检查填写的内容。"), status=400)
    with saving() as saved:
        proposed = delegate_service.record_result(current_actor(), delegate, form.chosen_prize(), form.rank.data)
        text = _proposed_text(proposed)
    if (error := saved.error) is not None:
        apply_details(form, error)
        return _result_page(db.get_or_404(Delegate, delegate_id), form, error=error.message, status=error.status)
    flash(_("已登记 %(name)s 的比赛成绩。", name=delegate.person.name) + text, "success")
    return redirect(url_for("competitions.detail", competition_id=delegate.competition_id))
