"""HTML views: the enterprise directory, registering and editing, and who may see what."""
from competition.models import AuditEntry, Enterprise, Role
from competition.demo import demo_credit_code
from tests.builders import make_enterprise, make_user
from tests.clients import html, login

VALID_CODE = "91350100M000100Y43"


def enterprise_count(db) -> int:
    """How many enterprises exist."""
    return db.session.scalar(db.select(db.func.count(Enterprise.id)))


def audit_count(db, action: str) -> int:
    """How many audit rows of one action exist."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == action))


def logged_in(client, db, role=Role.ORGANISER, **overrides):
    """Log in a fresh user of a role and return it."""
    user = make_user(role, **overrides)
    db.session.commit()
    login(client, user)
    return user


def test_staff_list_searches_by_name_or_code_and_filters_by_town(client, db):
    logged_in(client, db)
    make_enterprise(name="亨通集团有限公司", town="七都镇")
    make_enterprise(name="恒力化纤股份有限公司", town="盛泽镇", credit_code=VALID_CODE)
    db.session.commit()
    body = html(client.get("/enterprises"))
    assert "亨通集团有限公司" in body and "恒力化纤股份有限公司" in body
    assert "亨通" in html(client.get("/enterprises?q=亨通")) and "恒力" not in html(client.get("/enterprises?q=亨通"))
    assert "恒力化纤" in html(client.get("/enterprises?q=M000100"))
    by_town = html(client.get("/enterprises?town=七都镇"))
    assert "亨通集团有限公司" in by_town and "恒力化纤股份有限公司" not in by_town
    assert "没有符合条件的企业" in html(client.get("/enterprises?q=不存在的企业"))


def test_enterprise_user_is_sent_to_their_own_enterprise(client, db):
    hr = logged_in(client, db, Role.ENTERPRISE)
    response = client.get("/enterprises")
    assert response.status_code == 302 and response.location == f"/enterprises/{hr.enterprise_id}"
    page = html(client.get(response.location))
    assert hr.enterprise.name in page and hr.enterprise.credit_code in page and hr.username in page


def test_enterprise_user_cannot_see_another_enterprise(client, db):
    logged_in(client, db, Role.ENTERPRISE)
    other = make_enterprise()
    db.session.commit()
    response = client.get(f"/enterprises/{other.id}")
    assert response.status_code == 403
    assert "您只能查看本企业的信息。" in html(response)
    assert client.get(f"/enterprises/{other.id}/edit").status_code == 403


def test_judge_sees_the_directory_but_no_details(client, db):
    logged_in(client, db, Role.JUDGE)
    company = make_enterprise(name="通鼎互联信息股份有限公司")
    db.session.commit()
    body = html(client.get("/enterprises"))
    assert "通鼎互联信息股份有限公司" in body and f"/enterprises/{company.id}" not in body
    assert client.get(f"/enterprises/{company.id}").status_code == 403
    assert client.get("/enterprises/new").status_code == 403


def test_staff_detail_lists_accounts_and_judges(client, db):
    logged_in(client, db, Role.ADMIN)
    company = make_enterprise()
    make_user(Role.ENTERPRISE, enterprise=company, username="hr_one")
    make_user(Role.JUDGE, employer=company, username="judge_from_here")
    db.session.commit()
    body = html(client.get(f"/enterprises/{company.id}"))
    assert "hr_one" in body and "judge_from_here" in body


def test_register_an_enterprise(client, db):
    logged_in(client, db)
    response = client.post("/enterprises/new", data={
        "name": "吴江东方国际纺织有限公司", "credit_code": VALID_CODE.lower(), "town": "平望镇"})
    assert response.status_code == 302
    company = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == VALID_CODE))
    assert company.name == "吴江东方国际纺织有限公司"
    assert audit_count(db, "enterprise.create") == 1
    assert "已登记企业“吴江东方国际纺织有限公司”。" in html(client.get(response.location))


def test_invalid_credit_code_shows_the_rule_and_keeps_the_typing(client, db):
    logged_in(client, db)
    before = enterprise_count(db)
    response = client.post("/enterprises/new", data={
        "name": "某某机械有限公司", "credit_code": "91350100M000100Y44", "town": "震泽镇"})
    body = html(response)
    assert response.status_code == 400
    assert "统一社会信用代码校验位不正确，请核对。" in body
    assert 'value="某某机械有限公司"' in body and 'value="91350100M000100Y44"' in body and 'value="震泽镇"' in body
    assert 'is-invalid' in body
    assert enterprise_count(db) == before and audit_count(db, "enterprise.create") == 0


def test_bad_characters_in_the_code_are_named(client, db):
    logged_in(client, db)
    response = client.post("/enterprises/new", data={"name": "某某机械有限公司", "credit_code": "91350100M000100IO4"})
    assert response.status_code == 400
    assert "不允许的字符：IO" in html(response)


def test_duplicate_credit_code_is_a_409(client, db):
    logged_in(client, db)
    make_enterprise(name="先登记的公司", credit_code=VALID_CODE)
    db.session.commit()
    response = client.post("/enterprises/new", data={"name": "后登记的公司", "credit_code": VALID_CODE})
    assert response.status_code == 409
    assert "已登记为“先登记的公司”" in html(response)
    assert enterprise_count(db) == 1


def test_edit_an_enterprise(client, db):
    logged_in(client, db, Role.ADMIN)
    company = make_enterprise(name="旧名称有限公司")
    db.session.commit()
    assert 'value="旧名称有限公司"' in html(client.get(f"/enterprises/{company.id}/edit"))
    response = client.post(f"/enterprises/{company.id}/edit", data={
        "name": "新名称有限公司", "credit_code": company.credit_code, "town": "黎里镇"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enterprise, company.id).name == "新名称有限公司"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "enterprise.update"))
    assert entry.before["name"] == "旧名称有限公司" and entry.after["name"] == "新名称有限公司"


def test_failed_edit_keeps_the_old_row(client, db):
    logged_in(client, db)
    company = make_enterprise(name="原名有限公司")
    db.session.commit()
    response = client.post(f"/enterprises/{company.id}/edit", data={"name": "改名有限公司", "credit_code": "123"})
    assert response.status_code == 400
    assert "统一社会信用代码应为18位，当前为3位。" in html(response)
    db.session.expire_all()
    assert db.session.get(Enterprise, company.id).name == "原名有限公司"


def test_list_pages_by_fifty(client, db):
    logged_in(client, db)
    for n in range(52):
        make_enterprise(name=f"分页企业{n:03d}", credit_code=demo_credit_code("91320584", 1000 + n))
    db.session.commit()
    assert html(client.get("/enterprises")).count("分页企业") == 50
    assert html(client.get("/enterprises?page=2")).count("分页企业") == 2


def test_missing_enterprise_is_404(client, db):
    logged_in(client, db)
    assert client.get("/enterprises/4040").status_code == 404
