"""Journey (issue 7): the organiser opens the season dashboard on the demo data; every chart is drawn
(checked on the canvas pixels, and kept as a screenshot), and a number leads to the list it counts."""
from playwright.sync_api import expect

from tests.browser_fixtures import ARTIFACTS, log_in

# Painted pixels of each drawn chart (alpha > 0), read back from its canvas.
PAINTED = """() => Array.from(document.querySelectorAll('canvas[data-chart-drawn]')).map(c => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return [c.closest('[data-chart-card]').dataset.chartCard, painted, c.width * c.height];
})"""


def test_the_season_dashboard_draws_its_charts_and_its_numbers_lead_to_the_lists(live_server, page):
    log_in(page, live_server, "organiser", "Zuweihui-2026")
    page.wait_for_url(f"{live_server}/")
    page.click("[data-nav='reports.dashboard']")
    page.wait_for_selector("canvas[data-chart-drawn]")
    page.wait_for_timeout(300)  # let Chart.js finish its first layout pass
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000  # a page of charts, not a blank one

    drawn = {key: (painted, area) for key, painted, area in page.evaluate(PAINTED)}
    # The demo season has events, participants, towns and money, and the journey's event is being marked.
    assert {"status", "events", "occupations", "towns", "progress", "spending", "standings"} == set(drawn), drawn
    for key, (painted, area) in drawn.items():
        assert painted > area * 0.01, (key, painted, area)  # visibly drawn, not an empty canvas
    assert page.console_errors == []
    overflowing = page.evaluate("""() => [...document.querySelectorAll('[data-figures] .figure-value')]
        .filter(v => v.scrollWidth > v.clientWidth + 1).map(v => v.closest('[data-figure]').dataset.figure)""")
    assert overflowing == []  # ￥1,998,000 fits its card (issue 15: the 剩余 card overflowed)

    # A status count on the dashboard is the number of rows on the list it links to.
    first = page.locator("[data-numbers='status'] tbody tr").first
    count = int(first.locator("[data-value]").inner_text())
    first.locator("a").click()
    page.wait_for_url("**/events?*status=*")
    expect(page.locator("tr[data-event]")).to_have_count(count)
