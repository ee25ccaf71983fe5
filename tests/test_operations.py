"""Operations (issue 22, item 6): request ids, structured logs, Prometheus metrics and the readiness check."""
import json
import logging
import re

import pytest
from flask_migrate import upgrade

from competition import create_app
from competition.extensions import db as _db
from competition.handlers.observability import JsonFormatter
from competition.models import Job, JobState
from tests.builders import make_user
from tests.clients import login


def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a.42"  # the balancer's id follows the request
    for hostile in ("a b", "x" * 65, "<script>", "id\\r\\nSet-Cookie: x=1"):
        assert client.get("/healthz", headers={"X-Request-ID": hostile}).headers["X-Request-ID"] != hostile


def test_each_request_writes_an_access_line_that_formats_as_one_json_object(client, db, caplog):
    user = make_user()
    db.session.commit()
    login(client, user)
    caplog.set_level(logging.INFO, logger="competition.requests")
    response = client.get("/events", headers={"X-Request-ID": "trace-1"})
    [record] = [r for r in caplog.records if r.name == "competition.requests" and getattr(r, "path", "") == "/events"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-1" and response.headers["X-Request-ID"] == "trace-1"
    assert (line["method"], line["path"], line["endpoint"], line["status"]) == ("GET", "/events", "events.index", 200)
    assert line["user_id"] == user.id and line["level"] == "INFO" and line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    client.get("/healthz")
    assert not [r for r in caplog.records if getattr(r, "path", "") == "/healthz"]  # probes are not access-logged


def test_json_lines_carry_the_traceback_and_chinese_as_is():
    try:
        raise ValueError("坏了")
    except ValueError:
        record = logging.LogRecord("competition", logging.ERROR, __file__, 1, "任务 %s 失败", (7,), sys_exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "任务 7 失败" and "ValueError: 坏了" in line["exception"] and line["request_id"] is None


def sys_exc_info():
    import sys
    return sys.exc_info()


def test_metrics_count_requests_and_jobs_for_an_internal_scraper(app, client, db):
    db.session.add(Job(kind="event_certificates", state=JobState.FAILED, args={}))
    db.session.commit()
    client.get("/healthz")
    body = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'league_http_requests_total\{endpoint="healthz",method="GET",status="2xx"\} \d', body)
    assert 'league_http_request_seconds_bucket{endpoint="healthz"' in body
    assert 'league_jobs{state="failed"} 1.0' in body and 'league_jobs{state="queued"} 0.0' in body
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "8.8.8.8"})
    assert outside.status_code == 403


def test_metrics_with_a_token_need_it_from_anywhere(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    assert client.get("/metrics").status_code == 403  # loopback, but no token
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"},
                         environ_base={"REMOTE_ADDR": "8.8.8.8"})
    assert allowed.status_code == 200 and allowed.mimetype == "text/plain"


def test_readyz_wants_the_schema_at_head(client):
    answer = client.get("/readyz")  # the test database is made by create_all: never migrated
    assert answer.status_code == 503
    assert answer.get_json()["checks"] == {"database": "ok", "redis": "not_configured", "migrations": "not_migrated"}


@pytest.mark.db
def test_readyz_is_ready_on_a_migrated_database_and_names_a_redis_that_does_not_answer(bare_app):
    with bare_app.app_context():
        upgrade()
    client = bare_app.test_client()
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "ready" and body["schema"] == body["head"]
    bare_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    down = client.get("/readyz")
    assert down.status_code == 503 and down.get_json()["checks"]["redis"] == "error"
    with bare_app.app_context():
        _db.engine.dispose()


def test_production_logs_json_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}", "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "k" * 40})
    assert app.config["LOG_FORMAT"] == "json"
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "league", False))
    assert isinstance(handler.formatter, JsonFormatter)
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'q.sqlite3'}", "INSTANCE_PATH": str(tmp_path),
                "SECRET_KEY": "k" * 40, "LOG_FORMAT": "plain"})
    assert not isinstance(handler.formatter, JsonFormatter)
