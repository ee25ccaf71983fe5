"""The season report (年度报表) as a background job (issue 22, item 2): a season's workbook, one sheet per topic, for
the whole year or one month, built off the request; the dashboard follows it and offers the file when it is ready."""
from datetime import date

from ..extensions import db
from ..models import Season
from ..rules.messages import Message
from ..services.audit import Actor
from ..services.reports import figures, season_book
from .runner import JobResult, Step, register, submit

KIND = "season_report"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_season_report(step: Step, season_id: int, month: str | None = None) -> JobResult:
    """The season's workbook (whole year, or the month given as YYYY-MM-01)."""
    season = db.session.get(Season, season_id)
    if season is None:
        raise LookupError(f"season {season_id} is gone")
    step.start(1)
    chosen = date.fromisoformat(month) if month else None
    data = season_book.season_report(figures.season_figures(season, chosen))
    step.advance(1)
    period = f"{chosen:%Y-%m}" if chosen else f"{season.year}"
    return JobResult(data, str(Message("%(season)s-%(period)s-报表.xlsx", season=season.name, period=period)), XLSX)


register(KIND, build_season_report)


def season_report_job(actor: Actor, season: Season, month: date | None) -> int:
    """Queue the season's report (when the caller commits); returns the job's id."""
    return submit(KIND, {"season_id": season.id, "month": month.isoformat() if month else None}, actor=actor,
                  subject=f"season:{season.id}")
