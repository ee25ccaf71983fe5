"""Journey (issue 5): an enterprise sees its final event's subsidy checklist, claims, downloads the claim form;
the organiser finds the claim in the queue, approves it, and the season's committed budget moves."""
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser_fixtures import ARTIFACTS, log_in
from tests.subsidy_builders import SUBSIDY_EVENT


def money(text: str) -> int:
    """￥1,234 → 1234."""
    return int(re.sub(r"[^\d-]", "", text))


def committed(page, base):
    """The newest season's committed figure (the first on the list), on its page."""
    page.goto(f"{base}/seasons")
    page.click("table a[href^='/seasons/']")
    return page.locator("[data-money='committed'] .figure-value")


def test_enterprise_claims_then_organiser_approves_and_the_budget_moves(live_server, page):
    page.on("dialog", lambda dialog: dialog.accept())

    # The organiser notes the season's committed spending first.
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{live_server}/")
    before = money(committed(page, live_server).inner_text())
    page.context.clear_cookies()

    # The enterprise opens its final event: every check is met, 参赛人数 50/50.
    log_in(page, live_server, "enterprise2", "Qiye-HR-2026")
    page.wait_for_url(f"{live_server}/")
    page.click("[data-nav='events.index']")
    page.click(f"text={SUBSIDY_EVENT}")
    checklist = page.locator("[data-section='subsidy']")
    expect(checklist).to_contain_text("参赛人数 50/50", use_inner_text=True)
    expect(checklist.locator("[data-passed='no']")).to_have_count(0)
    checklist.locator("button", has_text="申请竞赛经费补贴").click()
    page.wait_for_selector(".alert-success")
    expect(page.locator("[data-claim-state='submitted']")).to_have_count(1)
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
    expect(page.locator("[data-section='claim-checks']")).to_contain_text("参赛人数 50/50", use_inner_text=True)
    page.click("[data-section='decision'] button:has-text('批准')")
    page.wait_for_selector("[data-claim-state='approved']")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "subsidy-claim-approved.png"), full_page=True)
    expect(committed(page, live_server)).to_have_text(f"￥{before + 20000:,}")  # as the page writes money
    assert page.console_errors == []
