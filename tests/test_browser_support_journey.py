"""Journey (issue 21): technical support. The organisers approve 亨通's 光纤熔接工 event into the plan; its host asks
for two judges in the browser; the organiser grants them, choosing two pool judges free of 回避 after confirming; the
event's panel shows them, and the annual plan shows the support (RULES.md §17)."""
from playwright.sync_api import expect

from tests.browser_fixtures import log_in

SPLICING = "亨通光纤熔接工技能竞赛"
LENT = ("钱裁判", "孙裁判")  # judge4 (no employer) and judge5 (东方国际): neither works for 亨通


def _headers(page, base, username="organiser", password="Zuweihui-2026"):
    """Bearer headers for the API, through the same server."""
    answer = page.request.post(f"{base}/api/v1/tokens", data={"username": username, "password": password})
    assert answer.status == 201, answer.text()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_a_host_requests_judges_and_the_organiser_grants_two(live_server, page):
    base = live_server
    page.on("dialog", lambda dialog: dialog.accept())
    headers = _headers(page, base)
    event = next(e for e in page.request.get(f"{base}/api/v1/events", params={"q": "光纤熔接"}, headers=headers)
                 .json()["items"] if e["name"] == SPLICING)
    approved = page.request.post(f"{base}/api/v1/events/{event['id']}/approve", headers=headers)
    assert approved.status == 200, approved.text()

    # The host (亨通's HR) asks for two judges from its event's page.
    log_in(page, base, "enterprise2", "Qiye-HR-2026")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/events/{event['id']}")
    page.click("[data-link='support-request']")
    page.check("input[name='kinds'][value='judges']")
    page.fill("input[name='judges_wanted']", "2")
    page.fill("textarea[name='details']", "决赛实操需两名熔接专业裁判，请从区裁判库借调。")
    page.click("[data-form='support-request'] button[type='submit']")
    expect(page.locator("[data-section='support-request'] [data-support-state]")).to_have_attribute(
        "data-support-state", "requested")

    # The organiser grants it from the queue, choosing two judges.
    page.context.clear_cookies()
    log_in(page, base, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/support?state=requested")
    page.locator("[data-table='support-requests'] tr", has_text=SPLICING).locator("a", has_text="#").first.click()
    page.check("input[name='decision'][value='grant']")
    options = page.locator("select[name='judge_ids'] option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())
              if any(name in options.nth(i).inner_text() for name in LENT)]
    assert len(values) == 2
    page.select_option("select[name='judge_ids']", values)
    page.fill("input[name='cost']", "1200")
    page.click("[data-action='decide']")
    expect(page.locator("[data-section='support-decision']")).to_be_visible()
    expect(page.locator("[data-support-state]").first).to_have_attribute("data-support-state", "granted")
    for name in LENT:
        expect(page.locator("[data-lent-judges]")).to_contain_text(name)

    # The event's panel shows the lent judges; the event page and the public plan show the support.
    page.goto(f"{base}/events/{event['id']}/panel")
    for name in LENT:
        expect(page.locator("tr[data-member]", has_text=name)).to_have_count(1)
    page.goto(f"{base}/events/{event['id']}")
    expect(page.locator("[data-section='support'] [data-support-state]")).to_have_attribute(
        "data-support-state", "granted")
    page.context.clear_cookies()
    page.goto(f"{base}/plan")
    expect(page.locator(f"tr[data-plan-event='{event['id']}'] [data-cell='support']")).to_have_text("裁判支持")
