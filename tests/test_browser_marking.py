"""Journey (issue 4): two judges mark on a tablet with the keyboard and submit, the chief judge signs off,
the organiser publishes, and the public page shows the results with masked names and no ID numbers."""
import re

from playwright.sync_api import expect

from tests.browser_fixtures import ARTIFACTS, SCORING_EVENT, SCORING_PEOPLE, log_in, open_grid

# Per row (in grid order): theory (measurement), 工艺质量 (0-60), 安全文明 (0-40).
WANG = [("88", "52", "35"), ("75.5", "48", "30"), ("92", "55.5", "38")]
LI = [("50", "36"), ("45", "31"), ("57", "39")]


def log_out(page):
    """End the session (a fresh login follows on the same tablet)."""
    page.context.clear_cookies()


def test_judges_mark_chief_signs_off_organiser_publishes_public_sees_masked_names(live_server, tablet_page, page,
                                                                                     browser):
    tablet = tablet_page
    tablet.on("dialog", lambda dialog: dialog.accept())
    page.on("dialog", lambda dialog: dialog.accept())

    # 王裁判 types every cell with the keyboard only: Tab moves along the row and on to the next row.
    open_grid(tablet, live_server, "judge2")
    expect(tablet.locator("[data-progress]")).to_contain_text("已录入 0 / 6", use_inner_text=True)
    for name in SCORING_PEOPLE:
        expect(tablet.locator("main")).not_to_contain_text(name, use_inner_text=True)  # numbers only
    tablet.locator("input.marking-input").first.click()
    for row in WANG:
        for value in row:
            tablet.keyboard.type(value)
            tablet.keyboard.press("Tab")
    tablet.wait_for_selector("[data-progress] >> text=已录入 6 / 6")  # counted as the cells were left
    expect(tablet.locator("[data-saved]")).to_have_count(9)  # the theory cells' answers may still be on the way
    expect(tablet.locator("[data-cell-error]")).to_have_count(0)

    # A typo out of range is refused in place, naming the criterion, and nothing is lost.
    cell = tablet.locator("input.marking-input").nth(1)
    cell.fill("61")
    cell.press("Tab")
    expect(tablet.locator("[data-cell-error]")).to_contain_text("工艺质量", use_inner_text=True)
    # htmx wires the swapped-in cell up as it settles; a person takes longer than that to retype.
    expect(tablet.locator(".htmx-added, .htmx-settling, .htmx-request")).to_have_count(0)
    cell = tablet.locator("input.marking-input").nth(1)
    cell.fill("52")
    cell.press("Tab")
    tablet.locator("[data-cell-error]").wait_for(state="detached")
    tablet.click("text=提交评分")
    tablet.wait_for_selector("[data-submitted]")
    expect(tablet.locator("input.marking-input")).to_have_count(0)  # read-only after submission
    log_out(tablet)

    # 李裁判 (chief) sees the theory values already entered; Enter moves down a column.
    open_grid(tablet, live_server, "judge")
    quality = tablet.locator("input.marking-input").nth(1)
    quality.click()
    for values in LI:
        tablet.keyboard.type(values[0])
        tablet.keyboard.press("Enter")
    tablet.locator("input.marking-input").nth(2).click()
    for values in LI:
        tablet.keyboard.type(values[1])
        tablet.keyboard.press("Enter")
    tablet.wait_for_selector("[data-progress] >> text=已录入 6 / 6")
    tablet.click("text=提交评分")
    tablet.wait_for_selector("[data-submitted]")
    tablet.click("text=评分进度")
    expect(tablet.locator("main")).to_contain_text("评分已全部录入", use_inner_text=True)
    tablet.click("text=签核成绩")
    tablet.wait_for_selector("text=成绩已签核")
    ARTIFACTS.mkdir(exist_ok=True)
    tablet.screenshot(path=str(ARTIFACTS / "journey-chief-signed-off.png"), full_page=True)

    # The organiser publishes on the desktop.
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{live_server}/")
    page.click("[data-nav='events.index']")
    page.click(f"text={SCORING_EVENT}")
    page.click("[data-link='results']")
    expect(page.locator("main")).to_contain_text("欧阳娜娜", use_inner_text=True)  # organisers see names
    page.click("[data-section='publish'] button")
    page.wait_for_selector("[data-notice-ends]")

    # The public, with no account, on a phone: masked names, no ID numbers.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(f"{live_server}/login")
    phone.click("[data-public-link]")
    phone.click(f"text={SCORING_EVENT}")
    phone.wait_for_selector("[data-public-status='notice']")
    public = phone.locator("main")
    for masked in (r"欧\*\*娜", r"张\*丰", r"李\*(?!\S)"):  # each name masked, and masked whole
        expect(public).to_contain_text(re.compile(masked), use_inner_text=True)
    for name in SCORING_PEOPLE:
        expect(public).not_to_contain_text(name, use_inner_text=True)
    assert not re.search(r"\d{17}[\dX]|\d{4}\*{10}", phone.content())
    phone.screenshot(path=str(ARTIFACTS / "journey-public-results.png"), full_page=True)
    phone.context.close()
    # The only console error is the refused typo's 400, which the cell showed; no CSP or script errors.
    assert [e for e in tablet.console_errors if "status of 400" not in e] == [] and page.console_errors == []
