"""Operations (issue 22, item 6): a request id on every request, structured logs, Prometheus metrics, readiness.

- Every request gets an id: the caller's `X-Request-ID` when it is a sane token (a balancer's or a client's, so one
  id follows a request across nodes), else a new one; the response carries it back, and every log line written while
  the request runs names it.
- `LOG_FORMAT=json` (the default when `APP_ENV=production`) writes one JSON object per line on stderr: time (UTC),
  level, logger, message, request id, and for each request an access line with method, path, endpoint, status,
  duration and user. Otherwise the plain format, with the request id appended.
- `/metrics` (Prometheus text format): requests and their latencies by endpoint, method and status class, and jobs by
  state (read from the database at each scrape, so every node reports the league's jobs). Protected: with
  `METRICS_TOKEN` set, only a caller presenting it as a bearer token; without it, only callers from loopback or a
  private network (a scraper inside the intranet).
- `/readyz`: ready when the database answers, Redis answers (when `REDIS_URL` is set) and the schema is at the
  migrations' head; 503 naming what is not, so a balancer sends no traffic to a node before `db upgrade` ran.
  `/healthz` stays the liveness check (the process and its database connection).
"""
import hmac
import ipaddress
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, Response, current_app, g, has_request_context, jsonify, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from ..context import current_actor
from ..extensions import db
from ..models import Job, JobState

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
ACCESS = logging.getLogger("competition.requests")
REGISTRY = CollectorRegistry(auto_describe=True)  # one per process: every app of the process reports into it
REQUESTS = Counter("league_http_requests", "HTTP requests served", ["method", "endpoint", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("league_http_request_seconds", "Time to serve a request", ["method", "endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10), registry=REGISTRY)
QUIET = frozenset({"healthz", "readyz", "metrics", "static"})  # probes and files: counted, never access-logged


class _Jobs:
    """Jobs by state, counted in the database at scrape time (any node's, since the state is shared)."""

    def describe(self):
        return []

    def collect(self):
        family = GaugeMetricFamily("league_jobs", "Background jobs by state", labels=["state"])
        try:
            counts = dict(db.session.execute(db.select(Job.state, db.func.count(Job.id)).group_by(Job.state)).all())
        except SQLAlchemyError:
            db.session.rollback()
            return
        for state in JobState:
            family.add_metric([state.value], counts.get(state, 0))
        yield family


REGISTRY.register(_Jobs())


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return getattr(g, "request_id", None) if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Names the request on every record written while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the record's extra fields, the traceback."""

    FIELDS = ("method", "path", "endpoint", "status", "duration_ms", "user_id", "remote")

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "request_id": getattr(record, "request_id", None) or request_id()}
        entry.update({name: getattr(record, name) for name in self.FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (as logging's last resort does), never to a stream that
    was replaced and closed since (a test runner's capture, a daemon's redirect)."""

    league = True

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """JSON lines or the plain format on stderr, each record naming its request; one handler per process."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, StderrHandler)), None)
    if handler is None:
        handler = StderrHandler()
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def _begin() -> None:
    """The request's id and start time."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _end(response: Response) -> Response:
    """Hand the id back, count and time the request, and write its access line."""
    response.headers["X-Request-ID"] = request_id() or ""
    endpoint = request.endpoint or "unmatched"
    elapsed = time.perf_counter() - getattr(g, "started", time.perf_counter())
    REQUESTS.labels(request.method, endpoint, f"{response.status_code // 100}xx").inc()
    LATENCY.labels(request.method, endpoint).observe(elapsed)
    if endpoint not in QUIET:
        user_id = _user_id()
        ACCESS.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "method": request.method, "path": request.path, "endpoint": endpoint, "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1), "user_id": user_id, "remote": request.remote_addr,
            "request_id": request_id()})
    return response


def _user_id() -> int | None:
    """The caller's id: an API request's token user, else the session's; read from the identity map's key, as the
    commit has expired the user (its id would cost a query)."""
    user = current_actor().user
    identity = inspect(user).identity if user is not None else None
    return identity[0] if identity else None


def _scraper_allowed() -> bool:
    """The bearer token when METRICS_TOKEN is set; else a caller on loopback or a private network."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        sent = request.headers.get("Authorization", "")
        return sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode())
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def metrics():
    """Prometheus metrics (see the module's docstring for who may read them)."""
    if not _scraper_allowed():
        return jsonify({"error": {"code": "forbidden", "message": "metrics: token or internal network required"}}), 403
    return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Cache-Control": "no-store"})


_HEAD: dict[str, str | None] = {}


def _migrations_head() -> str | None:
    """The newest revision of the migrations this code carries (read once per process)."""
    if "head" not in _HEAD:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        directory = current_app.extensions["migrate"].directory
        config = Config()
        config.set_main_option("script_location", directory)
        _HEAD["head"] = ScriptDirectory.from_config(config).get_current_head()
    return _HEAD["head"]


def _check_database() -> tuple[str, str | None]:
    try:
        db.session.execute(db.text("SELECT 1"))
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        db.session.rollback()
        try:
            db.session.execute(db.text("SELECT 1"))
        except SQLAlchemyError:
            db.session.rollback()
            return "error", None
        return "ok", None  # answers, but was never migrated (no alembic_version)
    return "ok", version


def _check_redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not_configured"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
    except redis.RedisError:
        return "error"
    return "ok"


def readyz():
    """Readiness: the database answers, Redis answers (when configured), the schema is at the migrations' head."""
    database, version = _check_database()
    head = _migrations_head()
    migrations = "ok" if version is not None and version == head else "behind" if version else "not_migrated"
    checks = {"database": database, "redis": _check_redis(),
              "migrations": migrations if database == "ok" else "unknown"}
    ready = database == "ok" and checks["redis"] in ("ok", "not_configured") and migrations == "ok"
    body = {"status": "ready" if ready else "not_ready", "checks": checks, "schema": version, "head": head}
    return jsonify(body), 200 if ready else 503


def init_app(app: Flask) -> None:
    """Install the request id, the access log and metrics, and the /metrics and /readyz routes."""
    configure_logging(app)
    app.before_request(_begin)
    app.after_request(_end)
    app.add_url_rule("/metrics", "metrics", metrics)
    app.add_url_rule("/readyz", "readyz", readyz)
