"""Journey (issue 6): the organiser finalises an event whose notice is over, its 技术能手 nominations appear,
one is approved and one rejected with a reason; the register and the season budget show the approval."""
import re

from playwright.sync_api import expect

from tests.browser_fixtures import ARTIFACTS, log_in

EVENT = "2026年吴江区汽车维修工职业技能竞赛"


def yuan(text: str) -> int:
    """A figure such as ￥2,004,000 as an int."""
    return int(re.sub(r"[^\d]", "", text))


def yuan_text(amount: int) -> str:
    """An amount as the pages show it: ￥2,004,000."""
    return f"￥{amount:,}"


def test_finalising_proposes_then_the_organiser_decides_and_the_register_shows_it(live_server, page):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "organiser", "Zuweihui-2026")

    # The season's committed spending before any decision.
    page.click("[data-nav='seasons.index']")
    page.click("td.fw-semibold a:text-is('2026')")
    season_url = page.url
    before = yuan(page.inner_text("[data-money='committed'] .figure-value"))

    # The notice is over: the organiser confirms the final results.
    page.click("[data-nav='events.index']")
    page.click(f"text={EVENT}")
    page.click("[data-link='results']")
    page.click("text=确认最终成绩")
    page.wait_for_selector(".alert-success")

    # The event's nominations are there, proposed by rank.
    page.click("[data-nav='nominations.landing']")
    page.select_option("select#event", label=EVENT)
    page.click("form[role=search] button[type=submit]")
    proposed = page.locator("tr[data-state='proposed']")
    expect(proposed.nth(1)).to_be_attached()  # two at least
    first, second = proposed.nth(0).get_attribute("data-name"), proposed.nth(1).get_attribute("data-name")

    # Approve the first (confirmed), reject the second with a reason.
    proposed.nth(0).locator("form[action*='/approve'] button").click()
    page.wait_for_selector(".alert-success")
    expect(page.locator(".alert-success")).to_contain_text("技术能手称号", use_inner_text=True)
    row = page.locator(f"tr[data-name='{second}']")
    row.locator("summary").click()
    row.locator("textarea[name=reason]").fill("本人书面申请放弃本年度参评。")
    row.locator("button[data-action='reject']").click()
    page.wait_for_selector(".alert-success")
    expect(page.locator(f"tr[data-name='{first}'][data-state='approved']")).to_have_count(1)
    expect(page.locator(f"tr[data-name='{second}'][data-state='rejected']")).to_have_count(1)
    expect(page.locator(f"tr[data-name='{second}']")).to_contain_text("本人书面申请放弃本年度参评。", use_inner_text=True)

    # The register lists the new holder; the season budget counts the 2000 yuan.
    page.click("[data-nav='nominations.landing']")
    page.click("text=技术能手名录")
    expect(page.locator("[data-table='experts']")).to_contain_text(first, use_inner_text=True)
    page.goto(season_url)
    expect(page.locator("[data-money='committed'] .figure-value")).to_have_text(yuan_text(before + 2000))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "journey-nominations-budget.png"), full_page=True)

    # The public register (no login) masks the name.
    page.click(".user-menu")
    page.click("form[action='/logout'] button")
    page.goto(f"{live_server}/public")
    page.click("[data-link='experts']")
    public = page.locator("[data-table='experts']")
    expect(public).to_contain_text(first[0] + "*", use_inner_text=True)
    expect(public).not_to_contain_text(first, use_inner_text=True)
    assert not page.console_errors, page.console_errors
