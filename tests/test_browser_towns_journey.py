"""Journey (issue 21, item 1): the administrator creates a town officer for 盛泽镇 in the browser; the officer logs in,
opens its town's page from the menu (the demo's 恒力化纤 is in 盛泽镇; names masked) and its dashboard beside the
district's, and is refused another town's page (RULES.md §3, §17)."""
from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser_fixtures import log_in, open_menu

USERNAME, PASSWORD = "shengze-hr", "Shengze-Renshe-2026"


def test_the_admin_creates_a_town_officer_who_sees_its_town_only(live_server, page):
    base = live_server
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "admin", "Guanli-2026")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/admin/users/new")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=display_name]", "盛泽镇人社 沈科员")
    page.fill("input[name=password]", PASSWORD)
    expect(page.locator("select[name=town]")).to_be_hidden()  # shown for the town role only
    page.select_option("select[name=role]", "town")
    expect(page.locator("select[name=town]")).to_be_visible()
    page.select_option("select[name=town]", "盛泽镇")
    page.click("form[data-role-form] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(USERNAME)
    page.goto(f"{base}/admin/users?role=town")
    expect(page.locator(f"tr[data-user='{USERNAME}'] [data-affiliation]")).to_have_text("盛泽镇")

    page.context.clear_cookies()
    log_in(page, base, USERNAME, PASSWORD)
    page.wait_for_url(f"{base}/")
    expect(page.locator("[data-home-section='town']")).to_contain_text("盛泽镇")
    open_menu(page)
    page.click("[data-nav='towns.detail']")
    page.wait_for_url(f"{base}/towns/{quote('盛泽镇')}")
    expect(page.locator("[data-table='town-enterprises']")).to_contain_text("江苏恒力化纤股份有限公司")
    expect(page.locator("[data-nav='events.index']")).to_have_count(0)
    masked = page.locator("[data-table='town-participants'] [data-masked-name]")
    if masked.count():  # every name shown is masked: first (and last) character kept
        assert all("*" in name for name in masked.all_inner_texts())
    page.click("text=镇区看板")
    page.wait_for_url(f"{base}/towns/{quote('盛泽镇')}/dashboard*")
    expect(page.locator("[data-table='town-figures'] tr[data-figure='participants']")).to_be_visible()
    expect(page.locator("[data-table='town-figures'] tr[data-figure='committed']")).to_be_visible()

    answer = page.goto(f"{base}/towns/{quote('七都镇')}")
    assert answer.status == 403
    expect(page.locator("body")).to_contain_text("您只能查看本镇（区）的数据。")
