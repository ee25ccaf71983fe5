"""The certificate tests' fixtures: a final event with its certificates, and the PDF tools they read pages with
(poppler-utils' pdftoppm, pdftotext and pdfinfo).

Without them those tests are skipped with a visible notice (repeated at the end of the run, like the browser tests'),
except under CI=true, where a missing tool is a failure: .ci/run installs poppler-utils.
"""
import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PDF_TOOLS = ("pdftoppm", "pdftotext", "pdfinfo")
PDF_TOOLS_NOTICE = "证书 PDF 检查已跳过：未找到 pdftoppm/pdftotext（apt-get install -y poppler-utils）。"


@pytest.fixture
def pdf_tools() -> None:
    """Skip (loudly) without poppler-utils, except in CI, where the tools must be there."""
    if all(shutil.which(tool) for tool in PDF_TOOLS):
        return
    if IN_CI:
        pytest.fail("CI=true but poppler-utils (pdftoppm, pdftotext, pdfinfo) is missing: .ci/run installs it.")
    pytest.skip(PDF_TOOLS_NOTICE)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Repeat the skip notice where nobody can miss it."""
    skipped = sum(1 for report in terminalreporter.stats.get("skipped", []) if PDF_TOOLS_NOTICE in str(report.longrepr))
    if skipped:
        terminalreporter.write_sep("!", f"{skipped} 个证书 PDF 测试未运行 — {PDF_TOOLS_NOTICE}", yellow=True)

@pytest.fixture
def certificate_scene(app, db):
    """A final event with its certificates (tests/certificate_builders.py); the job runner stopped after the test."""
    from tests.certificate_builders import certificate_world

    world, users = certificate_world()
    yield world, users
    runner = app.extensions.get("job_runner")
    if runner is not None:
        runner.shutdown()
