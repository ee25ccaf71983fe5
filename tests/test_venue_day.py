"""The venue day (issue 15) below the browser: an ended session or a stale page answers htmx with JSON it can act
on, never a page pasted into a cell; a mark sent twice is stored once; the organisers' forms catch what people
get wrong (past dates, the next step after 截止报名, who the draw records as 缺考)."""
import re
from datetime import date, timedelta
from decimal import Decimal

from competition.models import AuditEntry, Entry, EntryStatus, Event, EventStatus, Mark, MarkChange
from competition.services.audit import SYSTEM
from competition.services.entries import EntryData, enrol
from competition.services.marks import save_marks
from tests.builders import id_number, make_event, make_season, make_user
from tests.conftest import login
from tests.test_services_marks import make_world
from tests.test_views_events_form import form_data

HX = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/events/5/marks?x=1"}


def html(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def count(db, model) -> int:
    """Rows of a model."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


# M2: an ended session

def test_an_htmx_request_without_a_session_gets_a_401_naming_the_login_page(client, db):
    response = client.post("/events/5/marks/cell", data={"number": "001"}, headers=HX)
    assert response.status_code == 401 and response.is_json
    assert response.get_json()["error"]["code"] == "login_required"
    assert response.headers["HX-Login-URL"] == "/login?next=/events/5/marks?x%3D1"
    assert "<form" not in html(response)
    page = client.get("/events/5/marks")  # a page still goes to the login form
    assert page.status_code == 302 and page.location.startswith("/login?next=")


def test_an_htmx_request_with_a_stale_page_token_gets_json_not_an_error_page(app, client, db):
    world = make_world(1, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/events/{world.event.id}/marks/cell", headers=HX,
                           data={"number": "001", "criterion_id": str(world.criteria[1]), "value": "50"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf"
    assert count(db, Mark) == 0


def test_a_cell_that_names_no_criterion_of_the_event_is_a_json_400(client, db):
    world = make_world(1, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    response = client.post(f"/events/{world.event.id}/marks/cell", headers=HX,
                           data={"number": "001", "criterion_id": "987654", "value": "50"})
    assert response.status_code == 400 and response.is_json and "<td" not in html(response)


# M1: a mark resent after its answer was lost is stored once

def test_a_mark_sent_again_with_the_old_expected_value_is_stored_once(db):
    world = make_world()
    _, q, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    again = save_marks(world.actor(1), world.event, [("001", q, "50", None)])  # the tablet never heard back
    assert [(c.value, c.version) for c in again] == [(Decimal("50.00"), 1)]
    assert count(db, Mark) == 1 and count(db, MarkChange) == 1
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "mark.enter")) == 1


# m2: dates that have passed need a confirmation

def test_an_event_dated_in_the_past_needs_an_explicit_confirmation(client, db):
    season = make_season()
    login(client, make_user())
    db.session.commit()
    data = form_data(season, event_date=(date.today() - timedelta(days=3)).isoformat(),
                     registration_deadline=(date.today() - timedelta(days=10)).isoformat())
    del data["confirm_past_dates"]
    asked = client.post("/events/new", data=data)
    body = html(asked)
    assert asked.status_code == 409 and "已经过去" in body and 'name="confirm_past_dates"' in body
    assert count(db, Event) == 0
    assert client.post("/events/new", data=data | {"confirm_past_dates": "y"}).status_code == 302


def test_a_passed_deadline_alone_also_asks(client, db):
    season = make_season()
    login(client, make_user())
    db.session.commit()
    data = form_data(season, event_date=(date.today() + timedelta(days=20)).isoformat(),
                     registration_deadline=(date.today() - timedelta(days=1)).isoformat())
    del data["confirm_past_dates"]
    asked = client.post("/events/new", data=data)
    assert asked.status_code == 409 and "企业将无法报名" in html(asked)


def test_editing_an_old_event_without_touching_its_dates_needs_no_confirmation(client, db):
    season = make_season()
    login(client, make_user())
    db.session.commit()
    data = form_data(season)  # 2026-06-15, confirmed once
    created = client.post("/events/new", data=data)
    event_id = int(created.location.rsplit("/", 1)[-1])
    del data["confirm_past_dates"]
    assert client.post(f"/events/{event_id}/edit", data=data | {"venue": "新地点"}).status_code == 302


# m3: the next step follows the state

def test_after_registration_closes_the_next_step_is_check_in_not_opening_again(client, db):
    event = make_event("closed")
    login(client, make_user())
    db.session.commit()
    body = html(client.get(f"/events/{event.id}"))
    links = [(href, label) for href, label in
             re.findall(r'<a class="btn [^"]*" href="([^"]+)" data-next-page>([^<]+)</a>', body)]
    assert links == [(f"/events/{event.id}/check-in", "检录"), (f"/events/{event.id}/draw", "抽签")]
    assert "重新开放报名" in body and 'btn-primary" data-action="open"' not in body


# m4: the draw says who was never checked in, and records them as 缺考

def test_the_draw_lists_who_was_never_checked_in_and_records_them_absent(client, db):
    event = make_event("open", event_date=date.today() + timedelta(days=30),
                       registration_deadline=date.today() + timedelta(days=10))
    present = enrol(SYSTEM, event, EntryData("到场甲", id_number(1)))
    never = enrol(SYSTEM, event, EntryData("未检录乙", id_number(2)))
    present.status = EntryStatus.PRESENT
    event.status = EventStatus.CLOSED
    login(client, make_user())
    db.session.commit()
    page = html(client.get(f"/events/{event.id}/draw"))
    assert 'data-unchecked="1"' in page and "未检录乙" in page and "抽签后将记为缺考" in page
    assert "另有1名未检录的选手将记为缺考" in page
    done = client.post(f"/events/{event.id}/draw", data={"seed": "abc"})
    assert done.status_code == 302
    assert "1名未检录的选手已记为缺考。" in html(client.get(done.location))
    db.session.expire_all()
    assert db.session.get(Entry, never.id).status is EntryStatus.ABSENT
    assert db.session.get(Entry, present.id).number == "001"
    row = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.draw")).one()
    assert row.after["absent_not_checked_in"] == [never.id]


def test_the_grid_carries_what_its_script_needs_to_keep_unsaved_marks(client, db):
    world = make_world(2, judges=3)
    db.session.commit()
    login(client, world.judges[1])
    grid = html(client.get(f"/events/{world.event.id}/marks"))
    assert f'data-judge="{world.judges[1].id}"' in grid and f'data-event="{world.event.id}"' in grid
    assert "data-unsaved-banner" in grid and "data-goto-form" in grid and 'data-label="参赛号"' in grid
