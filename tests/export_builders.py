"""Builders for the export tests (tests/test_export_jobs.py, tests/test_api_export_jobs.py): a roster of two
enterprises' employees, a workbook read back as plain rows, and a finished export job waited for."""
import io

from openpyxl import load_workbook

from competition.extensions import db
from competition.jobs import runner_for
from competition.models import Job
from tests.builders import make_entry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def enrol_staff(event, firms: dict, host: int = 3, other: int = 2) -> None:
    """`host` registered employees of the host enterprise and `other` of the other one, committed."""
    for firm, count in ((firms["host"], host), (firms["other"], other)):
        for _ in range(count):
            make_entry(event, None, "registered", employer=firm)
    db.session.commit()


def sheets(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet of a workbook as its rows of cell values."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    finally:
        book.close()


def finished(app, job_id: int) -> Job:
    """Wait for the jobs the requests started, then read the job afresh."""
    assert runner_for(app).wait(timeout=60)
    db.session.expire_all()
    return db.session.get_one(Job, job_id)
