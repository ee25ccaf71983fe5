"""Aggregation and module scores: RULES §6, the worked example, every method at both levels."""
from decimal import Decimal
from fractions import Fraction

import pytest

from scoring import (Criterion, Entry, Module, Scheme, TooFewMarks, aggregate_marks, compute_results,
                     score_entry)

JUDGES = (1, 2, 3, 4, 5)


def make_scheme(method="trimmed_mean", level="judge_total", **overrides):
    """Theory 30% (one measured exam) and practical 70% (two judged criteria of 50)."""
    fields = dict(
        modules=(Module("T", "理论知识", "theory", 30), Module("P", "操作技能", "practical", 70)),
        criteria=(Criterion("t", "T", "理论考试", "100", "measurement"),
                  Criterion("a", "P", "工艺", "50", "judgement"),
                  Criterion("b", "P", "成品", "50", "judgement")),
        method=method, level=level)
    fields.update(overrides)
    return Scheme(**fields)


def make_entry(theory="88.5", marks=None, judges=JUDGES, **overrides):
    """An entry with judge → (a, b) marks."""
    judgements = {}
    for judge, (a, b) in (marks or {}).items():
        judgements[(judge, "a")], judgements[(judge, "b")] = a, b
    fields = dict(id=1, number="001", measurements={"t": theory}, judgements=judgements, judges=judges)
    fields.update(overrides)
    return Entry(**fields)


def halves(totals):
    """Split each judge's practical total evenly over the two criteria."""
    return {judge: (Decimal(t) / 2, Decimal(t) / 2) for judge, t in totals.items()}


WORKED = halves({1: 80, 2: 85, 3: 86, 4: 90, 5: 95})


def only_row(scheme, entry):
    """Compute results for one entry and return its row."""
    results = compute_results(scheme, [entry])
    assert len(results.rows) == 1
    return results.rows[0]


def test_rules_worked_example():
    row = only_row(make_scheme(), make_entry(marks=WORKED))
    theory, practical = row.modules
    assert theory.exact == Fraction(177, 2) and theory.score == Decimal("88.50")
    assert practical.exact == 87 and practical.score == Decimal("87.00")
    part = practical.judgement[0].aggregate
    assert [mark for _, mark in part.dropped] == [8000, 9500]
    assert [judge for judge, _ in part.dropped] == [1, 5]
    assert row.total == Decimal("87.45") and row.score.total_exact == Fraction(8745, 100)
    assert row.practical == Decimal("60.90")
    assert row.rank == 1 and row.status == "present"
    text = row.explanation.text
    assert "(85+86+90)/3 = 87" in text
    assert "88.5×30% + 87×70% = 87.45" in text
    assert "去掉最高分 95（裁判 5）、最低分 80（裁判 1）" in text


@pytest.mark.parametrize("method, marks, expected", [
    ("mean", [80, 85, 86, 90, 95], Fraction(436, 5)),
    ("mean", ["8.25", "8.5", "9"], Fraction(2575, 300)),
    ("mean", ["85"], Fraction(85)),
    ("median", [95, 80, 86, 90, 85], Fraction(86)),
    ("median", [80, 85, 86, 90], Fraction(171, 2)),
    ("median", ["7.25", "7.5"], Fraction(1475, 200)),
    ("median", ["70"], Fraction(70)),
    ("trimmed_mean", [80, 85, 86, 90, 95], Fraction(87)),
    ("trimmed_mean", [70, 95, 80], Fraction(80)),             # with 3 marks it is the median
    ("trimmed_mean", [70, 80, 90, 100], Fraction(85)),
    ("trimmed_mean", [80, 80, 90, 90], Fraction(85)),          # only one of equal extremes dropped
    ("trimmed_mean", [60, 60, 60], Fraction(60)),
    ("trimmed_mean", ["85.5", "86", "91", "70", "99.99", "88"], Fraction(35050, 400)),
])
def test_aggregate_methods(method, marks, expected):
    result = aggregate_marks({judge: mark for judge, mark in enumerate(marks, 1)}, method)
    assert result.value == expected
    assert isinstance(result.value, Fraction)


def test_trimmed_mean_drops_the_first_judge_among_equal_extremes():
    result = aggregate_marks({3: 80, 1: 80, 2: 90, 4: 95, 5: 95}, "trimmed_mean")
    assert result.dropped == ((1, 8000), (5, 9500))
    assert result.used == ((3, 8000), (2, 9000), (4, 9500))


@pytest.mark.parametrize("method, marks", [
    ("trimmed_mean", {1: 80, 2: 90}), ("trimmed_mean", {1: 80}), ("trimmed_mean", {}),
    ("mean", {}), ("median", {}),
])
def test_too_few_marks(method, marks):
    with pytest.raises(TooFewMarks):
        aggregate_marks(marks, method)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        aggregate_marks({1: 80}, "mode")


# Five judges' (工艺, 成品) marks for which the two levels disagree under median and trimmed mean:
# judge totals 50, 50, 65, 50, 70; 工艺 10..50; 成品 40, 30, 35, 10, 20.
SPLIT = {1: (10, 40), 2: (20, 30), 3: (30, 35), 4: (40, 10), 5: (50, 20)}


@pytest.mark.parametrize("method, level, practical_module", [
    ("mean", "judge_total", Fraction(57)),
    ("mean", "criterion", Fraction(57)),                  # the mean is the same at both levels
    ("median", "judge_total", Fraction(50)),              # median of 50, 50, 50, 65, 70
    ("median", "criterion", Fraction(60)),                # 30 + 30
    ("trimmed_mean", "judge_total", Fraction(55)),        # (50+50+65)/3
    ("trimmed_mean", "criterion", Fraction(175, 3)),      # (20+30+40)/3 + (20+30+35)/3
])
def test_levels(method, level, practical_module):
    row = only_row(make_scheme(method, level), make_entry(theory="90", marks=SPLIT))
    practical = row.modules[1]
    assert practical.exact == practical_module
    total = Fraction(27) + practical_module * Fraction(70, 100)
    assert row.score.total_exact == total


def test_criterion_level_keeps_one_part_per_criterion():
    row = only_row(make_scheme("trimmed_mean", "criterion"), make_entry(theory="90", marks=SPLIT))
    parts = row.modules[1].judgement
    assert [p.criterion.id for p in parts] == ["a", "b"]
    assert [p.aggregate.value for p in parts] == [Fraction(30), Fraction(85, 3)]
    assert row.modules[1].score == Decimal("58.33")
    assert row.total == Decimal("67.83")   # 27 + 58.333…×0.7 = 67.8333…


@pytest.mark.parametrize("method, level", [(m, lv) for m in ("median", "trimmed_mean") for lv in ("judge_total", "criterion")])
def test_three_judges_trimmed_mean_equals_median(method, level):
    marks = {1: (10, 50), 2: (20, 10), 3: (30, 20)}
    row = only_row(make_scheme(method, level), make_entry(marks=marks, judges=(1, 2, 3)))
    median = only_row(make_scheme("median", level), make_entry(marks=marks, judges=(1, 2, 3)))
    assert row.score.total_exact == median.score.total_exact


def test_module_score_adds_measurements_and_judgement():
    modules = (Module("P", "操作技能", "practical", 100),)
    criteria = (Criterion("m1", "P", "尺寸", "20", "measurement"), Criterion("m2", "P", "粗糙度", "10", "measurement"),
                Criterion("j", "P", "工艺", "70", "judgement"))
    scheme = Scheme(modules, criteria, "mean")
    entry = Entry(1, "001", measurements={"m1": "18.5", "m2": 7}, judgements={(1, "j"): "60", (2, "j"): "61"},
                  judges={1, 2})
    row = only_row(scheme, entry)
    assert row.modules[0].exact == 86     # 18.5 + 7 + (60 + 61) / 2
    assert row.total == Decimal("86.00") and row.practical == Decimal("86.00")
    assert "测量 尺寸 18.5，粗糙度 7" in row.explanation.text
    assert "模块得分 25.5 + 60.5 = 86，计 86.00" in row.explanation.text


@pytest.mark.parametrize("weights, theory, practical_marks, total", [
    ((0, 100), "0", ("87.44", "87.45"), "87.45"),    # mean 87.445 → half up
    ((50, 50), "0.01", ("0", "0"), "0.01"),          # 0.005 → 0.01
    ((50, 50), "0.25", ("0", "0"), "0.13"),          # 0.125 → 0.13
    ((30, 70), "10.01", ("0", "0"), "3.00"),         # 3.003 → 3.00
    ((30, 70), "0.05", ("0", "0"), "0.02"),          # 0.015 → 0.02
])
def test_total_rounds_half_up(weights, theory, practical_marks, total):
    modules = (Module("T", "理论", "theory", weights[0]), Module("P", "实操", "practical", weights[1]))
    criteria = (Criterion("t", "T", "理论考试", "100", "measurement"), Criterion("p", "P", "实操", "100", "judgement"))
    entry = Entry(1, "001", measurements={"t": theory},
                  judgements={(j, "p"): m for j, m in enumerate(practical_marks, 1)}, judges={1, 2})
    assert only_row(Scheme(modules, criteria, "mean"), entry).total == Decimal(total)


@pytest.mark.parametrize("marks, shown", [((0, 1, 1), "0.67"), ((0, 0, 1), "0.33")])
def test_module_score_thirds(marks, shown):
    modules = (Module("P", "实操", "practical", 100),)
    criteria = (Criterion("p", "P", "实操", "100", "judgement"),)
    entry = Entry(1, "001", judgements={(j, "p"): m for j, m in enumerate(marks, 1)}, judges={1, 2, 3})
    row = only_row(Scheme(modules, criteria, "mean"), entry)
    assert str(row.modules[0].score) == shown and str(row.total) == shown and str(row.practical) == shown


def test_practical_contribution_is_rounded_half_up():
    marks = {1: (43, 43), 2: (43, "43.5"), 3: ("43.5", 43)}
    row = only_row(make_scheme("mean"), make_entry(theory="0", marks=marks, judges=(1, 2, 3)))
    # practical module = (86 + 86.5 + 86.5) / 3 = 86.333…; × 0.7 = 60.4333…
    assert row.score.practical_exact == Fraction(259, 3) * Fraction(7, 10)
    assert row.practical == Decimal("60.43")


def test_score_entry_directly_in_hundredths():
    scheme = make_scheme("mean")
    score = score_entry(scheme, {"t": 9000}, {(1, "a"): 4000, (1, "b"): 4500}, [1])
    assert score.total == Decimal("86.50") and score.practical == Decimal("59.50")
