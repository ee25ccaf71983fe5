"""Exports an office can file (issue 15, M6, m12): every workbook opened with openpyxl as an office would open it.

Every sheet prints on A4, fitted to one page wide, with its title rows repeated and a header naming the league
and the sheet; dates are Excel dates with a date format (not serial numbers like 46255); the 成绩册's ranks and
scores are numbers shown with two decimals; the 报名名单 has a title."""
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from competition.services.audit import Actor
from competition.services.results.lifecycle import publish, sign_off
from tests.builders import make_enterprise, make_season
from tests.clients import login
from tests.marking_builders import WORKED, fill, make_world, submit_all
from tests.subsidy_builders import make_claim, make_claimable


@pytest.fixture
def downloads(app, client, db):
    """A signed-off, published event with two contestants, a paid claim in its season, and an organiser's browser:
    (url, what) for every workbook the pages offer."""
    season = make_season(year=2026)
    firm = make_enterprise(name="恒力化纤")
    world = make_world(2, judges=5, entry_employers=(firm, firm), season=season)
    fill(world, "001", *WORKED)
    fill(world, "002", "70", [("40", "30")] * 5)
    submit_all(world)
    sign_off(world.actor(0), world.event)
    publish(Actor(world.organiser), world.event)
    claim = make_claim(make_claimable(season=season, host=firm), "paid")
    claim.paid_on = date(2026, 11, 2)
    db.session.commit()
    login(client, world.organiser)
    event = world.event.id
    return {
        "results": f"/events/{event}/results.xlsx", "mark_sheets": f"/events/{event}/mark-sheets.xlsx",
        "roster": f"/events/{event}/entries.xlsx", "sign_in": f"/events/{event}/sign-in-sheet.xlsx",
        "template": f"/events/{event}/entries/template.xlsx", "report": f"/seasons/{season.id}/report.xlsx",
        "claim_form": f"/subsidy/claims/{claim.id}/form.xlsx", "experts": "/experts/2026.xlsx",
    }


def _open(client, url):
    """A downloaded workbook, as openpyxl reads it."""
    response = client.get(url)
    assert response.status_code == 200, url
    return load_workbook(io.BytesIO(response.data))


def test_every_sheet_of_every_export_prints_on_a4_fitted_to_width_with_title_rows_and_a_header(client, downloads):
    checked = 0
    for what, url in downloads.items():
        for sheet in _open(client, url).worksheets:
            setup = sheet.page_setup
            assert setup.paperSize == 9, (what, sheet.title)  # A4
            assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1, (what, sheet.title)
            assert sheet.print_title_rows, (what, sheet.title)  # the heading and header repeat on each page
            assert "吴江职业技能联赛" in sheet.oddHeader.center.text and "&A" in sheet.oddHeader.center.text
            assert "&P" in sheet.oddFooter.center.text  # page numbers
            checked += 1
    assert checked >= 10


def test_the_season_report_writes_dates_as_dates_and_money_as_numbers(client, downloads):
    book = _open(client, downloads["report"])
    events = book["赛项"]
    header = [cell.value for cell in events[3]]
    column = header.index("比赛日期") + 1
    dates = [row[column - 1] for row in events.iter_rows(min_row=4) if row[column - 1].value is not None]
    assert dates and all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in dates)
    assert all(isinstance(cell.value, datetime) for cell in dates)  # a real date, never 46255
    claims = book["竞赛补贴"]
    header = [cell.value for cell in claims[3]]
    paid = claims.cell(row=4, column=header.index("拨付日期") + 1)
    amount = claims.cell(row=4, column=header.index("金额（元）") + 1)
    assert paid.is_date and paid.value.date() == date(2026, 11, 2) and paid.number_format == "yyyy-mm-dd"
    assert amount.value == 20000 and amount.number_format == "#,##0"


def test_the_results_book_writes_ranks_and_scores_as_numbers_with_two_decimals(client, downloads):
    sheet = _open(client, downloads["results"])["成绩册"]
    header = [cell.value for cell in sheet[3]]
    first = {name: sheet.cell(row=4, column=i + 1) for i, name in enumerate(header)}
    assert first["名次"].value == 1 and first["名次"].data_type == "n"
    total = first["总分"]
    assert total.data_type == "n" and total.number_format == "0.00" and Decimal(str(total.value)) == Decimal("87.45")
    assert first["实操得分"].number_format == "0.00" and first["参赛号"].data_type == "s"


def test_the_roster_has_a_title_and_birth_dates_as_dates(client, downloads):
    sheet = _open(client, downloads["roster"])["报名名单"]
    assert sheet["A1"].value.endswith("报名名单") and "共2人" in sheet["A2"].value
    header = [cell.value for cell in sheet[3]]
    born = sheet.cell(row=4, column=header.index("出生日期") + 1)
    assert born.is_date and born.number_format == "yyyy-mm-dd"
    assert sheet.print_title_rows == "$1:$3" and sheet.page_setup.orientation == "landscape"

