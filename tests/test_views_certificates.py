"""Certificate pages (RULES.md §15): the public verification page a QR code opens, certificate numbers on the results
pages, the organisers' printing of an event's certificates (a background job with a progress bar), and the
certificates an enterprise user may list and download (its own employees' only)."""
import re
from urllib.parse import unquote

import pytest

from competition.jobs import runner_for
from competition.models import Role
from competition.rules.identity import mask_name
from tests.builders import make_event, make_user
from tests.certificate_builders import NAMES, prize_certificates
from tests.clients import forget_session, html, login_afresh


def test_the_verification_page_is_public_and_masks_the_name(client, certificate_scene):
    world, _ = certificate_scene
    forget_session(client)
    page = client.get("/verify/WJ2026-000001")
    body = html(page)
    assert page.status_code == 200 and 'data-verified="WJ2026-000001"' in body
    assert mask_name(NAMES[0]) in body and NAMES[0] not in body and "一等奖" in body and "电工技能竞赛" in body
    assert world.entries["001"].person.id_number not in body
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body  # made for the phone that scans it
    assert client.get("/verify/wj2026-000001").status_code == 200


@pytest.mark.parametrize("number", ["WJ2026-000099", "not-a-number"])
def test_an_unknown_number_is_a_404_page_that_says_so(client, certificate_scene, number):
    page = client.get(f"/verify/{number}")
    assert page.status_code == 404 and "data-not-found" in html(page) and number in html(page)


def test_the_results_pages_show_each_prizes_certificate_number(client, certificate_scene):
    world, users = certificate_scene
    numbers = {n: c.number for n, c in prize_certificates(world.event).items()}
    public = html(client.get(f"/public/events/{world.event.id}"))
    shown = dict(re.findall(r'<tr data-row="(\d+)".*?data-certificate-no="([^"]*)"', public, re.S))
    assert {n: no for n, no in shown.items() if no} == numbers
    assert 'href="/verify/WJ2026-000001"' in public
    login_afresh(client, users["organiser"])
    internal = html(client.get(f"/events/{world.event.id}/results"))
    assert "WJ2026-000006" in internal and f'href="/events/{world.event.id}/certificates"' in internal


def test_organisers_print_an_events_certificates_with_a_progress_bar(app, client, certificate_scene):
    world, users = certificate_scene
    url = f"/events/{world.event.id}/certificates"
    for role in ("enterprise", "judge"):
        login_afresh(client, users[role])
        assert client.get(url).status_code == 403 and client.post(f"{url}/print").status_code == 403
    login_afresh(client, users["organiser"])
    page = html(client.get(url))
    assert all(f'data-certificate="WJ2026-{i:06d}"' in page for i in range(1, 7)) and "data-job=" not in page
    started = client.post(f"{url}/print")
    assert started.status_code == 302 and started.headers["Location"].endswith(url)
    page = html(client.get(url))
    job_id = int(re.search(r'data-job="(\d+)"', page).group(1))
    assert "data-job-progress" in page and f'data-status-url="/jobs/{job_id}"' in page and "js/jobs.js" in page
    assert runner_for(app).wait(timeout=120)
    status = client.get(f"/jobs/{job_id}").get_json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == ("done", 6, 6, 100)
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf" and download.data.startswith(b"%PDF")
    assert "电工技能竞赛-证书.pdf" in unquote(download.headers["Content-Disposition"])
    done = html(client.get(url))
    assert 'data-job-state="done"' in done and f'href="/jobs/{job_id}/download"' in done


def test_printing_before_final_says_why(client, certificate_scene):
    _world, users = certificate_scene
    event = make_event("notice")
    login_afresh(client, users["organiser"])
    page = client.post(f"/events/{event.id}/certificates/print")
    assert page.status_code == 409 and "成绩确认为最终成绩后才能打印证书" in html(page)


def test_an_enterprise_lists_and_downloads_its_own_employees_certificates_only(client, certificate_scene):
    world, users = certificate_scene
    certificates = prize_certificates(world.event)
    mine = {certificates[n].number for n in ("001", "003", "005")}  # the odd numbers work for the user's firm
    theirs = {certificates[n].number for n in ("002", "004", "006")}
    login_afresh(client, users["enterprise"])
    listed = set(re.findall(r'data-certificate="([^"]+)"', html(client.get("/certificates"))))
    assert listed == mine
    own = client.get("/certificates/WJ2026-000001.pdf")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert client.get(f"/certificates/{sorted(theirs)[0]}.pdf").status_code == 403
    login_afresh(client, users["other"])
    assert set(re.findall(r'data-certificate="([^"]+)"', html(client.get("/certificates")))) == theirs
    login_afresh(client, users["organiser"])
    assert set(re.findall(r'data-certificate="([^"]+)"', html(client.get("/certificates")))) == mine | theirs
    login_afresh(client, make_user(Role.JUDGE))
    assert client.get("/certificates").status_code == 403
    assert client.get("/certificates/WJ2026-000001.pdf").status_code == 403
    forget_session(client)
    assert client.get("/certificates/WJ2026-000001.pdf").status_code == 302
