"""Prizes on the pages (RULES.md §15): the results page (organisers at any stage, the chief judge and the host once
published), the public page, the 成绩册, the enterprise's dashboard; the event form's own tiers and floor, read-only
once signed off; the policy version's default tiers."""
import re
from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from competition.models import Event, PolicyVersion, Role
from competition.services.audit import Actor
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_enterprise, make_season, make_user
from tests.clients import html, login_afresh
from tests.marking_builders import fill, make_world, submit_all
from tests.payloads import form_data

THEORIES = [str(100 - 5 * i) for i in range(10)]  # totals 86 … 72.5: 一等奖 001, 二等奖 002-003, 三等奖 004-006


def world_of_ten(db, *, published=False, signed=False, employers=()):
    """Ten entries marked alike but for theory, all judges submitted; signed off or published when asked."""
    world = make_world(10, judges=3, aggregation="mean", entry_employers=employers)
    for number, theory in zip(world.entries, THEORIES):
        fill(world, number, theory, [("50", "30")] * 3)
    submit_all(world)
    if signed or published:
        sign_off(world.actor(0), world.event)
    if published:
        publish(Actor(world.organiser), world.event, today=date(2026, 6, 19))
    db.session.commit()
    return world


def prizes_shown(body: str) -> dict[str, str]:
    """{number: prize} from the results table's rows (a row without a prize shows '')."""
    rows = re.findall(r'<tr data-row="(\d+)".*?data-prize="([^"]*)"', body, re.S)
    return {number: prize for number, prize in rows if prize}


EXPECTED = {"001": "一等奖", "002": "二等奖", "003": "二等奖", "004": "三等奖", "005": "三等奖", "006": "三等奖"}


def test_organisers_see_prizes_on_live_rows_with_the_rule(client, db):
    world = world_of_ten(db)
    login_afresh(client, world.organiser)
    body = html(client.get(f"/events/{world.event.id}/results"))
    assert "获奖等级" in body and prizes_shown(body) == EXPECTED
    assert "data-prize-rule" in body and "一等奖 10%（1 人）" in body and "总分低于 60 分不设奖" in body


def test_the_chief_judge_sees_no_prizes_before_publication(client, db):
    world = world_of_ten(db, signed=True)
    login_afresh(client, world.judges[0])
    body = html(client.get(f"/events/{world.event.id}/results"))
    assert "data-prize" not in body and "获奖等级" not in body


def test_once_published_the_public_page_and_the_chief_judge_see_prizes(client, db):
    world = world_of_ten(db, published=True)
    public = html(client.get(f"/public/events/{world.event.id}"))
    assert prizes_shown(public) == EXPECTED and "data-prize-rule" in public
    login_afresh(client, world.judges[0])
    assert prizes_shown(html(client.get(f"/events/{world.event.id}/results"))) == EXPECTED


def test_the_results_book_has_a_prize_column(client, db):
    world = world_of_ten(db, signed=True)
    login_afresh(client, world.organiser)
    book = load_workbook(BytesIO(client.get(f"/events/{world.event.id}/results.xlsx").data))["成绩册"]
    header = [cell.value for cell in book[3]]
    column = header.index("获奖等级")
    numbers = header.index("参赛号")
    prizes = {row[numbers]: row[column] for row in book.iter_rows(min_row=4, values_only=True)
              if row[numbers] and row[column]}
    assert prizes == EXPECTED


def test_the_enterprise_dashboard_shows_its_employees_prizes(client, db):
    firm = make_enterprise()
    world_of_ten(db, published=True, employers=(firm, firm, firm))
    user = make_user(Role.ENTERPRISE, enterprise=firm)
    db.session.commit()
    login_afresh(client, user)
    body = html(client.get(f"/enterprises/{firm.id}/dashboard"))
    assert body.count('data-prize="一等奖"') == 1 and body.count('data-prize="二等奖"') == 2
    assert 'data-prized="3"' in body


def _tier_fields(*rows) -> dict:
    """The event or policy form's tier rows: (name, basis, value) per row, the rest blank."""
    data = {}
    for i in range(6):
        name, basis, value = rows[i] if i < len(rows) else ("", "share", "")
        data.update({f"prize_tiers-{i}-name": name, f"prize_tiers-{i}-basis": basis,
                     f"prize_tiers-{i}-value": value})
    return data


def test_the_event_form_sets_own_tiers_and_floor_and_blank_means_the_policy_s(client, db):
    season = make_season(year=2026)
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, organiser)
    form = html(client.get("/events/new"))
    assert 'name="prize_tiers-5-name"' in form and "留空则按政策版本：一等奖 10%、二等奖 20%、三等奖 30%" in form
    data = form_data(season, **_tier_fields(("特等奖", "count", "1"), ("一等奖", "share", "10")), prize_floor="75")
    assert client.post("/events/new", data=data).status_code == 302
    event = db.session.scalars(db.select(Event).order_by(Event.id.desc())).first()
    assert event.prize_tiers == [{"name": "特等奖", "count": 1}, {"name": "一等奖", "share": 10}]
    assert str(event.prize_floor) == "75.00"
    edit = html(client.get(f"/events/{event.id}/edit"))
    assert 'value="特等奖"' in edit and 'value="75.00"' in edit
    blank = client.post(f"/events/{event.id}/edit", data=form_data(season, **_tier_fields(), prize_floor=""))
    assert blank.status_code == 302
    db.session.expire_all()
    assert (event.prize_tiers, event.prize_floor) == (None, None)


def test_the_event_form_names_bad_tiers_and_saves_nothing(client, db):
    season = make_season(year=2026)
    login_afresh(client, make_user(Role.ORGANISER))
    data = form_data(season, **_tier_fields(("一等奖", "share", "60"), ("一等奖", "share", "50"), ("三等奖", "share", "")),
                     prize_floor="101")
    response = client.post("/events/new", data=data)
    body = html(response)
    assert response.status_code == 400 and db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert "获奖等级名称重复：一等奖。" in body and "不能超过100%" in body and "二者选一" in body
    assert "获奖分数线应为0至100之间的分数" in body


def test_once_signed_off_the_form_shows_the_prize_settings_read_only_and_keeps_them(client, db):
    world = world_of_ten(db, signed=True)
    event = world.event
    event.prize_floor = 70
    db.session.commit()
    login_afresh(client, world.organiser)
    body = html(client.get(f"/events/{event.id}/edit"))
    section = body.split('data-section="prizes"')[1].split("</section>")[0]
    assert "data-prizes-frozen" in section and "<input" not in section and "总分低于 70 分不设奖" in section
    # a forged post of other tiers changes nothing: the stored settings go through
    data = form_data(event.season, name="更正名称", event_date=event.event_date.isoformat(),
                     registration_deadline=event.registration_deadline.isoformat(), aggregation="mean",
                     venue=event.venue, **_tier_fields(("一等奖", "share", "90")), prize_floor="0")
    del data["modules-0-name"]  # the scheme is locked: the page posts none
    response = client.post(f"/events/{event.id}/edit", data=data)
    assert response.status_code == 302, html(response)[:2000]
    db.session.expire_all()
    assert (event.name, event.prize_tiers, str(event.prize_floor)) == ("更正名称", None, "70.00")


def test_the_policy_form_edits_a_version_s_default_tiers(client, db):
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    form = html(client.get("/policy/new"))
    assert 'name="prize_tiers-0-name"' in form and 'value="一等奖"' in form and 'value="三等奖"' in form
    data = {"effective_from": "2099-01-01", "participant_threshold": "50", "subsidy_amount": "20000",
            "subsidies_per_enterprise_year": "1", "expert_subsidy": "2000", "nomination_quota": "3", "pass_mark": "60",
            "notice_working_days": "5", **_tier_fields(("金奖", "share", "15"), ("银奖", "count", "5"))}
    assert client.post("/policy/new", data=data).status_code == 302
    version = db.session.scalars(db.select(PolicyVersion).where(PolicyVersion.effective_from == date(2099, 1, 1))).one()
    assert version.prize_tiers == [{"name": "金奖", "share": 15}, {"name": "银奖", "count": 5}]
    assert "金奖 15%、银奖 5 人" in html(client.get("/policy"))
    refused = client.post(f"/policy/{version.id}/edit", data={**data, **_tier_fields()})
    assert refused.status_code == 400 and "获奖等级应为1至6个。" in html(refused)
