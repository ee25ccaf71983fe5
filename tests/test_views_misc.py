"""HTML views: navigation per role, home figures, error pages, language, CSRF, headers, audit, policy."""
import re

import pytest

from competition.models import AuditEntry, Enterprise, Role, User
from tests.builders import make_enterprise, make_season, make_user
from tests.clients import html, login


def nav(body: str) -> set[str]:
    """The endpoints in the navigation bar."""
    return set(re.findall(r'data-nav="([^"]+)"', body))


def figure(body: str, key: str) -> str:
    """The value shown on one home-page figure card."""
    match = re.search(rf'data-figure="{key}".*?<div class="figure-value" data-value>([^<]*)</div>', body, re.S)
    assert match, key
    return match.group(1).strip()


def logged_in(client, db, role, **overrides) -> User:
    """Log in a fresh user of a role."""
    user = make_user(role, **overrides)
    db.session.commit()
    login(client, user)
    return user


NAV_BY_ROLE = {
    Role.ADMIN: {"main.home", "certificates.index", "reports.dashboard", "nominations.landing", "events.index", "seasons.index", "enterprises.index", "admin.users", "audit.index", "policy.index", "objections.landing", "subsidy.claims", "standings.current", "competitions.index", "towns.index", "monthly.index", "support.index"},
    Role.ORGANISER: {"main.home", "certificates.index", "reports.dashboard", "nominations.landing", "events.index", "seasons.index", "enterprises.index", "audit.index", "policy.index", "objections.landing", "subsidy.claims", "standings.current", "competitions.index", "towns.index", "monthly.index", "support.index"},
    Role.JUDGE: {"main.home", "events.index", "seasons.index", "enterprises.index", "standings.current"},
    Role.ENTERPRISE: {"main.home", "certificates.index", "reports.dashboard", "nominations.landing", "events.index", "seasons.index", "enterprises.detail", "subsidy.claims", "standings.current", "competitions.index"},
    # 镇区人社: its own town's page (本镇区) and the pages every user has; nothing of the league's work (RULES.md §3)
    Role.TOWN: {"main.home", "towns.detail", "monthly.index", "seasons.index", "standings.current"},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_what_it_may_do(client, db, role):
    user = logged_in(client, db, role, **({"town": "盛泽镇"} if role is Role.TOWN else {}))
    body = html(client.get("/"))
    assert nav(body) == NAV_BY_ROLE[role]
    assert user.display_name in body and user.role.label in body
    assert ("用户管理" in body) is (role is Role.ADMIN)
    assert ("审计日志" in body) is (role in (Role.ADMIN, Role.ORGANISER))


def test_anonymous_pages_have_no_menu(client):
    body = html(client.get("/login"))
    assert nav(body) == set() and "退出登录" not in body


def test_logout_is_a_post_form_with_a_csrf_field(client, db):
    logged_in(client, db, Role.JUDGE)
    body = html(client.get("/"))
    form = re.search(r'<form method="post" action="/logout".*?</form>', body, re.S).group(0)
    assert 'name="csrf_token"' in form and "退出登录" in form


def test_judge_gets_a_chinese_403_on_user_admin_and_it_is_audited(client, db):
    logged_in(client, db, Role.JUDGE)
    response = client.get("/admin/users")
    body = html(response)
    assert response.status_code == 403
    assert 'lang="zh-CN"' in body and "没有权限" in body and "只有系统管理员可以管理用户。" in body
    assert "返回首页" in body
    refused = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "refused"))
    assert refused is not None and "/admin/users" in refused.message


def test_404_page_is_chinese(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = html(response)
    assert "页面不存在" in body and "您访问的页面或数据不存在。" in body and 'data-status="404"' in body


def test_english_switch_translates_nav_home_login_and_errors(client, db):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.location == "/login"
    login_page = html(client.get("/login"))
    assert 'lang="en"' in login_page and "Log in" in login_page and "Username" in login_page
    logged_in(client, db, Role.ADMIN)
    home = html(client.get("/"))
    for text in ("Home", "Seasons", "Enterprises", "Users", "Audit log", "Policy", "Log out", "Administrator"):
        assert text in home, text
    assert "用户管理" not in home
    missing = html(client.get("/nowhere"))
    assert "Page not found" in missing and "Back to home" in missing
    client.get("/lang/zh_CN")
    assert "用户管理" in html(client.get("/"))


def test_language_switch_refuses_unknown_codes_and_unsafe_next(client):
    assert client.get("/lang/fr").status_code == 404
    assert client.get("/lang/en?next=https://evil.example/").location == "/"


def test_csrf_missing_token_is_refused_and_nothing_changes(app, client, db):
    logged_in(client, db, Role.ORGANISER)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/enterprises/new", data={"name": "无令牌公司", "credit_code": "91350100M000100Y43"})
    assert response.status_code == 400
    assert "安全令牌" in html(response)
    assert db.session.scalar(db.select(db.func.count(Enterprise.id))) == 0
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_csrf_token_from_the_page_is_accepted_also_as_htmx_header(app, client, db):
    logged_in(client, db, Role.ORGANISER)
    app.config["WTF_CSRF_ENABLED"] = True
    page = html(client.get("/enterprises/new"))
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/enterprises/new", data={"csrf_token": token, "name": "有令牌公司",
                                                     "credit_code": "91350100M000100Y43"})
    assert response.status_code == 302
    response = client.post("/seasons/new", headers={"X-CSRFToken": token},
                           data={"year": "2029", "name": "2029年度", "budget": "10"})
    assert response.status_code == 302


def test_security_headers_and_no_store_for_logged_in_pages(client, db):
    anonymous = client.get("/login")
    csp = anonymous.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert anonymous.headers["X-Frame-Options"] == "DENY"
    assert anonymous.headers["X-Content-Type-Options"] == "nosniff"
    logged_in(client, db, Role.ADMIN)
    assert client.get("/").headers.get("Cache-Control") == "no-store"


def test_pages_carry_no_inline_script_style_or_handlers(client, db):
    make_season()
    logged_in(client, db, Role.ADMIN)
    company = make_enterprise()
    db.session.commit()
    for url in ("/", "/admin/users", "/admin/users/new", "/admin/users/1/edit", "/enterprises",
                f"/enterprises/{company.id}", "/enterprises/new", "/seasons", "/seasons/new", "/audit",
                "/policy", "/account/password", "/nowhere"):
        body = html(client.get(url))
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), url
        assert "<style" not in body and not re.search(r"\sstyle=", body), url
        assert not re.search(r"\son[a-z]+=", body), url
        assert 'name="htmx-config"' in body and '<meta name="csrf-token"' in body


def test_staff_home_shows_real_counts(client, db):
    for _ in range(3):
        make_enterprise()
    make_season(year=2026, name="2026年度", budget=1_234_567)
    make_user(Role.JUDGE)
    make_user(Role.JUDGE)
    logged_in(client, db, Role.ORGANISER)
    body = html(client.get("/"))
    assert figure(body, "enterprises") == "3"
    assert figure(body, "seasons") == "1"
    assert figure(body, "users") == "3"
    assert re.search(r'data-role-count="judge">\s*<span>裁判</span><span class="fw-semibold">2</span>', body)
    assert "￥1,234,567" in body
    assert "最新审计记录" in body and "登录成功" in body


def test_staff_home_without_a_season_says_so(client, db):
    logged_in(client, db, Role.ADMIN)
    assert "尚未创建联赛年度" in html(client.get("/"))


def test_judge_home_shows_employer_and_no_events(client, db):
    employer = make_enterprise(name="苏州永鼎股份有限公司")
    logged_in(client, db, Role.JUDGE, display_name="李裁判", employer=employer)
    body = html(client.get("/"))
    assert "李裁判" in body and "苏州永鼎股份有限公司" in body and "暂无分配给您的赛项" in body
    assert "data-figure" not in body


def test_judge_home_lists_their_panels_with_what_to_do_next(client, db):
    from competition.models import PanelMember
    from competition.services.audit import Actor
    from competition.services.marking.marks import save_marks
    from tests.marking_builders import make_world
    world = make_world(3, judges=2, name="焊工评分赛项")
    drawn = make_world(1, judges=1, name="钳工抽签赛项")
    drawn.event.status = drawn.event.status.DRAWN
    chief, judge = world.judges
    drawn.event.panel.append(PanelMember(user_id=judge.id, is_chief=False))
    _, quality, safety = world.criteria
    save_marks(Actor(judge), world.event, [("001", quality, "50", None), ("001", safety, "30", None)])
    db.session.commit()
    login(client, judge)
    body = html(client.get("/"))
    seat = body[body.index(f'data-seat="{world.event.id}"'):body.index(f'data-seat="{drawn.event.id}"')]
    assert "焊工评分赛项" in seat and "评分中" in seat and "已录入 2 / 6" in seat
    assert f'href="/events/{world.event.id}/marks"' in seat and "data-chief" not in seat and "评分面板" not in seat
    later = body[body.index(f'data-seat="{drawn.event.id}"'):]
    assert "钳工抽签赛项" in later and "组委会开始评分后，可在此录入评分" in later and "录入评分</a>" not in later
    assert "暂无分配给您的赛项" not in body and re.search(r'data-link="all-seats">[^<]*<span[^>]*>2</span>', body)

    client.post("/logout")
    login(client, chief)
    body = html(client.get("/"))
    assert "data-chief" in body and f'href="/events/{world.event.id}/scoring-panel"' in body
    assert "已录入 0 / 6" in body


def test_judge_home_shows_ten_panels_and_links_to_all_of_them(client, db):
    from competition.models import PanelMember
    from tests.builders import make_event
    judge = logged_in(client, db, Role.JUDGE)
    for n in range(11):
        make_event("final", name=f"往届赛项{n}").panel.append(PanelMember(user_id=judge.id, is_chief=False))
    db.session.commit()
    body = html(client.get("/"))
    assert body.count("data-seat=") == 10 and re.search(r'data-link="all-seats">[^<]*<span[^>]*>11</span>', body)


def test_enterprise_home_shows_its_enterprise(client, db):
    company = make_enterprise(name="江苏恒力化纤股份有限公司", town="盛泽镇")
    make_user(Role.ENTERPRISE, enterprise=company)
    logged_in(client, db, Role.ENTERPRISE, enterprise=company)
    body = html(client.get("/"))
    assert "江苏恒力化纤股份有限公司" in body and company.credit_code in body and "盛泽镇" in body
    assert figure(body, "enterprise_accounts") == "2"


def test_audit_log_filters_and_shows_changes(client, db):
    admin = logged_in(client, db, Role.ADMIN)
    season = make_season(year=2032, budget=100)
    db.session.commit()
    client.post(f"/seasons/{season.id}/edit", data={"year": "2032", "name": season.name, "budget": "900"})
    body = html(client.get("/audit?action=season.update"))
    assert "联赛年度已修改" in body and "联赛年度 #" in body
    assert '<span class="before">100</span> → <span class="after">900</span>' in body
    assert 'data-audit="login"' not in body
    assert 'data-audit="login"' in html(client.get(f"/audit?user={admin.username}"))
    assert "season.update" in html(client.get(f"/audit?object_type=Season&object_id={season.id}"))
    assert "没有这个用户。" in html(client.get("/audit?user=ghost"))


def test_audit_and_policy_are_staff_only(client, db):
    logged_in(client, db, Role.ENTERPRISE)
    assert client.get("/audit").status_code == 403
    assert client.get("/policy").status_code == 403


def test_policy_page_has_chinese_columns_and_the_founding_figures(client, db):
    logged_in(client, db, Role.ORGANISER)
    body = html(client.get("/policy"))
    for column in ("参赛人数门槛", "补贴金额", "每企业每年补贴次数", "技术能手补贴", "默认推荐名额", "合格分", "公示工作日"):
        assert column in body
    assert "2012-12-05" in body and "￥20,000" in body and "￥2,000" in body and "吴政规字〔2012〕13号" in body


def test_healthz_is_untouched(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_huge_numbers_in_list_filters_are_ignored_not_a_500(client, db):
    logged_in(client, db, Role.ORGANISER)
    for url in ("/events?season=99999999999999999999", "/audit?object_id=-99999999999999999999",
                "/enterprises?page=99999999999999999999"):
        assert client.get(url).status_code == 200, url
