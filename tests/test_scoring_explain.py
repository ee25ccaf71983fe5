"""Every row explains itself: marks, dropped marks, arithmetic, weighted sum (RULES §7)."""
import json
from decimal import Decimal

import pytest

from scoring import Criterion, Entry, Module, Scheme, compute_results
from scoring.aggregate import aggregate_marks
from scoring.explain import describe_aggregate

# Five judges' (工艺, 成品) marks; judge totals 50, 50, 65, 50, 70.
SPLIT = {1: (10, 40), 2: (20, 30), 3: (30, 35), 4: (40, 10), 5: (50, 20)}


def make_scheme(method, level):
    """Theory 30% (measured) and practical 70% (two judged criteria of 50)."""
    return Scheme((Module("T", "理论知识", "theory", 30), Module("P", "操作技能", "practical", 70)),
                  (Criterion("t", "T", "理论考试", "100", "measurement"),
                   Criterion("a", "P", "工艺", "50", "judgement"), Criterion("b", "P", "成品", "50", "judgement")),
                  method, level)


def explain(method, level, marks=SPLIT, theory="90"):
    """The explanation of a single entry."""
    judgements = {}
    for judge, (a, b) in marks.items():
        judgements[(judge, "a")], judgements[(judge, "b")] = a, b
    entry = Entry(7, "007", measurements={"t": theory}, judgements=judgements, judges=set(marks))
    return compute_results(make_scheme(method, level), [entry]).rows[0].explanation


@pytest.mark.parametrize("method, marks, text", [
    ("mean", {1: 80, 2: 85, 3: 86}, "平均 (80+85+86)/3 ≈ 83.67"),
    ("mean", {1: "85.5"}, "平均 85.5"),
    ("median", {1: 80, 2: 85, 3: 86}, "取中位数 85"),
    ("median", {1: 80, 2: 85, 3: 86, 4: 90}, "取中位数 (85+86)/2 = 85.5"),
    ("trimmed_mean", {1: 80, 2: 85, 3: 86, 4: 90, 5: 95}, "去掉最高分 95（裁判 5）、最低分 80（裁判 1），(85+86+90)/3 = 87"),
    ("trimmed_mean", {"甲": 70, "乙": 95, "丙": 80}, "去掉最高分 95（裁判 乙）、最低分 70（裁判 甲），80"),
    ("mean", {1: "87.44", 2: "87.45"}, "平均 (87.44+87.45)/2 = 87.445 ≈ 87.45"),
])
def test_describe_aggregate(method, marks, text):
    assert describe_aggregate(aggregate_marks(marks, method)) == text


def test_judge_total_level_lists_each_judges_subtotal():
    explanation = explain("trimmed_mean", "judge_total")
    practical = explanation.modules[1]
    assert practical.name == "操作技能" and practical.weight == 70 and practical.score == "55.00"
    (part,) = practical.parts
    assert part.label == "各裁判评价小计"
    assert part.marks == ((1, "50"), (2, "50"), (3, "65"), (4, "50"), (5, "70"))
    assert part.dropped == ((1, "50"), (5, "70"))
    assert part.arithmetic == "去掉最高分 70（裁判 5）、最低分 50（裁判 1），(50+50+65)/3 = 55"
    assert explanation.total == "总分 90×30% + 55×70% = 65.5"


def test_criterion_level_lists_each_criterion():
    explanation = explain("trimmed_mean", "criterion")
    parts = explanation.modules[1].parts
    assert [p.label for p in parts] == ["工艺", "成品"]
    assert parts[1].marks == ((1, "40"), (2, "30"), (3, "35"), (4, "10"), (5, "20"))
    assert parts[1].arithmetic == "去掉最高分 40（裁判 1）、最低分 10（裁判 4），(20+30+35)/3 ≈ 28.33"
    assert explanation.modules[1].arithmetic == "30 + 28.33 ≈ 58.33"
    assert explanation.total == "总分 90×30% + 58.33×70% ≈ 67.83"


def test_text_has_one_line_per_statement():
    lines = explain("median", "judge_total").text.splitlines()
    assert lines[0] == "第 1 名，总分 62.00，实操得分 35.00"
    assert lines[1] == "理论知识（理论，权重 30%）：测量 理论考试 90；模块得分 90，计 90.00"
    assert lines[2].startswith("操作技能（实操，权重 70%）：各裁判评价小计：裁判 1 50，裁判 2 50，")
    assert lines[2].endswith("取中位数 50；模块得分 50，计 50.00")
    assert lines[3] == "总分 90×30% + 50×70% = 62"


def test_to_dict_is_json_ready():
    data = explain("trimmed_mean", "criterion").to_dict()
    decoded = json.loads(json.dumps(data, ensure_ascii=False))
    assert decoded["modules"][1]["parts"][0]["dropped"] == [[1, "10"], [5, "50"]]
    assert decoded["text"].startswith("第 1 名")
    assert decoded["ranking"] == [] and decoded["problems"] == []


def test_total_of_exactly_half_a_cent_is_shown_rounding_up():
    scheme = Scheme((Module("T", "理论", "theory", 50), Module("P", "实操", "practical", 50)),
                    (Criterion("t", "T", "理论", "100", "measurement"), Criterion("p", "P", "实操", "100", "measurement")),
                    "mean")
    row = compute_results(scheme, [Entry(1, "001", measurements={"t": "0.25", "p": "0"})]).rows[0]
    assert row.total == Decimal("0.13")
    assert row.explanation.total == "总分 0.25×50% + 0×50% = 0.125 ≈ 0.13"
