"""Configuration read from the environment (see shared/API.md, Operations)."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ('1', 'true', 'yes' are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret_key(instance_path: str) -> str:
    """Return the per-install secret key, generating it once into the instance folder."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting together must agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Config:
    """Defaults for every environment; the environment overrides them."""

    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_flag("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a judge's tablet page may stay open all day
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    LOGIN_MAX_FAILURES = 5  # per account and client address, then a lock
    LOGIN_LOCK_MINUTES = 15  # the first lock; each further lock in a row doubles, up to a day
    LOGIN_LOCK_MAX_MINUTES = 24 * 60
    # Rate limits per client address (Flask-Limiter); counted in Redis across nodes when REDIS_URL is set.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_ENABLED = _env_flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_KEY_PREFIX = "league"
    FAILED_LOGINS_PER_MINUTE = int(os.environ.get("FAILED_LOGINS_PER_MINUTE", 20))
    UPLOADS_PER_MINUTE = int(os.environ.get("UPLOADS_PER_MINUTE", 30))
    API_TOKEN_HOURS = int(os.environ.get("API_TOKEN_HOURS", 12))
    PER_PAGE = 50
    MAX_PER_PAGE = 200
    # Certificates' QR codes point at PUBLIC_BASE_URL/verify/<number> (else the address of the request that printed
    # them); background jobs (the certificates of an event as one PDF) run on JOB_WORKERS threads of each process.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    JOB_WORKERS = int(os.environ.get("JOB_WORKERS", 2))
    # With REDIS_URL set, jobs are queued in Redis for `flask --app competition worker` (JOB_QUEUE=threads keeps them
    # in the web process anyway).
    JOB_QUEUE = os.environ.get("JOB_QUEUE") or "rq"
    # A confirmed roster larger than this (bytes: some 2,000 rows of .xlsx) is imported by a job the page follows.
    IMPORT_JOB_BYTES = int(os.environ.get("IMPORT_JOB_BYTES", 100_000))
    # An export of more rows than this (报名名单, 签到表, 成绩册, 评分表, 名录, 台账) is built by a job the page follows.
    EXPORT_JOB_ROWS = int(os.environ.get("EXPORT_JOB_ROWS", 2000))
    # Operations (handlers/observability.py): JSON log lines with LOG_FORMAT=json (production's default); /metrics
    # for a bearer METRICS_TOKEN, or, without one, for loopback and private addresses only.
    LOG_FORMAT = os.environ.get("LOG_FORMAT") or "plain"
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # Behind a load balancer every request comes from the balancer's address: TRUSTED_PROXIES=N (the number of
    # proxies in front, each adding X-Forwarded-For and -Proto) makes the client's own address the one rate limits,
    # the login throttle and the audit log see. 0 (the default) trusts no forwarded header, so nobody can forge one.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))


class ProductionConfig(Config):
    """Production: secure cookies unless explicitly turned off."""

    LOG_FORMAT = os.environ.get("LOG_FORMAT") or "json"

    SESSION_COOKIE_SECURE = _env_flag("SESSION_COOKIE_SECURE", True)
