"""Event rules: lifecycle, scheme checks, enrolment windows, ages and the draw."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.rules.events import (
    CriterionSpec,
    ModuleSpec,
    check_age,
    check_enrolment_window,
    check_scheme,
    decide_transition,
    draw_numbers,
    scheme_locked,
)


@pytest.mark.parametrize("action, status, kind, target", [
    ("submit", "draft", "enterprise", "submitted"),
    ("approve", "submitted", "enterprise", "approved"),
    ("reject", "submitted", "enterprise", "rejected"),
    ("submit", "rejected", "enterprise", "submitted"),
    ("open", "approved", "enterprise", "open"),
    ("open", "draft", "district", "open"),
    ("close", "open", "district", "closed"),
    ("draw", "closed", "district", "drawn"),
    ("start_scoring", "drawn", "district", "scoring"),
    ("sign_off", "scoring", "district", "signed_off"),
    ("publish", "signed_off", "district", "notice"),
    ("reopen", "notice", "district", "scoring"),
    ("finalize", "notice", "district", "final"),
    ("cancel", "scoring", "enterprise", "cancelled"),
])
def test_allowed_transitions(action, status, kind, target):
    decision = decide_transition(action, status, kind)
    assert decision.allowed and decision.target == target


@pytest.mark.parametrize("action, status, kind, reason", [
    ("open", "draft", "enterprise", "纳入竞赛计划"),   # enterprise events need approval first
    ("submit", "draft", "district", "区级赛"),
    ("approve", "draft", "enterprise", "草稿"),
    ("cancel", "signed_off", "district", "已签核"),    # cancelled only before sign-off
    ("reopen", "final", "district", "最终成绩"),        # after final nothing changes
    ("finalize", "signed_off", "district", "已签核"),
    ("fly", "draft", "district", "未知操作"),
])
def test_refused_transitions(action, status, kind, reason):
    decision = decide_transition(action, status, kind)
    assert not decision.allowed and reason in decision.reason


def scheme(theory=30, practical=70, theory_max=("100",), practical_max=("60", "40")):
    return [
        ModuleSpec("理论知识", "theory", theory, tuple(CriterionSpec(f"理论{i}", m, "measurement")
                                                    for i, m in enumerate(theory_max))),
        ModuleSpec("操作技能", "practical", practical, tuple(CriterionSpec(f"实操{i}", m, "judgement")
                                                      for i, m in enumerate(practical_max))),
    ]


def test_valid_scheme_has_no_problems_or_warnings():
    check = check_scheme(scheme())
    assert check.ok and check.warnings == []


def test_theory_above_thirty_percent_warns_but_is_allowed():
    check = check_scheme(scheme(theory=40, practical=60))
    assert check.ok and "40%" in check.warnings[0]


@pytest.mark.parametrize("kwargs, message", [
    ({"theory": 30, "practical": 60}, "权重之和应为100%，当前为90%"),
    ({"practical_max": ("60", "30")}, "满分之和应为100，当前为90"),
    ({"practical_max": ("60", "40.005")}, "最多两位小数"),
    ({"practical_max": ("60", "abc")}, "最多两位小数"),
    ({"practical_max": ()}, "至少需要一个评分项"),
    ({"theory": 0, "practical": 100}, "1至100"),
])
def test_scheme_problems(kwargs, message):
    check = check_scheme(scheme(**kwargs))
    assert not check.ok
    assert any(message in p["message"] for p in check.problems), check.problems


def test_empty_scheme_is_refused():
    assert not check_scheme([]).ok


def test_scheme_locks_with_the_first_mark_or_once_scoring_starts():
    assert not scheme_locked("drawn", has_marks=False)
    assert scheme_locked("drawn", has_marks=True)
    assert scheme_locked("scoring", has_marks=False)


@pytest.mark.parametrize("status, today, ok", [
    ("open", date(2026, 5, 31), True),
    ("open", date(2026, 6, 1), True),    # the deadline day itself is still open
    ("open", date(2026, 6, 2), False),
    ("closed", date(2026, 5, 1), False),
])
def test_enrolment_window(status, today, ok):
    assert (check_enrolment_window(status, date(2026, 6, 1), today) is None) is ok


@pytest.mark.parametrize("born, minimum, maximum, ok", [
    (date(2008, 6, 16), 18, None, False),   # 17 on the event date
    (date(2008, 6, 15), 18, None, True),    # 18th birthday on the event date
    (date(1966, 6, 14), None, 59, False),   # 60
    (date(1966, 6, 16), None, 59, True),
])
def test_age_limits_on_event_date(born, minimum, maximum, ok):
    assert (check_age(born, date(2026, 6, 15), minimum, maximum) is None) is ok


@given(st.sets(st.integers(min_value=1, max_value=10**6), max_size=300), st.text(max_size=20))
def test_draw_is_a_reproducible_permutation(entry_ids, seed):
    ids = list(entry_ids)
    numbers = draw_numbers(ids, seed)
    assert set(numbers) == set(ids)
    assert sorted(numbers.values()) == [str(i).zfill(3) for i in range(1, len(ids) + 1)]
    assert draw_numbers(list(reversed(ids)), seed) == numbers   # input order does not matter


def test_different_seeds_give_different_draws():
    ids = list(range(1, 61))
    assert draw_numbers(ids, "a") != draw_numbers(ids, "b")


@pytest.mark.parametrize("raw", ["1e30", str(10**40), "-1e999999", "NaN", "Infinity", "1000"])
def test_huge_or_strange_maxima_are_refused_not_crashed(raw):
    from competition.rules.events import parse_max
    assert parse_max(raw) is None


def test_over_long_names_are_refused():
    long_scheme = [ModuleSpec("模" * 61, "practical", 100, (CriterionSpec("项" * 121, "100", "judgement"),))]
    messages = [p["message"] for p in check_scheme(long_scheme).problems]
    assert any("60个字符" in m for m in messages) and any("120个字符" in m for m in messages)
