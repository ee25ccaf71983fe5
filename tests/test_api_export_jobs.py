"""The roster export as a background job (issue 22, item 2): `POST /api/v1/events/{id}/entries/export-jobs` takes the
options of `GET …/entries.xlsx` (which stays synchronous) in its JSON body, answers 202 with the job, and the job's file is the
workbook the GET gives the same caller: an enterprise's own employees only; whole ID numbers for the organisers only,
audited as the user who asked, from where they asked."""
from competition.models import AuditEntry, Job, JobState
from tests.clients import bearer
from tests.export_builders import XLSX, enrol_staff, finished, sheets

JOB_KEYS = {"id", "kind", "state", "done", "total", "progress", "result", "error", "created_at", "finished_at",
            "status_url", "result_url"}


def _reveals(db) -> list[AuditEntry]:
    """The audit rows of ID numbers revealed."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "person.reveal_id")
                                   .order_by(AuditEntry.id)))


def _export(client, user, event_id: int, query: str = ""):
    """The synchronous export, as the user."""
    return client.get(f"/api/v1/events/{event_id}/entries.xlsx{query}", headers=bearer(user))


def _start(client, user, event_id: int, options: dict | None = None):
    """Ask for the export as a job, as the user, with the export's options in the body."""
    return client.post(f"/api/v1/events/{event_id}/entries/export-jobs", headers=bearer(user), json=options or {})


def test_the_job_answers_202_and_its_file_is_the_synchronous_export(app, client, db, roster_scene):
    event, users, firms = roster_scene
    enrol_staff(event, firms)
    organiser, event_id = users["organiser"], event.id
    started = _start(client, organiser, event_id)
    assert started.status_code == 202, started.get_json()
    body = started.get_json()
    assert set(body) == JOB_KEYS and body["kind"] == "export" and started.headers["Location"] == body["status_url"]
    job = finished(app, body["id"])
    assert job.state is JobState.DONE and job.owner_id == organiser.id
    polled = client.get(body["status_url"], headers=bearer(organiser)).get_json()
    assert set(polled) == JOB_KEYS and polled["state"] == "done" and polled["progress"] == 100
    download = client.get(polled["result_url"], headers=bearer(organiser))
    assert download.status_code == 200 and download.mimetype == XLSX
    at_once = _export(client, organiser, event_id)
    assert at_once.status_code == 200 and sheets(download.data) == sheets(at_once.data)
    assert len(sheets(download.data)["报名名单"]) == 3 + 5
    assert _reveals(db) == []  # masked: nothing to audit


def test_an_enterprise_job_holds_its_own_employees_and_nobody_else_reads_it(app, client, db, roster_scene):
    event, users, firms = roster_scene
    enrol_staff(event, firms, host=3, other=2)
    host, event_id, host_name = users["host"], event.id, firms["host"].name
    started = _start(client, host, event_id)
    assert started.status_code == 202
    job_id = started.get_json()["id"]
    finished(app, job_id)
    download = client.get(f"/api/v1/jobs/{job_id}/download", headers=bearer(host))
    rows = sheets(download.data)["报名名单"][3:]
    assert len(rows) == 3 and {row[6] for row in rows} == {host_name}
    assert sheets(download.data) == sheets(_export(client, host, event_id).data)
    for stranger in (users["other"], users["judge"]):
        assert client.get(f"/api/v1/jobs/{job_id}", headers=bearer(stranger)).status_code == 403
        assert client.get(f"/api/v1/jobs/{job_id}/download", headers=bearer(stranger)).status_code == 403
    assert client.get(f"/api/v1/jobs/{job_id}", headers=bearer(users["organiser"])).status_code == 200


def test_only_the_organisers_reveal_id_numbers_and_the_job_audits_it_as_them(app, client, db, roster_scene):
    event, users, firms = roster_scene
    enrol_staff(event, firms)
    organiser, event_id = users["organiser"], event.id
    refused = _start(client, users["host"], event_id, {"reveal_ids": True})
    assert refused.status_code == 403 and db.session.scalar(db.select(db.func.count(Job.id))) == 0
    assert _start(client, users["judge"], event_id).status_code == 403
    started = _start(client, organiser, event_id, {"reveal_ids": True})
    assert started.status_code == 202  # (no reading here while the job runs: it would lock SQLite)
    job_id = started.get_json()["id"]
    assert finished(app, job_id).state is JobState.DONE
    by_job = _reveals(db)  # one row: the job's (asking for the file reveals nothing yet)
    assert [(r.user_id, r.object_type, r.after) for r in by_job] == [(organiser.id, "Event",
                                                                      {"event_id": event_id, "count": 5})]
    data = client.get(f"/api/v1/jobs/{job_id}/download", headers=bearer(organiser)).data
    assert all("*" not in row[4] for row in sheets(data)["报名名单"][3:])  # whole ID numbers
    at_once = _export(client, organiser, event_id, "?reveal_ids=1")
    assert sheets(at_once.data) == sheets(data)
    by_request = _reveals(db)[-1]
    assert (by_request.user_id, by_request.client_address, by_request.message) == (
        by_job[0].user_id, by_job[0].client_address, by_job[0].message)


def test_the_export_job_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/events/{event_id}/entries/export-jobs"]["post"]
    assert "202" in operation["responses"] and "requestBody" in operation
