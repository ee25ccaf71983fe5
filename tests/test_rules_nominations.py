"""select_nominees (RULES.md §11): the quota by rank with ties, pass marks, holders, one per season, no refill."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.rules.nominations import (ALREADY_HOLDER, ALREADY_NOMINATED, DISQUALIFIED, MODULE_BELOW_PASS,
                                           OUTSIDE_QUOTA, TOTAL_BELOW_PASS, Candidate, ModuleScore,
                                           select_nominees)


def cand(entry_id, rank, total="80", theory="80", practical="80", status="present", person=None):
    """A final row: entry n is person 100 + n unless told otherwise."""
    return Candidate(entry_id, person or 100 + entry_id, rank, None if total is None else Decimal(total),
                     (ModuleScore("理论知识", Decimal(theory)), ModuleScore("操作技能", Decimal(practical))), status)


def run(rows, quota=3, pass_mark=60, holders=(), nominated=()):
    """Entry ids nominated, and {entry id: reason code} excluded."""
    selection = select_nominees(rows, quota, pass_mark, set(holders), set(nominated))
    return [c.entry_id for c in selection.nominated], {x.candidate.entry_id: x.code for x in selection.excluded}


@pytest.mark.parametrize("ranks, quota, nominated", [
    ((1, 2, 3, 4), 3, [1, 2, 3]),
    ((1, 2, 3, 3), 3, [1, 2, 3, 4]),  # a tie at the cut-off brings in every tied entry
    ((1, 2, 2, 4), 3, [1, 2, 3]),  # shared ranks 1, 2, 2, 4: the fourth is outside
    ((1, 1, 1, 1), 1, [1, 2, 3, 4]),
    ((1, 2, 3, 4, 5), 5, [1, 2, 3, 4, 5]),
    ((1,), 3, [1]),
    ((), 3, []),
])
def test_quota_is_a_rank_cut_off_with_ties(ranks, quota, nominated):
    got, excluded = run([cand(i + 1, r) for i, r in enumerate(ranks)], quota=quota)
    assert got == nominated
    assert set(excluded.values()) <= {OUTSIDE_QUOTA}
    assert set(excluded) == {i + 1 for i in range(len(ranks))} - set(nominated)


@pytest.mark.parametrize("row, code, words", [
    (cand(1, 1, theory="59.99"), MODULE_BELOW_PASS, ["理论知识", "59.99", "60"]),
    (cand(1, 1, practical="12.5"), MODULE_BELOW_PASS, ["操作技能", "12.50"]),
    (cand(1, 1, theory="40", practical="50", total="70"), MODULE_BELOW_PASS, ["理论知识", "操作技能"]),
    (cand(1, 1, total="59.99"), TOTAL_BELOW_PASS, ["59.99", "60"]),
    (cand(1, None, status="disqualified"), DISQUALIFIED, ["取消资格"]),
    (cand(1, 4), OUTSIDE_QUOTA, ["第 4 名", "前 3 名"]),
])
def test_each_exclusion_has_a_code_and_a_chinese_message(row, code, words):
    selection = select_nominees([row], 3, 60, set(), set())
    assert selection.nominated == ()
    (excluded,) = selection.excluded
    assert excluded.code == code
    assert all(word in excluded.message for word in words), excluded.message


def test_exactly_the_pass_mark_passes():
    assert run([cand(1, 1, total="60", theory="60", practical="60.00")]) == ([1], {})


def test_holders_and_season_nominees_are_excluded_with_reasons():
    rows = [cand(1, 1), cand(2, 2), cand(3, 3)]
    got, excluded = run(rows, holders={101}, nominated={102})
    assert got == [3]
    assert excluded == {1: ALREADY_HOLDER, 2: ALREADY_NOMINATED}
    message = select_nominees(rows, 3, 60, {101}, set()).excluded[0].message
    assert "技术能手" in message and "一次" in message


def test_holder_reason_wins_over_season_nomination():
    assert run([cand(1, 1)], holders={101}, nominated={101}) == ([], {1: ALREADY_HOLDER})


def test_places_are_not_refilled():
    """An excluded entry inside the quota leaves its place empty: the fourth stays outside."""
    rows = [cand(1, 1, theory="50"), cand(2, 2), cand(3, 3), cand(4, 4)]
    got, excluded = run(rows, holders={103})
    assert got == [2]
    assert excluded == {1: MODULE_BELOW_PASS, 3: ALREADY_HOLDER, 4: OUTSIDE_QUOTA}


def test_score_reasons_come_before_person_reasons_and_quota_before_both():
    rows = [cand(1, 1, total="50", theory="70", practical="70"), cand(2, 5, theory="10")]
    assert run(rows, holders={101, 102}) == ([], {1: TOTAL_BELOW_PASS, 2: OUTSIDE_QUOTA})


def test_absent_withdrawn_and_incomplete_rows_are_not_candidates():
    rows = [cand(1, None, status="absent"), cand(2, None, status="withdrawn"), cand(3, None, status="incomplete"),
            cand(4, 1)]
    assert run(rows) == ([4], {})


def test_pass_mark_and_quota_are_arguments():
    rows = [cand(1, 1, total="70", theory="70", practical="70"), cand(2, 2)]
    assert run(rows, pass_mark=75, quota=1) == ([], {1: MODULE_BELOW_PASS, 2: OUTSIDE_QUOTA})


ranks = st.lists(st.integers(min_value=1, max_value=8), max_size=12)


@given(ranks, st.integers(min_value=1, max_value=6), st.sets(st.integers(min_value=101, max_value=112)))
def test_every_candidate_is_nominated_or_excluded_exactly_once(rank_list, quota, holders):
    rows = [cand(i + 1, r) for i, r in enumerate(rank_list)]
    selection = select_nominees(rows, quota, 60, holders, set())
    seen = [c.entry_id for c in selection.nominated] + [x.candidate.entry_id for x in selection.excluded]
    assert sorted(seen) == [r.entry_id for r in rows]
    assert all(c.rank <= quota and c.person_id not in holders for c in selection.nominated)


@given(ranks, st.integers(min_value=1, max_value=6))
def test_a_larger_quota_never_nominates_fewer_and_order_does_not_matter(rank_list, quota):
    rows = [cand(i + 1, r) for i, r in enumerate(rank_list)]
    smaller = {c.entry_id for c in select_nominees(rows, quota, 60, set(), set()).nominated}
    larger = {c.entry_id for c in select_nominees(rows, quota + 1, 60, set(), set()).nominated}
    reversed_rows = {c.entry_id for c in select_nominees(rows[::-1], quota, 60, set(), set()).nominated}
    assert smaller <= larger
    assert reversed_rows == smaller
    assert smaller == {r.entry_id for r in rows if r.rank <= quota}
