"""Journey (issue 21): the monthly job runs (the CLI, on the live server's database), and 盛泽镇's town officer logs in,
finds last month's report in 月度反馈 with its 新 badge, opens it (the badge goes), and downloads the workbook, which
is the town's report as filed (RULES.md §17)."""
import io

import openpyxl
from playwright.sync_api import expect

from tests.browser_fixtures import log_in

TOWN = "盛泽镇"  # the demo's 恒力化纤 is there
OFFICER, PASSWORD = "shengze_rsj", "Zhenqu-2026"


def _live_app(tmp_path_factory):
    """An app on the live server's database (the newest live folder of this run: the module's server)."""
    from competition import create_app

    folders = sorted(tmp_path_factory.getbasetemp().glob("live*/live.sqlite3"), key=lambda p: p.stat().st_mtime)
    assert folders, "the live server's database was not found"
    database = folders[-1]
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "INSTANCE_PATH": str(database.parent),
                       "SECRET_KEY": "x" * 32})


def _run_the_monthly_job(app) -> str:
    """The town officer (made with the model: the admin's page for it is another journey's), then the CLI for last
    month; returns the month as YYYY-MM."""
    from competition.extensions import db
    from competition.models import Role, User
    from competition.models.types import beijing_today
    from competition.services.accounts import hash_password
    from competition.services.reports.monthly import previous_month

    month = f"{previous_month(beijing_today()):%Y-%m}"
    with app.app_context():
        if db.session.scalar(db.select(User).where(User.username == OFFICER)) is None:
            db.session.add(User(username=OFFICER, display_name="盛泽镇人社 周敏", role=Role.TOWN, town=TOWN,
                                password_hash=hash_password(PASSWORD)))
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["monthly-reports", "--month", month])
        assert result.exit_code == 0, result.output
        again = app.test_cli_runner().invoke(args=["monthly-reports", "--month", month])  # a second run replaces
        assert again.exit_code == 0, again.output
        db.session.remove()
        db.engine.dispose()
    return month


def test_the_monthly_job_runs_and_the_town_officer_reads_and_downloads_its_report(live_server, page,
                                                                                  tmp_path_factory):
    base = live_server
    month = _run_the_monthly_job(_live_app(tmp_path_factory))

    log_in(page, base, OFFICER, PASSWORD)
    page.wait_for_url(f"{base}/")
    page.click("[data-nav='monthly.index']")
    rows = page.locator("[data-table='monthly-reports'] tr[data-report]")
    expect(rows.first).to_be_visible()
    assert {rows.nth(i).get_attribute("data-town") for i in range(rows.count())} == {TOWN}  # its own town's only
    row = page.locator(f"[data-table='monthly-reports'] tr[data-report][data-month='{month}']")
    expect(row).to_have_count(1)  # written once however often the job ran (the demo's months are there too)
    expect(row.locator("[data-new]")).to_have_text("新")

    row.locator("[data-link='report']").click()
    expect(page.locator("h1")).to_contain_text(TOWN)
    expect(page.locator("[data-figure='participants'] [data-cell='town']")).to_be_visible()
    expect(page.locator("[data-figure='participants'] [data-cell='district_ytd']")).to_be_visible()

    page.goto(f"{base}/monthly-reports")
    opened = page.locator(f"tr[data-report][data-month='{month}']")
    expect(opened).to_have_count(1)
    expect(opened.locator("[data-new]")).to_have_count(0)  # opened: no longer new

    with page.expect_download() as download:
        opened.locator("[data-link='workbook']").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".xlsx") and TOWN in saved.suggested_filename
    with open(saved.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames[0] == "汇总"
    assert TOWN in book["汇总"]["A1"].value and "高技能人才培养情况反馈" in book["汇总"]["A1"].value
    assert not page.console_errors
