"""The host's roster on the pages (issue 18, item 3; RULES.md §4): another enterprise gets a clear 403 on the entry
form and the import pages of a host-only event, and no 添加选手/导入名单 buttons; the host or an organiser sets the
policy on the event page; the subsidy checklist shows how many participants are the host's own employees."""
import re

import pytest

from competition.models import AuditEntry, Entry, EventStatus, OpenTo, Role
from competition.services.audit import SYSTEM
from competition.services.events.enrolment import set_enrolment_policy
from competition.services.events.entries import EntryData, enrol
from tests.builders import id_number, make_enterprise, make_entry, make_open_event, make_user
from tests.clients import api_headers, html, login_afresh
from tests.counting import count
from tests.roster_files import confirm, people, roster, token_of, upload
from tests.subsidy_builders import host_user, make_claim, make_claimable

HOST_ROSTER = "本赛项由恒力化纤主办，报名名单由主办企业管理；如需为本企业员工报名，请联系主办企业邀请。"


def refused_codes(db) -> list[str]:
    """The codes of the refused attempts written so far."""
    db.session.expire_all()
    return [r.after["code"] for r in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "refused").order_by(AuditEntry.id))]


def new_entry(client, event, seed: int = 1):
    """POST the one-contestant form."""
    return client.post(f"/events/{event.id}/entries/new", data={"name": "王五洲", "id_number": id_number(seed)})


def test_another_enterprise_is_refused_every_enrolment_page_of_a_host_only_event(client, db, roster_scene):
    event, users, _ = roster_scene
    login_afresh(client, users["other"])
    for response in (client.get(f"/events/{event.id}/entries/new"), new_entry(client, event),
                     client.get(f"/events/{event.id}/entries/import"),
                     client.get(f"/events/{event.id}/entries/template.xlsx"),
                     upload(client, event, roster(*people(2))), confirm(client, event, "0" * 32)):
        assert response.status_code == 403 and HOST_ROSTER in html(response)
    assert count(db, Entry) == 0
    assert refused_codes(db) == ["host_roster"] * 6


def test_the_roster_page_offers_no_enrolment_to_one_who_may_not(client, db, roster_scene):
    event, users, firms = roster_scene
    login_afresh(client, users["other"])
    body = html(client.get(f"/events/{event.id}/entries"))
    assert f"/events/{event.id}/entries/new" not in body and f"/events/{event.id}/entries/import" not in body
    assert "data-host-roster" in body
    set_enrolment_policy(SYSTEM, event, "invited", [firms["other"].id])
    db.session.commit()
    body = html(client.get(f"/events/{event.id}/entries"))
    assert f"/events/{event.id}/entries/new" in body and f"/events/{event.id}/entries/import" in body
    assert "data-host-roster" not in body


def test_an_invited_enterprise_enrols_and_imports_through_the_pages(client, db, roster_scene):
    event, users, firms = roster_scene
    set_enrolment_policy(SYSTEM, event, "invited", [firms["other"].id])
    db.session.commit()
    login_afresh(client, users["other"])
    assert client.get(f"/events/{event.id}/entries/new").status_code == 200
    assert new_entry(client, event).status_code == 302
    preview = upload(client, event, roster(*people(2, start=30)))
    assert preview.status_code == 200
    assert confirm(client, event, token_of(preview)).status_code == 302
    assert set(db.session.scalars(db.select(Entry.employer_id))) == {firms["other"].id} and count(db, Entry) == 3


def test_a_preview_made_while_invited_is_refused_once_the_invitation_ends(client, db, roster_scene):
    event, users, firms = roster_scene
    set_enrolment_policy(SYSTEM, event, "invited", [firms["other"].id])
    db.session.commit()
    login_afresh(client, users["other"])
    token = token_of(upload(client, event, roster(*people(2))))
    set_enrolment_policy(SYSTEM, event, "host")
    db.session.commit()
    assert confirm(client, event, token).status_code == 403 and count(db, Entry) == 0


def test_the_home_page_lists_only_the_events_an_enterprise_may_enrol_in(client, db, roster_scene):
    event, users, firms = roster_scene
    district = make_open_event(name="区级电工竞赛")
    db.session.commit()
    login_afresh(client, users["other"])
    body = html(client.get("/"))
    assert f'data-open-event="{district.id}"' in body and f'data-open-event="{event.id}"' not in body
    set_enrolment_policy(SYSTEM, event, "all")
    db.session.commit()
    assert f'data-open-event="{event.id}"' in html(client.get("/"))
    login_afresh(client, users["host"])
    assert f'data-open-event="{event.id}"' in html(client.get("/"))


# The policy on the event page

def section(body: str) -> str:
    """The enrolment policy card of an event page."""
    match = re.search(r'<section[^>]*data-section="enrolment-policy".*?</section>', body, re.S)
    assert match, "no enrolment policy section"
    return match.group(0)


def test_the_host_sees_the_form_with_every_other_enterprise(client, db, roster_scene):
    event, users, firms = roster_scene
    login_afresh(client, users["host"])
    card = section(html(client.get(f"/events/{event.id}")))
    assert "报名范围：仅主办企业" in card and 'data-form="enrolment-policy"' in card and "data-confirm" in card
    assert f'value="{firms["other"].id}"' in card and f'value="{firms["host"].id}"' not in card
    assert re.search(r'<input checked[^>]*value="host"', card)  # the current policy is chosen
    assert "已有的报名保留" in card


def test_another_enterprise_reads_the_policy_and_whom_to_ask(client, db, roster_scene):
    event, users, _ = roster_scene
    login_afresh(client, users["other"])
    card = section(html(client.get(f"/events/{event.id}")))
    assert "报名范围：仅主办企业" in card and "data-host-roster" in card and "<form" not in card
    assert 'data-section="enrolment-policy"' not in html(client.get(f"/events/{make_open_event().id}"))


def test_the_host_invites_from_the_event_page_and_it_is_audited(client, db, roster_scene):
    event, users, firms = roster_scene
    third = make_enterprise(name="永鼎股份")
    db.session.commit()
    login_afresh(client, users["host"])
    response = client.post(f"/events/{event.id}/enrolment-policy",
                           data={"open_to": "invited", "invited_enterprise_ids": [firms["other"].id, third.id]})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.open_to is OpenTo.INVITED and event.invited_ids == {firms["other"].id, third.id}
    row = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.enrolment_policy")).one()
    assert row.before["open_to"] == "host" and row.after["invited_enterprises"] == ["亨通集团", "永鼎股份"]
    page = html(client.get(f"/events/{event.id}"))
    assert "报名范围：主办企业和受邀企业（亨通集团、永鼎股份）" in page and "已更新报名范围" in page
    assert 'data-action="event.enrolment_policy"' in page  # in the event's history
    login_afresh(client, users["organiser"])
    audit = html(client.get("/audit?action=event.enrolment_policy"))
    assert "报名范围已修改" in audit and "亨通集团" in audit and "永鼎股份" in audit


def test_the_ticked_enterprises_count_only_when_invited(client, db, roster_scene):
    event, users, firms = roster_scene
    login_afresh(client, users["organiser"])
    response = client.post(f"/events/{event.id}/enrolment-policy",
                           data={"open_to": "all", "invited_enterprise_ids": [firms["other"].id]})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.open_to is OpenTo.ALL and event.invited == []


@pytest.mark.parametrize("data, message", [
    ({"open_to": "invited"}, "请至少选择一家受邀企业"),
    ({}, "请选择报名范围"),
    ({"open_to": "invited", "invited_enterprise_ids": "abc"}, "所选企业无效"),
])
def test_a_bad_form_shows_why_and_changes_nothing(client, db, roster_scene, data, message):
    event, users, _ = roster_scene
    login_afresh(client, users["host"])
    response = client.post(f"/events/{event.id}/enrolment-policy", data=data)
    assert response.status_code == 400 and message in html(response)
    db.session.refresh(event)
    assert event.open_to is OpenTo.HOST


def test_another_enterprise_may_not_change_the_policy(client, db, roster_scene):
    event, users, firms = roster_scene
    login_afresh(client, users["other"])
    response = client.post(f"/events/{event.id}/enrolment-policy",
                           data={"open_to": "invited", "invited_enterprise_ids": [firms["other"].id]})
    assert response.status_code == 403
    db.session.refresh(event)
    assert event.open_to is OpenTo.HOST and refused_codes(db) == ["forbidden"]


def test_the_page_says_that_narrowing_keeps_the_guests_entries(client, db, roster_scene):
    event, users, firms = roster_scene
    enrol(SYSTEM, event, EntryData("王五洲", id_number(5), employer_id=firms["other"].id))
    db.session.commit()
    login_afresh(client, users["host"])
    assert "已有 1 名其他单位人员报名" in section(html(client.get(f"/events/{event.id}")))


def test_after_the_draw_the_page_shows_the_policy_without_the_form(client, db, roster_scene):
    event, users, _ = roster_scene
    event.status = EventStatus.DRAWN
    db.session.commit()
    login_afresh(client, users["host"])
    card = section(html(client.get(f"/events/{event.id}")))
    assert "报名范围：仅主办企业" in card and "<form" not in card
    assert client.post(f"/events/{event.id}/enrolment-policy", data={"open_to": "all"}).status_code == 409


# The subsidy checklist: the host's own participants beside the others (RULES.md §4, §10)

def test_the_checklist_shows_the_hosts_own_participants_beside_the_others(client, db):
    event = make_claimable(5)
    host, guest = event.host, make_enterprise()
    for status, employer in [("present", host)] * 3 + [("disqualified", host), ("present", guest),
                                                       ("absent", guest), ("withdrawn", host)]:
        make_entry(event, None, status, employer=employer)
    user, organiser = host_user(event), make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, user)
    body = html(client.get(f"/events/{event.id}"))
    assert "其中主办企业员工 4 人，其他单位人员 1 人" in body
    assert 'data-host-participants="4" data-other-participants="1"' in body
    check = client.get(f"/api/v1/events/{event.id}/subsidy", headers=api_headers(client, organiser)).get_json()
    assert (check["participants"], check["host_participants"], check["other_participants"]) == (5, 4, 1)
    claim = make_claim(event)
    db.session.commit()
    login_afresh(client, organiser)
    assert "其中主办企业员工 4 人，其他单位人员 1 人" in html(client.get(f"/subsidy/claims/{claim.id}"))
