"""Download names (issue 16, item 5; RFC 6266): every workbook goes out with a plain ASCII `filename` beside the UTF-8
`filename*`, the ASCII one never empty and never holding a quote, a line break or a non-ASCII character."""
import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from competition.models import Role
from competition.rules.text import ascii_download_name, content_disposition
from competition.services.audit import SYSTEM
from competition.services.events.entries import EntryData, enrol
from tests.builders import id_number, make_enterprise, make_event, make_season, make_user
from tests.clients import api_headers, login

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
HEADER = re.compile(r"""attachment; filename="([A-Za-z0-9._-]+)"; filename\*=UTF-8''([A-Za-z0-9%!#$&+.^_`|~-]+)""")


def names(disposition: str) -> tuple[str, str]:
    """The ASCII name and the decoded UTF-8 name of a Content-Disposition, asserting its whole shape."""
    found = HEADER.fullmatch(disposition)
    assert found, disposition
    return found.group(1), unquote(found.group(2), encoding="utf-8", errors="strict")


@pytest.mark.parametrize("name, ascii_name, expected", [
    ("报名导入模板.xlsx", "roster-template.xlsx",
     "attachment; filename=\"roster-template.xlsx\"; filename*=UTF-8''%E6%8A%A5%E5%90%8D%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"),
    ("report.xlsx", None, 'attachment; filename="report.xlsx"'),
    ("报名.xlsx", None, "attachment; filename=\"download.xlsx\"; filename*=UTF-8''%E6%8A%A5%E5%90%8D.xlsx"),
])
def test_the_header_carries_both_names(name, ascii_name, expected):
    assert content_disposition(name, ascii_name=ascii_name) == expected


@pytest.mark.parametrize("raw, plain", [
    ("电工技能竞赛-报名名单.xlsx", "download.xlsx"),  # nothing ASCII left: the fallback, never ".xlsx"
    ('"quoted"\r\n name;.xlsx', "quoted-name.xlsx"),
    ("Café 2026年-03.xlsx", "Cafe-2026-03.xlsx"),
    ("ＣＮＣ车工.xlsx", "CNC.xlsx"),  # full-width letters become ASCII
    ("", "download"),
    ("events/12/entries/template.xlsx", "events12entriestemplate.xlsx"),  # path characters are dropped first
])
def test_the_ascii_name_is_plain_and_never_empty(raw, plain):
    assert ascii_download_name(raw) == plain


def test_a_hostile_name_never_breaks_the_header():
    value = content_disposition('电工"\r\n竞赛\u202e\t.xlsx', ascii_name='a"b\r\nc.xlsx')
    assert value.isascii() and not any(ch in value for ch in "\r\n\t") and value.count('"') == 2
    assert names(value) == ("abc.xlsx", "电工竞赛.xlsx")  # unsafe characters are dropped, not replaced


@pytest.fixture
def scene(db):
    """An open enterprise event with one entry, and an organiser."""
    host = make_enterprise()
    event = make_event("open", season=make_season(year=LATER.year), event_date=LATER, registration_deadline=SOON,
                       venue="吴江区职业技能实训基地", kind="enterprise",
                       host_enterprise_id=host.id, name="电工技能竞赛")
    enrol(SYSTEM, event, EntryData("选手甲", id_number(3), None, host.id))
    organiser = make_user(Role.ORGANISER)
    db.session.commit()
    return event, organiser


def test_the_roster_template_has_an_ascii_fallback_on_the_page_and_in_the_api(client, scene):
    event, organiser = scene
    login(client, organiser)
    page = client.get(f"/events/{event.id}/entries/template.xlsx")
    assert page.status_code == 200
    assert names(page.headers["Content-Disposition"]) == (f"events-{event.id}-entries-template.xlsx",
                                                          "电工技能竞赛-报名导入模板.xlsx")
    api = client.get(f"/api/v1/events/{event.id}/entries/template.xlsx", headers=api_headers(client, organiser))
    assert api.status_code == 200
    assert names(api.headers["Content-Disposition"]) == (f"events-{event.id}-entries-template.xlsx", "报名名单模板.xlsx")


def test_the_exports_have_an_ascii_fallback_naming_the_event(client, scene):
    event, organiser = scene
    login(client, organiser)
    for url, plain, utf8 in ((f"/events/{event.id}/entries.xlsx", f"events-{event.id}-entries.xlsx",
                              "电工技能竞赛-报名名单.xlsx"),
                             (f"/events/{event.id}/sign-in-sheet.xlsx", f"events-{event.id}-sign-in-sheet.xlsx",
                              "电工技能竞赛-签到表.xlsx")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert names(response.headers["Content-Disposition"]) == (plain, utf8)
    api = client.get(f"/api/v1/events/{event.id}/entries.xlsx", headers=api_headers(client, organiser))
    assert names(api.headers["Content-Disposition"]) == (f"events-{event.id}-entries.xlsx", "电工技能竞赛-报名名单.xlsx")
