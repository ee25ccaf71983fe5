"""seed-demo's subsidy: 恒力's eligible final event waits with a pending claim; 亨通's final event shows why not."""
from competition.models import ClaimState, Event, SubsidyClaim
from competition.services.money.subsidy import check_subsidy


def test_seed_demo_has_a_pending_claim_and_an_event_below_the_threshold(app, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    claim = db.session.scalars(db.select(SubsidyClaim)).one()
    assert claim.state is ClaimState.SUBMITTED and claim.amount == 20000 and claim.participants == 52
    assert claim.event.occupation == "络筒工" and claim.host.name.startswith("江苏恒力")
    cable = db.session.scalar(db.select(Event).where(Event.occupation == "电线电缆制造工"))
    decision, _ = check_subsidy(cable)
    assert not decision.eligible and [c.rule for c in decision.failed] == ["participants"]
    assert decision.failed[0].message.startswith("参赛人数 36/50")
