"""Journey (issue 19): from 公示 to awards. An enterprise objects to its employee's result, the organiser upholds it,
a judge corrects a mark with a reason, the chief judge signs off, the organiser republishes and, after the new
notice, finalises; the enterprise downloads the certificate and a phone opens the QR code's verification page.

The event is the demo's 车工 competition, under notice since the seeding day (RULES.md §14, §15)."""
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser_fixtures import log_in

LATHE = "2026年吴江区车工职业技能竞赛"
JUDGES = ("judge", "judge2", "judge3", "judge4", "judge5")  # the demo panel; 李裁判 (judge) is the chief
OUR_REASON = "浏览器测试：我公司选手的“尺寸精度”评分与测量记录不符，请复核。"


def _token(page, base, username, password):
    """Bearer headers for the API, through the same server."""
    answer = page.request.post(f"{base}/api/v1/tokens", data={"username": username, "password": password})
    assert answer.status == 201, answer.text()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _event_id(page, base) -> int:
    """The demo 车工 event's id."""
    headers = _token(page, base, "organiser", "Zuweihui-2026")
    found = page.request.get(f"{base}/api/v1/events", params={"q": "车工"}, headers=headers).json()["items"]
    return next(e["id"] for e in found if e["name"] == LATHE)


def _switch(page, base, username, password):
    """Log out whoever is logged in, then log in."""
    page.context.clear_cookies()
    log_in(page, base, username, password)
    page.wait_for_url(f"{base}/")


def test_an_objection_upheld_corrected_republished_finalised_and_its_certificate_verified(
        live_server, page, phone_page, monkeypatch):
    base = live_server
    page.on("dialog", lambda dialog: dialog.accept())
    event_id = _event_id(page, base)
    if page.request.get(f"{base}/api/v1/events/{event_id}/results").json()["status"] != "notice":
        raise AssertionError("the demo's 车工 event is not under notice (is the working calendar missing a year?)")

    # The enterprise objects for one of its own employees: from the public results page (a district event's results
    # page is the organisers'), its 提出异议 link leads to the event's objections.
    _switch(page, base, "enterprise", "Qiye-HR-2026")
    page.goto(f"{base}/public/events/{event_id}")
    page.click("[data-link='objections']")
    panel = page.locator("[data-section='file-objection']")
    numbers = panel.locator("select[name='number'] option")
    number = next(v for v in (numbers.nth(i).get_attribute("value") for i in range(numbers.count())) if v)
    panel.locator("select[name='number']").select_option(number)
    panel.locator("textarea[name='reason']").fill(OUR_REASON)
    panel.locator("[data-action='file-objection']").click()
    expect(page.locator("[data-objection]", has_text=OUR_REASON)).to_be_visible()
    expect(page.locator("[data-objection]", has_text=OUR_REASON).locator("[data-objection-state]")).to_have_attribute(
        "data-objection-state", "received")

    # The organiser decides: the demo's earlier objection is dismissed, ours upheld (scoring reopens).
    _switch(page, base, "organiser", "Zuweihui-2026")
    page.goto(f"{base}/events/{event_id}/objections")
    demo = page.locator("[data-objection]", has_not_text=OUR_REASON).filter(
        has=page.locator("[data-objection-state='received']"))
    if demo.count():
        demo.first.locator("[data-link='review']").click()
        page.fill("#reason-dismiss", "经核对评分表和测量记录，评分无误。")
        page.click("[data-action='dismiss']")
        expect(page.locator("[data-decision-reason]")).to_contain_text("评分无误")
        page.goto(f"{base}/events/{event_id}/objections")
    page.locator("[data-objection]", has_text=OUR_REASON).locator("[data-link='review']").click()
    expect(page.locator("[data-section='marks']")).to_be_visible()  # 复核 is one page: marks, explanation, history
    expect(page.locator("[data-section='explanation']")).to_be_visible()
    expect(page.locator("[data-section='history']")).to_be_visible()
    page.fill("#reason-uphold", "经复核，尺寸精度一项应按测量记录重新评定。")
    page.click("[data-action='uphold']")
    expect(page.locator("[data-event-status='scoring']")).to_be_visible()

    # A judge corrects one of their marks in the grid; the grid asks why, and the reason stays with the change.
    _switch(page, base, "judge2", "Caipan-2026")
    page.goto(f"{base}/events/{event_id}/marks")
    page.wait_for_selector("[data-correcting]")
    page.fill("#correction-reason", "复核后按测量记录更正")
    cell = page.locator("input.marking-input:not([disabled])").first
    old = cell.input_value()
    new = "1" if old != "1" else "2"
    cell.fill(new)
    cell.press("Tab")
    expect(page.locator("[data-saved]")).to_have_count(1)
    page.click("text=提交评分")
    page.wait_for_selector("[data-submitted]")
    for judge in JUDGES:  # the rest of the panel submits again (a reopen clears every submission)
        if judge != "judge2":
            answer = page.request.post(f"{base}/api/v1/events/{event_id}/marks/submit",
                                       headers=_token(page, base, judge, "Caipan-2026"))
            assert answer.status == 200, answer.text()

    # The chief judge signs off again.
    _switch(page, base, "judge", "Caipan-2026")
    page.goto(f"{base}/events/{event_id}/scoring-panel")
    page.click("text=签核成绩")
    expect(page.locator(".alert-info", has_text="成绩已签核。")).to_be_visible()

    # The organiser republishes: a new full notice; after it ends, the results are finalised.
    _switch(page, base, "organiser", "Zuweihui-2026")
    page.goto(f"{base}/events/{event_id}/results")
    page.click("[data-section='publish'] button:has-text('公示成绩')")
    expect(page.locator("[data-notice-ends]")).to_be_visible()
    ends = date.fromisoformat(page.request.get(f"{base}/api/v1/events/{event_id}/results").json()["notice_ends_on"])
    after = ends + timedelta(days=1)
    for module in ("competition.services.results.lifecycle", "competition.views.results"):
        monkeypatch.setattr(f"{module}.beijing_today", lambda: after)  # the server runs in this process
    page.goto(f"{base}/events/{event_id}/results")
    page.click("text=确认最终成绩")
    expect(page.locator("[data-final]")).to_be_visible()

    # The enterprise downloads its employee's certificate.
    _switch(page, base, "enterprise", "Qiye-HR-2026")
    page.goto(f"{base}/certificates")
    row = page.locator("[data-certificate]", has_text=LATHE).first
    certificate = row.get_attribute("data-certificate")
    with page.expect_download() as download:
        row.locator("[data-link='certificate-pdf']").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # A phone scans the QR code: the verification page, masked, at 390×844.
    mobile = phone_page
    mobile.goto(f"{base}/verify/{certificate}")
    expect(mobile.locator("main")).to_contain_text(certificate)
    expect(mobile.locator("main")).to_contain_text("真实有效")
    expect(mobile.locator("main")).to_contain_text(LATHE)
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
