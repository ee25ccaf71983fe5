"""The season report as a background job (issue 22, item 2): from the dashboard (the page follows the job and offers
the file) or the API (202, then poll, then download); the organisers only."""
import io

from openpyxl import load_workbook

from competition.jobs import runner_for
from competition.models import Role
from tests.builders import make_season, make_user
from tests.clients import bearer, login


def _sheets(data: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    names = workbook.sheetnames
    workbook.close()
    return names


def test_the_dashboard_builds_the_report_in_the_background_and_offers_it(app, client, db):
    season, organiser = make_season(year=2026), make_user(Role.ORGANISER)
    db.session.commit()
    login(client, organiser)
    started = client.post(f"/seasons/{season.id}/report-jobs?month=2026-11")
    assert started.status_code == 302 and "job=" in started.headers["Location"]
    assert runner_for(app).wait(timeout=60)
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'data-job-state="done"' in page and "已生成，可以下载。" in page and "js/jobs.js" in page
    download = page.split('data-job-download href="')[1].split('"')[0]
    answer = client.get(download)
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert "2026-11" in answer.headers["Content-Disposition"] and ".xlsx" in answer.headers["Content-Disposition"]
    assert "预算" in _sheets(answer.data)
    plain = client.get(f"/seasons/{season.id}/dashboard?job=999999").get_data(as_text=True)
    assert "data-job=" not in plain


def test_the_api_answers_202_and_the_job_downloads_for_organisers_only(app, client, db):
    season, organiser, firm_user = make_season(year=2026), make_user(Role.ORGANISER), make_user(Role.ENTERPRISE)
    db.session.commit()
    started = client.post(f"/api/v1/seasons/{season.id}/report-jobs", headers=bearer(organiser))
    assert started.status_code == 202 and started.get_json()["kind"] == "season_report"
    assert runner_for(app).wait(timeout=60)
    job = client.get(started.get_json()["status_url"], headers=bearer(organiser)).get_json()
    assert job["state"] == "done" and job["progress"] == 100 and job["result"] is None
    answer = client.get(job["result_url"], headers=bearer(organiser))
    assert answer.status_code == 200 and "预算" in _sheets(answer.data)
    assert client.post(f"/api/v1/seasons/{season.id}/report-jobs", headers=bearer(firm_user)).status_code == 403
    assert client.get(job["result_url"], headers=bearer(firm_user)).status_code == 403
