"""HTML views: roster import (rules, template, preview that saves nothing, confirm, the stored upload)."""
import io
import os
import re
import zipfile
from datetime import timedelta

from openpyxl import load_workbook

from competition.models import AuditEntry, Entry, Person, Role, StagedUpload
from competition.rules.roster import HEADERS
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, enrol
from competition.services.events import uploads as staged_uploads
from tests.builders import id_number, make_enterprise, make_open_event, make_user
from tests.clients import html, logged_in, login
from tests.counting import count
from tests.roster_files import confirm, people, roster, token_of, upload


def stored_files(app) -> list[int]:
    """The staged uploads, kept in the database (the instance folder holds none)."""
    from competition.extensions import db

    db.session.rollback()
    folder = os.path.join(app.instance_path, "uploads")
    assert not os.path.isdir(folder) or not os.listdir(folder)
    return list(db.session.scalars(db.select(StagedUpload.id)))


def test_import_page_shows_rules_and_a_real_template(client, db):
    event = make_open_event()
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}/entries/import"))
    assert "填写说明" in body and "下载模板" in body and f"/events/{event.id}/entries/template.xlsx" in body
    assert 'accept=".xlsx,.xls,.csv,' in body and 'enctype="multipart/form-data"' in body and "entries-import.js" in body
    assert "接受 .xlsx（Excel、WPS、LibreOffice 保存的均可）、.xls 或 .csv（UTF-8 或 GBK 编码）文件" in body
    assert "整份名单都不会导入" in body
    response = client.get(f"/events/{event.id}/entries/template.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["报名表"]
    assert [c.value for c in sheet[1]] == list(HEADERS)


def test_two_bad_rows_are_both_listed_and_nothing_is_saved(app, client, db):
    event = make_open_event()
    logged_in(client, db)
    rows = people(6)
    rows[2] = ("张3", *rows[2][1:])  # Excel row 4
    rows[4] = (rows[4][0], "320584199001010", *rows[4][2:])  # row 6: a 15-digit number
    response = upload(client, event, roster(*rows))
    body = html(response)
    assert response.status_code == 200
    assert 'data-problem-row="4"' in body and 'data-problem-row="6"' in body
    assert "第4行" in body and "第6行" in body and "姓名只能包含中文" in body and "不接受15位旧身份证号码" in body
    assert "共2行有误，未导入任何数据" in body and "确认导入" not in body
    assert count(db, Person) == 0 and count(db, Entry) == 0 and stored_files(app) == []


def test_clean_file_confirms_once_and_the_same_file_again_creates_nobody(app, client, db):
    company = make_enterprise()
    event = make_open_event()
    logged_in(client, db)
    data = roster(*people(3, company.credit_code))
    preview = upload(client, event, data)
    body = html(preview)
    assert re.search(r'data-count="new">.*?>3<', body, re.S) and "确认导入" in body
    assert count(db, Entry) == 0 and len(stored_files(app)) == 1  # one staged row
    response = confirm(client, event, token_of(preview))
    assert response.status_code == 302 and response.location == f"/events/{event.id}/entries"
    assert "已导入3人，0人已在名单中。" in html(client.get(response.location))
    assert count(db, Entry) == 3 and stored_files(app) == []
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.import")).one()
    assert audit.after["filename"] == "名单.xlsx"
    again = upload(client, event, data)
    assert re.search(r'data-count="existing">.*?>3<', html(again), re.S)
    response = confirm(client, event, token_of(again))
    assert "已导入0人，3人已在名单中。" in html(client.get(response.location)) and count(db, Entry) == 3


def test_confirming_twice_finds_nothing_to_import(client, db):
    event = make_open_event()
    logged_in(client, db)
    token = token_of(upload(client, event, roster(*people(2))))
    assert confirm(client, event, token).status_code == 302
    second = confirm(client, event, token)
    assert second.status_code == 409 and "没有待确认的名单" in html(second) and count(db, Entry) == 2


def test_another_user_cannot_confirm_a_stored_upload(app, client, db):
    event = make_open_event()
    logged_in(client, db)
    token = token_of(upload(client, event, roster(*people(2))))
    other_organiser = make_user(Role.ORGANISER)
    db.session.commit()
    intruder = app.test_client()
    login(intruder, other_organiser)
    response = confirm(intruder, event, token)
    assert response.status_code == 409 and "没有待确认的名单" in html(response)
    assert count(db, Entry) == 0 and len(stored_files(app)) == 1


def test_a_token_is_bound_to_its_event_and_must_look_like_one(client, db):
    event, other = make_open_event(), make_open_event()
    logged_in(client, db)
    token = token_of(upload(client, event, roster(*people(2))))
    assert confirm(client, other, token).status_code == 409
    assert confirm(client, event, "../../league.sqlite3").status_code == 409
    assert confirm(client, event, "").status_code == 409
    assert count(db, Entry) == 0


def test_expired_upload_is_refused(client, db, monkeypatch):
    event = make_open_event()
    logged_in(client, db)
    token = token_of(upload(client, event, roster(*people(2))))
    monkeypatch.setattr(staged_uploads, "TTL", timedelta(seconds=-1))
    response = confirm(client, event, token)
    assert response.status_code == 409 and "30分钟" in html(response) and count(db, Entry) == 0


def test_a_row_that_went_bad_before_confirmation_saves_nothing(app, client, db):
    first, second = make_enterprise(), make_enterprise()
    event = make_open_event()
    logged_in(client, db)
    rows = people(3, first.credit_code)
    token = token_of(upload(client, event, roster(*rows)))
    name, number, _, _ = rows[1]
    enrol(SYSTEM, event, EntryData(name, number, None, second.id))  # meanwhile, the second row, another employer
    db.session.commit()
    response = confirm(client, event, token)
    body = html(response)
    assert response.status_code == 400 and 'data-problem-row="3"' in body and "已以其他工作单位报名本赛项" in body
    assert count(db, Entry) == 1 and stored_files(app) == []


def test_enterprise_user_imports_their_own_employees(client, db):
    company = make_enterprise()
    event = make_open_event()
    logged_in(client, db, Role.ENTERPRISE, enterprise=company)
    preview = upload(client, event, roster(*people(2)))
    assert confirm(client, event, token_of(preview)).status_code == 302
    assert set(db.session.scalars(db.select(Entry.employer_id))) == {company.id}


def test_file_problems_have_clear_messages(app, client, db):
    event = make_open_event()
    logged_in(client, db)
    cases = [
        (b"name,id\n", "名单.pdf", 400, "请上传 .xlsx、.xls 或 .csv 格式的名单文件"),
        (b"name,id\n", "名单.csv", 400, "未找到表头"),
        (b"", "空.xlsx", 400, "文件是空的"),
        (b"PK\x03\x04 this is not really a zip", "坏.xlsx", 400, "文件已损坏或不完整"),
        (b"just some text", "文本.xlsx", 400, "未找到表头"),  # the bytes decide: this is text, read as CSV
        (b"\x89PNG\r\n\x1a\n\0\0\0", "图片.xls", 400, "文件不是有效的表格文件"),
        (roster(("张三", id_number(1)), headers=("姓名", "证件号")), "表头.xlsx", 400, "表头不正确，缺少“身份证号码”列"),
        (roster(), "无数据.xlsx", 400, "文件中没有选手数据"),
    ]
    for data, name, status, message in cases:
        response = upload(client, event, data, name)
        assert response.status_code == status and message in html(response), name
        assert "上传并检查" in html(response)  # the form is there to try again
    no_file = client.post(f"/events/{event.id}/entries/import/preview", data={}, content_type="multipart/form-data")
    assert no_file.status_code == 400 and "请选择要上传的名单文件（.xlsx、.xls 或 .csv）。" in html(no_file)
    assert count(db, Person) == 0 and stored_files(app) == []


def test_not_a_workbook_inside_a_zip(client, db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    event = make_open_event()
    logged_in(client, db)
    response = upload(client, event, buffer.getvalue())
    assert response.status_code == 400 and "Excel" in html(response)


def test_too_many_rows_and_too_large_files(app, client, db):
    event = make_open_event()
    logged_in(client, db)
    app.config["ROSTER_MAX_ROWS"] = 3
    response = upload(client, event, roster(*people(5)))
    assert response.status_code == 413 and "文件的数据超过3行的上限，请分批导入。" in html(response)
    app.config["ROSTER_MAX_ROWS"] = 10_000
    app.config["ROSTER_MAX_BYTES"] = 1000
    response = upload(client, event, roster(*people(5)))
    assert response.status_code == 413 and "超过" in html(response) and "上传并检查" in html(response)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = upload(client, event, roster(*people(5)) + b"\0" * 5000)
    assert response.status_code == 413 and "上限" in html(response) and "上传并检查" in html(response)
    assert count(db, Person) == 0


def test_closed_event_refuses_the_import(client, db):
    from tests.builders import make_event

    event = make_event("closed")
    logged_in(client, db)
    assert "不在报名期内" in html(client.get(f"/events/{event.id}/entries/import"))
    response = upload(client, event, roster(*people(2)))
    assert response.status_code == 409 and "不在报名期内" in html(response)


def test_judges_may_not_import(client, db):
    event = make_open_event()
    logged_in(client, db, Role.JUDGE)
    assert client.get(f"/events/{event.id}/entries/import").status_code == 403
    assert upload(client, event, roster(*people(1))).status_code == 403


def test_too_large_is_a_page_also_when_the_csrf_check_reads_the_body(app, client, db):
    event = make_open_event()
    logged_in(client, db)
    app.config.update(WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=2000)
    response = upload(client, event, b"\0" * 5000)
    assert response.status_code == 413 and "上限" in html(response) and "上传并检查" in html(response)
