"""The judges' mark grid: saving cells, refusals, 回避, submission and blind marking (RULES.md §5-§8)."""
from decimal import Decimal

from competition.models import AuditEntry, Mark, Role
from tests.builders import make_enterprise, make_user
from tests.clients import login
from tests.marking_builders import make_world

HX = {"HX-Request": "true"}


def cell(client, world, number, criterion, value, expected=""):
    """POST one cell as htmx does."""
    return client.post(f"/events/{world.event.id}/marks/cell", headers=HX,
                       data={"number": number, "criterion_id": criterion, "value": value, "expected": expected})


def marks(db):
    """Stored marks."""
    return db.session.scalar(db.select(db.func.count()).select_from(Mark))


def test_a_judge_saves_a_cell_and_sees_it_saved(client, db):
    world = make_world(entries=2)
    db.session.commit()
    _, q, _ = world.criteria
    login(client, world.judges[1])
    page = client.get(f"/events/{world.event.id}/marks")
    assert page.status_code == 200 and 'inputmode="decimal"' in page.text and "已录入 0 / 4" in page.text
    response = cell(client, world, "001", q, "55.5")
    assert response.status_code == 200 and "已保存" in response.text and 'value="55.50"' in response.text
    assert db.session.scalar(db.select(Mark.value)) == Decimal("55.50")
    # The progress line comes back out of band with the cell, so the count moves without a reload.
    assert 'id="marking-progress" data-progress hx-swap-oob="true"' in response.text
    assert "已录入 1 / 4" in response.text
    assert "已录入 1 / 4" in client.get(f"/events/{world.event.id}/marks").text
    refused = cell(client, world, "002", q, "99")
    assert refused.status_code == 400 and "已录入 1 / 4" in refused.text


def test_out_of_range_and_three_decimals_are_refused_naming_the_criterion(client, db):
    world = make_world()
    db.session.commit()
    _, q, _ = world.criteria
    login(client, world.judges[1])
    for value in ("61", "50.555"):
        response = cell(client, world, "001", q, value)
        assert response.status_code == 400 and "工艺质量" in response.text and "0 至 60" in response.text
    assert marks(db) == 0


def test_a_stale_cell_is_refused(client, db):
    world = make_world()
    db.session.commit()
    t, _, _ = world.criteria
    login(client, world.judges[1])
    assert cell(client, world, "001", t, "80").status_code == 200
    response = cell(client, world, "001", t, "90", expected="")
    assert response.status_code == 409 and "此分数已被他人修改为80.00，请刷新后核对" in response.text
    assert db.session.scalar(db.select(Mark.value)) == Decimal("80.00")


def test_a_conflicted_entry_is_blocked_and_the_refusal_audited(client, db):
    firm = make_enterprise()
    world = make_world(judge_employers=(None, firm), entry_employers=(firm,))
    db.session.commit()
    _, q, _ = world.criteria
    login(client, world.judges[1])
    assert "回避" in client.get(f"/events/{world.event.id}/marks").text
    response = cell(client, world, "001", q, "50")
    assert response.status_code == 403 and "回避" in response.text and marks(db) == 0
    row = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "refused"))
    assert (row.object_type, row.object_id, row.after["code"]) == ("Event", world.event.id, "conflict_of_interest")


def test_submitting_makes_the_grid_read_only(client, db):
    world = make_world()
    db.session.commit()
    t, q, s = world.criteria
    login(client, world.judges[1])
    for criterion, value in ((t, "80"), (q, "50"), (s, "30")):
        assert cell(client, world, "001", criterion, value).status_code == 200
    assert client.post(f"/events/{world.event.id}/marks/submit").status_code == 302
    page = client.get(f"/events/{world.event.id}/marks").text
    assert "您已提交评分" in page and 'inputmode="decimal"' not in page
    assert cell(client, world, "001", q, "51", "50.00").status_code == 409


def test_others_are_refused_and_the_judge_sees_no_names(client, db):
    firm = make_enterprise()
    world = make_world(entry_employers=(firm,))
    db.session.commit()
    url = f"/events/{world.event.id}/marks"
    assert client.get(url).status_code == 302
    for user in (make_user(Role.JUDGE), make_user(Role.ENTERPRISE), world.organiser):
        db.session.commit()
        login(client, user)
        assert client.get(url).status_code == 403
        client.post("/logout")
    login(client, world.judges[2])
    page = client.get(url).text
    entry = world.entries["001"]
    assert "001" in page and entry.person.name not in page and firm.name not in page


def test_outside_scoring_the_grid_says_so(client, db):
    world = make_world()
    from competition.models import EventStatus
    world.event.status = EventStatus.SIGNED_OFF
    db.session.commit()
    login(client, world.judges[1])
    assert "赛项不在评分阶段" in client.get(f"/events/{world.event.id}/marks").text


def test_the_chief_panel_shows_progress_missing_and_signs_off_once_complete(client, db):
    from tests.marking_builders import WORKED, fill, submit_all
    world = make_world()
    db.session.commit()
    login(client, world.judges[0])
    url = f"/events/{world.event.id}/scoring-panel"
    assert f"/events/{world.event.id}/scoring-panel" in client.get(f"/events/{world.event.id}/marks").text
    page = client.get(url)
    assert page.status_code == 200 and "0 / 2" in page.text and "工艺质量" in page.text
    refused = client.post(url + "/sign-off")
    assert refused.status_code == 409 and "未评分" in refused.text
    fill(world, "001", WORKED[0], WORKED[1])
    submit_all(world)
    db.session.commit()
    assert client.post(url + "/sign-off").status_code == 302
    assert client.post(url + "/reopen", data={"reason": ""}).status_code == 400
    assert client.post(url + "/reopen", data={"reason": "复核"}).status_code == 302
    history = client.get(f"/events/{world.event.id}/entries/{world.entries['001'].id}/marks-history")
    assert history.status_code == 200 and "88.50" in history.text


def test_judges_who_are_not_chief_are_refused_the_panel(client, db):
    world = make_world()
    db.session.commit()
    login(client, world.judges[1])
    assert client.get(f"/events/{world.event.id}/scoring-panel").status_code == 403


def test_spreads_above_the_threshold_are_flagged(client, db):
    from tests.marking_builders import fill
    world = make_world(judges=2)
    fill(world, "001", "80", [("40", "30"), ("55", "30")])
    db.session.commit()
    login(client, world.judges[0])
    url = f"/events/{world.event.id}/scoring-panel"
    assert "data-flagged" in client.get(url).text
    assert "data-flagged" not in client.get(url + "?threshold=20").text
