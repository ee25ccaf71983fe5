"""The load test as a CI check: bench/load_test.py (50 judges, 200 public readers, gunicorn on PostgreSQL).

It takes a minute and a PostgreSQL server, so it runs only when LOAD_TEST=1 (.ci/run sets it, with
LOAD_TEST_SECONDS=30); otherwise it is skipped, saying so. It fails on a non-zero exit, any request
error or any lost mark.
"""
import os

import pytest

from tests.scripts import run_script

SECONDS = os.environ.get("LOAD_TEST_SECONDS", "30")

pytestmark = pytest.mark.skipif(
    os.environ.get("LOAD_TEST") != "1",
    reason="load test not requested: set LOAD_TEST=1 (LOAD_TEST_SECONDS, default 30) to run bench/load_test.py "
           "against gunicorn on PostgreSQL; .ci/run does")


def test_fifty_judges_and_two_hundred_readers_see_no_errors_and_lose_no_mark(tmp_path):
    report = run_script("load_test.py", ["--seconds", SECONDS], tmp_path / "load.json", timeout=float(SECONDS) + 300)
    assert report["database"] == "postgresql", "the load test must run on PostgreSQL (is it running on 127.0.0.1?)"
    assert report["errors"] == 0, report["error_samples"]
    assert report["lost"] == 0 and report["unexpected"] == 0
    assert report["cell_saves_ok"] > 0 and report["mark_changes_stored"] == report["cell_saves_ok"]
    assert report["marks_stored"] == report["cells_saved"]
    assert report["judges"] == 50 and report["readers"] == 200
    assert all(kind["count"] > 0 for kind in report["kinds"].values()), report["kinds"]
