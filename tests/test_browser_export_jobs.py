"""Journey (issue 22, item 2): an organiser exports a roster larger than the limit: the link offers 后台生成, the job
page follows the job with its progress bar, and the file it offers holds every row. (Its own live server, whose
limit is 10 rows: the demo's 化纤纺丝工 event has 64 entries.)"""
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser_fixtures import log_in, serve_demo

EVENT = "恒力化纤第三届化纤纺丝工技能竞赛"


@pytest.fixture(scope="module")
def small_limit_server(tmp_path_factory):
    """The demo app whose exports over 10 rows are jobs."""
    yield from serve_demo(tmp_path_factory, EXPORT_JOB_ROWS=10)


def test_a_large_roster_export_is_built_in_the_background_and_downloaded(small_limit_server, page, tmp_path):
    base = small_limit_server
    log_in(page, base, "organiser", "Zuweihui-2026")
    page.click("[data-nav='events.index']")
    page.click(f"text={EVENT}")
    page.click("[data-link='entries']")

    page.click("text=导出 Excel")
    confirm = page.locator("[data-export-confirm]")
    expect(confirm).to_contain_text("本次导出共 64 行")
    page.click("[data-form='export-job'] button[type=submit]")

    expect(page).to_have_url(re.compile(r"/jobs/\d+/page$"))
    expect(page.locator("[data-job-event]")).to_contain_text(EVENT)  # which event's roster this job is
    link = page.locator("a:has-text('下载文件')")
    expect(link).to_be_visible(timeout=30_000)  # the page polls the job until its file is ready
    page.screenshot(path="test-artifacts/export-job-done.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    sheet = book.worksheets[0]
    names = [row[1] for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).isdigit()]
    assert download.value.suggested_filename.endswith(".xlsx")
    assert len(names) == 64, names[:5]
