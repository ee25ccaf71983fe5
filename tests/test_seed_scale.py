"""League-scale data (issue 22, item 5): `flask --app competition seed-scale` writes seasons, events, entries and every
mark in bulk, signs each event off and makes it final with its certificates, so the pages have a real league to
show; here at a small scale (the benches run it at 300 events, 30,000 entries and 3,000,000 marks)."""
from competition.models import Certificate, Entry, Event, EventStatus, Mark, Person, ResultSnapshot, Season
from tests.builders import make_user
from tests.clients import bearer


def test_seed_scale_writes_a_league_the_pages_and_the_api_serve(app, client, db):
    result = app.test_cli_runner().invoke(args=["seed-scale", "--seasons", "2", "--events", "6", "--entries", "60",
                                                "--marks", "1260"])
    assert result.exit_code == 0, result.output
    assert "marks 1,260" in result.output and "total" in result.output
    db.session.expire_all()
    count = lambda model: db.session.scalar(db.select(db.func.count(model.id)))  # noqa: E731
    assert (count(Season), count(Event), count(Entry), count(Person), count(Mark)) == (2, 6, 60, 60, 1260)
    assert count(ResultSnapshot) == 6 and set(db.session.scalars(db.select(Event.status))) == {EventStatus.FINAL}
    assert count(Certificate) >= 6 * 10 * 60 // 100  # every event's prizes (60% of its ranked entries)
    season = db.session.scalar(db.select(Season).order_by(Season.year))
    standings = client.get(f"/api/v1/seasons/{season.id}/standings").get_json()
    assert standings["enterprises"] and sum(row["participants"] for row in standings["enterprises"]) == 30
    event = db.session.scalar(db.select(Event).where(Event.season_id == season.id).order_by(Event.id))
    results = client.get(f"/api/v1/events/{event.id}/results", headers=bearer(make_user())).get_json()
    assert results["status"] == "final" and len(results["rows"]) == 10 and results["rows"][0]["rank"] == 1
    assert client.get(f"/public/events/{event.id}").status_code == 200
    again = app.test_cli_runner().invoke(args=["seed-scale", "--seasons", "1", "--events", "1", "--entries", "5",
                                               "--marks", "50"])
    assert again.exit_code == 0, again.output  # a second run adds seasons after the existing ones
    assert count(Season) == 3 and count(Entry) == 65
