"""Exports as background jobs (issue 22, item 2): every workbook a page or the API exports (报名名单, 签到表, 成绩册,
评分表, 技术能手名录, 奖励台账) is built by a named exporter from plain JSON parameters, the same function whether the
route sends the file at once or a job of the one kind "export" builds it. The route counts the export's rows first
(one COUNT query, `count_rows`): more than EXPORT_JOB_ROWS and the page offers the job instead of the file.

The route checks the permission when it builds the parameters, and they hold what it decided: the scope of the rows
(an enterprise's own employees), whether ID numbers are revealed (audited as the submitting user, from the address
they asked from), how names are masked and whether prizes show. The job also keeps the reader's language, for the
file's name. An exporter checks nothing again; it builds what it is told.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask_babel import force_locale, get_locale

from ..extensions import db
from ..i18n import as_text
from ..models import Entry, Event, ExpertTitle, Job, JobState, Mark, Reward, Season, User
from ..models.marks import MEASUREMENT_KEY
from ..rules.messages import Message
from ..services.audit import Actor
from ..services.events import roster
from ..services.events.entry_extras import entry_query
from ..services.events.entry_queries import Scope, roster_query, sheet_query
from ..services.jobs import is_stale
from ..services.reports.rewards import reward_register
from ..services.results import exports as result_exports
from ..services.titles.queries import register_workbook
from ..xlsx import XLSX_MIMETYPE
from .runner import JobResult, Step, register, submit

KIND = "export"


class Progress(Protocol):
    """Where an exporter reports its stages: a job's Step, or nobody (the file built in the request)."""

    def start(self, total: int) -> None:
        """The export knows its number of stages."""

    def advance(self, done: int) -> None:
        """`done` stages are finished."""


class Unwatched:
    """The progress of an export built in the request: nobody polls it."""

    def start(self, total: int) -> None:
        """Nothing to record."""

    def advance(self, done: int) -> None:
        """Nothing to record."""


@dataclass(frozen=True)
class Exporter:
    """One named export: what the job page calls it, its row counter, its builder and what its jobs are about."""

    label: Message
    count: Callable[..., int]  # count(**params) -> rows, in one COUNT query
    build: Callable[..., tuple[bytes, str]]  # build(progress, actor, **params) -> (workbook, file name)
    subject: Callable[..., str]  # subject(**params) -> e.g. "event:12:roster"


EXPORTERS: dict[str, Exporter] = {}


def _counted(select) -> int:
    """The rows of a select of entities, counted in one query."""
    return db.session.scalar(db.select(db.func.count()).select_from(select.order_by(None).subquery())) or 0


def _event(event_id: int) -> Event:
    """The event an export is about (a job may outlive it: then it fails)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError(f"event {event_id} is gone")
    return event


def _in_stages(progress: Progress, load: Callable[[], list[Entry]], write: Callable[[list[Entry]], bytes]) -> bytes:
    """Two stages, each reported: read the entries, then write the workbook."""
    progress.start(2)
    rows = load()
    progress.advance(1)
    return write(rows)


# 报名名单: the page's (roster order; the viewer's scope) and the API's (by number, then enrolment; ?reveal_ids=1)
def roster_params(event: Event, employer_id: int | None, *, numbered_only: bool = False, api: bool = False,
                  reveal_ids: bool = False) -> dict:
    """The roster export's parameters: the rows within a scope, the API's order and name, ID numbers revealed."""
    return {"event_id": event.id, "employer_id": employer_id, "numbered_only": numbered_only, "api": api,
            "reveal_ids": reveal_ids}


def _roster_select(event: Event, employer_id: int | None, numbered_only: bool, api: bool):
    """The entries of a roster export, in the order its route has always written them."""
    if api:
        return entry_query(event, own_enterprise=employer_id, numbered_only=numbered_only)
    return roster_query(event, Scope(employer_id=employer_id, numbered_only=numbered_only))


def _count_roster(event_id: int, employer_id: int | None, numbered_only: bool, api: bool, **_options) -> int:
    """The rows of a roster export."""
    return _counted(_roster_select(_event(event_id), employer_id, numbered_only, api))


def _build_roster(progress: Progress, actor: Actor, event_id: int, employer_id: int | None, numbered_only: bool,
                  api: bool, reveal_ids: bool) -> tuple[bytes, str]:
    """The roster workbook; a reveal of ID numbers is audited as the actor (services/events/roster.roster_export)."""
    event = _event(event_id)
    select = _roster_select(event, employer_id, numbered_only, api)
    data = _in_stages(progress, lambda: list(db.session.scalars(select)),
                      lambda rows: roster.roster_export(event, rows, reveal_ids=reveal_ids, actor=actor))
    if api:
        return data, as_text(Message("%(event)s-报名名单.xlsx", event=event.name))
    what = as_text(Message("报名名单"))  # the page's name: views/entries_common.xlsx_name
    return data, f"{event.name}-{what}.xlsx"


# 签到表: everyone but those who withdrew, in roster order (the organisers)
def _build_sign_in(progress: Progress, actor: Actor, event_id: int) -> tuple[bytes, str]:
    """The printable sign-in sheet."""
    event = _event(event_id)
    data = _in_stages(progress, lambda: list(db.session.scalars(sheet_query(event))),
                      lambda rows: roster.sign_in_sheet(event, rows))
    what = as_text(Message("签到表"))
    return data, f"{event.name}-{what}.xlsx"


# 成绩册 (one row per entry) and 评分表 (one row per judge and competition number)
def results_params(event: Event, reveal: str, prizes: bool) -> dict:
    """The results workbook's parameters: names in full, masked or none; prizes shown or not."""
    return {"event_id": event.id, "reveal": reveal, "prizes": prizes}


def _count_results(event_id: int, **_options) -> int:
    """The results workbook has a row for every entry of the event."""
    return db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.event_id == event_id)) or 0


def _build_results(progress: Progress, actor: Actor, event_id: int, reveal: str, prizes: bool) -> tuple[bytes, str]:
    """成绩册 as the submitting reader may see it."""
    event = _event(event_id)
    progress.start(1)
    data = result_exports.results_workbook(event, reveal, prizes=prizes)
    return data, as_text(Message("%(event)s-成绩册.xlsx", event=event.name))


def _count_mark_sheets(event_id: int) -> int:
    """A row for each judge and entry the judge marked."""
    marked = (db.select(Mark.judge_key, Mark.entry_id).where(Mark.event_id == event_id,
                                                               Mark.judge_key != MEASUREMENT_KEY).distinct())
    return _counted(marked)


def _build_mark_sheets(progress: Progress, actor: Actor, event_id: int) -> tuple[bytes, str]:
    """评分表, one sheet per judge."""
    event = _event(event_id)
    progress.start(1)
    return (result_exports.mark_sheets_workbook(event),
            as_text(Message("%(event)s-评分表.xlsx", event=event.name)))


# 技术能手名录 of a year, 奖励台账 of a season (the organisers)
def _count_experts(year: int) -> int:
    """The year's title holders."""
    return db.session.scalar(db.select(db.func.count(ExpertTitle.id)).where(ExpertTitle.year == year)) or 0


def _build_experts(progress: Progress, actor: Actor, year: int) -> tuple[bytes, str]:
    """The year's register for the official announcement (full names, no ID numbers)."""
    progress.start(1)
    return register_workbook(year), as_text(Message("%(year)s年度技术能手名录.xlsx", year=year))


def _count_rewards(season_id: int) -> int:
    """The season's rewards (the register adds a total row)."""
    return db.session.scalar(db.select(db.func.count(Reward.id)).where(Reward.season_id == season_id)) or 0


def _build_rewards(progress: Progress, actor: Actor, season_id: int) -> tuple[bytes, str]:
    """The season's reward register, as a finance office files it."""
    season = db.session.get(Season, season_id)
    if season is None:
        raise LookupError(f"season {season_id} is gone")
    progress.start(1)
    return reward_register(season), as_text(Message("%(year)s年度奖励台账.xlsx", year=season.year))


EXPORTERS.update({
    "roster": Exporter(Message("报名名单"), _count_roster, _build_roster,
                       lambda event_id, **_: f"event:{event_id}:roster"),
    "sign_in_sheet": Exporter(Message("签到表"), lambda event_id: _counted(sheet_query(_event(event_id))),
                              _build_sign_in, lambda event_id: f"event:{event_id}:sign-in-sheet"),
    "results": Exporter(Message("成绩册"), _count_results, _build_results,
                        lambda event_id, **_: f"event:{event_id}:results"),
    "mark_sheets": Exporter(Message("评分表"), _count_mark_sheets, _build_mark_sheets,
                            lambda event_id: f"event:{event_id}:mark-sheets"),
    "experts": Exporter(Message("技术能手名录"), _count_experts, _build_experts, lambda year: f"experts:{year}"),
    "rewards": Exporter(Message("奖励台账"), _count_rewards, _build_rewards,
                        lambda season_id: f"season:{season_id}:rewards"),
})


def count_rows(exporter: str, params: dict) -> int:
    """How many rows the export would write (one COUNT query): the route's choice between the file and a job."""
    return EXPORTERS[exporter].count(**params)


def build_export(exporter: str, params: dict, actor: Actor, progress: Progress | None = None) -> tuple[bytes, str]:
    """The export's workbook and file name, built now (in the request, or by its job)."""
    return EXPORTERS[exporter].build(progress or Unwatched(), actor, **params)


def run_export(step: Step, exporter: str, params: dict, user_id: int | None, address: str | None,
               locale: str) -> JobResult:
    """The job: the export built as the user who submitted it, its file named in their language."""
    user = db.session.get(User, user_id) if user_id is not None else None
    with force_locale(locale):
        data, name = build_export(exporter, params, Actor(user, address), step)
    return JobResult(data, name, XLSX_MIMETYPE)


register(KIND, run_export)


def export_label(job: Job) -> Message | None:
    """What an export job's page calls its file (None for a job of another kind)."""
    spec = EXPORTERS.get(str(job.args.get("exporter"))) if job.kind == KIND else None
    return spec.label if spec is not None else None


def export_job(actor: Actor, exporter: str, params: dict) -> int:
    """Queue the export for the actor (when the caller commits), unless the same one of theirs is still queued or
    running (a second click); returns the job's id."""
    args = {"exporter": exporter, "params": params, "user_id": actor.user_id, "address": actor.client_address,
            "locale": str(get_locale() or "zh_CN")}
    subject = EXPORTERS[exporter].subject(**params)
    alive = db.session.scalars(db.select(Job).where(
        Job.kind == KIND, Job.subject == subject, Job.owner_id == actor.user_id,
        Job.state.in_((JobState.QUEUED, JobState.RUNNING))).order_by(Job.id.desc()))
    same = next((job for job in alive if job.args == args and not is_stale(job)), None)
    return same.id if same is not None else submit(KIND, args, actor=actor, subject=subject)
