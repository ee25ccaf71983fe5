"""HTML views: league years and their budgets."""
from competition.models import AuditEntry, Role, Season
from tests.builders import make_season, make_user
from tests.clients import html, login


def logged_in(client, db, role=Role.ORGANISER):
    """Log in a fresh user of a role."""
    user = make_user(role)
    db.session.commit()
    login(client, user)
    return user


def season_count(db) -> int:
    """How many seasons exist."""
    return db.session.scalar(db.select(db.func.count(Season.id)))


def test_create_a_season(client, db):
    logged_in(client, db)
    response = client.post("/seasons/new", data={"year": "2027", "name": "2027年吴江职业技能联赛",
                                                  "budget": "1,234,567"})
    assert response.status_code == 302
    season = db.session.scalar(db.select(Season).where(Season.year == 2027))
    assert season.budget == 1234567
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "season.create"))
    assert entry.object_id == season.id and entry.after["budget"] == 1234567
    page = html(client.get(response.location))
    assert "￥1,234,567" in page and "￥0" in page


def test_duplicate_year_is_shown_under_the_year(client, db):
    logged_in(client, db)
    make_season(year=2026)
    db.session.commit()
    response = client.post("/seasons/new", data={"year": "2026", "name": "重复的年度", "budget": "100"})
    body = html(response)
    assert response.status_code == 409
    assert "2026年度已存在。" in body
    year_block = body.split('data-field="year"')[1].split('data-field="name"')[0]
    assert "is-invalid" in year_block and "2026年度已存在。" in year_block
    assert 'value="重复的年度"' in body
    assert season_count(db) == 1


def test_bad_numbers_get_chinese_messages(client, db):
    logged_in(client, db)
    response = client.post("/seasons/new", data={"year": "二〇二七", "name": "x", "budget": ""})
    body = html(response)
    assert response.status_code == 400
    assert "请输入整数。" in body and "请填写预算。" in body
    response = client.post("/seasons/new", data={"year": "1999", "name": "x", "budget": "-5"})
    body = html(response)
    assert "年度应为2012至2100之间的整数。" in body and "预算应为不小于0的整数（元）。" in body
    assert season_count(db) == 0


def test_edit_a_season(client, db):
    logged_in(client, db, Role.ADMIN)
    season = make_season(year=2030, budget=500)
    db.session.commit()
    assert 'value="2030"' in html(client.get(f"/seasons/{season.id}/edit"))
    response = client.post(f"/seasons/{season.id}/edit", data={"year": "2030", "name": "改过的名字", "budget": "2000000"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Season, season.id).budget == 2_000_000
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "season.update"))
    assert entry.before["budget"] == 500 and entry.after["budget"] == 2_000_000


def test_list_shows_money_and_everyone_may_read(client, db):
    make_season(year=2031, name="2031年度联赛", budget=2_000_000)
    logged_in(client, db, Role.JUDGE)
    body = html(client.get("/seasons"))
    assert "2031年度联赛" in body and "￥2,000,000" in body
    assert "/seasons/new" not in body


def test_only_staff_create_or_edit(client, db):
    season = make_season(year=2030)  # not the year the refused edits post
    for role in (Role.JUDGE, Role.ENTERPRISE):
        logged_in(client, db, role)
        assert client.get("/seasons/new").status_code == 403
        response = client.post(f"/seasons/{season.id}/edit", data={"year": "2040", "name": "改", "budget": "1"})
        assert response.status_code == 403
        client.post("/logout")
    db.session.expire_all()
    assert db.session.get(Season, season.id).year != 2040


def test_empty_list_offers_to_create(client, db):
    logged_in(client, db)
    body = html(client.get("/seasons"))
    assert "尚未创建联赛年度" in body and "/seasons/new" in body


def test_missing_season_is_404(client, db):
    logged_in(client, db)
    assert client.get("/seasons/999").status_code == 404
