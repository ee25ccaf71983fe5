"""The English interface speaks English (issue 17, item 4): a refusal, a rule's reason and a flash reach the reader
through translation, while the Chinese interface and the API keep their Chinese text."""
from competition.models import Role
from tests.builders import make_enterprise, make_user
from tests.clients import api_headers, login
from tests.subsidy_builders import host_user, make_claimable

BAD_CHECK_DIGIT = "91350100M000100Y44"


def html(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def in_english(client) -> None:
    """Switch the session to the English interface."""
    with client.session_transaction() as session:
        session["lang"] = "en"


def logged_in(client, db, role=Role.ORGANISER):
    """Log in a fresh user of a role and return it."""
    user = make_user(role)
    db.session.commit()
    login(client, user)
    return user


def test_a_bad_credit_code_is_refused_in_english_and_in_chinese(client, db):
    logged_in(client, db)
    form = {"name": "某某机械有限公司", "credit_code": BAD_CHECK_DIGIT, "town": "震泽镇"}
    chinese = html(client.post("/enterprises/new", data=form))
    assert "统一社会信用代码校验位不正确，请核对。" in chinese
    in_english(client)
    response = client.post("/enterprises/new", data=form)
    english = html(response)
    assert response.status_code == 400
    assert "统一社会信用代码" not in english and "credit code" in english.lower()
    assert BAD_CHECK_DIGIT in english  # the typing is kept


def test_a_refused_page_and_its_title_are_in_english(client, db):
    logged_in(client, db, Role.ENTERPRISE)
    in_english(client)
    response = client.get("/audit")
    page = html(response)
    assert response.status_code == 403
    assert "审计日志" not in page and "没有权限" not in page
    assert "Only administrators and the organisers may view the audit log." in page


def test_a_refused_subsidy_claim_flashes_its_reason_in_english(client, db):
    event = make_claimable(49)
    host = host_user(event)
    db.session.commit()
    login(client, host)
    chinese = html(client.post(f"/subsidy/events/{event.id}/claim", follow_redirects=True))
    assert "本赛项暂不符合竞赛经费补贴条件" in chinese
    in_english(client)
    english = html(client.post(f"/subsidy/events/{event.id}/claim", follow_redirects=True))
    assert "本赛项暂不符合竞赛经费补贴条件" not in english and "subsidy" in english.lower()


def test_the_login_reminder_is_flashed_in_english(client, db):
    in_english(client)
    response = client.get("/seasons", follow_redirects=True)
    page = html(response)
    assert "请先登录" not in page and "log in" in page.lower()


def test_the_api_stays_chinese_for_its_callers(client, db):
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    headers = api_headers(client, organiser)
    response = client.post("/api/v1/enterprises", headers=headers,
                           json={"name": "某某机械有限公司", "credit_code": BAD_CHECK_DIGIT})
    error = response.get_json()["error"]
    assert response.status_code == 400
    assert "统一社会信用代码校验位不正确，请核对。" in [error["message"], *(d["message"] for d in error["details"])]
    response = client.get("/api/v1/events?per_page=100000", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == [{"field": "per_page", "message": "应不大于 200。"}]


def test_an_api_field_error_keeps_its_chinese_text(client, db):
    organiser = make_user(Role.ORGANISER)
    make_enterprise()
    db.session.commit()
    response = client.post("/api/v1/seasons", headers=api_headers(client, organiser), json={"year": "2026"})
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["message"] == "提交的数据有误，请修改后重试。"
    assert {"field": "name", "message": "此项为必填项。"} in error["details"]
