"""Exports of more than EXPORT_JOB_ROWS rows as background jobs (issue 22, item 2): below the limit the file comes at
once; above it the link answers with a page saying how many rows and offering 后台生成, whose POST submits the job and
leads to the job's page (progress, then the download of the very workbook the synchronous export writes). A job is
its owner's (and the organisers'); a failed or interrupted one says why and 重试 runs it again."""
from dataclasses import replace
from datetime import timedelta

import pytest

from competition.jobs import exports
from competition.jobs.runner import FAILED
from competition.models import Entry, Job, JobState, Role, utcnow
from competition.services.audit import SYSTEM, Actor
from competition.services.jobs import INTERRUPTED, create_job, fail_job, start_job
from competition.services.league.rewards import OrganisingReward, propose_organising_reward
from tests.builders import make_season, make_user
from tests.clients import html, login, login_afresh
from tests.export_builders import XLSX, enrol_staff, finished, sheets
from tests.marking_builders import FOUR, final_world, give_title

BIG, SMALL = 10**6, 0  # EXPORT_JOB_ROWS: every export is small, or every export is large


def _roster(db, scene) -> tuple[str, object, int]:
    """The host event's roster, five entries; the organiser; the rows."""
    event, users, firms = scene
    enrol_staff(event, firms)
    return f"/events/{event.id}/entries.xlsx", users["organiser"], 5


def _sign_in(db, scene) -> tuple[str, object, int]:
    """The host event's sign-in sheet."""
    event, users, firms = scene
    enrol_staff(event, firms)
    return f"/events/{event.id}/sign-in-sheet.xlsx", users["organiser"], 5


def _results(db, scene) -> tuple[str, object, int]:
    """A final event of four entries, marked by three judges: its 成绩册."""
    world = final_world(FOUR)
    db.session.commit()
    return f"/events/{world.event.id}/results.xlsx", world.organiser, 4


def _mark_sheets(db, scene) -> tuple[str, object, int]:
    """The same event's 评分表: three judges' rows for four numbers."""
    world = final_world(FOUR)
    db.session.commit()
    return f"/events/{world.event.id}/mark-sheets.xlsx", world.organiser, 3 * 4


def _experts(db, scene) -> tuple[str, object, int]:
    """Two title holders of 2025."""
    event, users, firms = scene
    enrol_staff(event, firms, host=2, other=0)
    for person_id in db.session.scalars(db.select(Entry.person_id).where(Entry.event_id == event.id)):
        give_title(person_id, 2025)
    db.session.commit()
    return "/experts/2025.xlsx", users["organiser"], 2


def _rewards(db, scene) -> tuple[str, object, int]:
    """A season with two rewards to organising units."""
    event, users, firms = scene
    season = make_season()
    for firm in firms.values():
        propose_organising_reward(SYSTEM, OrganisingReward(season.id, 1000, "承办企业赛", enterprise_id=firm.id))
    db.session.commit()
    return f"/rewards/register.xlsx?season={season.id}", users["organiser"], 2


SCENES = {"roster": _roster, "sign_in_sheet": _sign_in, "results": _results, "mark_sheets": _mark_sheets,
          "experts": _experts, "rewards": _rewards}


def _submit(client, url: str) -> int:
    """POST the export's 后台生成; the job's page is where it leads."""
    started = client.post(url)
    assert started.status_code == 302 and "/page" in started.headers["Location"], started.status_code
    return int(started.headers["Location"].split("/jobs/")[1].split("/")[0])


@pytest.mark.parametrize("name", sorted(SCENES))
def test_a_large_export_is_a_job_whose_file_is_the_synchronous_workbook(app, client, db, roster_scene, name):
    url, organiser, rows = SCENES[name](db, roster_scene)
    login(client, organiser)
    app.config["EXPORT_JOB_ROWS"] = BIG
    at_once = client.get(url)
    assert at_once.status_code == 200 and at_once.mimetype == XLSX
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0
    app.config["EXPORT_JOB_ROWS"] = SMALL
    offer = client.get(url)
    assert offer.status_code == 200 and offer.mimetype == "text/html"
    assert f"本次导出共 {rows} 行" in html(offer) and 'data-form="export-job"' in html(offer)
    job = finished(app, _submit(client, url))
    assert (job.kind, job.state, job.owner_id, job.args["exporter"]) == ("export", JobState.DONE, organiser.id, name)
    assert job.done == job.total > 0  # each stage was counted
    page = html(client.get(f"/jobs/{job.id}/page"))
    assert 'data-job-state="done"' in page and "已生成，可以下载。" in page and "js/jobs.js" in page
    assert f'data-job-download href="/jobs/{job.id}/download"' in page
    download = client.get(f"/jobs/{job.id}/download")
    assert download.status_code == 200 and download.mimetype == XLSX
    assert sheets(download.data) == sheets(at_once.data)
    assert at_once.headers["Content-Disposition"].split(";")[-1] == download.headers["Content-Disposition"].split(";")[-1]


def test_a_small_export_is_sent_at_once_and_a_post_still_makes_a_job(app, client, db, roster_scene):
    url, organiser, _rows = _roster(db, roster_scene)
    app.config["EXPORT_JOB_ROWS"] = 5  # five rows: not more than the limit
    login(client, organiser)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == XLSX and len(sheets(answer.data)["报名名单"]) == 3 + 5
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0
    job = finished(app, _submit(client, url))
    assert job.state is JobState.DONE and sheets(client.get(f"/jobs/{job.id}/download").data) == sheets(answer.data)


def test_an_enterprise_job_holds_its_own_employees_only_and_is_its_own(app, client, db, roster_scene):
    event, users, firms = roster_scene
    enrol_staff(event, firms, host=3, other=2)
    app.config["EXPORT_JOB_ROWS"] = 1
    login(client, users["host"])
    url = f"/events/{event.id}/entries.xlsx"
    assert "本次导出共 3 行" in html(client.get(url))
    job = finished(app, _submit(client, url))
    assert job.args["params"]["employer_id"] == firms["host"].id
    rows = sheets(client.get(f"/jobs/{job.id}/download").data)["报名名单"][3:]
    assert len(rows) == 3 and {row[6] for row in rows} == {firms["host"].name}
    assert all("*" in row[4] for row in rows)  # ID numbers masked, as on the page
    app.config["EXPORT_JOB_ROWS"] = BIG
    assert sheets(client.get(url).data)["报名名单"][3:] == rows
    for other in (users["other"], users["judge"]):
        login_afresh(client, other)
        for path in ("page", "download", ""):
            assert client.get(f"/jobs/{job.id}/{path}".rstrip("/")).status_code == 403, (other.role, path)
        assert client.post(f"/jobs/{job.id}/retry").status_code == 403
    login_afresh(client, users["organiser"])
    assert client.get(f"/jobs/{job.id}/page").status_code == 200
    assert client.get("/jobs/999999/page").status_code == 404


def test_a_failed_export_says_why_and_retry_runs_it_again(app, client, db, roster_scene, monkeypatch):
    url, organiser, _rows = _roster(db, roster_scene)
    app.config["EXPORT_JOB_ROWS"] = 1
    login(client, organiser)

    def broken(progress, actor, **params):
        progress.start(2)
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(exports.EXPORTERS, "roster", replace(exports.EXPORTERS["roster"], build=broken))
    job_id = _submit(client, url)  # an id, not the row: reading a row while a job runs would lock SQLite
    job = finished(app, job_id)
    assert job.state is JobState.FAILED and job.error == FAILED
    page = html(client.get(f"/jobs/{job_id}/page"))
    assert 'data-job-state="failed"' in page and FAILED in page
    assert f'data-job-retry="{job_id}">' in page  # the 重试 form, shown
    monkeypatch.undo()
    retried = client.post(f"/jobs/{job_id}/retry")
    assert retried.status_code == 302 and retried.headers["Location"].endswith(f"/jobs/{job_id}/page")
    job = finished(app, job_id)
    assert job.state is JobState.DONE and job.error is None
    page = html(client.get(f"/jobs/{job_id}/page"))
    assert 'data-job-state="done"' in page and f'data-job-retry="{job_id}" hidden' in page
    assert len(sheets(client.get(f"/jobs/{job_id}/download").data)["报名名单"]) == 3 + 5
    again = client.post(f"/jobs/{job_id}/retry", follow_redirects=True)  # a finished job is not run twice
    assert "只能重试失败或已中断的任务。" in html(again)


def test_an_interrupted_export_is_shown_as_such_and_can_be_retried(app, client, db, roster_scene):
    url, organiser, _rows = _roster(db, roster_scene)
    event = roster_scene[0]
    args = {"exporter": "roster", "params": exports.roster_params(event, None), "user_id": organiser.id,
            "address": "10.0.0.9", "locale": "zh_CN"}
    job = create_job(Actor(organiser), exports.KIND, args, f"event:{event.id}:roster")
    start_job(job, 2)
    job.updated_at = utcnow() - timedelta(hours=1)  # its worker died an hour ago
    db.session.commit()
    job_id = job.id
    login(client, organiser)
    page = html(client.get(f"/jobs/{job_id}/page"))
    assert 'data-job-state="failed"' in page and str(INTERRUPTED) in page and f'data-job-retry="{job_id}">' in page
    assert client.post(f"/jobs/{job_id}/retry").status_code == 302
    job = finished(app, job_id)
    assert job.state is JobState.DONE and job.result_name.endswith("报名名单.xlsx")


def test_a_second_click_follows_the_job_already_queued(app, client, db, roster_scene):
    url, organiser, _rows = _roster(db, roster_scene)
    event = roster_scene[0]
    params = exports.roster_params(event, None)
    first = exports.export_job(Actor(organiser), "roster", params)
    assert exports.export_job(Actor(organiser), "roster", params) == first
    assert exports.export_job(Actor(make_user(Role.ORGANISER)), "roster", params) != first  # someone else's own
    db.session.rollback()


def test_the_offer_and_the_retry_need_the_csrf_token(app, client, db, roster_scene):
    url, organiser, _rows = _roster(db, roster_scene)
    failed = create_job(Actor(organiser), exports.KIND, {}, "event:0:roster")
    fail_job(failed, FAILED)
    login(client, organiser)
    app.config.update(EXPORT_JOB_ROWS=1, WTF_CSRF_ENABLED=True)
    offer = html(client.get(url))
    assert 'name="csrf_token"' in offer and 'name="csrf_token"' in html(client.get(f"/jobs/{failed.id}/page"))
    assert client.post(url).status_code == 400 and client.post(f"/jobs/{failed.id}/retry").status_code == 400
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 1
    assert db.session.get_one(Job, failed.id).state is JobState.FAILED


def test_the_job_names_its_file_in_the_language_of_the_reader_who_asked(app, client, db, roster_scene):
    url, organiser, _rows = _roster(db, roster_scene)
    login(client, organiser)
    with client.session_transaction() as session:
        session["lang"] = "en"
    app.config["EXPORT_JOB_ROWS"] = BIG
    at_once = client.get(url).headers["Content-Disposition"]
    app.config["EXPORT_JOB_ROWS"] = SMALL
    job = finished(app, _submit(client, url))
    assert job.result_name.endswith("Entry list.xlsx")
    assert client.get(f"/jobs/{job.id}/download").headers["Content-Disposition"].split(";")[-1] == \
        at_once.split(";")[-1]


def test_an_import_job_page_is_its_import_page_and_other_jobs_are_named_by_kind(app, client, db, roster_scene):
    event, users, firms = roster_scene
    host = users["host"]
    imported = create_job(Actor(host), "roster_import", {"event_id": event.id}, f"event:{event.id}")
    printed = create_job(Actor(users["organiser"]), "event_certificates", {"event_id": event.id}, f"event:{event.id}")
    db.session.commit()
    login(client, host)
    page = client.get(f"/jobs/{imported.id}/page")
    assert page.status_code == 302 and page.headers["Location"].endswith(
        f"/events/{event.id}/entries/import?job={imported.id}")
    login_afresh(client, users["organiser"])
    assert "<h1 class=\"h3 mb-0\">证书 PDF</h1>" in html(client.get(f"/jobs/{printed.id}/page"))
