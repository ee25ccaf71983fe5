"""HTML views: the judge panel page, conflicts of interest (回避), adding, re-flagging and removing judges."""
import re

from competition.models import AuditEntry, EventStatus, PanelMember, Role
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, assign_judge, check_in, draw, enrol
from tests.builders import id_number, make_enterprise, make_event, make_user
from tests.clients import html, switch


def members(db, event) -> dict[int, bool]:
    """The panel as {user_id: is_chief}."""
    db.session.expire_all()
    return {m.user_id: m.is_chief for m in db.session.scalars(
        db.select(PanelMember).where(PanelMember.event_id == event.id))}


def actions(db, action: str) -> list[AuditEntry]:
    """Audit rows of one action."""
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def world(db, status="open", tag=""):
    """An event with two entries from 恒力, one from 亨通; a chief judge employed by 恒力 and a plain judge."""
    hengli, hengtong = make_enterprise(name="恒力化纤" + tag), make_enterprise(name="亨通光电" + tag)
    event = make_event("open")
    entries = [enrol(SYSTEM, event, EntryData(name, id_number(n), employer_id=employer.id),
                     today=event.registration_deadline)
               for n, (name, employer) in enumerate((("张三丰", hengli), ("李四光", hengli), ("王五一", hengtong)), 1)]
    chief = make_user(Role.JUDGE, display_name="陈裁判长", employer=hengli)
    plain = make_user(Role.JUDGE, display_name="林裁判")
    assign_judge(SYSTEM, event, chief, True)
    assign_judge(SYSTEM, event, plain, False)
    event.status = EventStatus(status)
    db.session.commit()
    return event, entries, chief, plain


def test_staff_see_members_chief_employers_and_conflicting_names(client, db):
    event, _, chief, plain = world(db)
    switch(client, make_organiser(db))
    body = html(client.get(f"/events/{event.id}/panel"))
    assert "陈裁判长" in body and "林裁判" in body and "data-chief" in body and "恒力化纤" in body
    assert re.search(r'data-conflicts="2"', body) and "张三丰" in body and "李四光" in body and "王五一" not in body
    assert re.search(r'data-conflicts="0"', body) and "编入裁判" in body


def make_organiser(db):
    """A committed organiser."""
    user = make_user(Role.ORGANISER)
    db.session.commit()
    return user


def test_the_chief_judge_sees_numbers_only_and_cannot_change_the_panel(client, db):
    event, entries, chief, plain = world(db, "open")
    check_in(SYSTEM, entries, "present")
    event.status = EventStatus.CLOSED
    numbers = draw(SYSTEM, event, "seed-2026")
    db.session.commit()
    switch(client, chief)
    body = html(client.get(f"/events/{event.id}/panel"))
    assert numbers[entries[0].id] in body and numbers[entries[1].id] in body
    assert "张三丰" not in body and "恒力化纤" not in body and "编入裁判" not in body and "移除" not in body
    assert client.post(f"/events/{event.id}/panel", data={"user_id": plain.id, "is_chief": "y"}).status_code == 403
    assert members(db, event)[chief.id] is True


def test_undrawn_conflicts_are_counted_for_the_chief_judge(client, db):
    event, _, chief, _ = world(db)
    switch(client, chief)
    body = html(client.get(f"/events/{event.id}/panel"))
    assert re.search(r'data-conflicts="2"', body) and "2 名尚未抽签" in body and "张三丰" not in body


def test_other_judges_and_enterprises_cannot_see_the_panel(client, db):
    event, _, _, plain = world(db)
    switch(client, plain)
    response = client.get(f"/events/{event.id}/panel")
    assert response.status_code == 403 and "只有组委会和本赛项裁判长可以查看裁判组。" in html(response)
    switch(client, make_user(Role.ENTERPRISE))
    db.session.commit()
    assert client.get(f"/events/{event.id}/panel").status_code == 403


def test_add_a_judge_make_them_chief_and_remove_them(client, db):
    event, _, chief, plain = world(db)
    newcomer = make_user(Role.JUDGE, display_name="周裁判")
    switch(client, make_organiser(db))
    response = client.post(f"/events/{event.id}/panel", data={"user_id": newcomer.id})
    assert response.status_code == 302 and "已将周裁判编入裁判组。" in html(client.get(response.location))
    assert members(db, event)[newcomer.id] is False
    client.post(f"/events/{event.id}/panel", data={"user_id": newcomer.id, "is_chief": "y"})
    assert members(db, event) == {chief.id: False, plain.id: False, newcomer.id: True}
    member_id = db.session.scalar(db.select(PanelMember.id).where(PanelMember.user_id == newcomer.id))
    response = client.post(f"/events/{event.id}/panel/{member_id}/remove")
    assert response.status_code == 302 and "已将周裁判移出裁判组。" in html(client.get(response.location))
    assert newcomer.id not in members(db, event)
    again = client.post(f"/events/{event.id}/panel/{member_id}/remove")
    assert again.status_code == 302 and "该裁判已不在裁判组中。" in html(client.get(again.location))
    assert len(actions(db, "panel.assign")) == 4 and len(actions(db, "panel.remove")) == 1


def test_only_active_judges_can_be_added(client, db):
    event, _, _, _ = world(db)
    organiser = make_organiser(db)
    switch(client, organiser)
    response = client.post(f"/events/{event.id}/panel", data={"user_id": organiser.id})
    assert response.status_code == 400 and "该账户不是裁判。" in html(response)
    assert client.post(f"/events/{event.id}/panel", data={}).status_code == 400
    assert len(actions(db, "panel.assign")) == 2


def test_a_member_of_another_event_is_404(client, db):
    event, _, _, _ = world(db)
    _, _, _, other_plain = world(db, tag="（二）")
    member = db.session.scalar(db.select(PanelMember).where(PanelMember.user_id == other_plain.id))
    switch(client, make_organiser(db))
    assert client.post(f"/events/{event.id}/panel/{member.id}/remove").status_code == 404
    assert other_plain.id in members(db, member.event)


def test_judges_stay_once_scoring_has_started(client, db):
    event, _, _, plain = world(db, "scoring")
    member = db.session.scalar(db.select(PanelMember).where(PanelMember.user_id == plain.id))
    switch(client, make_organiser(db))
    response = client.post(f"/events/{event.id}/panel/{member.id}/remove")
    assert response.status_code == 409 and "评分开始后不能移除裁判。" in html(response)
    assert plain.id in members(db, event)


def test_a_panel_too_small_to_drop_the_highest_and_lowest_is_flagged(client, db):
    event, *_ = world(db)  # trimmed mean (the default) with two judges
    switch(client, make_organiser(db))
    assert "至少需要 3 名裁判；目前裁判组只有 2 名" in html(client.get(f"/events/{event.id}/panel"))
    assign_judge(SYSTEM, event, make_user(Role.JUDGE), False)
    db.session.commit()
    assert "data-panel-too-small" not in html(client.get(f"/events/{event.id}/panel"))
