"""Fault tests (issue 8 item 5): a server killed in the middle of a roster import leaves nothing written,
and a database that does not answer gives a clear 503 — a page for people, the error shape for the API —
never a stack trace. Upload refusals (size, zip bombs, formulas, macros, external links, XML entities)
are covered in tests/test_xlsx.py and tests/test_api_entries_import.py."""
import http.client
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from competition import create_app
from competition.models import AuditEntry, Entry, Person, Role
from competition.services import accounts
from competition.services.audit import SYSTEM
from tests.builders import make_enterprise, make_event, make_user
from tests.roster_files import people, roster

SERVER = Path(__file__).parent / "support" / "fault_server.py"
ROWS = 400  # distinct ID numbers from the builders
DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"


def _free_port() -> int:
    """A port nobody listens on yet."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(predicate, seconds: float, what: str) -> None:
    """Poll until predicate() holds, or fail naming what did not happen."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _answers(port: int) -> bool:
    """The server answers /healthz."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _post_file(port: int, path: str, token: str, data: bytes, answers: list) -> None:
    """POST a multipart upload; the connection dies with the server, which is the point."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.xlsx\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        answers.append((response.status, response.read()[:500].decode(errors="replace")))
    except OSError as exc:
        answers.append(exc)


def _count(db, model) -> int:
    """Rows of a table, read fresh; the transaction ends at once (on SQLite every transaction takes the write
    lock, which the server process needs)."""
    db.session.expire_all()
    found = db.session.scalar(db.select(db.func.count()).select_from(model))
    db.session.rollback()
    return found


def test_a_server_killed_in_the_middle_of_an_import_leaves_nothing_half_written(app, client, db, tmp_path):
    firm = make_enterprise()
    event = make_event("open", kind="enterprise", host_enterprise_id=firm.id,
                       event_date=date.today() + timedelta(days=60),
                       registration_deadline=date.today() + timedelta(days=30))
    hr = make_user(Role.ENTERPRISE, enterprise=firm)
    token, _ = accounts.issue_token(SYSTEM, hr, hours=1)
    data, path = roster(*people(ROWS, firm.credit_code)), f"/api/v1/events/{event.id}/entries/import"
    db.session.commit()
    before = {model: _count(db, model) for model in (Person, Entry, AuditEntry)}  # ends with no transaction open
    port, marker = _free_port(), tmp_path / "half-way"
    server = subprocess.Popen([sys.executable, str(SERVER), app.config["SQLALCHEMY_DATABASE_URI"], str(port),
                               str(marker)], start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        _wait_until(lambda: _answers(port), 30, "the server to start")
        upload = threading.Thread(target=_post_file, daemon=True,
                                  args=(port, path, token, data, answers := []))
        upload.start()
        _wait_until(lambda: marker.exists() or answers, 60, "the import to reach the middle")
        assert not answers, f"the import ended before the middle: {answers}"
        assert marker.read_text() == str(ROWS)  # the persons were inserted in the open transaction
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        upload.join(timeout=10)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    db.engine.dispose()  # the killed connection's locks are gone; start from fresh connections
    assert {model: _count(db, model) for model in (Person, Entry, AuditEntry)} == before
    # Nothing left behind blocks the same file afterwards: it imports whole.
    response = client.post(path, headers={"Authorization": f"Bearer {token}"},
                           data={"file": (io.BytesIO(data), "roster.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert _count(db, Entry) == before[Entry] + ROWS and _count(db, Person) == before[Person] + ROWS


@pytest.fixture
def down_app(tmp_path):
    """The app pointed at a database server that is not there."""
    return create_app({"SQLALCHEMY_DATABASE_URI": DOWN_URL, "SECRET_KEY": "k" * 32, "INSTANCE_PATH": str(tmp_path),
                       "WTF_CSRF_ENABLED": False})


def test_a_database_that_does_not_answer_is_a_clear_503_page_and_api_error(down_app):
    client = down_app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "error", "message": "数据库不可用"}

    page = client.post("/login", data={"username": "organiser", "password": "Zuweihui-2026"})
    text = page.get_data(as_text=True)
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "数据库暂时无法访问，请稍后重试" in text and "<html" in text
    assert "Traceback" not in text and "psycopg" not in text and "OperationalError" not in text

    api = client.get("/api/v1/seasons", headers={"Authorization": "Bearer " + "x" * 40})
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "database_unavailable"
    assert "psycopg" not in api.get_data(as_text=True)
