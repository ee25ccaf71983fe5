"""Results pages: roles, live and frozen rows, publish and finalise, exports, and the masked public pages."""
from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook

from competition.models import EventStatus, Role
from competition.rules.identity import mask_name
from competition.services.audit import Actor
from competition.services.marking.facts import beijing_today
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_enterprise, make_user
from tests.clients import forget_session, login_afresh
from tests.counting import statements
from tests.marking_builders import WORKED, fill, make_world, submit_all


def scored(n=1, **event):
    """A fully marked, submitted world with n entries (the first gets the RULES worked example)."""
    world = make_world(n, judges=5, **event)
    for i, number in enumerate(world.entries):
        fill(world, number, WORKED[0] if i == 0 else "70", WORKED[1] if i == 0 else [("40", "30")] * 5)
    submit_all(world)
    return world


def published(db, **event):
    """A signed-off, published world (one scored entry and one absent one)."""
    world = make_world(2, judges=5, statuses=("present", "absent"), **event)
    fill(world, "001", *WORKED)
    submit_all(world)
    sign_off(world.actor(0), world.event)
    publish(Actor(world.organiser), world.event, today=date(2026, 6, 19))
    db.session.commit()
    return world


def url(world, tail=""):
    return f"/events/{world.event.id}/results{tail}"


def test_organiser_sees_live_rows_with_names_and_the_explanation(client, db):
    world = scored(2)
    db.session.commit()
    login_afresh(client, world.organiser)
    page = client.get(url(world)).get_data(as_text=True)
    assert "87.45" in page and "data-live" in page and "<details" in page
    assert "88.5×30% + 87×70% = 87.45" in page
    assert world.entries["001"].person.name in page


def test_unranked_rows_show_their_status(client, db):
    world = make_world(2, judges=5, statuses=("present", "absent"))
    fill(world, "001", *WORKED)
    db.session.commit()
    login_afresh(client, world.organiser)
    page = client.get(url(world)).get_data(as_text=True)
    assert 'data-status="absent"' in page and "缺考" in page


def test_chief_judge_sees_numbers_only_and_others_are_refused(client, db):
    world = scored(1)
    db.session.commit()
    login_afresh(client, world.judges[0])
    page = client.get(url(world)).get_data(as_text=True)
    assert "001" in page and world.entries["001"].person.name not in page and "data-blind" in page
    login_afresh(client, world.judges[1])
    assert client.get(url(world)).status_code == 403
    login_afresh(client, make_user(Role.ENTERPRISE, enterprise=make_enterprise()))
    assert client.get(url(world)).status_code == 403
    forget_session(client)
    assert client.get(url(world)).status_code == 302


def test_host_sees_results_only_after_publication(client, db):
    host = make_enterprise()
    user = make_user(Role.ENTERPRISE, enterprise=host)
    world = scored(1, kind="enterprise", host_enterprise_id=host.id)
    db.session.commit()
    login_afresh(client, user)
    assert client.get(url(world)).status_code == 403
    assert client.get(url(world, ".xlsx")).status_code == 403
    sign_off(world.actor(0), world.event)
    publish(Actor(world.organiser), world.event)
    db.session.commit()
    assert client.get(url(world)).status_code == 200
    assert client.get(url(world, ".xlsx")).status_code == 200
    assert client.get(f"/events/{world.event.id}/mark-sheets.xlsx").status_code == 403


def test_results_page_queries_do_not_grow_with_entries(client, db):
    worlds = [scored(n) for n in (5, 40)]
    db.session.commit()
    login_afresh(client, worlds[0].organiser)
    counts = []
    for world in worlds:
        client.get(url(world))  # warm up
        counts.append(statements(db, lambda: client.get(url(world))))
    assert counts[0] == counts[1], counts


def test_publish_then_finalise_with_dates(client, db, monkeypatch):
    """Published on 2026-09-30, the notice of 5 working days skips the National Day holiday (1-7 October) and counts
    Saturday 10 October, a 调休 working day: it ends on 13 October (Monday-Friday would say 7 October)."""
    for module in ("competition.services.results.lifecycle", "competition.views.results"):
        monkeypatch.setattr(f"{module}.beijing_today", lambda: date(2026, 9, 30))
    world = scored(1)
    db.session.commit()
    login_afresh(client, world.organiser)
    assert client.post(url(world, "/publish")).status_code == 409  # scoring: not signed off
    sign_off(world.actor(0), world.event)
    db.session.commit()
    page = client.get(url(world)).get_data(as_text=True)
    assert "data-frozen" in page and 'data-section="publish"' in page and "5 个工作日" in page
    assert "今天公示，公示期至 2026-10-13 结束。" in page and "周一至周五）" not in page
    login_afresh(client, world.judges[0])
    assert client.post(url(world, "/publish")).status_code == 403
    login_afresh(client, world.organiser)
    assert client.post(url(world, "/publish")).status_code == 302
    ends = date(2026, 10, 13)
    db.session.refresh(world.event)
    assert world.event.status is EventStatus.NOTICE and world.event.notice_ends_on == ends
    page = client.get(url(world)).get_data(as_text=True)
    assert ends.isoformat() in page and "data-finalise-after" in page
    assert f"{ends + timedelta(days=1)} 起可确认最终成绩" in page
    refused = client.post(url(world, "/finalize"))
    assert refused.status_code == 409 and f"公示期至 {ends}" in refused.get_data(as_text=True)
    world.event.notice_ends_on = date(2020, 1, 3)
    db.session.commit()
    assert client.post(url(world, "/finalize")).status_code == 302
    db.session.refresh(world.event)
    assert world.event.status is EventStatus.FINAL


def test_public_pages_mask_names_and_hide_id_numbers(client, db):
    before = scored(1)
    db.session.commit()
    assert client.get(f"/public/events/{before.event.id}").status_code == 404
    employer = make_enterprise()
    world = published(db, entry_employers=(employer,))
    person = world.entries["001"].person
    listing = client.get("/public").get_data(as_text=True)
    # published on 2026-06-19, the notice ended on 2026-06-26: over, though nobody has finalised yet
    assert world.event.name in listing and 'data-public-status="notice-ended"' in listing
    assert f'data-event="{world.event.id}"' in listing and f'data-event="{before.event.id}"' not in listing
    page = client.get(f"/public/events/{world.event.id}").get_data(as_text=True)
    assert person.name not in page and mask_name(person.name) in page
    assert person.id_number not in page and person.id_number[:6] not in page
    assert employer.name in page and "87.45" in page and "公示期已于 2026-06-26 结束" in page
    ends = beijing_today() + timedelta(days=3)
    world.event.notice_ends_on = ends
    db.session.commit()
    listing = client.get("/public").get_data(as_text=True)
    assert 'data-public-status="notice"' in listing and f"公示中，至 {ends}" in listing
    page = client.get(f"/public/events/{world.event.id}").get_data(as_text=True)
    assert f"公示期至 {ends} 结束" in page and "notice-ended" not in page


def test_exports_are_real_workbooks_and_keep_formula_like_names_as_text(client, db):
    world = published(db)
    world.entries["001"].person.name = "=HYPERLINK(1)"
    db.session.commit()
    login_afresh(client, world.organiser)
    response = client.get(url(world, ".xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    name = next(c for c in cells if c.value == "=HYPERLINK(1)")
    assert name.data_type == "s"
    texts = [str(c.value) for c in cells]
    assert any("成绩册" in t for t in texts) and any("裁判长" in t for t in texts)
    assert any("组委会" in t for t in texts) and "87.45" in texts and "缺考" in texts
    marks = load_workbook(BytesIO(client.get(f"/events/{world.event.id}/mark-sheets.xlsx").data))
    assert len(marks.sheetnames) == 5
    first = [str(c.value) for row in marks[marks.sheetnames[0]].iter_rows() for c in row if c.value is not None]
    assert "001" in first and any("签字" in t for t in first)


def test_public_and_api_results_queries_do_not_grow_with_entries(client, db):
    from tests.clients import api_headers
    worlds = [scored(n) for n in (5, 40)]
    for world in worlds:
        sign_off(world.actor(0), world.event)
        publish(Actor(world.organiser), world.event, today=date(2026, 6, 19))
    db.session.commit()
    headers = api_headers(client, worlds[0].organiser)
    ids = [world.event.id for world in worlds]
    for path in ("/public/events/{id}", "/api/v1/events/{id}/results"):
        counts = []
        for event_id in ids:
            target = path.format(id=event_id)
            assert client.get(target, headers=headers).status_code == 200  # warm up
            db.session.expunge_all()
            counts.append(statements(db, lambda t=target: client.get(t, headers=headers)))
        assert counts[0] == counts[1], (path, counts)


def test_live_api_results_queries_do_not_grow_with_entries(client, db):
    from tests.clients import api_headers
    worlds = [scored(n) for n in (5, 40)]
    db.session.commit()
    headers = api_headers(client, worlds[0].organiser)
    counts = []
    for event_id, size in [(world.event.id, len(world.entries)) for world in worlds]:
        target = f"/api/v1/events/{event_id}/results"
        body = client.get(target, headers=headers).get_json()
        assert len(body["rows"]) == size
        db.session.expunge_all()
        counts.append(statements(db, lambda t=target: client.get(t, headers=headers)))
    assert counts[0] == counts[1], counts


def test_a_row_status_has_one_label_on_the_page_in_the_workbook_and_in_the_explanation(app):
    """'incomplete' was 未完成 on the page and in the 成绩册 but 评分不完整 in the explanation (issue 17)."""
    from competition.services.results.exports import STATUS_TEXT
    from competition.views.results import ROW_STATUS
    from scoring.explain import STATUS_TEXT as EXPLAINED

    with app.test_request_context():
        assert {code: str(label) for code, label in ROW_STATUS.items()} == EXPLAINED
    assert {code: text for code, text in STATUS_TEXT.items() if code != "present"} == EXPLAINED
