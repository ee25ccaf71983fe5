"""The bench helpers that decide what `make bench` prints: percentiles and the summary's verdicts."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import summary  # noqa: E402
from _common import percentile  # noqa: E402


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([], 50, 0.0), ([5], 99, 5), ([1, 2, 3, 4], 50, 2), (list(range(1, 101)), 95, 95), (list(range(1, 101)), 99, 99),
    ([3, 1, 2], 100, 3),
])
def test_percentile_is_the_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


def _write(folder: Path, name: str, report: dict) -> None:
    """One bench report as the scripts write it."""
    (folder / f"{name}.json").write_text(json.dumps(report), encoding="utf-8")


def test_summary_prints_missed_targets_and_fails_only_when_a_report_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(summary, "OUT", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["summary.py"])
    _write(tmp_path, "import", {"rows": 10000, "ratio": 1.5, "meets_target": True, "import_peak_mib": 30,
                                "ratio_gc_paused": 1.7})
    _write(tmp_path, "results", {"entries": 2000, "judges": 5, "criteria": 20, "ratio": 2.1, "meets_target": True,
                                 "marks": 202000, "compute_event_results_s": 2.0})
    _write(tmp_path, "export", {"rows": 10000, "ratio": 2.5, "meets_target": False, "export_peak_mib": 70,
                                "results_workbook_s": 1.2, "openpyxl_write_only_s": 0.5})
    with pytest.raises(SystemExit, match="marks_server"):
        summary.main()
    printed = capsys.readouterr().out
    assert "MISSED" in printed and "≤ 1.5" in printed and printed.count("OK ") == 2
    _write(tmp_path, "marks_server", {"clients": 8, "database": "postgresql", "ratio": 0.05, "meets_target": False,
                                      "marks_rps": 50, "healthz_rps": 1000, "lost": 0,
                                      "healthz": {"p50_ms": 1, "p95_ms": 2}, "marks": {"p50_ms": 100, "p95_ms": 200}})
    with pytest.raises(SystemExit, match="upload_caps"):
        summary.main()
    capsys.readouterr()
    _write(tmp_path, "upload_caps", {"ratio": 0.12, "meets_target": True, "max_cells": 200000, "max_columns": 64,
                                     "attack_mib": 4.1, "attack_before_s": 17.0, "attack_refused_s": 0.001,
                                     "worst_allowed_s": {"64_columns": 2.0, "20_columns": 2.1}})
    with pytest.raises(SystemExit, match="certificates"):
        summary.main()
    capsys.readouterr()
    _write(tmp_path, "certificates", {"certificates": 500, "ratio": 0.2, "meets_target": True, "job_s": 20.1,
                                      "one_by_one_s": 100.5, "one_page_s": 0.201, "samples": 60, "peak_mib": 240.2,
                                      "peak_target_mib": 300, "pdf_kib": 2900})
    with pytest.raises(SystemExit, match="standings"):
        summary.main()
    capsys.readouterr()
    _write(tmp_path, "standings", _standings_report(api_status=200))
    with pytest.raises(SystemExit, match="pages"):
        summary.main()
    capsys.readouterr()
    _write(tmp_path, "pages", _pages_report(slow_ms=None))
    summary.main()
    printed = capsys.readouterr().out
    assert printed.count("MISSED") == 2 and "refused in 1.0 ms now" in printed
    assert "2 pages' p95 on league-scale data" in printed and "SELECT 1 p50/p95 1.5/2.5 ms" in printed
    assert "500 certificates as one PDF" in printed and "job peak 240.2 MiB (< 300)" in printed
    assert "300 final events and 30,000 entries" in printed and "page 36.0 ms; api 34.0 ms" in printed


def _standings_report(api_status: int) -> dict:
    """bench_standings.py's report: the page at 1.80 × the statement; the API at 1.70 ×, or missing (404)."""
    api = {"exists": api_status == 200, "status": api_status, "seconds": 0.034}
    return {"database": "sqlite", "events": 300, "entries": 30000, "base_s": 0.02, "service_s": 0.03,
            "service_ratio": 1.5, "page": {"exists": True, "status": 200, "seconds": 0.036}, "api": api,
            "ratio": 1.8, "meets_target": api_status == 200}


def _pages_report(slow_ms: float | None, differ: tuple = ()) -> dict:
    """bench_pages.py's report: two pages, the second at `slow_ms` (else 80 ms) p95; `differ` names pages whose
    statement count was not the same on the small object."""
    pages = [{"name": "events", "status": 200, "p50_ms": 10.0, "p95_ms": 12.5},
             {"name": "town page", "status": 200, "p50_ms": 60.0, "p95_ms": slow_ms or 80.0}]
    return {"database": "postgresql", "seed_s": 112.0, "counts": {"events": 300, "entries": 30000, "marks": 2880000},
            "select1": {"p50_ms": 1.5, "p95_ms": 2.5}, "pages": pages, "worst_p95_ms": slow_ms or 80.0,
            "slow": ["town page"] if slow_ms and slow_ms > 200 else [], "not_constant": list(differ), "compared": 2}


def test_summary_prints_the_pages_worst_p95_and_the_pages_that_miss(tmp_path, monkeypatch):
    monkeypatch.setattr(summary, "OUT", str(tmp_path))
    _write(tmp_path, "pages", _pages_report(slow_ms=None))
    timing, counting = summary.rows({"pages": summary.load("pages")})
    assert timing[1:4] == ("80.0 ms", "≤ 200 ms", "OK")
    assert "30,000 entries, 2,880,000 marks; seeded in 112.0 s" in timing[4]
    assert counting[1:4] == ("0 differ", "0", "OK")
    _write(tmp_path, "pages", _pages_report(slow_ms=250.0, differ=("events",)))
    timing, counting = summary.rows({"pages": summary.load("pages")})
    assert timing[3] == "MISSED" and "worst town page p50/p95 60.0/250.0 ms; over: town page" in timing[4]
    assert counting[1:4] == ("1 differ", "0", "MISSED") and "differ: events" in counting[4]


def test_summary_prints_the_standings_ratio_and_a_missing_route_as_missed(tmp_path, monkeypatch):
    monkeypatch.setattr(summary, "OUT", str(tmp_path))
    _write(tmp_path, "standings", _standings_report(api_status=200))
    row = summary.rows({"standings": summary.load("standings")})[0]
    assert row[1:4] == ("1.80", "≤ 2", "OK") and "the statement 20.0 ms" in row[4]
    _write(tmp_path, "standings", _standings_report(api_status=404))
    row = summary.rows({"standings": summary.load("standings")})[0]
    assert row[3] == "MISSED" and "api missing (404)" in row[4]


def test_the_floor_of_a_save_in_save_floor_really_saves_and_logs(app, db):
    """bench/save_floor.py compares the mark save with a bare-SQL floor: the floor must be a real save
    (cells stored, one change row per cell with the old value, an audit row), or the comparison means nothing."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the floor route is PostgreSQL SQL; the PostgreSQL run of the database tests covers it")
    import _floor_app  # noqa: PLC0415  (bench/, on the path above)

    from competition.models import AuditEntry, Mark, MarkChange
    from tests.clients import bearer
    from tests.marking_builders import make_world
    app.register_blueprint(_floor_app.bp)
    world = make_world(2, judges=2)
    _, quality, safety = world.criteria
    headers = bearer(world.judges[1])
    url = f"/bench/floor/events/{world.event.id}/marks"
    client = app.test_client()
    first = [{"number": "001", "criterion_id": quality, "value": "41.5"}, {"number": "002", "criterion_id": safety,
                                                                          "value": "7"}]
    assert client.put(url, json={"marks": first}, headers=headers).status_code == 200
    changed = client.put(url, json={"marks": [{"number": "001", "criterion_id": quality, "value": "40"}]},
                         headers=headers)
    assert changed.status_code == 200
    db.session.expire_all()
    assert sorted(str(v) for v in db.session.scalars(db.select(Mark.value))) == ["40.00", "7.00"]
    log = [(str(c.old_value) if c.old_value is not None else None, str(c.new_value))
           for c in db.session.scalars(db.select(MarkChange).order_by(MarkChange.id))]
    assert log == [(None, "41.50"), (None, "7.00"), ("41.50", "40.00")]
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "mark.change")) == 2
    outsider = client.put(url, json={"marks": first}, headers={"Authorization": "Bearer nothing"})
    assert outsider.status_code == 401


def test_the_pages_bench_app_answers_select_1_and_counts_each_requests_statements(app, db):
    """bench/bench_pages.py's yardstick is one SELECT 1, and its statement counts are what the request sent."""
    import _pages_app  # noqa: PLC0415  (bench/, on the path above)
    from sqlalchemy import event as sa_event
    from sqlalchemy.engine import Engine

    from tests.counting import statements
    _pages_app.instrument(app)
    client = app.test_client()
    try:
        floor = client.get("/bench/pages/select1")
        assert (floor.status_code, floor.get_data(as_text=True)) == (200, "1")
        assert int(floor.headers[_pages_app.HEADER]) == statements(db, lambda: client.get("/bench/pages/select1"))
        page = client.get("/public")
        assert page.status_code == 200
        assert int(page.headers[_pages_app.HEADER]) == statements(db, lambda: client.get("/public"))
    finally:
        sa_event.remove(Engine, "before_cursor_execute", _pages_app._count)


def test_summary_prints_the_prize_tiers_ratio_when_the_results_bench_measured_it(tmp_path, monkeypatch):
    monkeypatch.setattr(summary, "OUT", str(tmp_path))
    stage = {"with_s": 0.341, "without_s": 0.324, "ratio": 1.052, "prize_step_s": 0.0021, "ratio_of_the_step": 1.007}
    _write(tmp_path, "results", {"entries": 2000, "judges": 5, "criteria": 20, "ratio": 1.5, "meets_target": True,
                                 "marks": 202000, "compute_event_results_s": 1.6,
                                 "prizes": {"live": stage, "frozen": stage, "ratio": 1.052, "ratio_gc_paused": 1.01,
                                            "meets_target": True}})
    table = summary.rows({"results": summary.load("results")})
    prize = [row for row in table if "prize tiers" in row[0]]
    assert prize and prize[0][1:4] == ("1.05", "≤ 1.1", "OK") and "2.1 ms → 1.007" in prize[0][4]
