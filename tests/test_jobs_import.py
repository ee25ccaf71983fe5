"""The roster import as a background job (issue 22, item 2): `POST /api/v1/events/{id}/entries/import-jobs` answers
202 with the job at once; polled, the job reports its progress and then `{"created", "existing"}`, or fails with every
bad row and nothing saved (all or nothing, as the request's import); only its starter and the organisers see it."""
import io

from competition.jobs import runner_for
from competition.models import Entry, Job, StagedUpload
from tests.clients import api_headers
from tests.roster_files import people, roster


def _entries(db, event) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.event_id == event.id))


def _start(client, headers, event, data: bytes):
    return client.post(f"/api/v1/events/{event.id}/entries/import-jobs", headers=headers,
                       data={"file": (io.BytesIO(data), "大名单.xlsx")}, content_type="multipart/form-data")


def _finished(app, client, headers, started) -> dict:
    assert runner_for(app).wait(timeout=120)
    return client.get(started.get_json()["status_url"], headers=headers).get_json()


def test_a_large_roster_is_imported_by_a_job_the_caller_polls(app, client, db, roster_scene):
    event, users, firms = roster_scene
    headers = api_headers(client, users["host"])
    started = _start(client, headers, event, roster(*people(300)))
    assert started.status_code == 202 and started.headers["Location"].endswith(f"/jobs/{started.get_json()['id']}")
    assert started.get_json()["state"] in ("queued", "running", "done") and started.get_json()["kind"] == "roster_import"
    job = _finished(app, client, headers, started)
    assert (job["state"], job["progress"], job["result"], job["error"]) == ("done", 100, {"created": 300, "existing": 0},
                                                                             None)
    assert job["result_url"] is None  # a JSON result: nothing to download
    assert _entries(db, event) == 300
    assert db.session.scalar(db.select(db.func.count(StagedUpload.id))) == 0  # the staged copy is gone once read


def test_a_roster_with_bad_rows_fails_its_job_with_every_problem_and_saves_nothing(app, client, db, roster_scene):
    event, users, _ = roster_scene
    headers = api_headers(client, users["host"])
    rows = people(5)
    rows[1] = ("张三", "110105194912310021", "13900000000", None)  # a wrong check digit
    rows[3] = ("李", rows[3][1], rows[3][2], None)  # a one-character name
    job = _finished(app, client, headers, _start(client, headers, event, roster(*rows)))
    assert job["state"] == "failed" and "未导入任何数据" in job["error"]
    assert sorted({d["row"] for d in job["result"]["details"]}) == [3, 5]
    assert _entries(db, event) == 0


def test_only_its_starter_and_the_organisers_see_the_job_and_judges_cannot_start_one(app, client, db, roster_scene):
    event, users, _ = roster_scene
    started = _start(client, api_headers(client, users["host"]), event, roster(*people(2)))
    url = started.get_json()["status_url"]
    assert runner_for(app).wait(timeout=60)
    assert client.get(url, headers=api_headers(client, users["other"])).status_code == 403
    assert client.get(url, headers=api_headers(client, users["organiser"])).status_code == 200
    assert _start(client, api_headers(client, users["judge"]), event, roster(*people(1))).status_code == 403
    assert _start(client, api_headers(client, users["other"]), event, roster(*people(1))).status_code == 403
    no_file = client.post(f"/api/v1/events/{event.id}/entries/import-jobs",
                          headers=api_headers(client, users["host"]))
    assert no_file.status_code == 400 and db.session.scalar(db.select(db.func.count(Job.id))) == 1


def test_the_import_page_confirms_a_large_roster_as_a_job_and_shows_its_outcome(app, client, db, roster_scene):
    from tests.clients import login

    event, users, _ = roster_scene
    app.config["IMPORT_JOB_BYTES"] = 0  # every roster counts as large here
    login(client, users["host"])
    preview = client.post(f"/events/{event.id}/entries/import/preview", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(roster(*people(12))), "名单.xlsx")})
    token = preview.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    confirmed = client.post(f"/events/{event.id}/entries/import/confirm", data={"token": token})
    assert confirmed.status_code == 302 and "?job=" in confirmed.headers["Location"]
    assert runner_for(app).wait(timeout=60)
    page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert 'data-import-job' in page and 'data-job-state="done"' in page and "已导入12人，0人已在名单中。" in page
    assert _entries(db, event) == 12
    status = client.get(page.split('data-status-url="')[1].split('"')[0]).get_json()
    assert (status["state"], status["created"], status["download_url"]) == ("done", 12, None)
    other = client.get(f"/events/{event.id}/entries/import?job=999999").get_data(as_text=True)
    assert "data-import-job" not in other  # no such job: the plain page
