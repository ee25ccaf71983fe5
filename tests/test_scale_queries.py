"""Pages on league-scale data (issue 22, item 5; bench/bench_pages.py times them at full size): what a page reads does
not grow with the events, results and seasons it shows, and the queries rewritten for it give what the plain ones
gave."""
import re
from datetime import date
from decimal import Decimal

import pytest

from competition.demo.scale import seed_scale
from competition.models import (Certificate, CertificateKind, Enterprise, Entry, Event, EventKind, ExpertTitle,
                                Person, Season)
from competition.rules.prizes import DEFAULT_TIERS, TierSpec
from competition.services.money import budget
from competition.services.reports.figures import employee_results
from competition.services.reports.town import town_results
from competition.services.results.prizes import PrizeSettings, prizes_for_rows, prizes_of
from tests.clients import logged_in
from tests.counting import statements
from tests.fund_builders import funded_season, make_spending
from tests.subsidy_builders import make_claim, make_claimable


def _league(db, events: int) -> Season:
    """A one-season league of `events` final events of 10 entries each, with their results and certificates."""
    seed_scale(1, events, events * 10, events * 10 * 11)
    return db.session.scalar(db.select(Season).order_by(Season.year.desc()).limit(1))


def _host(db, season: Season) -> Enterprise:
    """The host of the season's first enterprise event (it employs entrants of every event too)."""
    return db.session.scalar(db.select(Enterprise).join(Event, Event.host_enterprise_id == Enterprise.id)
                             .where(Event.season_id == season.id, Event.kind == EventKind.ENTERPRISE).limit(1))


def test_an_enterprise_and_a_town_read_published_results_in_statements_that_do_not_grow(db):
    """The policy version of every event's prize tiers is read once, not once an event (the session holds a row only
    while something refers to it, so each event read its version again)."""
    small = _league(db, 3)
    large = _league(db, 12)
    small_host, large_host = _host(db, small), _host(db, large)
    assert len({r.event_id for r in employee_results(large_host.id)}) > len(
        {r.event_id for r in employee_results(small_host.id)}) > 0
    assert statements(db, lambda: employee_results(small_host.id)) == \
        statements(db, lambda: employee_results(large_host.id))
    town = large_host.town
    assert len(town_results(large.id, town)) > len(town_results(small.id, town)) > 0
    assert statements(db, lambda: town_results(small.id, town)) == statements(db, lambda: town_results(large.id, town))


def test_the_results_read_for_a_few_people_are_theirs_with_the_prizes_of_the_whole_event(db):
    """employee_results and town_results decide the prizes of their own rows only: each is the prize the event's
    whole results gave (its prize certificate, issued from them when the event was made final)."""
    season = _league(db, 3)
    prizes = dict(db.session.execute(db.select(Entry.id, Certificate.prize_name).outerjoin(
        Certificate, (Certificate.entry_id == Entry.id) & (Certificate.kind == CertificateKind.PRIZE))).tuples().all())
    shown = []
    for enterprise in db.session.scalars(db.select(Enterprise)):
        entry_of = {(event_id, number): entry_id for entry_id, event_id, number in db.session.execute(
            db.select(Entry.id, Entry.event_id, Entry.number).where(Entry.employer_id == enterprise.id)).tuples()}
        mine = employee_results(enterprise.id)
        assert sorted(entry_of) == sorted((r.event_id, r.number) for r in mine)
        assert [r.prize for r in mine] == [prizes[entry_of[r.event_id, r.number]] for r in mine]
        shown += [r.prize for r in mine]
    assert len(shown) == 30 and None in shown and len(set(shown)) > 2
    for town in {enterprise.town for enterprise in db.session.scalars(db.select(Enterprise))}:
        ours = db.session.scalars(db.select(Entry.id).join(Enterprise, Enterprise.id == Entry.employer_id)
                                  .where(Enterprise.town == town)).all()
        rows = town_results(season.id, town)
        assert sorted(r.prize or "" for r in rows) == sorted(prizes[entry] or "" for entry in ours)


ROWS = [{"entry_id": 1, "rank": 1, "total": "95.5"}, {"entry_id": 2, "rank": 2, "total": "90"},
        {"entry_id": 3, "rank": 2, "total": "90"}, {"entry_id": 4, "rank": 4, "total": "70"},
        {"entry_id": 5, "rank": 5, "total": "59.99"}, {"entry_id": 6, "rank": None, "total": None},
        *({"entry_id": 10 + n, "rank": 6 + n, "total": "61"} for n in range(5))]


@pytest.mark.parametrize("settings", [
    PrizeSettings(DEFAULT_TIERS, Decimal(60)),
    PrizeSettings((TierSpec("一等奖", count=1), TierSpec("二等奖", count=1), TierSpec("三等奖", share=50)), Decimal(0)),
    PrizeSettings((TierSpec("一等奖", share=5),), Decimal(60)),
])
@pytest.mark.parametrize("wanted", [set(), {1}, {2, 3}, {4, 5, 6}, {5, 10, 14, 99}, set(range(20))])
def test_prizes_of_a_few_entries_are_those_the_whole_event_gives_them(settings, wanted):
    whole = prizes_for_rows(ROWS, settings)
    assert prizes_of(ROWS, settings, wanted) == {entry: prize for entry, prize in whole.items() if entry in wanted}


def _committed_season(db, year: int, claims: int, spending: int, title: int) -> Season:
    """A season with an approved claim, approved spending and an awarded title's subsidy of the amounts given (none
    when 0), and a submitted claim and a proposed spending that do not count."""
    season = funded_season(district_events=10_000, budget=1_000_000, year=year)
    if claims:
        make_claim(make_claimable(season=season), state="approved", amount=claims)
        make_claim(make_claimable(season=season), state="submitted", amount=99)
    if spending:
        make_spending(season, spending, state="approved")
        make_spending(season, 77, state="proposed")
    if title:
        person = Person(id_number=f"32050119900101{year % 10000:04d}", name="王强", birth_date=date(1990, 1, 1),
                        gender="男")
        db.session.add(person)
        db.session.flush()
        db.session.add(ExpertTitle(person_id=person.id, season_id=season.id, year=year, route="competition",
                                   subsidy=title))
    db.session.flush()
    return season


def test_the_committed_money_of_many_seasons_is_each_seasons_own(db):
    seasons = [_committed_season(db, 2061, 20000, 3000, 2000), _committed_season(db, 2062, 0, 500, 0),
               _committed_season(db, 2063, 0, 0, 0)]
    ids = [season.id for season in seasons]
    assert budget.committed_by_season(ids) == {season_id: budget.committed(season_id) for season_id in ids}
    assert budget.committed_by_season(ids) == {ids[0]: 25000, ids[1]: 500, ids[2]: 0}
    assert budget.committed_parts_by_season(ids)[ids[0]] == budget.committed_parts(ids[0])
    assert budget.committed_by_season([]) == {}


def test_the_seasons_page_reads_every_seasons_money_in_the_same_statements(client, db):
    logged_in(client, db)
    _committed_season(db, 2071, 20000, 0, 0)
    db.session.commit()
    one = statements(db, lambda: client.get("/seasons"))
    for year in range(2072, 2076):
        _committed_season(db, year, 1000, 100, 0)
    db.session.commit()
    page = client.get("/seasons").get_data(as_text=True)
    assert "￥20,000" in page and "￥980,000" in page and page.count("￥1,100") == 4 and page.count("￥998,900") == 4
    assert statements(db, lambda: client.get("/seasons")) == one


def test_the_town_page_shows_the_published_results_ten_events_a_page(client, db):
    season = _league(db, 24)
    towns = {e.town for e in db.session.scalars(db.select(Enterprise)) if e.town}
    by_town = {town: {r.event_id for r in town_results(season.id, town)} for town in towns}
    town, events = max(by_town.items(), key=lambda item: len(item[1]))
    assert len(events) > 10  # the town's people took part in more events than one page shows
    logged_in(client, db)
    seen = []
    for number in (1, 2):
        page = client.get(f"/towns/{town}?season={season.id}&results_page={number}").get_data(as_text=True)
        section = page.split('data-section="results"')[1].split("</section>")[0]
        shown = {int(event_id) for event_id in re.findall(r'/public/events/(\d+)"', section)}
        seen.append(shown)
        assert "results_page=" in section  # the section's own pages, beside the participants' ?page=
    assert len(seen[0]) == 10 and seen[0] | seen[1] == events and not seen[0] & seen[1]
