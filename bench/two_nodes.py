"""Two app nodes behind a load balancer (issue 22, item 4): the league as it runs on several machines, end to end.

    .venv/bin/python bench/two_nodes.py [--seconds 30] [--kill-seconds 20] [--judges 50] [--json PATH]

One fresh PostgreSQL database and Redis (db 12, emptied first) are shared by two gunicorn nodes, each with its own
instance folder, by one `flask --app competition worker`, and by Debian's haproxy in round robin in front of the
nodes (it names the node that answered in X-Served-By and forwards the client's address, which the nodes trust:
TRUSTED_PROXIES=1). Through the balancer only:
1. an enterprise's HR logs in on the login page (the form from one node, the post to the other);
2. previews a roster on one node and confirms it on the other;
3. runs an import job through the API and follows it to its result (the worker runs it);
4. 50 judges save marks through both nodes for --seconds;
5. 20 failed logins alternate between the nodes, and the 21st attempt is refused with 429 and Retry-After (one
   budget in Redis, not one per node);
6. the judges go on for --kill-seconds, faster (--kill-think), and one node is killed (SIGKILL, its whole process group) a third of the way
   in: the balancer sends new requests to the other node, and only the requests in flight on the dead node fail.
Expect zero errors in steps 1-5, zero lost marks (every cell a node said it saved is stored with its change row),
and in step 6 failures only for requests in flight at the kill, which are printed. Exit status 1 otherwise.
JSON goes to bench/out/two_nodes.json (or --json). Needs PostgreSQL, Redis and haproxy on this machine.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from urllib.parse import urlencode

import redis

from _common import ROOT, app_for, save_report
from _marking import Judge, latency_ms, run_judges, seed_scoring, stored_marks, tokens_for
from _server import VENV_BIN, database, free_port, migrate, server_env, start_gunicorn, stop

from competition.extensions import db
from competition.models import Entry, Job, Role
from tests.builders import PASSWORD, make_enterprise, make_open_event, make_user
from tests.roster_files import people, roster

REDIS_URL = os.environ.get("TWO_NODES_REDIS_URL", "redis://127.0.0.1:6379/12")
HAPROXY = """global
    maxconn 2048
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout check 2s
    retries 3
    option redispatch
    retry-on conn-failure
    option forwardfor
frontend league
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-response set-header X-Served-By %[srv_name]
    server node-a 127.0.0.1:{a} check inter 500 fall 2 rise 2
    server node-b 127.0.0.1:{b} check inter 500 fall 2 rise 2
"""


class Browser:
    """One user's browser through the balancer: a keep-alive connection, the session cookie, and for every answer
    the node that served it."""

    def __init__(self, port: int):
        """Connect lazily to the balancer."""
        self.port, self.connection, self.cookies = port, None, {}
        self.served: list[str] = []

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of one request, with the cookies kept so far."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        self.served.append(response.getheader("X-Served-By") or "?")
        return response.status, dict(response.getheaders()), payload

    def form(self, path: str, fields: dict):
        """POST a urlencoded form."""
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path: str, fields: dict, file_field: str, filename: str, data: bytes, token: str | None = None):
        """POST multipart/form-data with one file (and a bearer token for the API)."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                     "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
                     .encode() + data + b"\r\n")
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", path, b"".join(parts) + f"--{boundary}--\r\n".encode(), headers)

    def json(self, method: str, path: str, body=None, token: str | None = None):
        """(status, JSON answer) of an API call."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        status, answer_headers, payload = self.request(method, path, data, headers)
        return status, answer_headers, json.loads(payload or b"null")

    def next_node_is_not(self, node: str) -> None:
        """Send light requests until `node` has just answered, so that round robin sends the next one elsewhere."""
        for _ in range(10):
            self.request("GET", "/healthz")
            if self.served[-1] == node:
                return
        raise RuntimeError(f"round robin never came back to {node}: {self.served[-10:]}")


def csrf_of(page: bytes) -> str:
    """The CSRF token of a page's form."""
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise RuntimeError(f"no CSRF token in the page: {page[:300]!r}")
    return match.group(1).decode()


class Cluster:
    """The two nodes, the worker and the balancer, started in that order and stopped in reverse."""

    def __init__(self, url: str, folder: str, workers: int, threads: int):
        """Nothing runs until start()."""
        self.url, self.folder, self.workers, self.threads = url, folder, workers, threads
        self.nodes: dict[str, tuple] = {}
        self.worker = self.balancer = None
        self.port = 0

    def node_env(self, name: str) -> dict:
        """A node's environment: the shared database, secret and Redis, its own instance folder, JSON logs."""
        folder = os.path.join(self.folder, name)
        os.makedirs(folder, exist_ok=True)
        return {"INSTANCE_PATH": folder, "REDIS_URL": REDIS_URL, "TRUSTED_PROXIES": "1", "LOG_FORMAT": "json",
                "RATELIMIT_ENABLED": "1"}

    def start(self) -> int:
        """Start everything; returns the balancer's port."""
        for name in ("node-a", "node-b"):
            self.nodes[name] = start_gunicorn(self.url, self.folder, workers=self.workers, threads=self.threads,
                                              env=self.node_env(name), log_name=f"{name}.log")
        worker_log = open(os.path.join(self.folder, "worker.log"), "w+b")
        self.worker = subprocess.Popen([os.path.join(VENV_BIN, "flask"), "--app", "competition", "worker"],
                                       env=server_env(self.url, self.folder) | self.node_env("worker"),
                                       cwd=ROOT,
                                       start_new_session=True, stdout=worker_log, stderr=subprocess.STDOUT)
        self.port = free_port()
        config = os.path.join(self.folder, "haproxy.cfg")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(HAPROXY.format(port=self.port, a=self.nodes["node-a"][1], b=self.nodes["node-b"][1]))
        balancer_log = open(os.path.join(self.folder, "haproxy.log"), "w+b")
        self.balancer = subprocess.Popen([shutil.which("haproxy") or "haproxy", "-db", "-f", config],
                                         start_new_session=True, stdout=balancer_log, stderr=subprocess.STDOUT)
        self._wait_balancer()
        return self.port

    def _wait_balancer(self) -> None:
        """Until the balancer answers /healthz from both nodes."""
        browser, seen = Browser(self.port), set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and seen != {"node-a", "node-b"}:
            if self.balancer.poll() is not None:
                with open(os.path.join(self.folder, "haproxy.log"), encoding="utf-8", errors="replace") as handle:
                    raise RuntimeError(f"haproxy stopped:\n{handle.read()[-2000:]}")
            try:
                status, _, _ = browser.request("GET", "/healthz")
                if status == 200:
                    seen.add(browser.served[-1])
            except OSError:
                browser.connection = None
                time.sleep(0.2)
        if seen != {"node-a", "node-b"}:
            raise RuntimeError(f"the balancer did not reach both nodes: {seen}")

    def kill(self, name: str) -> tuple[float, float]:
        """SIGKILL a node's whole process group (a machine gone); returns when the kill began and when it was dead."""
        process = self.nodes[name][0]
        began = time.monotonic()
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        return began, time.monotonic()

    def log(self, name: str) -> str:
        """A node's log so far."""
        with open(os.path.join(self.folder, f"{name}.log"), encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self) -> None:
        """Stop the balancer, the worker and the nodes."""
        for process in (self.balancer, self.worker, *(node[0] for node in self.nodes.values())):
            if process is not None and process.poll() is None:
                stop(process)


def seed_roster_scene(app) -> dict:
    """An enterprise event open for enrolment and its host's HR account."""
    with app.app_context():
        host = make_enterprise(name="恒力化纤")
        event = make_open_event(kind="enterprise", host_enterprise_id=host.id)
        hr = make_user(Role.ENTERPRISE, enterprise=host)
        db.session.commit()
        scene = {"event_id": event.id, "username": hr.username}
        db.session.remove()
    return scene


def step_login_and_import(port: int, scene: dict, app) -> dict:
    """Steps 1-2: log in (form and post on different nodes), preview on one node and confirm on the other."""
    browser = Browser(port)
    status, _, page = browser.request("GET", "/login")
    csrf = csrf_of(page)
    status, headers, _ = browser.form("/login", {"csrf_token": csrf, "username": scene["username"],
                                                 "password": PASSWORD})
    login_nodes = browser.served[-2:]
    if status != 302:
        raise RuntimeError(f"login: {status}")
    event_id = scene["event_id"]
    status, _, page = browser.request("GET", f"/events/{event_id}/entries/import")
    if status != 200:
        raise RuntimeError(f"import page: {status}")
    status, _, page = browser.upload(f"/events/{event_id}/entries/import/preview", {"csrf_token": csrf_of(page)},
                                     "file", "名单.xlsx", roster(*people(20)))
    preview_node = browser.served[-1]
    token = re.search(rb'name="token" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"preview on {preview_node}: {status} {page[:400]!r}")
    browser.next_node_is_not(preview_node)
    status, _, _ = browser.form(f"/events/{event_id}/entries/import/confirm",
                                {"csrf_token": csrf_of(page), "token": token.group(1).decode()})
    confirm_node = browser.served[-1]
    if status != 302:
        raise RuntimeError(f"confirm on {confirm_node}: {status}")
    with app.app_context():
        entries = db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.event_id == event_id))
        db.session.remove()
    return {"login_form_node": login_nodes[0], "login_post_node": login_nodes[1], "preview_node": preview_node,
            "confirm_node": confirm_node, "entries_after_confirm": entries,
            "ok": login_nodes[0] != login_nodes[1] and preview_node != confirm_node and entries == 20}


def step_import_job(port: int, scene: dict, rows: int) -> dict:
    """Step 3: POST import-jobs through the balancer, then follow the job (polls land on both nodes) to its result."""
    browser = Browser(port)
    status, _, answer = browser.json("POST", "/api/v1/tokens", {"username": scene["username"], "password": PASSWORD})
    token = answer["token"]
    status, _, payload = browser.upload(f"/api/v1/events/{scene['event_id']}/entries/import-jobs", {}, "file",
                                        "名单.xlsx", roster(*people(rows, start=1000)), token=token)
    if status != 202:
        raise RuntimeError(f"import job: {status} {payload[:300]!r}")
    job = json.loads(payload)
    started, polls, progress = time.monotonic(), set(), []
    while time.monotonic() - started < 180:
        status, _, job = browser.json("GET", f"/api/v1/jobs/{job['id']}", token=token)
        polls.add(browser.served[-1])
        progress.append(job["progress"])
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.3)
    return {"job_id": job["id"], "state": job["state"], "result": job.get("result"), "error": job.get("error"),
            "seconds": round(time.monotonic() - started, 1), "polled_on": sorted(polls),
            "progress_seen": sorted(set(progress)),
            "ok": job["state"] == "done" and job.get("result") == {"created": rows, "existing": 0}}


def step_login_limit(port: int) -> dict:
    """Step 5: 20 failed logins alternate between the nodes; the next attempt is refused by the shared budget."""
    browser = Browser(port)
    statuses, nodes = [], []
    for i in range(20):
        status, _, _ = browser.json("POST", "/api/v1/tokens", {"username": f"nobody-{i}", "password": "wrong-pass-1"})
        statuses.append(status)
        nodes.append(browser.served[-1])
    status, headers, answer = browser.json("POST", "/api/v1/tokens", {"username": "nobody", "password": "wrong-pass-1"})
    retry = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    return {"failed_statuses": sorted(set(statuses)), "failed_on": {n: nodes.count(n) for n in set(nodes)},
            "then": status, "retry_after": retry, "code": (answer or {}).get("error", {}).get("code"),
            "ok": statuses == [401] * 20 and len(set(nodes)) == 2 and status == 429 and bool(retry)}


class TimedJudge(Judge):
    """A judge who notes when each failed request started and ended, and which cells it carried."""

    def __init__(self, *args, **kwargs):
        """As Judge, with the failures' times."""
        super().__init__(*args, **kwargs)
        self.failures: list[dict] = []
        self.uncertain: dict[tuple, set] = {}

    def _save(self, path: str, number: str) -> None:
        """Save as Judge does; a failed request's cells may or may not be stored (its answer never came)."""
        errors, started = len(self.errors), time.monotonic()
        super()._save(path, number)
        if len(self.errors) > errors:
            self.failures.append({"judge": self.judge_id, "started": started, "ended": time.monotonic(),
                                  "error": self.errors[-1][:160]})
            for mark in self.last_sent:
                cell = (mark["number"], mark["criterion_id"])
                self.uncertain.setdefault(cell, {self.saved.get(cell)}).add(mark["value"])


def judges_for(port: int, plans: list[dict], tokens: dict, think: tuple) -> list[TimedJudge]:
    """Every judge of every plan, each with their token, through the balancer."""
    return [TimedJudge(port, tokens[username], plan, judge_id, think=think, seed=judge_id * 7919)
            for plan in plans for judge_id, username in plan["judges"]]


def check_marks(app, plans: list[dict], judges: list[TimedJudge]) -> dict:
    """Every cell a node said it saved is stored with that value and a change row; a cell whose last request got no
    answer holds either its old value or the one sent."""
    stored, changes = stored_marks(app, plans)
    lost = uncertain_bad = 0
    for judge in judges:
        for cell, values in judge.uncertain.items():  # no answer came: the old value (or none), or the one sent
            allowed = {None if v is None else Decimal(v) for v in values}
            uncertain_bad += stored.get((judge.judge_id, *cell)) not in allowed
        lost += sum(1 for cell, value in judge.saved.items()
                    if cell not in judge.uncertain and stored.get((judge.judge_id, *cell)) != Decimal(value))
    known = {(j.judge_id, *cell) for j in judges for cell in (*j.saved, *j.uncertain)}
    saves = sum(j.cells for j in judges)
    in_flight = sum(len(j.uncertain) for j in judges)
    return {"cell_saves_ok": saves, "mark_changes_stored": changes, "cells_saved": sum(len(j.saved) for j in judges),
            "marks_stored": len(stored), "in_flight_cells": in_flight,
            "lost": lost + uncertain_bad + max(0, saves - changes),
            "unexpected": len(set(stored) - known) + max(0, changes - saves - in_flight)}


def run(args) -> dict:
    """The cluster, the journey, the check; returns the report."""
    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's queue and counters only
    with database("twonodes") as (url, kind, folder):
        if kind != "postgresql":
            raise SystemExit("two nodes need PostgreSQL on 127.0.0.1:5432")
        migrate(url, folder)
        app = app_for(url, folder)
        plans = seed_scoring(app, events=5, judges=args.judges // 5, entries=args.entries, judged=4)
        scene = seed_roster_scene(app)
        cluster = Cluster(url, folder, args.workers, args.threads)
        try:
            port = cluster.start()
            report = {"balancer": f"haproxy round robin on :{port}",
                      "nodes": f"2 × gunicorn -w {args.workers} -k gthread --threads {args.threads}",
                      "database": kind, "redis": REDIS_URL}
            report["login_and_import"] = step_login_and_import(port, scene, app)
            report["import_job"] = step_import_job(port, scene, args.job_rows)
            tokens = tokens_for(port, plans)
            judges = judges_for(port, plans, tokens, tuple(args.judge_think))
            run_judges(judges, args.seconds)
            puts = {name: cluster.log(name).count('"method": "PUT"') for name in cluster.nodes}
            steady_errors = [e for j in judges for e in j.errors]
            steady = check_marks(app, plans, judges)
            report["judges"] = {"judges": len(judges), "seconds": args.seconds, "errors": len(steady_errors),
                                "error_samples": steady_errors[:10], "puts_per_node": puts,
                                "latency": latency_ms([t for j in judges for t in j.latencies]), **steady,
                                "ok": not steady_errors and steady["lost"] == 0 and steady["unexpected"] == 0
                                and all(puts.values())}
            report["login_limit"] = step_login_limit(port)
            report["node_killed"] = kill_phase(app, cluster, plans, judges, args)
        finally:
            cluster.stop()
        with app.app_context():
            jobs = db.session.scalar(db.select(db.func.count(Job.id)))
            db.engine.dispose()
        report["jobs_in_database"] = jobs
    report["passed"] = all(report[step]["ok"] for step in
                           ("login_and_import", "import_job", "judges", "login_limit", "node_killed"))
    return report


def kill_phase(app, cluster: Cluster, plans: list[dict], judges: list[TimedJudge], args) -> dict:
    """Step 6: the judges go on; one node is killed a third of the way in; which requests failed, and was any lost."""
    killed: dict = {}

    def killer() -> None:
        time.sleep(args.kill_seconds / 3)
        killed["at"] = cluster.kill("node-b")

    for judge in judges:
        judge.failures.clear()
        judge.errors.clear()
        judge.think = tuple(args.kill_think)
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    run_judges(judges, args.kill_seconds)
    thread.join()
    at, dead = killed["at"]
    failures = sorted((f for j in judges for f in j.failures), key=lambda f: f["started"])
    for failure in failures:  # in flight: sent before the node was dead, answered (or cut) after the kill began
        failure["in_flight"] = failure["started"] <= dead + 0.05 and failure["ended"] >= at - 0.05
        failure["started_s"], failure["ended_s"] = (round(failure.pop(k) - at, 3) for k in ("started", "ended"))
    stored = check_marks(app, plans, judges)
    not_in_flight = [f for f in failures if not f["in_flight"]]
    return {"killed": "node-b", "kill_took_ms": round((dead - at) * 1000, 1), "failed_requests": failures, "failed": len(failures),
            "failed_not_in_flight": len(not_in_flight), **stored,
            "ok": not not_in_flight and stored["lost"] == 0 and stored["unexpected"] == 0 and len(failures) <= len(judges)}


def main() -> None:
    """Run the journey, print the report; exit 1 if any step failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="judges saving through both nodes")
    parser.add_argument("--kill-seconds", type=float, default=20, help="judges saving while a node is killed")
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--entries", type=int, default=100, help="entries per event (5 events)")
    parser.add_argument("--job-rows", type=int, default=300, help="rows of the import job's roster")
    parser.add_argument("--judge-think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    parser.add_argument("--kill-think", type=float, nargs=2, default=(0.0, 0.1), metavar=("MIN", "MAX"),
                        help="the judges' pauses while the node is killed (short: many requests are in flight)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args()
    if shutil.which("haproxy") is None:
        raise SystemExit("haproxy is not installed (apt-get install -y haproxy; .ci/run installs it)")
    report = run(args)
    save_report("two_nodes", report)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False)
    print_report(report)
    if not report["passed"]:
        raise SystemExit(1)


def print_report(report: dict) -> None:
    """The journey step by step, the judges' figures, and every request that failed when the node died."""
    journey, job, judges = report["login_and_import"], report["import_job"], report["judges"]
    limit, kill = report["login_limit"], report["node_killed"]
    verdict = {True: "ok", False: "FAILED"}
    print(f"{report['balancer']}; {report['nodes']}; one worker; {report['database']}; Redis {report['redis']}")
    print(f"1-2 login form on {journey['login_form_node']}, posted on {journey['login_post_node']}; roster previewed "
          f"on {journey['preview_node']}, confirmed on {journey['confirm_node']}: "
          f"{journey['entries_after_confirm']} entries  {verdict[journey['ok']]}")
    print(f"3   import job #{job['job_id']}: {job['state']} in {job['seconds']} s, result {job['result']}, polled on "
          f"{job['polled_on']}, progress seen {job['progress_seen']}  {verdict[job['ok']]}")
    print(f"4   {judges['judges']} judges × {judges['seconds']} s: PUTs per node {judges['puts_per_node']}, errors "
          f"{judges['errors']}, p50 {judges['latency']['p50_ms']} ms p95 {judges['latency']['p95_ms']} ms; cells "
          f"{judges['cells_saved']}, stored {judges['marks_stored']}, lost {judges['lost']}  {verdict[judges['ok']]}")
    print(f"5   20 failed logins on {limit['failed_on']} → {limit['failed_statuses']}; then {limit['then']} "
          f"({limit['code']}, Retry-After {limit['retry_after']})  {verdict[limit['ok']]}")
    print(f"6   node-b killed mid-run (dead in {kill['kill_took_ms']} ms): {kill['failed']} failed requests, {kill['failed_not_in_flight']} of them not in "
          f"flight; cells saved {kill['cells_saved']}, stored {kill['marks_stored']}, lost {kill['lost']}, unexpected "
          f"{kill['unexpected']} ({kill['in_flight_cells']} cells of requests that got no answer hold their old value "
          f"or the one sent)  "
          f"{verdict[kill['ok']]}")
    for failure in kill["failed_requests"]:
        print(f"      judge {failure['judge']}: started {failure['started_s']:+.3f} s, ended {failure['ended_s']:+.3f} s "
              f"from the kill{'' if failure['in_flight'] else ' (NOT in flight)'}: {failure['error']}")
    print("PASSED" if report["passed"] else "FAILED")


if __name__ == "__main__":
    sys.exit(main())
