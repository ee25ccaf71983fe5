"""Uploads under attack (issue 14, findings 5 and 6): previews staged in the database, one per user and event
whatever cookie is replayed, within a quota per user; and sheets whose cells or columns would cost seconds of
CPU refused by a streaming count before any workbook parser runs."""
import re
import time
from types import SimpleNamespace

import pytest

from competition import create_app
from competition.errors import Invalid, TooLarge
from competition.models import Entry, StagedUpload
from competition.xlsx.reading import UploadLimits, check_archive, read_upload
from tests.builders import make_open_event
from tests.clients import dispose_engine, html, logged_in, login
from tests.counting import count
from tests.roster_files import confirm, people, roster, token_of, upload
from tests.xlsx_files import workbook, workbook_with_sheet


# Finding 5: disk fill through import previews

def test_replaying_one_cookie_keeps_one_staged_file(client, db):
    event = make_open_event()
    logged_in(client, db)
    data = roster(*people(3))
    with client.session_transaction() as session:
        cookie = dict(session)
    for _ in range(20):
        with client.session_transaction() as session:  # the same cookie every time, as the attack replayed it
            session.clear()
            session.update(cookie)
        assert upload(client, event, data).status_code == 200
    assert count(db, StagedUpload) == 1


def test_a_user_keeps_at_most_five_staged_files(client, db):
    events = [make_open_event() for _ in range(6)]
    logged_in(client, db)
    data = roster(*people(2))
    for event in events[:5]:
        assert "确认导入" in html(upload(client, event, data))
    refused = upload(client, events[5], data)
    assert refused.status_code == 413 and "每人最多保留5份" in html(refused)
    assert count(db, StagedUpload) == 5
    assert confirm(client, events[0], token_of(upload(client, events[0], data))).status_code == 302
    assert "确认导入" in html(upload(client, events[5], data))  # confirming one made room


def test_the_league_wide_ceiling_refuses_new_previews(app, client, db):
    app.config["STAGED_BYTES_IN_ALL"] = 1
    event = make_open_event()
    logged_in(client, db)
    refused = upload(client, event, roster(*people(2)))
    assert refused.status_code == 413 and "待确认的名单已达上限" in html(refused) and count(db, StagedUpload) == 0


def test_a_preview_made_on_one_node_is_confirmed_on_another(app, client, db, tmp_path):
    event = make_open_event()
    user = logged_in(client, db)
    event_id, username = event.id, user.username
    token = token_of(upload(client, event, roster(*people(3))))
    db.session.rollback()  # the test's app context outlives the request; on SQLite its open read would lock node 2
    other_node = create_app({**app.config, "INSTANCE_PATH": str(tmp_path / "node2")})
    browser = other_node.test_client()
    assert login(browser, SimpleNamespace(username=username)).status_code == 302
    answer = browser.post(f"/events/{event_id}/entries/import/confirm", data={"token": token})
    dispose_engine(other_node)
    assert answer.status_code == 302 and answer.location == f"/events/{event_id}/entries"
    assert count(db, Entry) == 3 and count(db, StagedUpload) == 0


# Finding 6: CPU amplification

def test_a_sheet_16384_columns_wide_is_refused_at_once(db):
    data = workbook(97, 16_384)
    assert len(data) < 5 * 1024 * 1024  # under the size limit, as the attack's 4.4 MB file was
    started = time.process_time()
    with pytest.raises(Invalid, match="超过64列"):
        read_upload(data)
    assert time.process_time() - started < 1.0  # openpyxl spent 19-20 s of CPU on this file


def test_too_many_cells_are_refused_before_parsing(db):
    data = workbook(60_000, 4)
    started = time.process_time()
    with pytest.raises(TooLarge, match="单元格超过200,000个"):
        read_upload(data)
    assert time.process_time() - started < 2.0


def test_a_sheet_declaring_entities_is_refused_by_the_count(db):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    with pytest.raises(Invalid, match="不安全的 XML"):
        check_archive(workbook_with_sheet(bomb), UploadLimits())


def test_the_widest_and_largest_allowed_sheet_still_reads(db):
    limits = UploadLimits(max_rows=50_000)
    read_upload(workbook(10, 64), limits=limits)
    assert len(read_upload(workbook(50_000, 4), limits=limits)) == 50_000


def test_the_page_shows_the_refusal(client, db):
    event = make_open_event()
    logged_in(client, db)
    response = upload(client, event, workbook(3, 200))
    assert response.status_code == 400 and re.search("超过64列", html(response))
