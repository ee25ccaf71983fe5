"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL via TEST_DATABASE_URL)."""
import os
import shutil
from datetime import date, timedelta

import pytest
from flask import current_app, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from competition import create_app
from competition.extensions import db as _db
from competition.models import Role
from tests.builders import make_enterprise, make_event, make_user
from tests.marking_builders import build_published_scene
from tests.url_builders import install as memoise_url_builders

memoise_url_builders()  # an app per test: compile each URL rule's builders once per process, not once per test

PG_URL = os.environ.get("TEST_DATABASE_URL")

pytest_plugins = ["tests.browser_fixtures", "tests.pdf_fixtures"]


def pytest_collection_modifyitems(config, items):
    """Every test that uses the database is marked `db`, so .ci/run can repeat them on PostgreSQL."""
    for item in items:
        if {"app", "db", "client"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def pytest_report_header(config):
    """Say which database the run uses."""
    return f"database: {'PostgreSQL ' + PG_URL.split('@')[-1] if PG_URL else 'SQLite (a file per test)'}"


def _worker_database(base: str, worker: str) -> str:
    """A fresh PostgreSQL database of this pytest-xdist worker's own (TEST_DATABASE_URL's name + _gw0, …), so
    workers never truncate each other's tables."""
    from sqlalchemy import make_url

    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_worker_database(url: str) -> None:
    """Drop a worker's database at the end of its run."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _pg_schema():
    """On PostgreSQL: create the tables once per run (per worker under pytest-xdist) on a fresh test database."""
    if not PG_URL:
        yield None
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = _worker_database(PG_URL, worker) if worker else PG_URL
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 32})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.engine.dispose()
    yield url
    if worker:
        _drop_worker_database(url)


def _truncate_all(url: str) -> None:
    """Empty every table between PostgreSQL tests (much faster than recreating the schema)."""
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit log's trigger refuses TRUNCATE; a superuser's replica role skips triggers for this cleanup.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    """On SQLite: one database with the schema and the founding policy version, made once per run (per worker),
    that each test copies instead of creating every table again."""
    if PG_URL:
        return None
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "x" * 32,
                      "INSTANCE_PATH": str(path.parent)})
    with app.app_context():
        from competition.services.policy import ensure_founding_policy
        from competition.services.towns import ensure_founding_towns

        _db.create_all()
        ensure_founding_policy()
        ensure_founding_towns()
        _db.session.commit()
        _db.session.remove()
        _db.engine.dispose()
    return path


class RequestClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as it does on a server.

    A test holds an app context for its own database work (builders, assertions). Flask's test client would run
    requests inside it (RequestContext.push reuses a pushed app context of the same app), so `g` and the database
    session would outlive a request and be shared with the test. Here each request gets a fresh app context, popped
    (session removed) when the request ends. The test's session is committed first, because a request sees only
    committed rows, and on SQLite an open transaction of the test (BEGIN IMMEDIATE) would hold the write lock the
    request waits for; the commit also expires the test's objects, so afterwards it reads what the request wrote.
    """

    def run_wsgi_app(self, environ, buffered=False):
        """Run one request (each redirect followed is one more) in a fresh app context."""
        if has_app_context() and current_app._get_current_object() is self.application:
            _db.session.commit()
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered=buffered)


@pytest.fixture
def app(tmp_path, _pg_schema, _sqlite_template):
    """The app bound to an empty database holding only the founding policy version and towns, with an app context pushed for
    the test's own database work; its test clients run each request in an app context of the request's own."""
    if _sqlite_template is not None:
        shutil.copyfile(_sqlite_template, tmp_path / "test.sqlite3")
    url = _pg_schema or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    application = create_app({
        "TESTING": True,
        "PROPAGATE_UNEXPECTED": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(tmp_path),
        "WTF_CSRF_ENABLED": False,
        # The fuzzers upload hundreds of files a minute; tests/test_hardening_logins.py checks the real limit.
        "UPLOADS_PER_MINUTE": 10_000,
    })
    application.test_client_class = RequestClient
    with application.app_context():
        if _pg_schema:
            from competition.services.policy import ensure_founding_policy
            from competition.services.towns import ensure_founding_towns

            ensure_founding_policy()
            ensure_founding_towns()
            _db.session.commit()
        yield application
        runner = application.extensions.get("job_runner")
        if hasattr(runner, "shutdown"):  # jobs a request started finish before their connections' engine goes
            runner.shutdown()
        _db.session.remove()
        _db.engine.dispose()
    if _pg_schema:
        _truncate_all(url)


@pytest.fixture
def db(app):
    """The database handle inside the test's app context."""
    return _db


@pytest.fixture
def client(app):
    """A test client (CSRF off; the CSRF tests turn it on themselves); each request in its own app context."""
    return app.test_client()


@pytest.fixture
def published_scene(app, db):
    """A published event with its users and the ids of every route (tests/marking_builders.build_published_scene)."""
    return build_published_scene()


@pytest.fixture
def roster_scene(db):
    """An open enterprise event two months ahead, its host's HR, another enterprise's HR, an organiser and a judge;
    committed."""
    host, other = make_enterprise(name="恒力化纤"), make_enterprise(name="亨通集团")
    today = date.today()
    event = make_event("open", kind="enterprise", host_enterprise_id=host.id, event_date=today + timedelta(days=60),
                       registration_deadline=today + timedelta(days=30))
    users = {"host": make_user(Role.ENTERPRISE, enterprise=host), "other": make_user(Role.ENTERPRISE, enterprise=other),
             "organiser": make_user(Role.ORGANISER), "judge": make_user(Role.JUDGE)}
    db.session.commit()
    return event, users, {"host": host, "other": other}


@pytest.fixture
def bare_app(empty_database_url, tmp_path):
    """An app on an empty database, not yet migrated (the migration tests run upgrade() themselves)."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path)})


@pytest.fixture
def empty_database_url(tmp_path):
    """An empty database: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    import uuid

    from sqlalchemy import make_url

    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    url = make_url(PG_URL)
    name = f"{url.database}_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
