"""Benchmark: every list, dashboard, results, public and standings page (and the API's lists) on a league-scale
database, against a bare `SELECT 1` request on the same server (issue 22, item 5).

    .venv/bin/python bench/bench_pages.py [--seasons 3] [--events 300] [--entries 30000] [--marks 3000000]
                                          [--small] [--repeat 30] [--rounds 3] [--explain 3] [--workers 2]
                                          [--threads 2] [--database URL]

A fresh PostgreSQL database (bench/_server.py; SQLite if PostgreSQL does not answer) is migrated and seeded with
`flask --app competition seed-scale` (a small league first, then the league of the sizes given; --small is a quick
run: 2 seasons, 30 events, 3,000 entries, 300,000 marks), the seed timed, then VACUUM ANALYZE. --database reuses an
already seeded database instead (migrated, not seeded, not dropped). Accounts of every role are created through the
accounts service and logged in through the login form (the API through POST /api/v1/tokens), and
`gunicorn -k gthread "bench._pages_app:create_app()"` serves the app with a bare `SELECT 1` route and a header
counting each request's SQL statements. Each page (bench/_pages_world.py) is requested twice to warm, then --repeat
times on its user's keep-alive connection, one request after another, in --rounds turns over all the pages (a busy
moment of the machine then falls on several pages a little, not on every sample of one): p50/p95 against the p95 of
GET /bench/pages/select1 (measured at the start and between pages on the same server). Targets: every page's p95
≤ 200 ms, and its statement count the same on a small object of its kind (an event of 10 entries against one of 100,
a season of 3 events against 100, page 7 against page 1; a page with one object only, the seasons or the towns, is
counted but not compared). Then each page once more in this process for its slowest statements, with EXPLAIN
ANALYZE: the slowest per page printed, --explain per page written to bench/out/pages_explain.txt. JSON in
bench/out/pages.json. gunicorn reads the repository's gunicorn.conf.py, so each worker freezes its start-up objects
(gc.freeze()) as in production: a full collection walks only what requests made, not every module's objects.
"""
import argparse
import contextlib
import http.client
import json
import os
import re
import tempfile
import time
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

from _common import OUT, percentile, save_report, verdict
from _pages_world import in_process_app, make_accounts, pages, pick_objects, seed
from _server import database, gunicorn, migrate

from competition.extensions import db  # noqa: E402

TARGET_MS = 200.0
PRINT_PLAN_MS = 2.0  # a page's slowest statement is printed with its plan from this long on
WARM = 2
SMALL = {"seasons": 2, "events": 30, "entries": 3000, "marks": 300_000}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """One keep-alive connection with its cookies and, for /api/ paths, a bearer token: one user's browser."""

    def __init__(self, port: int):
        """Not logged in; connects on the first request."""
        self.port, self.cookies, self.token, self.connection = port, {}, None, None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, body, seconds, statements) of one request; cookies kept."""
        sent = {"Accept": "application/json" if path.startswith("/api/") else "text/html", **self.headers(path),
                **(headers or {})}
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        self.connection.request(method, quote(path, safe="/?=&%"), body=body, headers=sent)
        response = self.connection.getresponse()
        payload = response.read()
        took = time.perf_counter() - started
        for line in response.headers.get_all("Set-Cookie") or ():
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(line).items()})
        return response.status, payload, took, int(response.headers.get("X-Bench-Statements", -1))

    def headers(self, path: str) -> dict:
        """The cookie, or the bearer token for the API."""
        if path.startswith("/api/"):
            return {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def login(self, username: str, password: str) -> None:
        """The login form (its CSRF token read from the page), then a token from POST /api/v1/tokens."""
        _, page, _, _ = self.request("GET", "/login")
        form = urlencode({"csrf_token": CSRF.search(page.decode()).group(1), "username": username,
                          "password": password}).encode()
        status, _, _, _ = self.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")
        body = json.dumps({"username": username, "password": password}).encode()
        status, answer, _, _ = self.request("POST", "/api/v1/tokens", body, {"Content-Type": "application/json"})
        if status != 201:
            raise RuntimeError(f"token of {username} answered {status}")
        self.token = json.loads(answer)["token"]


def time_page(browser: Browser, path: str, times: int, into: dict) -> None:
    """`times` requests in a row into the page's samples: milliseconds, statement counts, statuses, size."""
    for _ in range(times):
        status, body, seconds, statements = browser.request("GET", path)
        into.setdefault("ms", []).append(seconds * 1000)
        into.setdefault("counts", set()).add(statements)
        into.setdefault("statuses", set()).add(status)
        into["kib"] = round(len(body) / 1024, 1)


def floor(browser: Browser, times: int, into: list[float]) -> None:
    """`times` GET /bench/pages/select1 into the baseline's samples (ms)."""
    for _ in range(times):
        status, _, seconds, _ = browser.request("GET", "/bench/pages/select1")
        if status != 200:
            raise RuntimeError(f"GET /bench/pages/select1 answered {status}")
        into.append(seconds * 1000)


def measure(args) -> dict:
    """Database, migrations, seed, accounts, server; each page timed and counted; the plans."""
    sizes = {name: getattr(args, name) for name in ("seasons", "events", "entries", "marks")}
    place = database("pages") if args.database is None else existing(args.database)
    with place as (url, kind, folder):
        migrate(url, folder)
        seeded = seed(url, folder, sizes) if args.database is None else {}
        if seeded:
            print(f"seed-scale {seeded['counts']}: {seeded['seed_s']} s ({seeded['seed_parts_s']}); "
                  f"VACUUM ANALYZE {seeded['analyze_s']} s", flush=True)
        app = in_process_app(url, folder)
        with app.app_context():
            objects = pick_objects()
            logins = make_accounts(objects)
            listed = pages(objects)
            db.session.remove()
        with gunicorn(url, folder, workers=args.workers, threads=args.threads,
                      app="bench._pages_app:create_app()") as port:
            browsers = {None: Browser(port)}
            for role, (username, password) in logins.items():
                browsers[role] = Browser(port)
                browsers[role].login(username, password)
            baseline: list[float] = []
            rows = _measure_pages(listed, browsers, baseline, args)
        plans = _plans(app, listed, browsers, rows, args.explain)
        with app.app_context():
            db.engine.dispose()
    return _report(kind, sizes, seeded, baseline, rows, plans, args)


def _measure_pages(listed, browsers: dict, baseline: list[float], args) -> list[dict]:
    """Every page warmed, then timed in --rounds turns of --repeat/--rounds requests each (a busy moment of the
    machine then falls on several pages a little rather than on one page's every sample), with SELECT 1 requests
    before and between the pages; then each page's small object counted. One row per page."""
    samples: dict[str, dict] = {page.name: {} for page in listed}
    floor(browsers[None], args.repeat, baseline)
    for page in listed:
        for _ in range(WARM):
            browsers[page.role].request("GET", page.path)
    for turn in range(args.rounds):
        for page in listed:
            share = args.repeat // args.rounds + (1 if turn < args.repeat % args.rounds else 0)
            time_page(browsers[page.role], page.path, share, samples[page.name])
            floor(browsers[None], 1, baseline)
    rows = []
    print(f"\n{'':<7}{'page':<28}{'HTTP':>4}{'p50 ms':>9}{'p95 ms':>9}{'SQL big/small':>15}{'KiB':>9}  path",
          flush=True)
    for page in listed:
        seen = samples[page.name]
        row = {"name": page.name, "role": page.role or "anonymous", "path": page.path, "status": max(seen["statuses"]),
               "p50_ms": round(percentile(seen["ms"], 50), 1), "p95_ms": round(percentile(seen["ms"], 95), 1),
               "statements": max(seen["counts"]), "statements_vary": len(seen["counts"]) > 1, "kib": seen["kib"],
               "small_path": page.small, "compared": page.compared}
        small = browsers[page.small_role].request("GET", page.small)
        row.update(small_status=small[0], small_statements=small[3])
        row["constant"] = (row["statements"] == row["small_statements"] and small[0] == row["status"]
                           and not row["statements_vary"])
        row["meets_target"] = row["status"] == 200 and row["p95_ms"] <= TARGET_MS and row["constant"]
        rows.append(row)
        print(_line(row), flush=True)
    return rows


@contextlib.contextmanager
def existing(url: str):
    """An already seeded database, yielded as database() yields a fresh one, and kept afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        yield url, url.split(":")[0].split("+")[0], folder


def _plans(app, listed, browsers, rows, count: int) -> list[dict]:
    """Each page's slowest statements with their plans (bench/_pages_explain.py); the slowest printed, all written
    to bench/out/pages_explain.txt."""
    from _pages_explain import one_line, slowest

    found, text = [], []
    for page, row in zip(listed, rows):
        browser = browsers[page.role]
        headers = browser.headers(page.path)
        status, statements = slowest(app, page.path, headers, count)
        found.append({"name": page.name, "status": status,
                      "statements": [{"ms": round(s.ms, 2), "sql": one_line(s.sql, 400)} for s in statements]})
        text.append(f"==== {page.name}  GET {page.path}  (p95 {row['p95_ms']} ms, {row['statements']} statements)")
        for rank, statement in enumerate(statements):
            block = f"-- {statement.ms:.2f} ms: {one_line(statement.sql, 2000)}\n{statement.plan}\n"
            text.append(block)
            if rank == 0 and statement.ms >= PRINT_PLAN_MS:
                print(f"\n== {page.name}: slowest statement {statement.ms:.2f} ms\n{block}", flush=True)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "pages_explain.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(text))
    quick = sum(1 for page in found if not page["statements"] or page["statements"][0]["ms"] < PRINT_PLAN_MS)
    print(f"\n({quick} pages whose slowest statement took under {PRINT_PLAN_MS} ms are not printed; every page's "
          f"{count} slowest statements and their plans are in bench/out/pages_explain.txt)", flush=True)
    return found


def _report(kind, sizes, seeded, baseline, rows, plans, args) -> dict:
    """The JSON report."""
    measured = [r for r in rows if r["status"] == 200]
    return {"database": kind, "sizes": sizes, **seeded, "repeat": args.repeat, "rounds": args.rounds,
            "load_average": [round(value, 2) for value in os.getloadavg()],
            "server": f"gunicorn -w {args.workers} -k gthread --threads {args.threads}, gunicorn.conf.py",
            "select1": {"p50_ms": round(percentile(baseline, 50), 1), "p95_ms": round(percentile(baseline, 95), 1),
                        "samples": len(baseline)},
            "target_ms": TARGET_MS, "pages": rows, "plans": plans,
            "worst_p95_ms": max((r["p95_ms"] for r in measured), default=None),
            "slow": [r["name"] for r in rows if r["status"] != 200 or r["p95_ms"] > TARGET_MS],
            "not_constant": [r["name"] for r in rows if not r["constant"]],
            "compared": sum(1 for r in rows if r["compared"]),
            "meets_target": all(r["meets_target"] for r in rows)}


def _line(row: dict) -> str:
    """One page's line of the table."""
    statements = f"{row['statements']}/{row['small_statements'] if row['compared'] else '-'}"
    return (f"{verdict(row['meets_target']):<7}{row['name']:<28}{row['status']:>4}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{statements:>15}{row['kib']:>9.1f}  {row['path']}")


def main() -> None:
    """Measure, print the table and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("seasons", 3), ("events", 300), ("entries", 30_000), ("marks", 3_000_000)):
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--small", action="store_true", help="2 seasons, 30 events, 3,000 entries, 300,000 marks")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--rounds", type=int, default=3, help="turns the requests of each page are split into")
    parser.add_argument("--explain", type=int, default=3, help="slowest statements explained per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database", help="an already seeded database URL to use instead of a fresh one")
    args = parser.parse_args()
    if args.small:
        vars(args).update(SMALL)
    report = measure(args)
    save_report("pages", report)
    floor_ms = report["select1"]["p95_ms"]
    print(f"\nGET /bench/pages/select1 (a bare SELECT 1 on the same server): p50 {report['select1']['p50_ms']} ms, "
          f"p95 {floor_ms} ms ({report['database']}, {report['server']}; load average at the end "
          f"{' / '.join(map(str, report['load_average']))} on {os.cpu_count()} cores)")
    if "seed_s" in report:
        print(f"seed-scale {report['counts']}: {report['seed_s']} s")
    print(f"{verdict(not report['slow'])}: every page's p95 ≤ {TARGET_MS:.0f} ms (worst {report['worst_p95_ms']} ms; "
          f"over: {', '.join(report['slow']) or 'none'})")
    print(f"{verdict(not report['not_constant'])}: SQL statements per page the same on a large and a small object "
          f"({report['compared']} of {len(report['pages'])} pages have both; differ: "
          f"{', '.join(report['not_constant']) or 'none'})")


if __name__ == "__main__":
    main()
