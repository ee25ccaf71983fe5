"""Journey: the defaults of a new event follow the policy version in force on the date typed (issue 16, item 3).
The administrator adds a 2027 version with a quota of 2 through the policy page; on the new-event page the quota
follows the event's date as it is typed, until the organiser types a quota of their own."""
from playwright.sync_api import expect

from tests.browser_fixtures import log_in


def test_the_quota_follows_the_event_date_until_it_is_typed(live_server, page):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "admin", "Guanli-2026")
    page.goto(f"{live_server}/policy/new")
    page.fill("input[name=effective_from]", "2027-01-01")
    page.fill("input[name=nomination_quota]", "2")
    page.click("form[data-form=policy] button[type=submit]")
    page.wait_for_selector(".alert-success")

    page.goto(f"{live_server}/events/new")
    quota = page.locator("input[name=nomination_quota]")
    expect(quota).to_have_value("3")  # today's version while no date is typed
    page.fill("input[name=event_date]", "2027-02-20")
    page.dispatch_event("input[name=event_date]", "change")
    expect(quota).to_have_value("2")
    expect(page.locator("[data-policy-hint]")).to_contain_text("2027-01-01", use_inner_text=True)
    page.fill("input[name=event_date]", "2026-12-20")
    page.dispatch_event("input[name=event_date]", "change")
    expect(quota).to_have_value("3")
    quota.fill("5")
    page.fill("input[name=event_date]", "2027-03-01")
    page.dispatch_event("input[name=event_date]", "change")
    expect(quota).to_have_value("5")  # the organiser's own figure stays
    assert page.console_errors == []
