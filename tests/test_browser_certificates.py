"""Journeys (issue 19): someone scans a certificate's QR code with a phone and checks it (no login, 390×844); an
organiser prints a final event's certificates and watches the progress bar until the PDF can be downloaded."""
import re

from playwright.sync_api import expect

from tests.browser_fixtures import log_in

EVENT = "恒力化纤2026年络筒工技能竞赛"  # final in the demo, with its prizes' certificates


def test_a_phone_checks_a_certificate_from_the_public_results(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server}/public")
    page.click(f"text={EVENT}")
    link = page.locator("[data-certificate-no] a").first
    number = link.inner_text().strip()
    assert re.fullmatch(r"WJ2026-\d{6}", number)
    link.click()
    page.wait_for_url(f"{live_server}/verify/{number}")
    card = page.locator(f"[data-verified='{number}']")
    expect(card).to_be_visible()
    name = page.inner_text("[data-field='name']")
    assert "*" in name and page.inner_text("[data-field='prize']").endswith("等奖")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert page.console_errors == []
    page.goto(f"{live_server}/verify/WJ2026-999999")
    expect(page.locator("[data-not-found]")).to_be_visible()


def test_the_organiser_prints_an_events_certificates_and_downloads_the_pdf(live_server, page):
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{live_server}/")
    page.click("[data-nav='events.index']")
    page.click(f"text={EVENT}")
    page.click("[data-link='results']")
    page.click("[data-link='certificates']")
    expect(page.locator("tr[data-certificate]").first).to_be_visible()
    count = page.locator("tr[data-certificate]").count()
    page.click("[data-action='print-certificates']")
    panel = page.locator("[data-job]")
    expect(panel).to_be_visible()
    download = panel.locator("[data-job-download]")
    expect(download).to_be_visible(timeout=120_000)  # jobs.js polls the status until the PDF is ready
    assert panel.get_attribute("data-job-state") == "done"
    assert page.get_attribute("[data-job-progress]", "value") == "100"
    expect(panel.locator("[data-job-text]")).to_contain_text(str(count))
    with page.expect_download() as caught:
        download.click()
    assert caught.value.suggested_filename.endswith(".pdf")
    assert page.console_errors == []
