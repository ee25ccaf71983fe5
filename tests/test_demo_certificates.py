"""seed-demo's certificates: every final event's prizes have theirs (numbered in ranking order), approved titles
too, and the public can verify one."""
from competition.models import Certificate, CertificateKind, Event, EventStatus, ExpertTitle
from competition.services.results.prizes import event_prizes


def test_seed_demo_has_final_events_with_prizes_and_certificates(app, db, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    finals = list(db.session.scalars(db.select(Event).where(Event.status == EventStatus.FINAL)))
    assert finals
    for event in finals:
        prizes = event_prizes(event)
        issued = {c.entry_id: c for c in db.session.scalars(db.select(Certificate).where(
            Certificate.event_id == event.id, Certificate.kind == CertificateKind.PRIZE))}
        assert {entry_id: c.prize_name for entry_id, c in issued.items()} == {k: str(v) for k, v in prizes.items()}
        serials = [issued[entry_id].serial for entry_id in prizes]
        assert serials == sorted(serials)  # numbered in ranking order
    assert sum(1 for _ in db.session.scalars(db.select(Certificate.id))) > 0
    titles = set(db.session.scalars(db.select(ExpertTitle.id)))
    assert titles and titles == set(db.session.scalars(db.select(Certificate.title_id).where(
        Certificate.kind == CertificateKind.TITLE)))
    number = db.session.scalar(db.select(Certificate.number).order_by(Certificate.id).limit(1))
    assert client.get(f"/api/v1/certificates/{number}").status_code == 200
    assert client.get(f"/verify/{number}").status_code == 200
