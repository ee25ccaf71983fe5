"""Journey (issue 5): an enterprise sees its final event's subsidy checklist, claims, downloads the claim form;
the organiser finds the claim in the queue, approves it, and the season's committed budget moves."""
import io
import re

from openpyxl import load_workbook

from tests.browser_fixtures import ARTIFACTS
from tests.subsidy_builders import SUBSIDY_EVENT
from tests.test_browser_login import log_in


def money(text: str) -> int:
    """￥1,234 → 1234."""
    return int(re.sub(r"[^\d-]", "", text))


def committed(page, base) -> int:
    """The newest season's committed figure (the first on the list), read from its page."""
    page.goto(f"{base}/seasons")
    page.click("table a[href^='/seasons/']")
    return money(page.inner_text("[data-money='committed'] .figure-value"))


def test_enterprise_claims_then_organiser_approves_and_the_budget_moves(live_server, page):
    page.on("dialog", lambda dialog: dialog.accept())

    # The organiser notes the season's committed spending first.
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{live_server}/")
    before = committed(page, live_server)
    page.context.clear_cookies()

    # The enterprise opens its final event: every check is met, 参赛人数 50/50.
    log_in(page, live_server, "enterprise2", "Qiye-HR-2026")
    page.wait_for_url(f"{live_server}/")
    page.click("[data-nav='events.index']")
    page.click(f"text={SUBSIDY_EVENT}")
    checklist = page.locator("[data-section='subsidy']")
    assert "参赛人数 50/50" in checklist.inner_text()
    assert checklist.locator("[data-passed='no']").count() == 0
    checklist.locator("button", has_text="申请竞赛经费补贴").click()
    page.wait_for_selector(".alert-success")
    assert page.locator("[data-claim-state='submitted']").count() == 1
    with page.expect_download() as download:
        page.click("[data-link='claim-form']")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["补贴申请表", "参赛人员及成绩"]
    values = [v for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v]
    assert SUBSIDY_EVENT in values and "20,000 元" in values
    assert page.console_errors == []
    page.context.clear_cookies()

    # The organiser finds it among the claims waiting and approves it.
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{live_server}/")
    page.click("[data-nav='subsidy.claims']")
    page.select_option("#state", "submitted")
    page.fill("#q", "亨通电工")
    page.click("form[role=search] button[type=submit]")
    page.click("[data-table='claims'] a:has-text('审核')")
    assert "参赛人数 50/50" in page.inner_text("[data-section='claim-checks']")
    page.click("[data-section='decision'] button:has-text('批准')")
    page.wait_for_selector("[data-claim-state='approved']")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "subsidy-claim-approved.png"), full_page=True)
    assert committed(page, live_server) == before + 20000
    assert page.console_errors == []
