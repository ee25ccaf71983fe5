"""The certificates API (RULES.md §15, API.md): anyone verifies a number (masked name, 404 when unknown, never an ID
number); results rows of a final event carry certificate_no; an event's certificates come as one PDF from a
background job (202, then 200); one entry's certificate for the organisers and its employer only."""
import pytest

from competition.jobs import runner_for
from competition.models import Job, JobState
from competition.rules.identity import mask_name
from tests.builders import make_event
from tests.certificate_builders import NAMES, PRIZES, certificate_world, pdf_pages, pdf_text, prize_certificates
from tests.clients import bearer

VERIFIED = {"number", "name", "event", "occupation", "level", "prize", "year"}


def test_anyone_verifies_a_number_and_reads_the_masked_name(client, certificate_scene):
    world, _ = certificate_scene
    answer = client.get("/api/v1/certificates/WJ2026-000001")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body == {"number": "WJ2026-000001", "name": mask_name(NAMES[0]), "event": "电工技能竞赛",
                    "occupation": "电工", "level": 3, "prize": "一等奖", "year": 2026}
    assert set(body) == VERIFIED
    text = answer.get_data(as_text=True)
    assert world.entries["001"].person.id_number not in text and NAMES[0] not in text
    assert client.get("/api/v1/certificates/wj2026-000002").get_json()["number"] == "WJ2026-000002"


@pytest.mark.parametrize("number", ["WJ2026-000099", "WJ2026-1", "nonsense", "WJ2026-0000001"])
def test_an_unknown_number_is_404(client, certificate_scene, number):
    answer = client.get(f"/api/v1/certificates/{number}")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] in ("unknown_certificate", "not_found")


def test_results_rows_of_a_final_event_carry_their_certificate_numbers(client, certificate_scene):
    world, _ = certificate_scene
    rows = {row["number"]: row for row in client.get(f"/api/v1/events/{world.event.id}/results").get_json()["rows"]}
    numbers = {n: c.number for n, c in prize_certificates(world.event).items()}
    assert {n: row["certificate_no"] for n, row in rows.items() if row["certificate_no"]} == numbers
    assert {n: row["prize"] for n, row in rows.items() if row["prize"]} == PRIZES
    assert rows["007"]["certificate_no"] is None


def test_results_before_final_have_no_certificate_numbers(client, db):
    world, users = certificate_world()
    world.event.status = world.event.status.NOTICE
    db.session.commit()
    rows = client.get(f"/api/v1/events/{world.event.id}/results").get_json()["rows"]
    assert rows and all(row["certificate_no"] is None for row in rows)


def test_one_entrys_certificate_for_the_organisers_and_its_employer_only(client, certificate_scene, tmp_path, pdf_tools):
    world, users = certificate_scene
    entry = world.entries["001"]  # employed by the enterprise user's firm
    url = f"/api/v1/entries/{entry.id}/certificate.pdf"
    assert client.get(url).status_code == 401
    for role, expected in (("organiser", 200), ("enterprise", 200), ("other", 403), ("judge", 403)):
        answer = client.get(url, headers=bearer(users[role]))
        assert answer.status_code == expected, role
    answer = client.get(url, headers=bearer(users["enterprise"]))
    assert answer.mimetype == "application/pdf" and "WJ2026-000001.pdf" in answer.headers["Content-Disposition"]
    assert NAMES[0] in pdf_text(answer.data, tmp_path) and pdf_pages(answer.data, tmp_path) == 1
    other = world.entries["002"]  # the other firm's employee
    assert client.get(f"/api/v1/entries/{other.id}/certificate.pdf", headers=bearer(users["other"])).status_code == 200
    unprized = world.entries["009"]
    answer = client.get(f"/api/v1/entries/{unprized.id}/certificate.pdf", headers=bearer(users["enterprise"]))
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "no_certificate"


def test_a_small_events_certificates_come_at_once(client, db, certificate_scene, tmp_path, pdf_tools):
    world, users = certificate_scene
    answer = client.get(f"/api/v1/events/{world.event.id}/certificates.pdf", headers=bearer(users["organiser"]))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert pdf_pages(answer.data, tmp_path) == 6 and db.session.scalar(db.select(db.func.count(Job.id))) == 0


def test_a_large_events_certificates_come_from_a_background_job(app, client, db, certificate_scene, tmp_path, pdf_tools,
                                                                monkeypatch):
    monkeypatch.setattr("competition.api.certificates.INLINE_PAGES", 5)  # the certificate_scene's 6 certificates count as many
    world, users = certificate_scene
    url = f"/api/v1/events/{world.event.id}/certificates.pdf"
    for role in ("enterprise", "other", "judge"):
        assert client.get(url, headers=bearer(users[role])).status_code == 403
    headers = bearer(users["organiser"])
    started = client.get(url, headers=headers)
    assert started.status_code == 202, started.get_json()
    job = started.get_json()
    assert job["state"] in ("queued", "running", "done") and job["kind"] == "event_certificates"
    assert started.headers["Location"] == job["status_url"] == f"/api/v1/jobs/{job['id']}"
    assert runner_for(app).wait(timeout=120)
    status = client.get(job["status_url"], headers=headers).get_json()
    assert (status["state"], status["done"], status["total"]) == ("done", 6, 6) and status["result_url"] == url
    assert client.get(job["status_url"], headers=bearer(users["enterprise"])).status_code == 403
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")
    assert pdf_pages(answer.data, tmp_path) == 6
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 1  # the finished PDF was handed out again
    assert db.session.get(Job, job["id"]).state is JobState.DONE


def test_an_event_not_final_has_no_certificates_to_print(client, certificate_scene):
    _world, users = certificate_scene
    event = make_event("notice")
    answer = client.get(f"/api/v1/events/{event.id}/certificates.pdf", headers=bearer(users["organiser"]))
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "not_final"
