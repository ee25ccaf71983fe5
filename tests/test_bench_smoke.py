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
    summary.main()
    assert capsys.readouterr().out.count("MISSED") == 2
