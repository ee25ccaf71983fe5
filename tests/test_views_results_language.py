"""The results in the reader's language (issue 17, item 4): scoring's explanations and tie notes are Messages, so
the English results page shows them in English, live before sign-off and from the frozen snapshot after; the
Chinese page and the JSON API keep the Chinese text exactly; a snapshot frozen before explanations kept their
Messages (plain text) still shows, as it was stored."""
import json
from html import unescape

from competition.extensions import db
from competition.services.marking.facts import compute_event_results, evaluate
from competition.services.results.lifecycle import sign_off
from competition.services.results.snapshots import (current_snapshot, frozen_explanation, snapshot_payload,
                                                    thawed_explanation)
from scoring import Message
from tests.clients import api_headers, login_afresh
from tests.marking_builders import fill, make_world, submit_all

# 001: theory 100, practical 70 → 30 + 49 = 79; 002: theory 65, practical 85 → 19.5 + 59.5 = 79: the total ties
# and the practical score (59.50 > 49.00) puts 002 first.
SUMMARY_ZH, NOTE_ZH = "第 1 名，总分 79.00，实操得分 59.50", "与 001 总分相同，实操得分较高（59.50 > 49.00）"
SUMMARY_EN = "Rank 1, total 79.00, practical score 59.50"
NOTE_EN = "Against 001: same total, higher practical score (59.50 > 49.00)"
MODULE_EN = "操作技能 (practical, weight 70%): each judge's subtotal: 85 (judge 1), 85 (judge 2), 85 (judge 3)"


def tied_world():
    """Two entries tied on the total and separated by the practical score, fully marked and submitted."""
    world = make_world(2, judges=3)
    fill(world, "001", "100", [("40", "30")] * 3)
    fill(world, "002", "65", [("50", "35")] * 3)
    submit_all(world)
    db.session.commit()
    return world


def page(client, world, lang: str) -> str:
    """The results page, unescaped, as the organiser reads it in a language."""
    with client.session_transaction() as session:
        session["lang"] = lang
    response = client.get(f"/events/{world.event.id}/results")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def api_rows(client, world, headers) -> list[dict]:
    """The results rows through the API (the session's language is left as the pages set it)."""
    return client.get(f"/api/v1/events/{world.event.id}/results", headers=headers).get_json()["rows"]


def chinese_text(world) -> str:
    """002's whole explanation, as the Chinese page shows it."""
    return compute_event_results(world.event).rows[0].explanation.text


def test_the_english_page_explains_in_english_live_and_frozen_while_chinese_and_the_api_stay_chinese(client, db):
    world = tied_world()
    text = chinese_text(world)
    assert text.startswith(SUMMARY_ZH + "\n") and text.endswith("\n" + NOTE_ZH)
    headers = api_headers(client, world.organiser)
    login_afresh(client, world.organiser)
    live = api_rows(client, world, headers)
    assert live[0]["explanation"]["text"] == text and live[0]["explanation"]["ranking"] == [NOTE_ZH]
    for frozen in (False, True):
        chinese = page(client, world, "zh_CN")
        assert text in chinese and "Against 001" not in chinese
        english = page(client, world, "en")
        assert SUMMARY_EN in english and NOTE_EN in english and MODULE_EN in english, frozen
        assert NOTE_ZH not in english and SUMMARY_ZH not in english and "各裁判评价小计" not in english
        assert api_rows(client, world, headers) == live  # the API: the same Chinese, whatever the page's language
        if not frozen:
            sign_off(world.actor(0), world.event)
            db.session.commit()
    assert "data-live" not in english


def test_a_snapshot_frozen_with_plain_text_explanations_still_shows_them(client, db):
    world = tied_world()
    text = chinese_text(world)
    headers = api_headers(client, world.organiser)
    live = api_rows(client, world, headers)
    snapshot = sign_off(world.actor(0), world.event)
    # as snapshots were stored before: every text plain Chinese, the Messages gone
    snapshot.explanations = {key: json.loads(json.dumps(thawed_explanation(value), ensure_ascii=False))
                             for key, value in snapshot.explanations.items()}
    db.session.commit()
    stored = current_snapshot(world.event).explanations
    assert all(isinstance(value["summary"], str) and "template" not in json.dumps(value) for value in stored.values())
    login_afresh(client, world.organiser)
    for lang in ("zh_CN", "en"):
        assert text in page(client, world, lang)  # shown as stored, in Chinese
    assert api_rows(client, world, headers) == live


def test_a_frozen_explanation_keeps_its_messages_and_its_signed_off_text(db):
    world = tied_world()
    facts, results = evaluate(world.event)
    explanation = snapshot_payload(world.event, facts, results)["rows"][0]["explanation"]
    stored = json.loads(json.dumps(frozen_explanation(explanation), ensure_ascii=False))
    assert stored["text"] == explanation["text"] and stored["ranking"][0]["template"].startswith("与 %(names)s")
    thawed = thawed_explanation(stored)
    assert isinstance(thawed["text"], Message) and thawed["text"] == explanation["text"]
    assert isinstance(thawed["ranking"][0], Message) and thawed["ranking"] == [NOTE_ZH]
    assert json.dumps(thawed, ensure_ascii=False, sort_keys=True) == json.dumps(explanation, ensure_ascii=False,
                                                                               sort_keys=True)
    reworded = thawed_explanation(stored | {"text": stored["text"] + "。"})  # the wording changed since sign-off
    assert type(reworded["text"]) is str and reworded["text"] == explanation["text"] + "。"
