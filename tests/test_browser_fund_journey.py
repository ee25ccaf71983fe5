"""Journey (issue 21): the organiser records a district spend. From the season page the organiser opens the budget
lines (giving 区级赛事经费 a 区级 line when the demo has none), records the judges' fees of the demo's district 车工
competition in the browser, approves it after the confirmation, and the season's line shows it committed
(RULES.md §17)."""
from datetime import timedelta

from playwright.sync_api import expect

from competition.models.types import beijing_today
from tests.browser_fixtures import log_in

LATHE = "2026年吴江区车工职业技能竞赛"
AMOUNT = 7_200
LINE = "[data-table='budget-lines'] tr[data-category='district_events']"


def test_the_organiser_records_and_approves_a_district_spend_and_the_line_counts_it(live_server, page):
    base = live_server
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{base}/")

    # The season page leads to its budget lines.
    page.goto(f"{base}/seasons")
    page.locator("[data-table='seasons'] a", has_text="2026").first.click()
    page.click("[data-link='budget-lines']")
    expect(page.locator(LINE)).to_be_visible()
    season_path = page.url.removeprefix(base)
    if int(page.locator(LINE).get_attribute("data-remaining")) < AMOUNT:
        # No room on the line (the demo without its fund): the organiser gives 区级赛事经费 a 区级 line in a blank row.
        blank = page.evaluate("""() => [...document.querySelectorAll('tr[data-line-row]')]
            .find(row => !row.querySelector('select[name$="-category"]').value).dataset.lineRow""")
        page.select_option(f"select[name='lines-{blank}-category']", "district_events")
        page.select_option(f"select[name='lines-{blank}-source']", "district")
        page.fill(f"input[name='lines-{blank}-amount']", "200000")
        page.fill(f"input[name='lines-{blank}-note']", "区级职业技能竞赛经费")
        page.click("[data-form='budget-lines'] button[type='submit']")
        expect(page.locator(".alert-success")).to_contain_text("已保存预算科目")
    committed = int(page.locator(LINE).get_attribute("data-committed"))

    # The organiser records the judges' fees of the 车工 competition.
    page.click("[data-link='spending']")
    page.click("[data-link='new-spending']")
    event_option = next(o for o in page.locator("select[name='event_id'] option").all_inner_texts()
                        if o.startswith(LATHE))
    page.select_option("select[name='category']", "district_events")
    page.select_option("select[name='event_id']", label=event_option)
    page.fill("input[name='amount']", str(AMOUNT))
    page.fill("input[name='spent_on']", (beijing_today() - timedelta(days=1)).isoformat())
    page.fill("input[name='voucher']", "吴人社记-浏览器-001")
    page.fill("textarea[name='note']", "车工决赛裁判劳务费：6人×1天×1200元")
    page.click("[data-form='spending'] button[type='submit']")
    expect(page.locator("[data-spending-state]").first).to_have_attribute("data-spending-state", "proposed")
    expect(page.locator("[data-voucher]")).to_have_text("吴人社记-浏览器-001")
    # The confirmation shows the line after approval.
    expect(page.locator("[data-line-after]")).to_contain_text("区级赛事经费")

    # Approved after the confirmation; the line shows it committed.
    page.click("[data-section='decision'] button:has-text('批准')")
    expect(page.locator(".alert-success")).to_contain_text("已批准支出")
    expect(page.locator("[data-spending-state]").first).to_have_attribute("data-spending-state", "approved")
    page.click("[data-link='budget-lines']")
    assert page.url.removeprefix(base) == season_path
    expect(page.locator(LINE)).to_have_attribute("data-committed", str(committed + AMOUNT))
