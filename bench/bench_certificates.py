"""Benchmark: an event's 500 certificates as one PDF (the background job's work) against WeasyPrint rendering one
certificate page 500 times.

    .venv/bin/python bench/bench_certificates.py [--certificates 500] [--samples 60]

(a) one page at a time: the certificate template holding one certificate, HTML(...).write_pdf(), as a loop printing
    each certificate on its own would call it; timed over --samples renders after a warm-up and scaled to
    --certificates (rendering all 500 takes minutes, and each render costs the same).
(b) the job's work, exactly as jobs/certificates.py does it: the event's certificates read from the database (with
    their people and event) and printed by competition.pdf.render_certificates: chunks of 50 pages laid out
    together, each written once, joined into one PDF.
Ratio (b)/(a), target ≤ 1.2. (b) runs in a fresh child process whose peak resident memory (ru_maxrss: interpreter,
app, WeasyPrint, fonts, everything) must stay under 300 MiB. Prints JSON (also bench/out/certificates.json).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from _common import app_for, build_event, save_report, verdict

from sqlalchemy import insert  # noqa: E402

from competition.extensions import db  # noqa: E402
from competition.models import Certificate, CertificateKind, Entry  # noqa: E402
from competition.rules.certificates import certificate_number  # noqa: E402
from tests.builders import make_season  # noqa: E402

TARGET, PEAK_MIB = 1.2, 300
BASE = "https://league.example.cn"
PRIZES = ("一等奖", "二等奖", "三等奖")


def build(certificates: int) -> int:
    """A final event with `certificates` prize certificates, bulk inserted; returns its id."""
    event, _panel = build_event("final", entries=certificates, judges=0, judged=1, marked=False,
                                season=make_season(year=2026), employers=5)
    event.occupation, event.level = "电工", 3
    entries = db.session.execute(db.select(Entry.id, Entry.person_id, Entry.employer_id)
                                 .where(Entry.event_id == event.id).order_by(Entry.id)).all()
    db.session.execute(insert(Certificate), [
        {"number": certificate_number(2026, i + 1), "year": 2026, "serial": i + 1, "kind": CertificateKind.PRIZE,
         "event_id": event.id, "entry_id": e.id, "person_id": e.person_id, "enterprise_id": e.employer_id,
         "prize_name": PRIZES[min(i * 3 // certificates, 2)]} for i, e in enumerate(entries)])
    db.session.commit()
    return event.id


def rss_mib() -> float:
    """This process's resident memory now."""
    with open("/proc/self/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1]) / 1024


def batch(certificates: int) -> dict:
    """(b) in this (fresh) process: build the event, then time the job's work; peak memory of the whole process."""
    from competition.models import Event
    from competition.pdf import render_certificates
    from competition.services.certificates.queries import card, event_certificates

    with tempfile.TemporaryDirectory() as folder:
        app = app_for(f"sqlite:///{folder}/bench.sqlite3", folder)
        with app.app_context():
            db.create_all()
            event_id = build(certificates)
            db.session.remove()
            before = rss_mib()
            started = time.perf_counter()
            event = db.session.get(Event, event_id)
            cards = [card(c) for c in event_certificates(event)]
            data = render_certificates(cards, BASE, title="基准赛项-证书")
            seconds = time.perf_counter() - started
            db.engine.dispose()
    return {"seconds": seconds, "pages": len(cards), "bytes": len(data), "rss_before_mib": round(before, 1),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def one_page(samples: int) -> dict:
    """(a) one certificate page rendered on its own, `samples` times after a warm-up: the mean render."""
    from datetime import date

    from flask import Flask
    from weasyprint import HTML

    from competition.pdf import certificates_html
    from competition.services.certificates.queries import CertificateCard

    app = Flask("bench", template_folder=os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates"))
    with app.app_context():
        page = certificates_html([CertificateCard("WJ2026-000001", "prize", "王伟国", "基准赛项", "电工", 3, "一等奖",
                                                  2026, date(2026, 9, 1))], BASE, "one")
    HTML(string=page).write_pdf()  # warm-up: fontconfig and the font files
    started = time.perf_counter()
    for _ in range(samples):
        HTML(string=page).write_pdf()
    return {"mean_s": (time.perf_counter() - started) / samples, "samples": samples}


def main() -> None:
    """Run (b) in a child process, then (a) here; print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=500)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--phase", choices=("all", "batch"), default="all")
    args = parser.parse_args()
    if args.phase == "batch":
        print(json.dumps(batch(args.certificates)))
        return
    child = subprocess.run([sys.executable, __file__, "--phase", "batch", "--certificates", str(args.certificates)],
                           check=True, capture_output=True, text=True, timeout=3600)
    job = json.loads(child.stdout.strip().splitlines()[-1])
    single = one_page(args.samples)
    one_by_one = single["mean_s"] * args.certificates
    ratio = job["seconds"] / one_by_one
    report = {"certificates": args.certificates, "job_s": round(job["seconds"], 2), "pages": job["pages"],
              "pdf_kib": round(job["bytes"] / 1024), "one_page_s": round(single["mean_s"], 4),
              "one_by_one_s": round(one_by_one, 1), "samples": single["samples"], "ratio": round(ratio, 3),
              "peak_mib": job["peak_mib"], "rss_before_mib": job["rss_before_mib"], "target": TARGET,
              "peak_target_mib": PEAK_MIB, "meets_target": ratio <= TARGET and job["peak_mib"] < PEAK_MIB}
    save_report("certificates", report)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"{verdict(report['meets_target'])}: {args.certificates} certificates as one PDF {report['job_s']} s "
          f"÷ one page {args.certificates} times {report['one_by_one_s']} s = {report['ratio']} (target ≤ {TARGET}); "
          f"peak {report['peak_mib']} MiB (target < {PEAK_MIB})")


if __name__ == "__main__":
    main()
