"""The real app under gunicorn for the server benches: a throwaway database, migrations, the server, an HTTP client.

PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth; override with BENCH_PG_ADMIN_URL) gets a fresh
database that is dropped afterwards; when it does not answer, a SQLite file in a temporary folder is used
instead and the reports say so. The server runs in its own process group, killed on the way out.
"""
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from _common import ROOT

VENV_BIN = os.path.join(ROOT, ".venv", "bin")
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret-" + "0" * 40


def _admin(sql: str) -> None:
    """Run one statement on the PostgreSQL maintenance database (autocommit: CREATE/DROP DATABASE)."""
    import psycopg
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
        connection.execute(sql)


def _terminate_as_exit(signum, frame) -> None:
    """SIGTERM (a CI timeout, kill) unwinds like an exception, so the server and the database are removed."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def database(name: str, force_sqlite: bool = False):
    """Yield (SQLAlchemy URL, kind, folder) of a fresh database; dropped (PostgreSQL) or deleted (SQLite) after."""
    signal.signal(signal.SIGTERM, _terminate_as_exit)
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as folder:
        db_name = f"bench_{name}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        try:
            if force_sqlite:
                raise OSError("SQLite asked for")
            _admin(f'CREATE DATABASE "{db_name}"')
        except Exception as exc:  # noqa: BLE001  (any failure to reach PostgreSQL means: use SQLite)
            print(f"PostgreSQL not used ({type(exc).__name__}: {str(exc)[:80]}); SQLite in {folder}", file=sys.stderr)
            yield f"sqlite:///{folder}/bench.sqlite3", "sqlite", folder
            return
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{db_name}", "postgresql", folder
        finally:
            with contextlib.suppress(Exception):
                _admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def server_env(url: str, folder: str) -> dict:
    """The environment the app reads (API.md, Operations)."""
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_PATH": folder, "PYTHONPATH": ROOT}


def migrate(url: str, folder: str) -> None:
    """flask --app competition db upgrade against the fresh database."""
    subprocess.run([os.path.join(VENV_BIN, "flask"), "--app", "competition", "db", "upgrade"], cwd=ROOT,
                   env=server_env(url, folder), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url: str, folder: str, *, workers: int = 4, threads: int = 4, app: str = "competition:create_app()"):
    """Yield the port of `gunicorn -k gthread <app>` (the real app unless told); its process group is killed after."""
    process, port, log = start_gunicorn(url, folder, workers=workers, threads=threads, app=app)
    try:
        yield port
    finally:
        stop(process)
        log.close()


def start_gunicorn(url: str, folder: str, *, workers: int = 4, threads: int = 4, app: str = "competition:create_app()",
                   env: dict | None = None, log_name: str = "gunicorn.log"):
    """Start `gunicorn -k gthread <app>` in a process group of its own and wait until /healthz answers; returns
    (process, port, log file). `env` adds to the app's environment (a node's own INSTANCE_PATH, REDIS_URL...)."""
    port = free_port()
    log = open(os.path.join(folder, log_name), "w+b")
    command = [os.path.join(VENV_BIN, "gunicorn"), "-w", str(workers), "-k", "gthread", "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--keep-alive", "120", "--timeout", "120", app]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(url, folder) | (env or {}), start_new_session=True,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(process, port, log)
    except BaseException:
        stop(process)
        log.close()
        raise
    return process, port, log


def _wait_healthy(process, port: int, log, seconds: float = 60) -> None:
    """Poll /healthz until 200; fail with the server's log if it exits or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, _ = Client(port).request("GET", "/healthz")
            if status == 200:
                return
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"gunicorn did not become healthy:\n{log.read().decode(errors='replace')[-3000:]}")


def stop(process) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it lingers."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
            return


class Client:
    """One keep-alive HTTP/1.1 connection, as one browser tab or tablet holds; reconnects after an error."""

    def __init__(self, port: int, timeout: float = 60):
        """Connect lazily to 127.0.0.1:port."""
        self.port, self.timeout, self.connection = port, timeout, None

    def request(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, bytes, float]:
        """(status, body, seconds) of one request; a connection error raises after closing the connection."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        return response.status, payload, time.perf_counter() - started

    def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def token_for(port: int, username: str, password: str) -> str:
    """POST /api/v1/tokens → the bearer token."""
    client = Client(port)
    try:
        status, body, _ = client.request("POST", "/api/v1/tokens", {"username": username, "password": password})
    finally:
        client.close()
    if status != 201:
        raise RuntimeError(f"token for {username}: {status} {body[:200]!r}")
    return json.loads(body)["token"]
