"""Two approvals at the same moment, from threads with their own connections (RULES.md §11; issue 6 item 4).

The same nomination approved twice, and one person's nominations in two seasons approved together:
either way the title is awarded once and its subsidy counted once; the loser gets a 409. Runs on
SQLite and, with TEST_DATABASE_URL, on PostgreSQL (where the database constraints decide the race).
"""
from competition.models import ExpertTitle, Nomination, Role
from competition.services.audit import Actor
from competition.services.money.budget import committed
from competition.services.titles.nominations import RecommendationData, recommend
from tests.builders import id_number, make_season, make_user
from tests.clients import bearer, race
from tests.counting import count_fresh


def _approve_calls(ids, headers):
    """POST approve for each nomination id, as the same organiser."""
    return [("POST", f"/api/v1/nominations/{i}/approve", None, headers) for i in ids]


def test_the_same_nomination_approved_twice_at_once_awards_one_title(app, db):
    season = make_season(year=2026)
    nomination = recommend(Actor(make_user(Role.ENTERPRISE)), RecommendationData(id_number(41), "李四", "骨干",
                                                                                 season.id, True))
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    responses = race(app, _approve_calls([nomination.id] * 3, bearer(organiser)))
    assert sorted(r.status_code for r in responses) == [200, 409, 409], [r.get_json() for r in responses]
    assert count_fresh(ExpertTitle) == 1
    assert committed(season.id) == 2000


def test_one_persons_nominations_in_two_seasons_approved_at_once_award_one_title(app, db):
    seasons = [make_season(year=2026), make_season(year=2027)]
    hr = make_user(Role.ENTERPRISE)
    nominations = [recommend(Actor(hr), RecommendationData(id_number(42), "王五", "骨干", s.id, True)) for s in seasons]
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    responses = race(app, _approve_calls([n.id for n in nominations], bearer(organiser)))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    assert count_fresh(ExpertTitle) == 1
    assert committed(seasons[0].id) + committed(seasons[1].id) == 2000
    db.session.expire_all()
    states = sorted(n.state.value for n in db.session.scalars(db.select(Nomination)))
    assert states == ["approved", "proposed"]
