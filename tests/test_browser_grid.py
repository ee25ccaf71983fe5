"""The venue day on the mark grid (issue 15, M1-M3): a mark is never lost silently when the network falls, the
server fails or the session ends; and the demo's 60-contestant grid works on a tablet (1024×768) and on a phone
(390×844), with screenshots kept in test-artifacts/."""
import re

from playwright.sync_api import expect

from tests.browser_fixtures import ARTIFACTS, SCORING_EVENT, log_in, open_grid

CELL = "**/marks/cell"
SPINNING = "恒力化纤第三届化纤纺丝工技能竞赛"


def _token(page, base, username, password):
    """A bearer token for the API, through the same server."""
    answer = page.request.post(f"{base}/api/v1/tokens", data={"username": username, "password": password})
    assert answer.status == 201, answer.text()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _event_id(page, base, headers, name) -> int:
    """An event's id by its name."""
    found = page.request.get(f"{base}/api/v1/events", params={"q": name}, headers=headers).json()["items"]
    return next(e["id"] for e in found if e["name"] == name)


def _my_marks(page, base, event_id) -> list[dict]:
    """judge2's own stored marks, as the API reports them."""
    headers = _token(page, base, "judge2", "Caipan-2026")
    return page.request.get(f"{base}/api/v1/events/{event_id}/marks", headers=headers,
                            params={"per_page": 200}).json()["items"]


def test_marks_typed_while_the_network_is_down_are_kept_and_stored_once_it_returns(live_server, tablet_page):
    page = tablet_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_grid(page, live_server, "judge2")
    cells = page.locator("input.marking-input")

    page.route(CELL, lambda route: route.abort())  # the venue's Wi-Fi falls
    for index, value in ((0, "88"), (1, "52")):
        cells.nth(index).fill(value)
        cells.nth(index).press("Tab")
    expect(page.locator("td.marking-unsaved")).to_have_count(2)
    expect(page.locator("td.marking-unsaved [data-cell-state]").first).to_have_text("未保存，请检查网络后重试")
    expect(page.locator("[data-unsaved-text]")).to_have_text("有 2 个评分未保存")

    page.click("[data-submit-marks] button")  # submitting now would leave them out
    assert dialogs and "还有 2 个评分未保存" in dialogs[-1]

    page.reload()  # the tablet's page is reloaded (or the browser restarted): the marks come back from the tablet
    expect(page.locator("td.marking-unsaved")).to_have_count(2)
    expect(cells.nth(0)).to_have_value("88")
    expect(cells.nth(1)).to_have_value("52")

    page.unroute(CELL)
    page.route(CELL, lambda route: route.fulfill(status=503, body="Service Unavailable"))  # the server fails
    page.click("[data-retry-now]")
    expect(page.locator("td.marking-unsaved")).to_have_count(2)

    page.unroute(CELL)
    page.click("[data-retry-now]")  # the network is back
    expect(page.locator("[data-saved]")).to_have_count(2)
    expect(page.locator("[data-unsaved-banner]")).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('league.unsaved-marks'))") == []

    event_id = _event_id(page, live_server, _token(page, live_server, "organiser", "Zuweihui-2026"), SCORING_EVENT)
    stored = [(m["number"], m["value"], m["version"]) for m in _my_marks(page, live_server, event_id)]
    assert sorted(stored) == [("001", "52.00", 1), ("001", "88.00", 1)]  # each stored once


def test_a_save_whose_answer_was_lost_is_resent_and_still_stored_once(live_server, tablet_page):
    page = tablet_page
    open_grid(page, live_server, "judge2")

    def stored_then_cut(route):
        route.fetch()  # the server saves the mark…
        route.abort()  # …and the answer never reaches the tablet

    page.route(CELL, stored_then_cut)
    cell = page.locator("tr[data-number='002'] input.marking-input").nth(2)
    cell.fill("30")
    cell.press("Tab")
    expect(page.locator("td.marking-unsaved")).to_have_count(1)
    page.unroute(CELL)
    page.click("[data-retry-now]")
    expect(page.locator("tr[data-number='002'] [data-saved]")).to_have_count(1)
    expect(page.locator("[data-unsaved-banner]")).to_be_hidden()
    event_id = _event_id(page, live_server, _token(page, live_server, "organiser", "Zuweihui-2026"), SCORING_EVENT)
    assert [(m["value"], m["version"]) for m in _my_marks(page, live_server, event_id)
            if m["number"] == "002"] == [("30.00", 1)]


def test_an_ended_session_keeps_the_marks_and_sends_them_after_logging_in(live_server, tablet_page):
    page = tablet_page
    open_grid(page, live_server, "judge2")
    page.context.clear_cookies()  # the session ends (logged out elsewhere, expired)
    cell = page.locator("tr[data-number='003'] input.marking-input").first
    cell.fill("92")
    cell.press("Tab")
    expect(page.locator("td.marking-unsaved [data-cell-state]")).to_have_text("登录已失效，请重新登录")
    expect(page.locator("[data-unsaved-text]")).to_contain_text("登录已失效")
    expect(page.locator("tr[data-number='003'] form")).to_have_count(0)  # no login page pasted into the cell
    page.click("[data-login-link]")
    page.fill("input[name=username]", "judge2")
    page.fill("input[name=password]", "Caipan-2026")
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-marking-grid][data-ready]")
    expect(page.locator("tr[data-number='003'] [data-saved]")).to_have_count(1)  # sent on its own
    expect(page.locator("[data-unsaved-banner]")).to_be_hidden()


def test_a_mark_typed_while_the_page_was_still_loading_is_sent(live_server, tablet_page):
    page = tablet_page
    open_grid(page, live_server, "judge2")
    held = []
    page.route("**/htmx.min.js", lambda route: held.append(route))  # a slow venue network: the grid is drawn, its scripts not yet run
    page.goto(page.url, wait_until="commit")
    cell = page.locator("tr[data-number='003'] input.marking-input").nth(1)
    cell.fill("44")
    cell.press("Tab")  # left before anything listened to it
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    expect(page.locator("[data-marking-grid][data-ready]")).to_have_count(0)
    held[0].continue_()
    expect(page.locator("tr[data-number='003'] td:nth-of-type(2) [data-saved]")).to_have_count(1)
    event_id = _event_id(page, live_server, _token(page, live_server, "organiser", "Zuweihui-2026"), SCORING_EVENT)
    assert ("44.00", 1) in [(m["value"], m["version"]) for m in _my_marks(page, live_server, event_id)
                            if m["number"] == "003"]


def _start_scoring_the_demo_event(page, base) -> int:
    """The demo's drawn 化纤纺丝工 event (60 present contestants, five judges) moves to scoring."""
    headers = _token(page, base, "organiser", "Zuweihui-2026")
    event_id = _event_id(page, base, headers, SPINNING)
    answer = page.request.post(f"{base}/api/v1/events/{event_id}/start-scoring", headers=headers)
    assert answer.status in (200, 409), answer.text()
    return event_id


def _open(page, base, event_id):
    """The chief judge's grid of the event."""
    log_in(page, base, "judge", "Caipan-2026")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/events/{event_id}/marks")
    page.wait_for_selector("[data-marking-grid][data-ready]")


def test_the_60_contestant_grid_on_a_tablet(live_server, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        event_id = _start_scoring_the_demo_event(page, live_server)
        _open(page, live_server, event_id)
        expect(page.locator("tr[data-row]")).to_have_count(60)
        header = page.locator(".grid-head-criteria th").first
        number = page.locator("tr[data-number='001'] th")
        top_before, left_before = header.bounding_box()["y"], number.bounding_box()["x"]
        page.locator("[data-marking-scroll]").evaluate("box => { box.scrollTop = 1500; box.scrollLeft = 400; }")
        assert abs(header.bounding_box()["y"] - top_before) < 2  # the criteria and their ranges stay in view
        assert abs(page.locator("tr[data-number='030'] th").bounding_box()["x"] - left_before) < 2  # so do numbers
        expect(header).to_contain_text(re.compile(r"0–\d+"))

        page.fill("[data-goto-number]", "45")  # 跳到参赛号
        page.press("[data-goto-number]", "Enter")
        focused = page.locator(":focus")
        expect(focused).to_have_attribute("data-number", "045")
        page.keyboard.type("66")
        page.keyboard.press("Enter")  # down the column
        expect(focused).to_have_attribute("data-number", "046")
        expect(page.locator("tr[data-number='045'] [data-saved]")).to_have_count(1)
        page.keyboard.press("Tab")  # across the row
        expect(focused).to_have_attribute("data-number", "046")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "grid-60-tablet-1024x768.png"))
        assert errors == []  # no script error, no CSP violation
    finally:
        context.close()


def test_the_60_contestant_grid_on_a_phone_is_one_contestant_at_a_time(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    try:
        event_id = _start_scoring_the_demo_event(page, live_server)
        _open(page, live_server, event_id)
        visible = page.locator("tr[data-row]:visible")
        expect(visible).to_have_count(1)
        first = visible.first.get_attribute("data-number")
        expect(page.locator("[data-card-position]")).to_contain_text("/ 60 位")
        labels = page.locator("tr.is-current td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert all("0–" in label for label in labels)  # each field names its criterion and range
        page.click("[data-card-next]")
        expect(page.locator("tr[data-row]:visible")).to_have_count(1)
        expect(visible).not_to_have_attribute("data-number", first)
        page.click("[data-card-prev]")
        expect(visible).to_have_attribute("data-number", first)
        page.fill("[data-goto-number]", "060")
        page.press("[data-goto-number]", "Enter")
        expect(visible).to_have_attribute("data-number", "060")
        expect(page.locator("[data-card-next]")).to_be_disabled()
        expect(page.locator("[data-card-prev]")).to_be_enabled()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing runs off the side of the phone
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "grid-60-phone-390x844.png"), full_page=True)
    finally:
        context.close()
