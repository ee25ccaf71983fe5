"""The league bench/bench_pages.py measures: seeded with seed-scale, the accounts of every role, the pages to request.

Two seed-scale runs: first a small league (one season, 3 events of 10 entries), then the league at the size asked
for, so the latest season (the one the "current season" pages show) is a large one and every page has a large object
and a small one of the same kind: the statement count of a page is measured on both, and must be the same.
"""
import logging
import os
import re
import subprocess
import time
from dataclasses import dataclass

from _server import SECRET, VENV_BIN, server_env

from competition import create_app
from competition.extensions import db
from competition.models import Certificate, Entry, Event, EventKind, PanelMember, Person, Season, User
from competition.services import accounts
from competition.services.audit import SYSTEM

PASSWORD = "Bench-pages-2026"
JUDGE_PASSWORD = "Caipan-2026"  # competition/demo/scale.py's judges
SMALL_LEAGUE = ("--seasons", "1", "--events", "3", "--entries", "30", "--marks", "3000")


def seed(url: str, folder: str, sizes: dict) -> dict:
    """The small league, then the league of `sizes` (timed, with seed-scale's own breakdown), then VACUUM ANALYZE
    (what autovacuum would have done by the time anyone reads the pages)."""
    _seed_scale(url, folder, SMALL_LEAGUE)
    started = time.perf_counter()
    output = _seed_scale(url, folder, [f"--{name}={value}" for name, value in sizes.items()])
    seeded = time.perf_counter() - started
    parts = {name: float(seconds) for name, seconds in re.findall(r"(\w+) ([0-9.]+) s", output.splitlines()[-1])}
    counts = {name: int(count.replace(",", "")) for name, count in
              re.findall(r"(\w+) ([0-9,]+)", output.splitlines()[-2])}
    started = time.perf_counter()
    if url.startswith("postgresql"):
        import psycopg
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    return {"seed_s": round(seeded, 1), "seed_parts_s": parts, "counts": counts,
            "analyze_s": round(time.perf_counter() - started, 1)}


def _seed_scale(url: str, folder: str, arguments) -> str:
    """flask --app competition seed-scale …; its output."""
    done = subprocess.run([os.path.join(VENV_BIN, "flask"), "--app", "competition", "seed-scale", *arguments],
                          env=server_env(url, folder), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"seed-scale failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def in_process_app(url: str, folder: str):
    """The real app in this process, on the bench's database, with the server's secret (its session cookies are
    valid here); its access log is quiet (the bench prints plans, not a line per request)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "SECRET_KEY": SECRET})
    logging.getLogger("competition.requests").setLevel(logging.WARNING)
    return app


@dataclass(frozen=True)
class Objects:
    """A large and a small object of each kind the pages show."""

    season: int
    small_season: int
    event: int
    small_event: int
    host: int  # an enterprise hosting an event of the large season, employing many
    small_host: int  # an enterprise of the small league, employing few
    town: str
    person: int
    small_person: int
    entry: int
    small_entry: int
    certificate: str
    judge: str  # username: the chief judge of the large event, on many panels
    small_judge: str  # on one or two panels of the small league


def pick_objects() -> Objects:
    """The objects, read from the seeded database."""
    seasons = db.session.execute(db.select(Season.id, db.func.count(Event.id)).join(Event)
                                 .group_by(Season.id, Season.year).order_by(Season.year)).all()
    season, small = seasons[-1][0], min(seasons, key=lambda row: row[1])[0]
    event, small_event = (_first_event(season, EventKind.DISTRICT), _first_event(small, EventKind.DISTRICT))
    host, small_host = (_first_event(season, EventKind.ENTERPRISE).host,
                        _first_event(small, EventKind.ENTERPRISE).host)
    return Objects(season, small, event.id, small_event.id, host.id, small_host.id, host.town,
                   _first_person(event.id), _first_person(small_event.id), _first_entry(event.id),
                   _first_entry(small_event.id),
                   db.session.scalar(db.select(Certificate.number).where(Certificate.event_id == event.id)
                                     .order_by(Certificate.id).limit(1)),
                   _chief(event.id), _chief(small_event.id))


def _first_event(season_id: int, kind: EventKind) -> Event:
    """The season's first event of a kind."""
    return db.session.scalars(db.select(Event).where(Event.season_id == season_id, Event.kind == kind)
                              .order_by(Event.id).limit(1)).one()


def _first_person(event_id: int) -> int:
    """The person of the event's first entry."""
    return db.session.scalar(db.select(Person.id).join(Entry).where(Entry.event_id == event_id)
                             .order_by(Entry.id).limit(1))


def _first_entry(event_id: int) -> int:
    """The event's first entry."""
    return db.session.scalar(db.select(Entry.id).where(Entry.event_id == event_id).order_by(Entry.id).limit(1))


def _chief(event_id: int) -> str:
    """The username of the event's chief judge."""
    return db.session.scalar(db.select(User.username).join(PanelMember, PanelMember.user_id == User.id)
                             .where(PanelMember.event_id == event_id, PanelMember.is_chief))


def make_accounts(objects: Objects) -> dict[str, tuple[str, str]]:
    """The accounts the pages are read as (created through the accounts service, committed): role → (username,
    password); the judges are seed-scale's."""
    wanted = {"admin": dict(role="admin"), "organiser": dict(role="organiser"),
              "enterprise": dict(role="enterprise", enterprise_id=objects.host),
              "small_enterprise": dict(role="enterprise", enterprise_id=objects.small_host),
              "town": dict(role="town", town=objects.town)}
    logins = {}
    for name, fields in wanted.items():
        username = f"bench_pages_{name}"
        if db.session.scalar(db.select(User.id).where(User.username == username)) is None:
            accounts.create_user(SYSTEM, accounts.NewUser(username=username, password=PASSWORD,
                                                          display_name=f"基准{name}", **fields))
        logins[name] = (username, PASSWORD)
    db.session.commit()
    logins["judge"] = (objects.judge, JUDGE_PASSWORD)
    logins["small_judge"] = (objects.small_judge, JUDGE_PASSWORD)
    return logins


@dataclass(frozen=True)
class Page:
    """A page: its name, who reads it (None: anonymous; `small_as` for the small path when another account), the
    path timed and counted, and the path of a small object of the same kind, counted to show the count is constant."""

    name: str
    role: str | None
    path: str
    small: str
    small_as: str | None = None

    @property
    def small_role(self) -> str | None:
        """Who reads the small path."""
        return self.small_as or self.role

    @property
    def compared(self) -> bool:
        """Whether the small path shows another object (some pages have one object only: the seasons, the towns)."""
        return self.small != self.path or self.small_role != self.role


def pages(o: Objects) -> list[Page]:
    """Every list, dashboard, results, public and standings page, and the API's lists."""
    s, ss, e, se, x, sx, t = o.season, o.small_season, o.event, o.small_event, o.host, o.small_host, o.town
    return [
        # home pages (dashboards of each role)
        Page("home (organiser)", "organiser", "/", "/"),
        Page("home (enterprise)", "enterprise", "/", "/", small_as="small_enterprise"),
        Page("home (judge)", "judge", "/", "/", small_as="small_judge"),
        Page("home (town officer)", "town", "/", "/"),
        # dashboards
        Page("season dashboard", "organiser", f"/seasons/{s}/dashboard", f"/seasons/{ss}/dashboard"),
        Page("enterprise dashboard", "enterprise", f"/enterprises/{x}/dashboard", f"/enterprises/{sx}/dashboard",
             small_as="small_enterprise"),
        Page("town dashboard", "town", f"/towns/{t}/dashboard?season={s}", f"/towns/{t}/dashboard?season={ss}"),
        Page("town page", "town", f"/towns/{t}?season={s}", f"/towns/{t}?season={ss}"),
        # lists
        Page("events", "organiser", f"/events?season={s}", f"/events?season={ss}"),
        Page("events (enterprise)", "enterprise", "/events", "/events", small_as="small_enterprise"),
        Page("events (judge)", "judge", "/events", "/events", small_as="small_judge"),
        Page("seasons", "organiser", "/seasons", "/seasons"),
        Page("season", "organiser", f"/seasons/{s}", f"/seasons/{ss}"),
        Page("enterprises", "organiser", "/enterprises", "/enterprises?page=7"),
        Page("enterprise", "organiser", f"/enterprises/{x}", f"/enterprises/{sx}"),
        Page("roster", "organiser", f"/events/{e}/entries", f"/events/{se}/entries"),
        Page("check-in", "organiser", f"/events/{e}/check-in", f"/events/{se}/check-in"),
        Page("event", "organiser", f"/events/{e}", f"/events/{se}"),
        Page("panel", "organiser", f"/events/{e}/panel", f"/events/{se}/panel"),
        Page("users", "admin", "/admin/users", "/admin/users?role=organiser"),
        Page("audit", "organiser", "/audit", "/audit?action=user.create"),
        Page("persons search", "organiser", "/persons?q=王", "/persons?q=欧阳"),
        Page("person", "organiser", f"/persons/{o.person}", f"/persons/{o.small_person}"),
        Page("certificates", "organiser", "/certificates", "/certificates?page=400"),
        Page("certificates (enterprise)", "enterprise", "/certificates", "/certificates", small_as="small_enterprise"),
        Page("event certificates", "organiser", f"/events/{e}/certificates", f"/events/{se}/certificates"),
        Page("experts", "organiser", "/experts", "/experts?year=2000"),
        Page("nominations", "organiser", f"/seasons/{s}/nominations", f"/seasons/{ss}/nominations"),
        Page("objections (season)", "organiser", f"/seasons/{s}/objections", f"/seasons/{ss}/objections"),
        Page("objections (event)", "organiser", f"/events/{e}/objections", f"/events/{se}/objections"),
        Page("subsidy claims", "organiser", f"/subsidy/claims?season={s}", f"/subsidy/claims?season={ss}"),
        Page("rewards", "organiser", f"/rewards?season={s}", f"/rewards?season={ss}"),
        Page("competitions", "organiser", f"/competitions?season={s}", f"/competitions?season={ss}"),
        Page("support requests", "organiser", "/support", "/support"),
        Page("spending", "organiser", f"/spending?season={s}", f"/spending?season={ss}"),
        Page("budget lines", "organiser", f"/seasons/{s}/budget-lines", f"/seasons/{ss}/budget-lines"),
        Page("plan", "organiser", f"/seasons/{s}/plan", f"/seasons/{ss}/plan"),
        Page("monthly reports", "organiser", "/monthly-reports", "/monthly-reports"),
        Page("towns", "organiser", "/towns", "/towns"),
        Page("policy", "organiser", "/policy", "/policy"),
        Page("calendar", "organiser", "/calendar/2026", "/calendar/2027"),
        # results
        Page("results", "organiser", f"/events/{e}/results", f"/events/{se}/results"),
        Page("scoring panel", "organiser", f"/events/{e}/scoring-panel", f"/events/{se}/scoring-panel"),
        Page("mark grid (chief judge)", "judge", f"/events/{e}/marks", f"/events/{se}/marks", small_as="small_judge"),
        Page("measurements", "organiser", f"/events/{e}/measurements", f"/events/{se}/measurements"),
        Page("time used", "organiser", f"/events/{e}/time-used", f"/events/{se}/time-used"),
        Page("marks history", "organiser", f"/events/{e}/entries/{o.entry}/marks-history",
             f"/events/{se}/entries/{o.small_entry}/marks-history"),
        Page("public index", None, "/public", "/public"),
        Page("public results", None, f"/public/events/{e}", f"/public/events/{se}"),
        Page("certificate check", None, f"/verify/{o.certificate}", f"/verify/{o.certificate}"),
        # standings
        Page("standings (current)", None, "/standings", "/standings"),
        Page("standings", None, f"/seasons/{s}/standings", f"/seasons/{ss}/standings"),
        Page("standings enterprise", None, f"/seasons/{s}/standings/enterprises/{x}",
             f"/seasons/{ss}/standings/enterprises/{sx}"),
        Page("standings town", None, f"/seasons/{s}/standings/towns/{t}", f"/seasons/{ss}/standings/towns/{t}"),
        # the API's lists
        Page("API events", "organiser", f"/api/v1/events?season_id={s}", f"/api/v1/events?season_id={ss}"),
        Page("API entries", "organiser", f"/api/v1/events/{e}/entries", f"/api/v1/events/{se}/entries"),
        Page("API results", "organiser", f"/api/v1/events/{e}/results", f"/api/v1/events/{se}/results"),
        Page("API marks", "organiser", f"/api/v1/events/{e}/marks", f"/api/v1/events/{se}/marks"),
        Page("API seasons", "organiser", "/api/v1/seasons", "/api/v1/seasons"),
        Page("API enterprises", "organiser", "/api/v1/enterprises", "/api/v1/enterprises?page=7"),
        Page("API standings", None, f"/api/v1/seasons/{s}/standings", f"/api/v1/seasons/{ss}/standings"),
        Page("API audit", "organiser", "/api/v1/audit", "/api/v1/audit?action=user.create"),
        Page("API users", "admin", "/api/v1/users", "/api/v1/users?role=organiser"),
    ]
