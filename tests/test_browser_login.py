"""Journey: each demo role logs in through the real login page, sees its home and menu, and logs out."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import log_in

# role → (username, password, menu entries it must see, menu entries it must not see, text on its home)
ACCOUNTS = {
    "admin": ("admin", "Guanli-2026", {"main.home", "admin.users", "audit.index", "enterprises.index",
                                     "seasons.index", "policy.index"}, set(), "系统管理员"),
    "organiser": ("organiser", "Zuweihui-2026", {"main.home", "audit.index", "enterprises.index", "seasons.index"},
                  {"admin.users"}, "区组委会 王老师"),
    "judge": ("judge", "Caipan-2026", {"main.home"}, {"admin.users", "audit.index", "policy.index"}, "李裁判"),
    "enterprise": ("enterprise", "Qiye-HR-2026", {"main.home", "enterprises.detail"},
                   {"admin.users", "audit.index", "enterprises.index", "policy.index"}, "江苏恒力化纤股份有限公司"),
}


@pytest.mark.parametrize("role", ACCOUNTS)
def test_each_role_logs_in_sees_its_menu_and_logs_out(live_server, page, role):
    username, password, must_see, must_not_see, home_text = ACCOUNTS[role]
    log_in(page, live_server, username, password)
    page.wait_for_url(f"{live_server}/")
    menu = set(page.eval_on_selector_all("[data-nav]", "els => els.map(e => e.dataset.nav)"))
    assert must_see <= menu, menu
    assert not (must_not_see & menu), menu
    expect(page.locator("main")).to_contain_text(home_text, use_inner_text=True)
    assert page.console_errors == []  # no CSP violations, no script errors

    page.click(".user-menu")
    page.click("form[action='/logout'] button")
    page.wait_for_url(f"{live_server}/login*")
    expect(page.locator("body")).to_contain_text("已退出登录", use_inner_text=True)
    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile("/login"))  # the session really ended


def test_wrong_password_shows_a_chinese_message(live_server, page):
    log_in(page, live_server, "organiser", "not-the-password")
    expect(page.locator("body")).to_contain_text("用户名或密码错误", use_inner_text=True)
    expect(page).to_have_url(re.compile("/login"))
