"""Permission-matrix rows for certificates and background jobs (RULES.md §15, issue 19).

The world gains a final event of the same season with one entry of the host's employee and its prize certificate, so
`enterprise` may download it and `other` may not, and a finished job of the organiser's, which only the organisers
see. The world's own event is open, not final: printing its certificates is a 409 once past the gate, and its entry
has no certificate, so those who may ask for one get 404 (another enterprise and a judge 403 first). Verification is
public.
"""
from competition.extensions import db
from competition.models import Certificate, CertificateKind
from competition.rules.certificates import certificate_number
from competition.services.audit import Actor
from competition.services.jobs import create_job, finish_job
from tests.builders import make_entry, make_event
from tests.permission_rows import LOGIN, OK, PUBLIC, STAFF_ONLY_PAGE, STAFF_ONLY_POST, row

ROWS = {
    ("certificates.event_certificates", "GET"): STAFF_ONLY_PAGE,
    ("certificates.print_event", "POST"): STAFF_ONLY_POST,
    ("certificates.index", "GET"): row(LOGIN, 403, 200, 200, 200, 200),  # `other` gets its own (none)
    ("certificates.download", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("certificates.verify", "GET"): PUBLIC,
    ("jobs.status", "GET"): row(LOGIN, 403, 403, 403, 200, 200),
    ("jobs.download", "GET"): row(LOGIN, 403, 403, 403, 200, 200),
    ("api.event_certificates_pdf", "GET"): row(401, 403, 403, 403, OK, OK),
    ("api.entry_certificate_pdf", "GET"): row(401, 403, 404, 403, 404, 404),
    ("api.verify_certificate", "GET"): PUBLIC,
    ("api.get_job", "GET"): row(401, 403, 403, 403, 200, 200),
}


def extend_world(users, ids, event) -> None:
    """A final event with a prize certificate of the host's employee, and the organiser's finished job."""
    final = make_event("final", season=event.season)
    entry = make_entry(final, "001", employer=event.host)
    year = event.season.year
    certificate = Certificate(number=certificate_number(year, 1), year=year, serial=1, kind=CertificateKind.PRIZE,
                              event_id=final.id, entry_id=entry.id, person_id=entry.person_id,
                              enterprise_id=entry.employer_id, prize_name="一等奖")
    db.session.add(certificate)
    job = create_job(Actor(users["organiser"]), "event_certificates", {"event_id": event.id, "base_url": "http://x/"},
                     f"event:{event.id}")
    finish_job(job, b"%PDF-1.7 matrix", "证书.pdf", "application/pdf")
    ids["number"], ids["job_id"] = certificate.number, job.id
