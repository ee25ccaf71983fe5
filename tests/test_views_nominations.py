"""技术能手 pages: the season's nominations by role, recommend, approve and reject, the register and its export."""
from io import BytesIO

from openpyxl import load_workbook

from competition.models import AuditEntry, ExpertTitle, Nomination, NominationState, Person, Role
from competition.services.titles import nominations as service
from competition.services.audit import Actor
from tests.builders import id_number, make_season, make_user
from tests.clients import forget_session, login_afresh
from tests.counting import statements
from tests.marking_builders import FOUR, final_world, give_title


def world_with_holder(db):
    """A final event whose second place already holds a 2025 title; committed."""
    world = final_world(FOUR, before_final=lambda w: give_title(w.entries["002"].person_id))
    db.session.commit()
    return world


def nominations_url(world, **query):
    """The season's nominations page."""
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/seasons/{world.event.season_id}/nominations" + (f"?{tail}" if tail else "")


def test_organiser_sees_proposals_and_the_excluded_with_reasons(client, db):
    world = world_with_holder(db)
    login_afresh(client, world.organiser)
    page = client.get(nominations_url(world)).get_data(as_text=True)
    assert 'data-state="proposed"' in page and 'data-reason="already_holder"' in page
    assert "已获得过" in page and "理论知识" in page and "超出本赛项提名名额" in page
    assert "3205" in page and "**********" in page  # ID numbers masked
    excluded = client.get(nominations_url(world, state="excluded")).get_data(as_text=True)
    assert excluded.count("data-nomination=") == 3
    assert client.get(nominations_url(world, route="enterprise")).get_data(as_text=True).count("data-nomination=") == 0
    assert client.get("/nominations").status_code == 302


def test_approve_and_reject_from_the_page(client, db):
    world = final_world({"001": ("90", "55", "38"), "002": ("85", "50", "35")})
    db.session.commit()
    first, second = (db.session.scalars(db.select(Nomination).order_by(Nomination.rank)).all())
    login_afresh(client, world.organiser)
    response = client.post(f"/nominations/{first.id}/approve", follow_redirects=True)
    assert response.status_code == 200 and "技术能手称号" in response.get_data(as_text=True)
    refused = client.post(f"/nominations/{second.id}/reject", data={"reason": ""})
    assert refused.status_code == 400 and "理由" in refused.get_data(as_text=True)
    client.post(f"/nominations/{second.id}/reject", data={"reason": "材料不全"})
    db.session.expire_all()
    assert (first.state, second.state, second.reason) == (NominationState.APPROVED, NominationState.REJECTED, "材料不全")
    again = client.post(f"/nominations/{first.id}/approve")
    assert again.status_code == 409 and "已审核" in again.get_data(as_text=True)
    season_page = client.get(f"/seasons/{world.event.season_id}").get_data(as_text=True)
    assert "2,000" in season_page or "2000" in season_page
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("nomination.%"))))
    assert actions == {"nomination.propose", "nomination.approve", "nomination.reject"}
    audit_page = client.get("/audit").get_data(as_text=True)
    assert "技术能手提名已批准" in audit_page


def test_an_enterprise_recommends_and_sees_only_its_own(client, db):
    world = world_with_holder(db)
    hr = make_user(Role.ENTERPRISE)
    db.session.commit()
    login_afresh(client, hr)
    assert client.get(nominations_url(world)).get_data(as_text=True).count("data-nomination=") == 0
    form = f"/seasons/{world.event.season_id}/nominations/new"
    assert client.get(form).status_code == 200
    bad = client.post(form, data={"name": "张三丰", "id_number": "320584199001011234", "justification": "骨干"})
    assert bad.status_code == 400 and "校验位" in bad.get_data(as_text=True)
    holder = db.session.get(Person, world.entries["002"].person_id)
    holder.name = "钱七"
    db.session.commit()
    refused = client.post(form, data={"name": "钱七", "id_number": holder.id_number, "justification": "骨干",
                                      "confirm_employee": "y"})
    assert refused.status_code in (403, 409)  # another employer's person, and a title holder besides
    done = client.post(form, data={"name": "张三丰", "id_number": id_number(21), "justification": "骨干",
                                   "confirm_employee": "y"})
    assert done.status_code == 302
    page = client.get(nominations_url(world)).get_data(as_text=True)
    assert page.count("data-nomination=") == 1 and "张三丰" in page and "确认不予通过" not in page
    nomination = db.session.scalar(db.select(Nomination).where(Nomination.enterprise_id == hr.enterprise_id))
    assert client.post(f"/nominations/{nomination.id}/approve").status_code == 403
    login_afresh(client, world.judges[0])
    assert client.get(nominations_url(world)).status_code == 403


def test_the_register_is_public_and_masked_and_organisers_export_the_year(client, db):
    season = make_season(year=2026)
    hr, organiser = make_user(Role.ENTERPRISE), make_user(Role.ORGANISER)
    nomination = service.recommend(Actor(hr), service.RecommendationData(id_number(31), "欧阳娜娜", "骨干", season.id, True))
    service.approve(Actor(organiser), nomination)
    db.session.commit()
    forget_session(client)
    page = client.get("/experts").get_data(as_text=True)
    assert "欧**娜" in page and "欧阳娜娜" not in page and id_number(31)[-4:] not in page
    assert hr.enterprise.name in page
    assert client.get("/experts/2026.xlsx").status_code == 302
    assert "data-link=\"experts\"" in client.get("/public").get_data(as_text=True)
    login_afresh(client, organiser)
    assert "欧阳娜娜" in client.get("/experts?year=2026").get_data(as_text=True)
    export = client.get("/experts/2026.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.data)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "欧阳娜娜" in values and "2026年度吴江区技术能手名录" in values
    assert not any(id_number(31) in str(v) for v in values)
    login_afresh(client, hr)
    assert client.get("/experts/2026.xlsx").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(ExpertTitle)) == 1


def test_the_pages_carry_no_inline_script_style_or_handlers(client, db):
    import re
    world = world_with_holder(db)
    hr = make_user(Role.ENTERPRISE)
    db.session.commit()
    pages = [(world.organiser, nominations_url(world)), (world.organiser, "/experts"),
             (hr, f"/seasons/{world.event.season_id}/nominations/new")]
    for user, url in pages:
        login_afresh(client, user)
        body = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), url
        assert "<style" not in body and not re.search(r"\sstyle=", body), url
        assert not re.search(r"\son[a-z]+=", body), url
        assert body.count('name="csrf_token"') >= (1 if "new" in url else 0), url


def test_the_list_pages_run_the_same_statements_for_few_and_many_rows(client, db):
    organiser = make_user(Role.ORGANISER)
    seasons = []
    for year, people in ((2026, 2), (2027, 12)):
        season = make_season(year=year)
        hr = make_user(Role.ENTERPRISE)
        for i in range(people):
            nomination = service_recommend(hr, id_number(100 * (year - 2025) + i), season)
            if i % 2:
                service.approve(Actor(organiser), nomination)
        seasons.append(season)
    db.session.commit()
    login_afresh(client, organiser)
    db.session.expire_all()  # rows already in the test's session would spare a request its SELECT
    counts = [statements(db, lambda s=s: db.session.expire_all() or client.get(f"/seasons/{s.id}/nominations"))
              for s in seasons]
    assert counts[0] == counts[1], counts
    registers = [statements(db, lambda y=y: client.get(f"/experts?year={y}")) for y in (2026, 2027)]
    assert registers[0] == registers[1], registers


def service_recommend(hr, number: str, season):
    """A proposed enterprise recommendation of a new person (name 李四)."""
    return service.recommend(Actor(hr), service.RecommendationData(number, "李四", "骨干", season.id, True))


def test_filters_beyond_any_id_are_ignored_not_errors(client, db):
    organiser = make_user(Role.ORGANISER)
    season = make_season(year=2026)
    db.session.commit()
    login_afresh(client, organiser)
    huge = "9" * 30
    assert client.get(f"/experts?year={huge}").status_code == 200
    assert client.get(f"/seasons/{season.id}/nominations?event={huge}&enterprise=-{huge}&state=x").status_code == 200
