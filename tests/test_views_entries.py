"""HTML views: the roster per role (blind judges, own employees only), reveal, add one entry, disqualify, export."""
import io
import re
from datetime import date

from openpyxl import load_workbook

from competition.models import AuditEntry, Entry, EntryStatus, EventStatus, Person, Role
from competition.rules.identity import age_on, mask_id_number
from competition.services.audit import SYSTEM
from competition.services.events.entries import assign_judge, draw
from competition.views.labels import action_label
from tests.builders import add_entry, id_number, make_enterprise, make_event, make_open_event, make_user
from tests.clients import HX, html, logged_in, login


def table(response) -> str:
    """The roster table's body (what the page lists, without the echoed search box)."""
    body = html(response)
    found = re.search(r"<tbody>.*</tbody>", body, re.S)
    return found.group(0) if found else ""


def audit_rows(db, action: str) -> list[AuditEntry]:
    """Audit rows of one action."""
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def drawn_event_with_judge(db, *, chief: bool = False):
    """A drawn event with two present contestants and a panel judge (not logged in)."""
    company = make_enterprise(name="江苏恒力化纤股份有限公司")
    event = make_open_event()
    first = add_entry(event, "张三丰", 1, company, EntryStatus.PRESENT)
    second = add_entry(event, "李四光", 2, company, EntryStatus.PRESENT)
    judge = make_user(Role.JUDGE)
    assign_judge(SYSTEM, event, judge, chief)
    event.status = EventStatus.CLOSED
    draw(SYSTEM, event, "seed-1")
    db.session.commit()
    return event, judge, (first, second)


def test_staff_roster_shows_every_column_with_masked_identity(client, db):
    company = make_enterprise(name="亨通集团有限公司")
    event = make_open_event()
    add_entry(event, "王小明", 7, company)
    age = age_on(date(1990, 1, 1), event.event_date)
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}/entries"))
    number = id_number(7)
    assert "王小明" in body and "男" in body and "亨通集团有限公司" in body and "已报名" in body
    assert f">{age}<" in body  # id_number() holders are born on 1990-01-01
    assert mask_id_number(number) in body and number not in body
    assert "139****5678" in body and "13912345678" not in body
    assert "显示" in body and "<th>参赛号</th>" not in body  # no numbers before the draw


def test_search_and_filters_and_empty_state(client, db):
    first, second = make_enterprise(name="甲公司"), make_enterprise(name="乙公司")
    event = make_open_event()
    add_entry(event, "赵一", 1, first, EntryStatus.PRESENT)
    add_entry(event, "钱二", 2, second)
    logged_in(client, db)
    url = f"/events/{event.id}/entries"
    assert "赵一" in table(client.get(url + "?q=赵")) and "钱二" not in table(client.get(url + "?q=赵"))
    by_status = html(client.get(url + "?status=present"))
    assert "赵一" in by_status and "钱二" not in by_status
    by_employer = html(client.get(url + f"?employer={second.id}"))
    assert "钱二" in by_employer and "赵一" not in by_employer
    assert "没有符合条件的报名" in html(client.get(url + "?q=没有这个人"))


def test_roster_pages(app, client, db):
    event = make_open_event()
    for seed in range(3):
        add_entry(event, f"选手{'甲乙丙'[seed]}", seed)
    app.config["PER_PAGE"] = 2
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}/entries"))
    assert "共 3 条，第 1 / 2 页" in body
    assert "共 3 条，第 2 / 2 页" in html(client.get(f"/events/{event.id}/entries?page=2"))


def test_empty_roster_invites_enrolment(client, db):
    event = make_open_event()
    logged_in(client, db)
    body = html(client.get(f"/events/{event.id}/entries"))
    assert "还没有人报名" in body and f"/events/{event.id}/entries/new" in body


def test_enterprise_user_sees_and_exports_only_their_own_employees(client, db):
    ours, theirs = make_enterprise(name="本企业有限公司"), make_enterprise(name="别家有限公司")
    event = make_open_event()
    add_entry(event, "自家人", 1, ours)
    add_entry(event, "外家人", 2, theirs)
    logged_in(client, db, Role.ENTERPRISE, enterprise=ours)
    for url in (f"/events/{event.id}/entries", f"/events/{event.id}/entries?employer={theirs.id}",
                f"/events/{event.id}/entries?q=外家人"):
        body = html(client.get(url)).replace('value="外家人"', "")
        assert "外家人" not in body and "别家有限公司" not in body and mask_id_number(id_number(2)) not in body
    own = html(client.get(f"/events/{event.id}/entries"))
    assert "自家人" in own and "仅显示本企业员工的报名。" in own and "显示</button>" not in own
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.id}/entries.xlsx").data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]  # two title lines, then the header
    assert names == ["自家人"]


def test_another_enterprise_sees_none_of_the_hosts_employees(client, db):
    host = make_enterprise()
    event = make_open_event(kind="enterprise", host_enterprise_id=host.id)
    add_entry(event, "东道主员工", 1, host)
    logged_in(client, db, Role.ENTERPRISE)
    body = html(client.get(f"/events/{event.id}/entries"))
    assert "东道主员工" not in body and "还没有人报名" in body
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.id}/entries.xlsx").data)).active
    assert sheet.max_row == 3  # the title lines and the header only


def test_enterprise_account_without_enterprise_sees_nothing(client, db):
    event = make_open_event()
    add_entry(event, "无主选手", 1)  # no employer
    logged_in(client, db, Role.ENTERPRISE, enterprise=None, enterprise_id=None)
    body = html(client.get(f"/events/{event.id}/entries"))
    assert "无主选手" not in body


def test_judge_cannot_see_the_roster_before_the_draw(client, db):
    event = make_open_event()
    add_entry(event, "张三丰", 1)
    judge = make_user(Role.JUDGE)
    assign_judge(SYSTEM, event, judge, True)
    db.session.commit()
    login(client, judge)
    response = client.get(f"/events/{event.id}/entries")
    assert response.status_code == 403 and "您没有权限查看本赛项的报名名单。" in html(response)
    assert "张三丰" not in html(response)


def test_panel_judge_sees_numbers_only_after_the_draw(client, db):
    event, judge, (first, second) = drawn_event_with_judge(db)
    login(client, judge)
    for url in (f"/events/{event.id}/entries", f"/events/{event.id}/entries?q=张三丰",
                f"/events/{event.id}/entries?q=张", f"/events/{event.id}/entries?employer={first.employer_id}"):
        response = client.get(url)
        body = html(response).replace('value="张三丰"', "").replace('value="张"', "")
        assert response.status_code == 200
        for secret in ("张三丰", "李四光", "江苏恒力化纤", first.person.id_number, mask_id_number(first.person.id_number),
                       first.person.id_number[-4:], "139****5678"):
            assert secret not in body, (url, secret)
    body = html(client.get(f"/events/{event.id}/entries"))
    assert first.number in body and second.number in body and "到场" in body and "盲评" in body
    assert "张三丰" not in html(client.get(f"/events/{event.id}/entries.xlsx"))
    assert client.get(f"/events/{event.id}/entries.xlsx").status_code == 403


def test_judge_searches_by_number_only(client, db):
    event, judge, (first, second) = drawn_event_with_judge(db)
    login(client, judge)
    body = table(client.get(f"/events/{event.id}/entries?q={first.number}"))
    assert f">{first.number}<" in body and f">{second.number}<" not in body


def test_judge_sees_names_after_publication_but_never_contacts(client, db):
    event, judge, (first, _) = drawn_event_with_judge(db)
    event.status = EventStatus.NOTICE
    db.session.commit()
    login(client, judge)
    body = html(client.get(f"/events/{event.id}/entries"))
    assert "张三丰" in body and mask_id_number(first.person.id_number) not in body and "139****5678" not in body


def test_judge_off_the_panel_is_refused(client, db):
    event, _, _ = drawn_event_with_judge(db)
    logged_in(client, db, Role.JUDGE)
    assert client.get(f"/events/{event.id}/entries").status_code == 403


def test_organiser_reveals_one_id_number_and_it_is_audited(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 3)
    db.session.commit()
    organiser = logged_in(client, db)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/reveal", headers=HX)
    assert response.status_code == 200 and id_number(3) in html(response) and "<html" not in html(response)
    rows = audit_rows(db, "person.reveal_id")
    assert len(rows) == 1 and rows[0].user_id == organiser.id and rows[0].object_type == "Person"
    assert rows[0].object_id == entry.person_id and rows[0].after == {"event_id": event.id, "entry_id": entry.id}
    assert action_label("person.reveal_id") == "查看完整身份证号码"
    page = client.post(f"/events/{event.id}/entries/{entry.id}/reveal")  # without htmx: a page
    assert id_number(3) in html(page) and "<html" in html(page)


def test_reveal_is_refused_to_others_and_needs_the_right_event(client, db):
    event, other_event = make_open_event(), make_open_event()
    entry = add_entry(event, "王小明", 3)
    company = make_enterprise()
    entry.employer_id = company.id
    db.session.commit()
    logged_in(client, db, Role.ENTERPRISE, enterprise=company)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/reveal", headers=HX)
    assert response.status_code == 403 and id_number(3) not in html(response)
    assert audit_rows(db, "person.reveal_id") == []
    logged_in(client, db)
    assert client.post(f"/events/{other_event.id}/entries/{entry.id}/reveal").status_code == 404


def test_staff_enrols_one_contestant_with_an_employer(client, db):
    company = make_enterprise(name="通鼎互联信息股份有限公司")
    event = make_open_event()
    logged_in(client, db)
    page = html(client.get(f"/events/{event.id}/entries/new"))
    assert "通鼎互联信息股份有限公司" in page and 'name="employer_id"' in page
    response = client.post(f"/events/{event.id}/entries/new", data={
        "name": "阿依古丽·买买提", "id_number": id_number(5, female=True).lower(), "phone": "13800001111",
        "employer_id": str(company.id)})
    assert response.status_code == 302 and response.location == f"/events/{event.id}/entries"
    entry = db.session.scalar(db.select(Entry).where(Entry.event_id == event.id))
    assert entry.employer_id == company.id and entry.person.gender == "女"
    assert "已为阿依古丽·买买提报名。" in html(client.get(response.location))
    again = client.post(f"/events/{event.id}/entries/new", data={
        "name": "钱学森", "id_number": id_number(6), "again": "1"})
    assert again.location == f"/events/{event.id}/entries/new"


def test_bad_entry_shows_the_service_messages_under_fields_and_keeps_the_typing(client, db):
    event = make_open_event()
    logged_in(client, db)
    bad_id = id_number(5)[:-1] + ("0" if id_number(5)[-1] != "0" else "1")
    response = client.post(f"/events/{event.id}/entries/new", data={
        "name": "张3", "id_number": bad_id, "phone": "12345"})
    body = html(response)
    assert response.status_code == 400
    assert "姓名只能包含中文、英文字母和间隔号“·”。" in body and "身份证号码校验位不正确，请核对。" in body
    assert "手机号码应为11位数字，以13至19开头。" in body
    assert f'value="{bad_id}"' in body and 'value="张3"' in body and 'value="12345"' in body
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_duplicate_entry_is_a_409_under_the_id_field(client, db):
    event = make_open_event()
    add_entry(event, "王小明", 3)
    db.session.commit()
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/entries/new", data={"name": "王小明", "id_number": id_number(3)})
    assert response.status_code == 409 and "该选手已报名本赛项。" in html(response)


def test_enterprise_user_enrols_for_their_own_enterprise_only(client, db):
    ours, theirs = make_enterprise(name="本企业有限公司"), make_enterprise(name="别家有限公司")
    event = make_open_event()
    logged_in(client, db, Role.ENTERPRISE, enterprise=ours)
    page = html(client.get(f"/events/{event.id}/entries/new"))
    assert "本企业有限公司" in page and "别家有限公司" not in page and 'name="employer_id"' not in page
    response = client.post(f"/events/{event.id}/entries/new", data={
        "name": "王小明", "id_number": id_number(3), "employer_id": str(theirs.id)})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Entry.employer_id)) == ours.id


def test_closed_registration_says_so_and_refuses(client, db):
    event = make_event("closed")
    logged_in(client, db)
    assert "不在报名期内" in html(client.get(f"/events/{event.id}/entries/new"))
    response = client.post(f"/events/{event.id}/entries/new", data={"name": "王小明", "id_number": id_number(3)})
    assert response.status_code == 409 and "不在报名期内" in html(response)
    assert f'btn btn-primary" href="/events/{event.id}/entries/new"' not in html(client.get(f"/events/{event.id}/entries"))


def test_organiser_disqualifies_a_present_entry_with_a_reason(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 3, status=EntryStatus.PRESENT)
    db.session.commit()
    logged_in(client, db)
    assert "确认取消资格" in html(client.get(f"/events/{event.id}/entries"))
    empty = client.post(f"/events/{event.id}/entries/{entry.id}/disqualify", data={"reason": " "})
    assert empty.status_code == 400 and "请填写取消资格的原因。" in html(empty)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/disqualify", data={"reason": "携带违禁物品"})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.status is EntryStatus.DISQUALIFIED and entry.disqualify_reason == "携带违禁物品"
    body = html(client.get(response.location))
    assert "已取消王小明的参赛资格。" in body and "携带违禁物品" in body and "取消资格" in body
    assert len(audit_rows(db, "entry.disqualify")) == 1


def test_only_present_entries_can_be_disqualified(client, db):
    event = make_open_event()
    entry = add_entry(event, "王小明", 3)
    db.session.commit()
    logged_in(client, db)
    response = client.post(f"/events/{event.id}/entries/{entry.id}/disqualify", data={"reason": "迟到"})
    assert response.status_code == 409 and "只有到场的选手可以被取消资格。" in html(response)
    assert db.session.get(Entry, entry.id).status is EntryStatus.REGISTERED


def test_chief_judge_disqualifies_by_number_and_others_may_not(client, db):
    event, judge, (first, _) = drawn_event_with_judge(db, chief=True)
    login(client, judge)
    response = client.post(f"/events/{event.id}/entries/{first.id}/disqualify", data={"reason": "违规操作"})
    assert response.status_code == 302
    body = html(client.get(response.location))
    assert f"已取消{first.number}号的参赛资格。" in body and "张三丰" not in body
    logged_in(client, db, Role.ENTERPRISE, enterprise_id=first.employer_id)
    assert client.post(f"/events/{event.id}/entries/{first.id}/disqualify", data={"reason": "x"}).status_code == 403


def test_export_is_a_real_workbook_with_masked_ids_and_text_names(client, db):
    company = make_enterprise(name="=HYPERLINK(\"http://evil.example\")")
    event = make_open_event()
    entry = add_entry(event, "王小明", 3, company)
    entry.person.name = "=1+1"  # a name the rules would refuse, stored by some other route
    db.session.commit()
    logged_in(client, db)
    response = client.get(f"/events/{event.id}/entries.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[3]]
    row = {h: c for h, c in zip(header, sheet[4])}
    assert row["身份证号码"].value == mask_id_number(id_number(3)) and row["手机号码"].value == "139****5678"
    assert row["姓名"].value == "=1+1" and row["姓名"].data_type == "s"
    assert row["工作单位"].data_type == "s" and row["工作单位"].value.startswith("=HYPERLINK")
    assert id_number(3) not in response.data.decode("latin-1")


def test_entry_pages_carry_no_inline_script_or_style(client, db):
    event = make_open_event()
    add_entry(event, "王小明", 3, status=EntryStatus.PRESENT)
    logged_in(client, db)
    for path in ("entries", "entries/new", "entries/import", "check-in", "draw"):
        body = html(client.get(f"/events/{event.id}/{path}"))
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), path
        assert "<style" not in body and not re.search(r"\sstyle=", body), path
        assert not re.search(r"\son[a-z]+=", body), path


def test_list_pages_cost_the_same_queries_for_few_or_many_rows(app, client, db):
    from sqlalchemy import event as sa_event

    few, many = make_open_event(), make_open_event()
    company = make_enterprise()
    for seed in range(2):
        add_entry(few, f"选手{'甲乙'[seed]}", seed, company)
    for seed in range(12):
        add_entry(many, f"选手{'甲乙丙丁戊己庚辛壬癸子丑'[seed]}", seed, company, EntryStatus.PRESENT)
    logged_in(client, db)

    def statements(url: str) -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    statements(f"/events/{few.id}/entries")  # warm up: the first request after login loads a little more
    for path in ("entries", "check-in"):
        assert statements(f"/events/{few.id}/{path}") == statements(f"/events/{many.id}/{path}"), path
