"""Journey: each demo role logs in through the real login page, sees its home and menu, and logs out."""
import pytest

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


def log_in(page, base, username, password):
    """Type into the real login form and submit it."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


@pytest.mark.parametrize("role", ACCOUNTS)
def test_each_role_logs_in_sees_its_menu_and_logs_out(live_server, page, role):
    username, password, must_see, must_not_see, home_text = ACCOUNTS[role]
    log_in(page, live_server, username, password)
    page.wait_for_url(f"{live_server}/")
    menu = set(page.eval_on_selector_all("[data-nav]", "els => els.map(e => e.dataset.nav)"))
    assert must_see <= menu, menu
    assert not (must_not_see & menu), menu
    assert home_text in page.inner_text("main")
    assert page.console_errors == []  # no CSP violations, no script errors

    page.click(".user-menu")
    page.click("form[action='/logout'] button")
    page.wait_for_url(f"{live_server}/login*")
    assert "已退出登录" in page.inner_text("body")
    page.goto(f"{live_server}/")
    assert "/login" in page.url  # the session really ended


def test_wrong_password_shows_a_chinese_message(live_server, page):
    log_in(page, live_server, "organiser", "not-the-password")
    assert "用户名或密码错误" in page.inner_text("body")
    assert "/login" in page.url
