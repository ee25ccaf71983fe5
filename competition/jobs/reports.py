"""The season report (年度报表) as a background job (issue 22, item 2): a season's workbook, one sheet per topic, for
the whole year or one month, built off the request; the dashboard follows it and offers the file when it is ready."""
from datetime import date

from ..extensions import db
from ..i18n import as_text
from ..models import Season
from ..rules.messages import Message
from ..services.audit import Actor
from ..services.reports import figures, season_book
from ..xlsx import XLSX_MIMETYPE
from .runner import JobResult, Step, register, submit

KIND = "season_report"


def season_report_file(season: Season, month: date | None) -> tuple[bytes, str]:
    """The season's workbook (the whole year, or a month) and its file name: what the dashboard's download sends at
    once and what the job builds."""
    data = season_book.season_report(figures.season_figures(season, month))
    period = f"{month:%Y-%m}" if month else f"{season.year}"
    return data, as_text(Message("%(season)s-%(period)s-报表.xlsx", season=season.name, period=period))


def build_season_report(step: Step, season_id: int, month: str | None = None) -> JobResult:
    """The season's workbook (whole year, or the month given as YYYY-MM-01)."""
    season = db.session.get(Season, season_id)
    if season is None:
        raise LookupError(f"season {season_id} is gone")
    step.start(1)
    data, name = season_report_file(season, date.fromisoformat(month) if month else None)
    step.advance(1)
    return JobResult(data, name, XLSX_MIMETYPE)


register(KIND, build_season_report)


def season_report_job(actor: Actor, season: Season, month: date | None) -> int:
    """Queue the season's report (when the caller commits); returns the job's id."""
    return submit(KIND, {"season_id": season.id, "month": month.isoformat() if month else None}, actor=actor,
                  subject=f"season:{season.id}")
