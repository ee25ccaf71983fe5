"""Journey (issue 18, item 3): 亨通's HR narrows who may enrol in its fibre-splicing event from the event page: the
enterprise list is filtered as they type and shows only while "主办企业和受邀企业" is chosen; the change asks first."""
from playwright.sync_api import expect

from tests.browser_fixtures import log_in

SPLICING = "亨通光纤熔接工技能竞赛"  # the demo invites 通鼎 and 永鼎 to it


def test_the_host_narrows_the_invitations_from_the_event_page(live_server, page):
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    log_in(page, live_server, "enterprise2", "Qiye-HR-2026")
    page.goto(f"{live_server}/events?q={SPLICING}")
    page.click(f"text={SPLICING}")
    card = page.locator("[data-section=enrolment-policy]")
    expect(card.locator("[data-policy-sentence]")).to_contain_text("通鼎互联信息股份有限公司")
    picker = card.locator("[data-invited-picker]")
    expect(picker).to_be_visible()
    expect(card.locator("[data-invited-count]")).to_have_text("2")

    card.locator("label", has_text="通鼎互联").click()  # untick 通鼎
    expect(card.locator("[data-invited-count]")).to_have_text("1")
    card.locator("[data-enterprise-filter]").fill("永鼎")
    expect(card.locator("[data-enterprise-option][data-name^=苏州永鼎]")).to_be_visible()
    expect(card.locator("[data-enterprise-option][data-name^=通鼎]")).to_be_hidden()
    expect(card.locator("[data-enterprise-option][data-name^=江苏恒力]")).to_be_hidden()

    card.locator("label", has_text="所有企业").click()
    expect(picker).to_be_hidden()
    card.locator("label", has_text="主办企业和受邀企业").click()
    expect(picker).to_be_visible()
    card.locator("[data-action=enrolment-policy]").click()
    page.wait_for_selector(".alert-success")
    assert asked and "已有的报名保留" in asked[0]
    expect(page.locator("[data-policy-sentence]")).to_have_text("报名范围：主办企业和受邀企业（苏州永鼎股份有限公司）")
    assert page.console_errors == []
