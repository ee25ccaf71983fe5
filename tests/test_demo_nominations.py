"""seed-demo's 技术能手: last year's register, a final event with an excluded title holder, one waiting to be finalised."""
from competition.models import Event, ExpertTitle, Nomination, NominationState, Season
from competition.services.money.budget import EXPERT, committed, committed_parts


def test_seed_demo_has_proposals_decisions_and_an_excluded_holder(app, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    years = {s.year: s for s in db.session.scalars(db.select(Season))}
    assert set(years) == {2025, 2026}
    assert db.session.scalar(db.select(db.func.count()).select_from(ExpertTitle).where(ExpertTitle.year == 2025)) == 4
    lathe = db.session.scalar(db.select(Event).where(Event.occupation == "数控车工"))
    assert lathe.status.value == "final"
    rows = {n.rank: n for n in db.session.scalars(db.select(Nomination).where(Nomination.event_id == lathe.id))}
    assert rows[2].state is NominationState.EXCLUDED and rows[2].reason_code == "already_holder"
    assert rows[1].state is NominationState.PROPOSED and rows[3].state is NominationState.PROPOSED
    waiting = db.session.scalar(db.select(Event).where(Event.occupation == "汽车维修工"))
    assert waiting.status.value == "notice"
    assert db.session.scalar(db.select(db.func.count()).select_from(Nomination)
                             .where(Nomination.event_id == waiting.id)) == 0
    states = set(db.session.scalars(db.select(Nomination.state).where(Nomination.season_id == years[2026].id)))
    assert states == {NominationState.PROPOSED, NominationState.APPROVED, NominationState.REJECTED,
                      NominationState.EXCLUDED}
    assert committed_parts(years[2026].id)[EXPERT] == 2000 and committed(years[2026].id) >= 2000
