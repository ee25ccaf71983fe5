"""Season figures for the dashboard and the report: hand-counted on a constructed season, by month, and in a
constant number of statements."""
from datetime import date

import pytest

from competition.services.money import budget
from competition.services.marking.marks import save_marks
from competition.services.audit import Actor
from competition.services.reports.figures import NO_TOWN, employee_results, enterprise_events, season_figures
from tests.builders import build_season, make_season
from tests.counting import statements


def test_figures_match_a_hand_count(db):
    season, march, [(welding, judge)], (shengze, qidu) = build_season(db)
    theory, practical = welding.modules
    save_marks(Actor(judge), welding, [("001", theory.criteria[0].id, "80", None),
                                       ("001", practical.criteria[0].id, "50", None),
                                       ("002", practical.criteria[1].id, "30", None)])
    f = season_figures(season)
    assert [(e.name, e.registered, e.participants) for e in f.events] == [
        (march.name, 5, 3), (welding.name, 3, 3)]  # the cancelled event is left out; a DQ still participated
    assert (f.registered, f.participants) == (8, 6)
    assert f.by_status == {"open": 1, "scoring": 1}
    assert f.by_occupation == {"电工": 3, "焊工": 3}
    assert f.by_town == {"盛泽镇": 3, "七都镇": 2, NO_TOWN: 1}
    # 3 measurement cells + (3 entries × 2 judges − 1 回避 pair) × 2 judgement criteria = 13 expected.
    [progress] = f.progress
    assert (progress.entered, progress.expected, progress.percent) == (3, 13, 23)
    assert (f.budget, f.committed) == (100_000, budget.committed(season.id))


def test_a_month_narrows_events_and_money(db, monkeypatch):
    season, march, _, _ = build_season(db)
    history = [("竞赛补贴", date(2026, 3, 5), 20000), ("技术能手", date(2026, 10, 1), 2000),
               ("技术能手", date(2026, 10, 2), 2000)]
    monkeypatch.setattr("competition.services.reports.figures.spending_history", lambda season_id: history)
    whole = season_figures(season)
    assert len(whole.spending) == 12
    assert [row["cumulative"] for row in whole.spending][2:10] == [20000] * 7 + [24000]
    assert whole.spending[9]["by_kind"] == {"竞赛补贴": 0, "技术能手": 4000}
    march_only = season_figures(season, date(2026, 3, 1))
    assert [e.id for e in march_only.events] == [march.id] and march_only.progress == []
    assert [(row["month"], row["cumulative"]) for row in march_only.spending] == [(date(2026, 3, 1), 20000)]


def test_an_empty_season_has_empty_figures(db):
    f = season_figures(make_season(year=2027))
    assert (f.events, f.by_status, f.by_town, f.progress, f.participants) == ([], {}, {}, [], 0)
    assert all(row["cumulative"] == 0 for row in f.spending)


def test_statements_do_not_grow_with_the_season(db):
    small, *_ = build_season(db, scoring_events=1)
    db.session.commit()
    counts = [statements(db, lambda: season_figures(small))]
    large, *_ = build_season(db, scoring_events=4, year=2030)
    db.session.commit()
    counts.append(statements(db, lambda: season_figures(large)))
    assert counts[0] == counts[1], counts


def test_an_enterprise_sees_its_hosted_and_entered_events_with_its_own_counts(db):
    season, march, [(welding, _)], (shengze, qidu) = build_season(db)
    welding.host_enterprise_id = qidu.id
    db.session.flush()
    rows = {row.id: row for row in enterprise_events(qidu.id)}
    assert set(rows) == {march.id, welding.id}
    assert (rows[march.id].entries, rows[march.id].participants) == (2, 1)
    assert (rows[welding.id].entries, rows[welding.id].participants) == (1, 1)
    assert employee_results(qidu.id) == []  # nothing published yet


@pytest.mark.parametrize("month", [date(2026, 12, 1), date(2026, 1, 1)])
def test_month_edges(db, month):
    season, *_ = build_season(db)
    f = season_figures(season, month)
    assert f.events == [] and [row["month"] for row in f.spending] == [month]
