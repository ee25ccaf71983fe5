"""Journey (issue 3): an enterprise imports a roster through the template, fixes two bad rows, and the
organiser checks the contestants in and runs the draw."""
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from competition.rules.identity import id_check_char
from tests.browser_fixtures import JOURNEY_EVENT, log_in


def valid_id(n: int) -> str:
    """A valid ID number of a Wujiang resident born in 1990."""
    first17 = f"320509199003{(n % 28) + 1:02d}{(n * 2 + 1) % 1000:03d}"
    return first17 + id_check_char(first17)


PEOPLE = [("周晓明", valid_id(1)), ("吴丽娟", valid_id(2)), ("郑国强", valid_id(3)), ("王海燕", valid_id(4)),
          ("陈志刚", valid_id(5))]


def fill_template(template: bytes, rows) -> bytes:
    """Write rows into the downloaded template's first sheet, under its headers, as a user would."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    header_row = next(r for r in range(1, 12) if any(c.value == "姓名" for c in sheet[r]))
    columns = {cell.value: cell.column for cell in sheet[header_row] if cell.value}
    for offset in range(1, 30):  # clear the example row(s), if any
        for column in columns.values():
            sheet.cell(header_row + offset, column).value = None
    for offset, (name, id_number) in enumerate(rows, start=1):
        sheet.cell(header_row + offset, columns["姓名"]).value = name
        sheet.cell(header_row + offset, columns["身份证号码"]).value = id_number
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, tmp_path, content: bytes, name: str):
    """Choose the file in the upload form and send it."""
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("input[type=file][name=file]", str(path))
    page.click("[data-upload-submit]")
    page.wait_for_selector(f"[data-preview] >> text={name}")  # this file's check, not the previous one


def test_enterprise_imports_then_organiser_checks_in_and_draws(live_server, page, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())

    # The enterprise finds the event and opens its import page.
    log_in(page, live_server, "enterprise", "Qiye-HR-2026")
    page.click("[data-nav='events.index']")
    page.click(f"text={JOURNEY_EVENT}")
    page.click("[data-link='entries']")
    page.click("[data-entry-tabs] >> text=导入名单")

    with page.expect_download() as download:
        page.click("text=下载模板")
    template = download.value.path().read_bytes()

    # Two bad rows: a wrong check character, and the same person twice.
    bad = PEOPLE[:3] + [("赵文斌", PEOPLE[3][1][:17] + ("0" if PEOPLE[3][1][17] != "0" else "1")), PEOPLE[0]]
    upload(page, tmp_path, fill_template(template, bad), "名单-有误.xlsx")
    expect(page.locator("[data-problem-row]").nth(1)).to_be_attached()  # two problems at least
    expect(page.locator("main")).to_contain_text("校验位", use_inner_text=True)
    expect(page.locator("main")).to_contain_text("重复", use_inner_text=True)
    expect(page.locator("[data-confirm-import]")).to_have_count(0)  # nothing can be saved from a bad file

    # The fixed file previews clean and is imported.
    upload(page, tmp_path, fill_template(template, PEOPLE), "名单.xlsx")
    expect(page.locator("[data-count='new']")).to_have_text(re.compile(r"5\s*$"))
    page.click("[data-confirm-import] button[type=submit]")
    page.wait_for_selector(".alert-success")
    expect(page.locator("main")).to_contain_text(re.compile(r"已导入\s*5\s*人"), use_inner_text=True)
    for name, _ in PEOPLE:
        expect(page.locator("main")).to_contain_text(name, use_inner_text=True)
    page.click(".user-menu")
    page.click("form[action='/logout'] button")

    # The organiser checks everyone in, closes registration and draws.
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.click("[data-nav='events.index']")
    page.click(f"text={JOURNEY_EVENT}")
    event_url = page.url
    page.click("[data-link='entries']")
    page.click("[data-entry-tabs] >> text=检录")
    page.check("[data-pick-all]")
    page.click("[data-bulk-bar] button[value=present]")
    page.wait_for_selector(".alert-success")
    expect(page.locator("[data-status='present']")).to_have_count(5)

    page.goto(event_url)
    page.click("button[data-action='close']")
    page.wait_for_selector(".alert-success")
    page.click("[data-link='entries']")
    page.click("[data-entry-tabs] >> text=抽签")
    expect(page.locator("[data-present]")).to_have_attribute("data-present", "5")
    page.click("form[data-confirm] button[type=submit]")
    page.wait_for_selector("[data-draw-result]")
    expect(page.locator("[data-seed]")).to_have_text(re.compile(r"\S"))
    expect(page.locator("[data-replay]")).to_have_attribute("data-replay", "ok")
    for number in ("001", "002", "003", "004", "005"):  # every present contestant drew a number
        expect(page.locator("main")).to_contain_text(re.compile(rf"(?<!\d){number}(?!\d)"), use_inner_text=True)
