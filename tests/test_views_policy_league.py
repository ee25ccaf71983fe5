"""The policy page's league settings (RULES.md §12, §16): a version's standings points and reward schedule, shown in
the history and edited with its figures; blank schedule rows are ignored, problems shown under their row, and a version
whose schedule proposed a reward is locked like any used version."""
import re
from datetime import date

from competition.models import PolicyVersion, Role
from competition.services.audit import Actor
from competition.services.league.delegates import CompetitionData, add_by_id_number, create_competition, record_result
from tests.builders import id_number, make_enterprise, make_season, make_user
from tests.clients import html, login_afresh
from tests.league_builders import schedule_version

FIGURES = {"participant_threshold": "50", "subsidy_amount": "20000", "subsidies_per_enterprise_year": "1",
           "expert_subsidy": "2000", "nomination_quota": "3", "pass_mark": "60", "notice_working_days": "5"}
POINTS = {"points-prize_1": "12", "points-prize_2": "8", "points-prize_3": "4", "points-participant": "2",
          "points-hosted_event": "6"}


def rows(*lines) -> dict:
    """Schedule rows as the form posts them: the given lines, then blank rows up to eight."""
    data = {}
    for index in range(8):
        level, prize, individual, sending = lines[index] if index < len(lines) else ("", "", "", "")
        data.update({f"reward_rows-{index}-level": level, f"reward_rows-{index}-prize": prize,
                     f"reward_rows-{index}-individual": individual, f"reward_rows-{index}-sending_unit": sending})
    return data


def version_on(db, day: date) -> PolicyVersion:
    return db.session.scalars(db.select(PolicyVersion).where(PolicyVersion.effective_from == day)).one()


def test_the_form_offers_the_points_and_an_empty_schedule_of_eight_rows(client, db):
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    form = html(client.get("/policy/new"))
    values = {name: re.search(rf'name="{name}"[^>]*value="(\d+)"', form) for name in POINTS}
    assert {name: m.group(1) if m else None for name, m in values.items()} == {
        "points-prize_1": "10", "points-prize_2": "6", "points-prize_3": "3", "points-participant": "1",
        "points-hosted_event": "5"}  # the league's defaults (the founding version has no points of its own)
    assert len(re.findall(r'name="reward_rows-\d+-prize"', form)) == 8 and "省级" in form and "行业协会" in form


def test_an_admin_saves_points_and_a_schedule_and_the_history_shows_them(client, db):
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    data = {"effective_from": "2099-01-01", **FIGURES, **POINTS,
            **rows(("national", "一等奖", "20,000", "10000"), ("", "", "", ""), ("province", " 一等奖 ", "5000", "2000"))}
    response = client.post("/policy/new", data=data)
    assert response.status_code == 302, html(response)[:3000]
    version = version_on(db, date(2099, 1, 1))
    assert version.standing_points == {"prizes": [12, 8, 4], "participant": 2, "hosted_event": 6}
    assert version.rewards == [  # ordered by level, the blank row left out, the prize trimmed
        {"level": "province", "prize": "一等奖", "individual": 5000, "sending_unit": 2000},
        {"level": "national", "prize": "一等奖", "individual": 20000, "sending_unit": 10000}]
    history = html(client.get("/policy"))
    row = re.search(rf'<tr data-version="{version.id}">(.*?)</tr>', history, re.S).group(1)
    assert 'data-points="12,8,4|2|6"' in row and "一等奖 12、二等奖 8、三等奖 4" in row
    assert "省级 一等奖：个人 ￥5,000，选送单位 ￥2,000" in row and "国家级 一等奖：个人 ￥20,000" in row
    # the edit form shows them again, and an edit changes them
    form = html(client.get(f"/policy/{version.id}/edit"))
    assert re.search(r'name="reward_rows-0-prize"[^>]*value="一等奖"', form)
    assert re.search(r'name="points-prize_1"[^>]*value="12"', form)
    edited = client.post(f"/policy/{version.id}/edit", data={**data, **rows(("world", "金牌", "50000", "0"))})
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(PolicyVersion, version.id).rewards == [
        {"level": "world", "prize": "金牌", "individual": 50000, "sending_unit": 0}]
    cleared = client.post(f"/policy/{version.id}/edit", data={**data, **rows()})  # every row blank: no schedule
    assert cleared.status_code == 302
    db.session.expire_all()
    assert db.session.get(PolicyVersion, version.id).rewards == []
    assert "data-schedule-empty" in html(client.get("/policy"))


def test_problems_are_shown_under_their_row_and_field(client, db):
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    data = {"effective_from": "2099-01-01", **FIGURES, **POINTS, "points-participant": "",
            "points-hosted_event": "5000"}
    blank = client.post("/policy/new", data={**data, **rows(("province", "一等奖", "5000", "2000"))})
    body = html(blank)
    assert blank.status_code == 400 and "请填写该项。" in body and "积分应为 0 至 1000 之间的整数。" in body
    data.update({"points-participant": "1", "points-hosted_event": "5"})
    refused = client.post("/policy/new", data={**data, **rows(
        ("province", "一等奖", "5000", "2000"), ("", "", "", ""), ("province", "二等奖", "", "1000"),
        ("province", "一等奖", "1", "1"))})
    body = html(refused)
    assert refused.status_code == 400, body[:2000]
    third = re.search(r'<tr data-reward-row="2">(.*?)</tr>', body, re.S).group(1)
    assert "奖励标准第 2 行的金额应为 0 至 10000000 元的整数。" in third  # the second line sent is the third row
    fourth = re.search(r'<tr data-reward-row="3">(.*?)</tr>', body, re.S).group(1)
    assert "重复" in fourth
    assert db.session.scalar(db.select(db.func.count(PolicyVersion.id)).where(
        PolicyVersion.effective_from == date(2099, 1, 1))) == 0


def test_a_post_without_the_league_fields_keeps_the_version_s_points_and_schedule(client, db):
    future = schedule_version(date(2099, 1, 1))
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    response = client.post(f"/policy/{future.id}/edit", data={"effective_from": "2099-01-01", **FIGURES,
                                                               "note": "只改备注"})
    assert response.status_code == 302
    db.session.expire_all()
    kept = db.session.get(PolicyVersion, future.id)
    assert kept.note == "只改备注" and len(kept.rewards) == 4 and kept.standing_points["prizes"] == [10, 6, 3]


def test_a_version_whose_schedule_proposed_a_reward_is_locked(client, db):
    future = schedule_version(date(2099, 1, 1))
    season = make_season(year=2099)
    organiser = Actor(make_user(Role.ORGANISER))
    competition = create_competition(organiser, CompetitionData(season.id, "江苏省焊工职业技能竞赛", "province", "焊工",
                                                                date(2099, 5, 1)))
    delegate = add_by_id_number(organiser, competition, id_number(303), "陈小明", make_enterprise().id)
    assert len(record_result(organiser, delegate, "一等奖", 1)) == 2
    admin = make_user(Role.ADMIN)
    db.session.commit()
    login_afresh(client, admin)
    history = html(client.get("/policy"))
    assert f"/policy/{future.id}/edit" not in history and 'data-uses="2"' in history
    refused = client.post(f"/policy/{future.id}/edit", data={"effective_from": "2099-01-01", **FIGURES, **POINTS,
                                                             **rows()})
    assert refused.status_code == 409 and "不能修改" in html(refused)
    db.session.expire_all()
    assert len(db.session.get(PolicyVersion, future.id).rewards) == 4


def test_organisers_read_the_points_and_schedule_but_do_not_edit(client, db):
    schedule_version(date(2099, 1, 1))
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    login_afresh(client, organiser)
    history = html(client.get("/policy"))
    assert "省级 一等奖：个人 ￥5,000，选送单位 ￥2,000" in history and "/edit" not in history
    assert client.post("/policy/new", data={"effective_from": "2099-02-01", **FIGURES, **POINTS}).status_code == 403
