"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL via TEST_DATABASE_URL)."""
import os
import shutil

import pytest
from sqlalchemy import create_engine, text

from competition import create_app
from competition.extensions import db as _db
from tests.builders import PASSWORD

PG_URL = os.environ.get("TEST_DATABASE_URL")

pytest_plugins = ["tests.browser_fixtures"]


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

        _db.create_all()
        ensure_founding_policy()
        _db.session.commit()
        _db.session.remove()
        _db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, _pg_schema, _sqlite_template):
    """The app bound to an empty database holding only the founding policy version."""
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
    with application.app_context():
        if _pg_schema:
            from competition.services.policy import ensure_founding_policy

            ensure_founding_policy()
            _db.session.commit()
        yield application
        _db.session.remove()
        _db.engine.dispose()
    if _pg_schema:
        _truncate_all(url)


@pytest.fixture
def db(app):
    """The database handle inside the app context."""
    return _db


@pytest.fixture
def client(app):
    """A test client (CSRF off; the CSRF tests turn it on themselves)."""
    return app.test_client()


def login(client, user, password: str = PASSWORD):
    """Log a user in through the real login form; returns the response."""
    return client.post("/login", data={"username": user.username, "password": password})


def api_headers(client, user, password: str = PASSWORD) -> dict:
    """Bearer headers for a user, through POST /api/v1/tokens."""
    response = client.post("/api/v1/tokens", json={"username": user.username, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def published_scene(app, db):
    """A published event with its users and the ids of every route (tests/test_security.build_published_scene)."""
    from tests.test_security import build_published_scene

    return build_published_scene(db)


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
