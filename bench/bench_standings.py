"""Benchmark: the season standings (联赛积分榜, RULES.md §16) against one query that sums the same entries' prizes.

    .venv/bin/python bench/bench_standings.py [--events 300] [--entries 30000] [--enterprises 300] [--repeat 7]
                                              [--postgresql]

A season of --events final events (a third of them enterprise events with a host) and --entries entries (97% present,
1% disqualified, 2% absent) of --enterprises enterprises in 12 towns, each event's prize certificates (一等奖 10%,
二等奖 20%, 三等奖 30% of its entries, with prize_tier), all bulk inserted. Then, in this one process, best of --repeat
after a warm-up, each run on a fresh session:
(base) ONE statement summing the same entries' points by employer (participants + prizes by tier, the default points):
       entries JOIN events LEFT JOIN certificates, WHERE season and final, GROUP BY employer;
(a) services.league.standings.season_standings(season_id): the enterprise and town tables;
(b) the public standings page, GET /seasons/<id>/standings, through the Flask test client;
(c) the API, GET /api/v1/seasons/<id>/standings, through the Flask test client.
Ratios (a)/(base), (b)/(base), (c)/(base); the targets (issue 20): the page and the API ≤ 2. A route that is not
there yet (404) is timed anyway and reported as missing, without a ratio. Also checks that (a) and (base) agree on
every enterprise's points (less its hosted events). SQLite in a temporary folder by default; --postgresql uses a fresh
PostgreSQL database as the server benches do (BENCH_PG_ADMIN_URL; SQLite if it does not answer).
Prints JSON (also bench/out/standings.json) and one line per ratio.
"""
import argparse
import contextlib
import gc
import json
import random
import tempfile
import time
from datetime import date, timedelta

from _common import app_for, person_name, save_report, verdict

from sqlalchemy import insert, text  # noqa: E402

from competition.extensions import db  # noqa: E402
from competition.models import (Certificate, CertificateKind, Enterprise, Entry, EntryStatus, Event,  # noqa: E402
                                EventKind, EventStatus, Person)
from competition.rules.certificates import certificate_number  # noqa: E402
from competition.services.policy import ensure_founding_policy  # noqa: E402
from tests.builders import credit_code, make_season  # noqa: E402

TARGET = 2.0
YEAR = 2026
TOWNS = ("盛泽镇", "七都镇", "震泽镇", "黎里镇", "平望镇", "桃源镇", "松陵街道", "同里镇", "横扇街道", "八坼街道",
         "江陵街道", "汾湖高新区")
OCCUPATIONS = ("电工", "焊工", "车工", "数控车工", "络筒工", "化纤纺丝工", "光纤熔接工", "电线电缆制造工", "汽车维修工",
               "钳工")
TIERS = ((1, "一等奖", 0.10), (2, "二等奖", 0.20), (3, "三等奖", 0.30))
# The one statement: the same entries (participants of the season's final events with an employer), their prizes.
BASE_SQL = text("""
    SELECT entries.employer_id,
           COUNT(entries.id) + SUM(CASE certificates.prize_tier WHEN 1 THEN 10 WHEN 2 THEN 6 WHEN 3 THEN 3 ELSE 0 END)
    FROM entries
    JOIN events ON events.id = entries.event_id
    LEFT JOIN certificates ON certificates.entry_id = entries.id AND certificates.kind = 'prize'
    WHERE events.season_id = :season AND events.status = 'final' AND entries.status IN ('present', 'disqualified')
      AND entries.employer_id IS NOT NULL
    GROUP BY entries.employer_id""")


def build(events: int, entries: int, enterprises: int) -> int:
    """The season, bulk inserted; returns its id."""
    rng = random.Random(2026_16)
    season = make_season(year=YEAR, name="基准联赛年度", budget=10_000_000)
    version = ensure_founding_policy()
    db.session.execute(insert(Enterprise), [
        {"name": f"吴江基准{n:03d}号有限公司", "credit_code": credit_code(700_000 + n), "town": TOWNS[n % len(TOWNS)]}
        for n in range(enterprises)])
    companies = db.session.scalars(db.select(Enterprise.id).order_by(Enterprise.id)).all()
    day = date(YEAR, 3, 1)
    db.session.execute(insert(Event), [
        {"season_id": season.id, "name": f"基准赛项{n:03d}", "occupation": OCCUPATIONS[n % len(OCCUPATIONS)],
         "level": 3 + n % 3, "kind": EventKind.ENTERPRISE if n % 3 == 0 else EventKind.DISTRICT,
         "host_enterprise_id": companies[n % len(companies)] if n % 3 == 0 else None, "status": EventStatus.FINAL,
         "event_date": day + timedelta(days=n % 270), "registration_deadline": day + timedelta(days=n % 270 - 14),
         "policy_version_id": version.id} for n in range(events)])
    event_ids = db.session.scalars(db.select(Event.id).where(Event.season_id == season.id).order_by(Event.id)).all()
    db.session.execute(insert(Person), [{"id_number": f"S{i:017d}", "name": person_name(i),
                                         "birth_date": date(1980 + i % 20, 1, 1), "gender": "男" if i % 2 else "女"}
                                        for i in range(entries)])
    people = db.session.scalars(db.select(Person.id).where(Person.id_number.like("S%")).order_by(Person.id)).all()
    per_event = entries // events
    rows = []
    for i, person_id in enumerate(people):
        event_index = min(i // per_event, events - 1)
        draw = rng.random()
        status = EntryStatus.ABSENT if draw < 0.02 else EntryStatus.DISQUALIFIED if draw < 0.03 else EntryStatus.PRESENT
        rows.append({"event_id": event_ids[event_index], "person_id": person_id, "status": status,
                     "number": f"{i % per_event + 1:04d}", "employer_id": rng.choice(companies)})
    db.session.execute(insert(Entry), rows)
    certificates, serial = [], 0
    for event_id in event_ids:
        ranked = db.session.execute(db.select(Entry.id, Entry.person_id, Entry.employer_id).where(
            Entry.event_id == event_id, Entry.status == EntryStatus.PRESENT).order_by(Entry.number)).all()
        start = 0
        for tier, name, share in TIERS:
            count = round(len(ranked) * share)
            for entry in ranked[start:start + count]:
                serial += 1
                certificates.append({"number": certificate_number(YEAR, serial), "year": YEAR, "serial": serial,
                                     "kind": CertificateKind.PRIZE, "event_id": event_id, "entry_id": entry.id,
                                     "person_id": entry.person_id, "enterprise_id": entry.employer_id,
                                     "prize_name": name, "prize_tier": tier})
            start += count
    db.session.execute(insert(Certificate), certificates)
    db.session.commit()
    return season.id


def best(run, repeat: int) -> tuple[float, object]:
    """The best of `repeat` timed runs after one warm-up, each on a fresh session, the collector run before each."""
    result = run()
    db.session.remove()
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        db.session.remove()
    return min(times), result


def measure(url: str, folder: str, kind: str, args) -> dict:
    """Build the season, then time the base statement, the service, the page and the API."""
    from competition.services.league.standings import season_standings

    app = app_for(url, folder)
    app.config["TESTING"] = True
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        season_id = build(args.events, args.entries, args.enterprises)
        built_s = time.perf_counter() - started
        counts = {"entries": db.session.scalar(db.select(db.func.count(Entry.id))),
                  "certificates": db.session.scalar(db.select(db.func.count(Certificate.id)))}
        db.session.remove()
        base_s, base_rows = best(lambda: db.session.execute(BASE_SQL, {"season": season_id}).all(), args.repeat)
        service_s, standings = best(lambda: season_standings(season_id), args.repeat)
        hosted = {row.key: row.hosted_events * 5 for row in standings.enterprises}
        agrees = {row.key: row.points - hosted[row.key] for row in standings.enterprises} == \
            {employer: int(points) for employer, points in base_rows}
        client = app.test_client()
        pages = {}
        for name, path in (("page", f"/seasons/{season_id}/standings"),
                           ("api", f"/api/v1/seasons/{season_id}/standings")):
            seconds, response = best(lambda path=path: client.get(path), args.repeat)
            pages[name] = {"path": path, "status": response.status_code, "seconds": seconds,
                           "kib": round(len(response.data) / 1024, 1), "exists": response.status_code == 200}
        db.session.remove()
        db.engine.dispose()
    report = {"database": kind, "events": args.events, **counts, "enterprises": args.enterprises,
              "towns": len(standings.towns), "repeat": args.repeat, "build_s": round(built_s, 1),
              "base_s": base_s, "service_s": service_s, "service_ratio": round(service_s / base_s, 3),
              "service_agrees_with_base": agrees, "target": TARGET}
    for name, page in pages.items():
        page["ratio"] = round(page["seconds"] / base_s, 3) if page["exists"] else None
        report[name] = page
    measured = [page["ratio"] for page in pages.values() if page["ratio"] is not None]
    report["ratio"] = max(measured) if measured else None
    report["missing"] = [name for name, page in pages.items() if not page["exists"]]
    report["meets_target"] = bool(measured) and not report["missing"] and report["ratio"] <= TARGET and agrees
    return report


@contextlib.contextmanager
def sqlite():
    """A SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="bench-standings-") as folder:
        yield f"sqlite:///{folder}/bench.sqlite3", "sqlite", folder


def main() -> None:
    """Build, measure, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--entries", type=int, default=30000)
    parser.add_argument("--enterprises", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgresql", action="store_true", help="a fresh PostgreSQL database (SQLite if it is down)")
    args = parser.parse_args()
    if args.postgresql:
        from _server import database
        place = database("standings")
    else:
        place = sqlite()
    with place as (url, kind, folder):
        report = measure(url, folder, kind, args)
    save_report("standings", report)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    base_ms = report["base_s"] * 1000
    print(f"standings service {report['service_s'] * 1000:.1f} ms ÷ one summing statement {base_ms:.1f} ms "
          f"= {report['service_ratio']} ({report['database']}, {report['events']} final events, "
          f"{report['entries']:,} entries; agrees with the statement: {report['service_agrees_with_base']})")
    for name, label in (("page", "standings page"), ("api", "standings API")):
        page = report[name]
        if page["exists"]:
            print(f"{verdict(page['ratio'] <= TARGET)}: {label} {page['path']} {page['seconds'] * 1000:.1f} ms "
                  f"÷ one summing statement {base_ms:.1f} ms = {page['ratio']} (target ≤ {TARGET})")
        else:
            print(f"MISSED: {label} {page['path']} answered {page['status']} (not built yet?): no ratio")


if __name__ == "__main__":
    main()
