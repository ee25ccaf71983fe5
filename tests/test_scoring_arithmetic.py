"""Exact arithmetic: parsing marks, rounding half up, writing values."""
import re
from decimal import ROUND_DOWN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from scoring import hundredths_to_decimal, round_half_up, to_hundredths
from scoring.arithmetic import exact_sum, format_exact, format_hundredths, result_text, value_text

SCORING = Path(__file__).resolve().parent.parent / "scoring"


@pytest.mark.parametrize("value, expected", [
    (Fraction(8745, 100), "87.45"),
    (Fraction(87455, 1000), "87.46"),   # x.xx5 goes up
    (Fraction(87445, 1000), "87.45"),   # half-to-even would give 87.44
    (Fraction(2675, 1000), "2.68"),     # a binary float of 2.675 would give 2.67
    (Fraction(25, 1000), "0.03"),
    (Fraction(2, 3), "0.67"),
    (Fraction(1, 3), "0.33"),
    (Fraction(1, 8), "0.13"),           # 0.125
    (Fraction(5, 1000), "0.01"),
    (Fraction(4999999, 10 ** 9), "0.00"),
    (Fraction(0), "0.00"),
    (Fraction(100), "100.00"),
    (Fraction(9999995, 100000), "100.00"),
    (Fraction(-5, 1000), "-0.01"),      # ties away from zero
    (7, "7.00"),
])
def test_round_half_up(value, expected):
    result = round_half_up(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_round_half_up_other_places_and_huge_values():
    assert str(round_half_up(Fraction(1, 3), 4)) == "0.3333"
    assert str(round_half_up(Fraction(5, 10), 0)) == "1"
    huge = Fraction(10 ** 70 * 1000 + 5, 1000)
    assert round_half_up(huge) == Decimal(f"{10 ** 70}.01")


def test_round_half_up_refuses_inexact_input():
    with pytest.raises(TypeError):
        round_half_up(2.675)
    with pytest.raises(TypeError):
        round_half_up(Decimal("2.675"))


def test_hundredths_to_decimal():
    assert str(hundredths_to_decimal(8550)) == "85.50" and str(hundredths_to_decimal(0)) == "0.00"


def test_round_half_up_ignores_the_threads_decimal_context():
    with localcontext() as context:
        context.prec, context.rounding = 3, ROUND_DOWN
        assert str(round_half_up(Fraction(87455, 1000))) == "87.46"


@pytest.mark.parametrize("value, hundredths", [
    (85, 8500), (0, 0), ("85.5", 8550), (" 7.10 ", 710), (Decimal("8.25"), 825),
    (Decimal("8.500"), 850), ("1E+1", 1000), (Fraction(1, 4), 25), ("0.01", 1),
])
def test_to_hundredths_is_exact(value, hundredths):
    assert to_hundredths(value) == hundredths


@pytest.mark.parametrize("value, error", [
    (0.5, TypeError), (True, TypeError), (None, TypeError), ([1], TypeError),
    ("8.125", ValueError), (Decimal("0.001"), ValueError), (Fraction(1, 3), ValueError),
    (Decimal("NaN"), ValueError), ("Infinity", ValueError), ("abc", ValueError), ("", ValueError),
])
def test_to_hundredths_refuses(value, error):
    with pytest.raises(error):
        to_hundredths(value)


@pytest.mark.parametrize("value, exact, written, result", [
    (Fraction(87), "87", "87", "= 87"),
    (Fraction(177, 2), "88.5", "88.5", "= 88.5"),
    (Fraction(87455, 1000), "87.455", "87.455", "= 87.455 ≈ 87.46"),
    (Fraction(262, 3), None, "87.33", "≈ 87.33"),
    (Fraction(1, 100000), None, "0.00", "≈ 0.00"),
])
def test_writing_values(value, exact, written, result):
    assert format_exact(value) == exact
    assert value_text(value) == written
    assert result_text(value) == result


@pytest.mark.parametrize("hundredths, text", [(8550, "85.5"), (8500, "85"), (825, "8.25"), (5, "0.05"), (0, "0")])
def test_format_hundredths(hundredths, text):
    assert format_hundredths(hundredths) == text


def test_exact_sum():
    assert exact_sum([Fraction(1, 3), Fraction(1, 6)], Fraction(1, 2)) == 1
    assert exact_sum([]) == 0


def test_scoring_uses_neither_binary_floats_nor_builtin_rounding():
    pattern = re.compile(r"\bfloat\(|\bround\(")
    offenders = [f"{path.name}:{number}" for path in sorted(SCORING.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []
