"""吴江职业技能联赛管理系统: the Flask application factory."""
import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import Config, ProductionConfig, instance_secret_key

from .extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config → extensions → blueprints → errors → CLI."""
    overrides = overrides or {}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=overrides.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
        or os.path.join(root, "instance"),
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    _configure(app, overrides)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:  # behind a balancer: the client's address from X-Forwarded-For, as the last N proxies saw it
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    _init_extensions(app)
    _register_blueprints(app)
    from . import handlers

    handlers.init_app(app)
    from .cli import register_commands
    from .jobs import queue

    queue.init_app(app)  # REDIS_URL set: background jobs go to the shared RQ queue
    app.cli.add_command(queue.worker_command)
    register_commands(app)
    return app


def _configure(app: Flask, overrides: dict) -> None:
    """Environment first, then test overrides; fill the database URL and secret if unset."""
    production = os.environ.get("APP_ENV", "").lower() == "production"
    app.config.from_object(ProductionConfig if production else Config)
    app.config.update(overrides)
    if app.config.get("REDIS_URL") and "RATELIMIT_STORAGE_URI" not in overrides:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "league.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("SECRET_KEY"):
        if production:
            raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)


def _init_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from . import models  # noqa: F401  (register the tables)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    from .handlers.locale import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def _register_blueprints(app: Flask) -> None:
    """The HTML blueprints and the JSON API."""
    from .api import bp as api_bp
    from .views import register_blueprints

    register_blueprints(app)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies
    app.register_blueprint(api_bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: WAL, foreign keys on, and a busy timeout instead of 'database is locked'."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin) instead of pysqlite's lazy BEGIN.
    dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """SQLite: take the write lock when the transaction begins.

    A deferred transaction that reads and then writes fails with 'database is locked' when another
    writer committed in between; BEGIN IMMEDIATE makes it wait its turn (busy timeout) instead.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
