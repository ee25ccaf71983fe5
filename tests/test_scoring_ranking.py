"""Ranking, tie-breaks, strict mode, unranked statuses and completeness: RULES §7 and §8."""
from decimal import Decimal
from itertools import permutations

import pytest

from scoring import (TIE_BREAKS, Criterion, Entry, ManualOrder, Module, Scheme, Standing, compute_results,
                     rank_standings)
from scoring.ranking import SAME, UNRECORDED


def make_scheme(method="mean", **overrides):
    """Theory 30% (measured) and practical 70% (one judged criterion); total = 0.3 T + 0.7 P."""
    fields = dict(modules=(Module("T", "理论知识", "theory", 30), Module("P", "操作技能", "practical", 70)),
                  criteria=(Criterion("t", "T", "理论考试", "100", "measurement"),
                            Criterion("p", "P", "操作", "100", "judgement")),
                  method=method)
    fields.update(overrides)
    return Scheme(**fields)


def make_entry(entry_id, theory=None, practical=None, time=None, status="present", judges=(1,), **overrides):
    """Entry with number 00<id>, one theory value and the same practical mark from each judge."""
    measurements = {} if theory is None else {"t": theory}
    judgements = {} if practical is None else {(j, "p"): practical for j in judges}
    fields = dict(id=entry_id, number=f"{entry_id:03d}", status=status, time_used=time,
                  measurements=measurements, judgements=judgements, judges=judges)
    fields.update(overrides)
    return Entry(**fields)


def ranks(results):
    """(number, rank) of every row in display order."""
    return [(row.number, row.rank) for row in results.rows]


def notes(results, number):
    """The tie notes of one row, as text."""
    return [n.text for n in next(r for r in results.rows if r.number == number).tie_notes]


def test_ranked_by_total_descending():
    results = compute_results(make_scheme(), [make_entry(1, 70, 70), make_entry(2, 90, 90), make_entry(3, 80, 80)])
    assert ranks(results) == [("002", 1), ("003", 2), ("001", 3)]
    assert [row.total for row in results.rows] == [Decimal("90.00"), Decimal("80.00"), Decimal("70.00")]
    assert all(not row.shared and not row.tie_notes for row in results.rows)


def test_equal_total_decided_by_practical():
    # 100×0.3 + 70×0.7 = 79 = 65×0.3 + 85×0.7; practical 49.00 < 59.50
    results = compute_results(make_scheme(), [make_entry(1, 100, 70), make_entry(2, 65, 85), make_entry(3, 10, 10)])
    assert ranks(results) == [("002", 1), ("001", 2), ("003", 3)]
    assert notes(results, "002") == ["与 001 总分相同，实操得分较高（59.50 > 49.00）"]
    assert notes(results, "001") == ["与 002 总分相同，实操得分较低（49.00 < 59.50）"]
    assert notes(results, "003") == []
    assert "与 001 总分相同，实操得分较高" in results.rows[0].explanation.text


def test_equal_practical_decided_by_time():
    results = compute_results(make_scheme(), [make_entry(1, 80, 80, time=600), make_entry(2, 80, 80, time=580)])
    assert ranks(results) == [("002", 1), ("001", 2)]
    assert notes(results, "002") == ["与 001 总分、实操得分相同，用时较短（580 秒 < 600 秒）"]
    assert notes(results, "001") == ["与 002 总分、实操得分相同，用时较长（600 秒 > 580 秒）"]


def test_time_missing_on_one_entry_shares_the_rank():
    entries = [make_entry(1, 80, 80, time=600), make_entry(2, 80, 80), make_entry(3, 70, 70, time=1)]
    results = compute_results(make_scheme(), entries)
    assert ranks(results) == [("001", 1), ("002", 1), ("003", 3)]
    assert [row.shared for row in results.rows] == [True, True, False]
    assert notes(results, "001") == ["与 002 并列第 1 名：总分、实操得分相同，用时未全部记录，不作比较"]
    assert results.unresolved_ties == ()


def test_full_tie_is_shared_competition_style():
    entries = [make_entry(1, 90, 90), make_entry(2, 80, 80, time=500), make_entry(3, 80, 80, time=500),
               make_entry(4, 70, 70)]
    results = compute_results(make_scheme(), entries)
    assert [row.rank for row in results.rows] == [1, 2, 2, 4]
    assert notes(results, "002") == ["与 003 并列第 2 名：总分、实操得分、用时相同"]


def test_ranking_compares_rounded_totals():
    # totals 3.003 and 3.000 both show 3.00; practical is 0 for both, no time: shared
    results = compute_results(make_scheme(), [make_entry(1, "10.01", 0), make_entry(2, "10.00", 0)])
    assert [row.rank for row in results.rows] == [1, 1]
    assert results.rows[0].score.total_exact != results.rows[1].score.total_exact


def test_ranking_compares_rounded_practical_contribution():
    # practical 0.7×P: P = 0.01 → 0.007 → 0.01 and P = 0.02 → 0.014 → 0.01; theory makes totals equal
    entries = [make_entry(1, "0.03", "0.01", time=9), make_entry(2, "0.02", "0.02", time=8)]
    results = compute_results(make_scheme(), entries)
    assert [row.total for row in results.rows] == [Decimal("0.02"), Decimal("0.02")]
    assert [row.practical for row in results.rows] == [Decimal("0.01"), Decimal("0.01")]
    assert ranks(results) == [("002", 1), ("001", 2)]   # decided by time


def test_tie_break_chain_is_configurable():
    entries = [make_entry(1, 100, 70, time=500), make_entry(2, 65, 85, time=600)]
    by_time = compute_results(make_scheme(tie_breaks=["time_used", "practical"]), entries)
    assert ranks(by_time) == [("001", 1), ("002", 2)]
    assert notes(by_time, "001") == ["与 002 总分相同，用时较短（500 秒 < 600 秒）"]
    no_chain = compute_results(make_scheme(tie_breaks=[]), entries)
    assert ranks(no_chain) == [("001", 1), ("002", 1)]


def test_skipped_time_is_tried_again_within_smaller_groups():
    # time first, but 003 has none: practical splits 003 off, then time orders 001 and 002
    entries = [make_entry(1, 100, 70, time=500), make_entry(2, 100, 70, time=400), make_entry(3, 65, 85)]
    results = compute_results(make_scheme(tie_breaks=["time_used", "practical"]), entries)
    assert ranks(results) == [("003", 1), ("002", 2), ("001", 3)]
    assert notes(results, "002") == ["与 003 总分相同，实操得分较低（49.00 < 59.50）",
                                     "与 001 总分、实操得分相同，用时较短（400 秒 < 500 秒）"]


def test_three_way_tie_with_one_time_missing_is_shared():
    entries = [make_entry(1, 80, 80, time=10), make_entry(2, 80, 80), make_entry(3, 80, 80, time=20)]
    assert [row.rank for row in compute_results(make_scheme(), entries).rows] == [1, 1, 1]


def test_strict_mode_reports_unresolved_ties():
    entries = [make_entry(1, 90, 90), make_entry(2, 80, 80), make_entry(3, 80, 80), make_entry(4, 70, 70)]
    results = compute_results(make_scheme(strict=True), entries)
    assert results.unresolved_ties == ((2, 3),)
    assert [row.unresolved for row in results.rows] == [False, True, True, False]
    assert [row.rank for row in results.rows] == [1, 2, 2, 4]
    assert results.complete and not results.can_sign_off
    assert notes(results, "002")[0].endswith("名次不并列，待组委会确定顺序")


def test_strict_mode_tie_resolved_by_manual_order():
    entries = [make_entry(1, 90, 90), make_entry(2, 80, 80), make_entry(3, 80, 80), make_entry(4, 70, 70)]
    order = ManualOrder((3, 2), "现场复核：003 实操作品完成度更高")
    results = compute_results(make_scheme(strict=True), entries, [order])
    assert ranks(results) == [("001", 1), ("003", 2), ("002", 3), ("004", 4)]
    assert results.unresolved_ties == () and results.can_sign_off
    assert results.applied_orders == (order,)
    assert notes(results, "002") == [
        "与 003 总分、实操得分相同，按组委会确定的顺序排在其后（理由：现场复核：003 实操作品完成度更高）"]
    assert notes(results, "003")[0].startswith("与 002 总分、实操得分相同，按组委会确定的顺序排在其前")


def test_manual_order_must_cover_the_whole_tied_group():
    entries = [make_entry(1, 80, 80), make_entry(2, 80, 80), make_entry(3, 80, 80)]
    results = compute_results(make_scheme(strict=True), entries, [ManualOrder((1, 2), "只排了两人")])
    assert results.unresolved_ties == ((1, 2, 3),)
    assert results.applied_orders == ()


def test_one_manual_order_may_cover_several_groups():
    entries = [make_entry(1, 90, 90), make_entry(2, 90, 90), make_entry(3, 80, 80), make_entry(4, 80, 80)]
    order = ManualOrder((2, 1, 4, 3), "抽签决定")
    results = compute_results(make_scheme(strict=True), entries, [order])
    assert ranks(results) == [("002", 1), ("001", 2), ("004", 3), ("003", 4)]
    assert results.applied_orders == (order,)


def test_manual_orders_are_ignored_outside_strict_mode():
    entries = [make_entry(1, 80, 80), make_entry(2, 80, 80)]
    results = compute_results(make_scheme(), entries, [ManualOrder((2, 1), "无效")])
    assert [row.rank for row in results.rows] == [1, 1] and results.unresolved_ties == ()


def test_unranked_entries_are_listed_after_ranked_ones():
    entries = [make_entry(1, status="absent"), make_entry(2, 90, 90, status="disqualified"),
               make_entry(3, status="withdrawn"), make_entry(4, 50, None), make_entry(5, 60, 60),
               make_entry(6, status="absent")]
    results = compute_results(make_scheme(), entries)
    assert [(row.number, row.status, row.rank) for row in results.rows] == [
        ("005", "present", 1), ("004", "incomplete", None), ("002", "disqualified", None),
        ("003", "withdrawn", None), ("001", "absent", None), ("006", "absent", None)]
    disqualified = results.row(2)
    assert disqualified.total == Decimal("90.00")        # shown for reference only
    assert "取消资格，不排名" in disqualified.explanation.text
    assert results.row(1).score is None and results.row(1).explanation.summary == "缺考，不排名"


def test_incomplete_entries_and_the_missing_list():
    entries = [make_entry(1, None, 80, judges=(1, 2)),
               make_entry(2, 70, None, judges=(1, 2), judgements={(1, "p"): 70}),
               make_entry(3, 80, 80, judges=(1, 2))]
    results = compute_results(make_scheme(), entries)
    assert [(m.judge_id, m.number, m.criterion_id) for m in results.missing] == [
        (None, "001", "t"), (2, "002", "p")]
    assert [(row.number, row.status, row.rank) for row in results.rows] == [
        ("003", "present", 1), ("001", "incomplete", None), ("002", "incomplete", None)]
    assert results.row(1).missing == results.missing[:1]
    assert not results.complete and not results.can_sign_off
    assert "评分不完整，不排名（缺 1 项评分）" in results.row(2).explanation.text


def test_only_expected_judges_count():
    # judge 3 has a conflict of interest with entry 1: not expected, and a stray mark is ignored
    with_stray = make_entry(1, 80, 80, judges=(1, 2), judgements={(1, "p"): 80, (2, "p"): 80, (3, "p"): 0})
    results = compute_results(make_scheme(), [with_stray, make_entry(2, 70, 70, judges=(1, 2, 3))])
    assert results.complete
    assert results.row(1).total == Decimal("80.00")


def test_trimmed_mean_with_fewer_than_three_judges_cannot_be_ranked():
    results = compute_results(make_scheme("trimmed_mean"), [make_entry(1, 80, 80, judges=(1, 2))])
    row = results.rows[0]
    assert row.status == "incomplete" and row.rank is None and row.missing == ()
    assert [p.code for p in results.problems] == ["too_few_judges"]
    assert not results.can_sign_off
    assert "至少 3 名裁判" in row.explanation.text


def test_entry_without_any_judge_is_a_problem():
    results = compute_results(make_scheme(), [make_entry(1, 80, None, judges=())])
    assert [p.code for p in results.problems] == ["no_judges"]


def test_measurement_only_scheme_needs_no_judges():
    scheme = Scheme((Module("T", "理论", "theory", 100),), (Criterion("t", "T", "理论", "100", "measurement"),),
                    "trimmed_mean")
    results = compute_results(scheme, [Entry(1, "001", measurements={"t": "75.5"})])
    assert results.can_sign_off and results.rows[0].total == Decimal("75.50")


def test_empty_event():
    results = compute_results(make_scheme(), [])
    assert results.rows == () and results.can_sign_off


@pytest.mark.parametrize("build, error", [
    (lambda: compute_results(make_scheme(), [make_entry(1, 80, 80), make_entry(1, 70, 70)]), ValueError),
    (lambda: compute_results(make_scheme(), [make_entry(1, 80, 101)]), ValueError),
    (lambda: compute_results(make_scheme(), [make_entry(1, "80.001", 80)]), ValueError),
    (lambda: compute_results(make_scheme(), [make_entry(1, 80, 80.5)]), TypeError),
    (lambda: compute_results(make_scheme(), [make_entry(1, 80, 80, measurements={"p": 1})]), ValueError),
    (lambda: compute_results(make_scheme(), [make_entry(1, 80, 80, measurements={"x": 1})]), ValueError),
    (lambda: make_scheme(method="mode"), ValueError),
    (lambda: make_scheme(level="module"), ValueError),
    (lambda: make_scheme(tie_breaks=["age"]), ValueError),
    (lambda: make_scheme(tie_breaks=["practical", "practical"]), ValueError),
    (lambda: make_scheme(modules=(Module("T", "理论", "theory", 30),)), ValueError),
    (lambda: Module("T", "理论", "oral", 30), ValueError),
    (lambda: Criterion("c", "T", "c", "10", "opinion"), ValueError),
    (lambda: Criterion("c", "T", "c", "0", "measurement"), ValueError),
    (lambda: make_entry(1, status="late"), ValueError),
    (lambda: make_entry(1, time=-1), ValueError),
    (lambda: ManualOrder((1, 2), "  "), ValueError),
    (lambda: ManualOrder((1, 1), "重复"), ValueError),
])
def test_malformed_input_is_refused(build, error):
    with pytest.raises(error):
        build()


def test_rank_standings_directly():
    standings = [Standing(i, f"{i:03d}", Decimal(total), Decimal("0.00")) for i, total in
                 enumerate(["90", "80", "80", "70", "80"], 1)]
    ranking = rank_standings(standings)
    assert [(p.standing.entry_id, p.rank) for p in ranking.placements] == [(1, 1), (2, 2), (3, 2), (5, 2), (4, 5)]


def test_a_tie_note_has_a_phrase_for_every_order_of_the_tie_breaks():
    """The notes' phrases are whole Messages (to read naturally in English); each is the Chinese listing it was."""
    label = {"practical": "实操得分", "time_used": "用时"}
    for size in range(len(TIE_BREAKS) + 1):
        for keys in permutations(TIE_BREAKS, size):
            assert SAME[keys] == "、".join(["总分", *(label[k] for k in keys)]) + "相同"
            if keys:
                assert UNRECORDED[keys] == "、".join(label[k] for k in keys) + "未全部记录，不作比较"
