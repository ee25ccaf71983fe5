"""The league's pure rules (RULES.md §16): standings points by tier position, ranking with shared places, and the
reward schedule: what it accepts, what it refuses and which line a result earns."""
from competition.rules.league import (DEFAULT_POINTS, RewardLine, StandingPoints, Tally, check_reward_schedule,
                                      check_standing_points, clean_reward_schedule, clean_standing_points,
                                      points_from_data, rank_rows, reward_line, schedule_from_data)


def test_the_default_points_are_the_issues():
    assert DEFAULT_POINTS.to_data() == {"prizes": [10, 6, 3], "participant": 1, "hosted_event": 5}
    assert [DEFAULT_POINTS.for_tier(t) for t in (1, 2, 3, 4, 0)] == [10, 6, 3, 0, 0]  # a fourth tier earns nothing


def test_points_as_stored_and_as_sent():
    assert points_from_data(None) == DEFAULT_POINTS and points_from_data({}) == DEFAULT_POINTS
    assert points_from_data({"prizes": [12, 8], "participant": 2, "hosted_event": 0}) == StandingPoints((12, 8), 2, 0)
    by_name = {"prizes": {"一等奖": 9, "二等奖": 5, "三等奖": 2}}
    assert check_standing_points(by_name) == []
    assert clean_standing_points(by_name) == StandingPoints((9, 5, 2), 1, 5)  # what was left out: the defaults


def test_wrong_points_are_named_by_field():
    fields = {p["field"] for p in check_standing_points(
        {"prizes": [10, -1], "participant": "1", "hosted_event": True, "bonus": 3})}
    assert fields == {"standing_points", "standing_points.prizes", "standing_points.participant",
                      "standing_points.hosted_event"}
    assert check_standing_points([10, 6, 3])[0]["field"] == "standing_points"
    assert check_standing_points({"prizes": []})[0]["field"] == "standing_points.prizes"
    assert check_standing_points({"prizes": [1] * 7})[0]["field"] == "standing_points.prizes"


def test_ranking_shares_places_and_orders_ties_by_first_prizes_then_name():
    rows = [Tally(1, "乙", points=20, prizes_by_tier={1: 1}), Tally(2, "甲", points=20, prizes_by_tier={1: 2}),
            Tally(3, "丙", points=30), Tally(4, "丁", points=20, prizes_by_tier={1: 1}), Tally(5, "戊", points=3)]
    ranked = rank_rows(rows)
    assert [(r.rank, r.name) for r in ranked] == [(1, "丙"), (2, "甲"), (2, "丁"), (2, "乙"), (5, "戊")]
    assert ranked[1].prizes == 2 and ranked[1].first_prizes() == 2


LINES = [{"level": "province", "prize": " 一等奖 ", "individual": 5000, "sending_unit": 2000},
         {"level": "city", "prize": "一等奖", "individual": 2000, "sending_unit": 0}]


def test_a_schedule_is_cleaned_ordered_by_level_and_looked_up_by_level_and_prize():
    assert check_reward_schedule(LINES) == []
    schedule = clean_reward_schedule(LINES)
    assert schedule == (RewardLine("city", "一等奖", 2000, 0), RewardLine("province", "一等奖", 5000, 2000))
    assert schedule_from_data([line.to_data() for line in schedule]) == schedule
    assert reward_line(schedule, "province", "一等奖 ") == RewardLine("province", "一等奖", 5000, 2000)
    assert reward_line(schedule, "national", "一等奖") is None  # the schedule gives nothing at that level
    assert reward_line(schedule, "province", None) is None and reward_line(schedule, "province", "") is None


def test_a_wrong_schedule_names_each_line_and_field():
    problems = check_reward_schedule([
        {"level": "county", "prize": "一等奖", "individual": 1, "sending_unit": 1},
        {"level": "city", "prize": "", "individual": -5, "sending_unit": 1.5},
        {"level": "city", "prize": "二等奖", "individual": 10, "sending_unit": 10},
        {"level": "city", "prize": "二等奖", "individual": 20, "sending_unit": 20},
        "一等奖"])
    assert {p["field"] for p in problems} == {"rewards[0].level", "rewards[1].prize", "rewards[1].individual",
                                               "rewards[1].sending_unit", "rewards[3]", "rewards[4]"}
    assert "第 4 行" in str(next(p["message"] for p in problems if p["field"] == "rewards[3]"))
    assert check_reward_schedule({"level": "city"})[0]["field"] == "rewards"
    assert check_reward_schedule([dict(LINES[1]) for _ in range(61)])[0]["field"] == "rewards"
