"""The rules speak in Messages (issue 17, item 4): each reason is the Chinese text it always was, and reads in English
through the catalog, parameters and nested labels included; the English event page shows the subsidy checks in
English."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from competition.models import FOUNDING_FIGURES
from competition.rules.events import decide_transition
from competition.rules.identity import check_credit_code, check_id_number
from competition.rules.messages import Message, listing, render
from competition.rules.nominations import Candidate, ModuleScore, select_nominees
from competition.rules.subsidy import SubsidyFacts, decide_subsidy
from tests.clients import login
from tests.subsidy_builders import host_user, make_claimable

PO = Path(__file__).resolve().parent.parent / "competition" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def english():
    """The English catalog as a gettext-like lookup (a msgid it lacks raises, so a missing translation fails)."""
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    table = {message.id: message.string for message in catalog if message.id}
    return table.__getitem__


def test_a_refused_id_number_reads_in_chinese_as_before_and_in_english(english):
    reason = check_id_number("990101199001011234").error
    assert reason == "身份证号码前两位（99）不是有效的省级行政区划代码。"
    assert isinstance(reason, Message)
    assert render(reason, english) == "The first two digits of the ID number (99) are not a valid province code."


def test_a_bad_credit_code_reads_in_english(english):
    reason = check_credit_code("91350100M000100Y44").error
    assert reason == "统一社会信用代码校验位不正确，请核对。"
    assert render(reason, english) == ("The check character of the unified social credit code is wrong; "
                                       "please check the code.")


def test_every_subsidy_check_passed_or_failed_reads_in_english(english):
    refused = SubsidyFacts(kind="enterprise", status="scoring", claimant_is_host=False,
                           entry_counts={"present": 48}, event_claim_states=("submitted",),
                           host_claim_states=("approved",))
    granted = SubsidyFacts(kind="enterprise", status="final", claimant_is_host=True, frozen_participants=50)
    checks = [*decide_subsidy(refused, dict(FOUNDING_FIGURES)).checks,
              *decide_subsidy(granted, dict(FOUNDING_FIGURES)).checks]
    for check in checks:
        assert isinstance(check.message, Message), check
        assert not CJK.search(render(check.message, english)), check.message
    participants = next(c for c in checks if c.rule == "participants" and not c.passed)
    assert participants.message == "参赛人数 48/50（按当前到场人数，签核时确定，还差 2 人）"
    assert render(participants.message, english) == (
        "Participants 48/50 (counted from those present now, fixed at sign-off; 2 short)")


def test_a_refused_transition_names_the_status_and_action_in_english(english):
    reason = decide_transition("draw", "open", "district").reason
    assert reason == "赛项当前状态为“报名中”，不能抽签。"
    assert render(reason, english) == "The event's status is “Open for entries”, so “Draw” is not possible."


def test_a_nomination_exclusion_lists_every_low_module_in_either_language(english):
    row = Candidate(1, 101, 1, Decimal("70"), (ModuleScore("理论知识", Decimal("50")),
                                               ModuleScore("操作技能", Decimal("55.5"))), "present")
    reason = select_nominees([row], 3, 60, set(), set()).excluded[0].message
    assert reason == "模块成绩低于合格线 60 分：「理论知识」50.00 分、「操作技能」55.50 分。"
    assert render(reason, english) == ("Module scores below the pass mark of 60: “理论知识” 50.00 points, "
                                       "“操作技能” 55.50 points.")


def test_a_listing_is_the_chinese_enumeration_and_an_english_one(english):
    assert listing([]) == "" and listing(["甲"]) == "甲"
    three = listing(["001", "002", "003"])
    assert three == "001、002、003" and render(three, english) == "001, 002, 003"
    rows = [f"第{n}行" for n in range(1, 5001)]  # a roster whose 5,000 rows share one ID number
    assert listing(rows) == "、".join(rows)
    assert render(listing(rows), english).count(", ") == 4999  # rendered without running out of stack


def test_the_english_event_page_shows_the_subsidy_checks_in_english(client, db):
    event = make_claimable(48)
    host = host_user(event)
    db.session.commit()
    login(client, host)
    assert "参赛人数 48/50（签核时确定，还差 2 人）" in client.get(f"/events/{event.id}").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Participants 48/50 (fixed at sign-off; 2 short)" in page
    assert "The claimant is the host enterprise" in page
    assert "参赛人数" not in page and "签核时确定" not in page
