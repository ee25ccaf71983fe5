"""Running a bench script as a CI check (the load test, the two nodes): its exit status, output and JSON report."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_script(script: str, args: list[str], report_path: Path, *, timeout: float) -> dict:
    """Run bench/<script> with `--json report_path`; fail the test on a timeout or a non-zero exit, else return the
    report. The script's output is printed (pytest -rP shows it in the CI log)."""
    command = [sys.executable, str(ROOT / "bench" / script), *args, "--json", str(report_path)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as run:
        try:
            out, err = run.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.terminate()  # SIGTERM: the script stops what it started and drops its database on the way out
            out, err = run.communicate(timeout=60)
            pytest.fail(f"{script} did not finish in time\n{out[-4000:]}\n{err[-4000:]}")
    print(out)
    assert run.returncode == 0, f"{out[-6000:]}\n{err[-4000:]}"
    return json.loads(report_path.read_text(encoding="utf-8"))
