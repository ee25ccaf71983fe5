"""Exact arithmetic for marks and scores.

Contract: a mark enters as an int, a decimal.Decimal or a str with at most 2 decimal places
(binary floats are refused: 0.1 has no exact binary value). It is held as an exact whole number
of hundredths (85.5 -> 8550), so sums of marks are exact integers; every quotient, and every
value derived from one, is a fractions.Fraction. Rounding happens once, at the end, half up
(四舍五入: a 5 in the third decimal always goes up) by round_half_up; Python's built-in
rounding (half to even) is never used.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from math import lcm

SHOWN_PLACES = 4  # a value is written exactly when it needs at most this many decimals
# A private context, so an application that changes the thread's decimal context cannot
# change a score; _ROOM keeps every quantize within its precision.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
_ROOM = 10 ** 55


def to_hundredths(value: int | str | Decimal | Fraction) -> int:
    """Return a mark as an exact whole number of hundredths; refuse floats and a third decimal."""
    if isinstance(value, str):
        value = _parse_decimal(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value * 100
    elif not isinstance(value, (Decimal, Fraction)):
        raise TypeError(f"a mark must be int, Decimal or str, not {type(value).__name__}")
    try:
        numerator, denominator = value.as_integer_ratio()
    except (ValueError, OverflowError):  # NaN, infinity
        raise ValueError(f"a mark must be a finite number: {value}") from None
    if 100 % denominator:
        raise ValueError(f"a mark has at most 2 decimal places: {value}")
    return numerator * (100 // denominator)


def _parse_decimal(text: str) -> Decimal:
    """Parse a decimal string exactly, as ValueError when it is not a number."""
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def hundredths_to_decimal(hundredths: int) -> Decimal:
    """Return hundredths as a Decimal with 2 places (8550 -> Decimal('85.50'))."""
    return Decimal(f"{hundredths}E-2")


def exact_sum(values: Iterable[Fraction], start: Fraction = Fraction(0)) -> Fraction:
    """Add fractions exactly over one common denominator (faster than adding one by one)."""
    values = [start, *values]
    denominator = lcm(*(v.denominator for v in values))
    return Fraction(sum(v.numerator * (denominator // v.denominator) for v in values), denominator)


def round_half_up(value: Fraction | int, places: int = 2) -> Decimal:
    """Round an exact value half up (ties away from zero) to `places` decimals, as a Decimal."""
    if not isinstance(value, (Fraction, int)):
        raise TypeError(f"round_half_up needs an exact Fraction or int, not {type(value).__name__}")
    value = Fraction(value)
    # Truncating to one extra digit is exact for this purpose: the extra digit is 5 or more
    # exactly when the discarded remainder is at least one half.
    digits = abs(value.numerator) * 10 ** (places + 1) // value.denominator
    sign = "-" if value < 0 else ""
    truncated = Decimal(f"{sign}{digits}E-{places + 1}")  # the constructor never rounds
    context = _CONTEXT if digits < _ROOM else Context(prec=len(str(digits)) + 2)
    return truncated.quantize(Decimal(1).scaleb(-places, context), ROUND_HALF_UP, context)


def format_exact(value: Fraction) -> str | None:
    """Write a value exactly without trailing zeros ('88.5', '87'), or None if that needs over 4 decimals."""
    scale = 10 ** SHOWN_PLACES
    if scale % value.denominator:
        return None
    return _strip(value.numerator * (scale // value.denominator), SHOWN_PLACES)


@lru_cache(maxsize=1 << 16)  # marks repeat a lot; explanations write each many times
def format_hundredths(hundredths: int) -> str:
    """Write a mark held in hundredths without trailing zeros (8550 -> '85.5')."""
    return _strip(hundredths, 2)


def _strip(scaled: int, places: int) -> str:
    """Write scaled / 10**places exactly, without trailing zeros."""
    whole, fraction = divmod(abs(scaled), 10 ** places)
    sign = "-" if scaled < 0 else ""
    if not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction:0{places}d}".rstrip("0")


def value_text(value: Fraction) -> str:
    """Write a value exactly when short, else rounded half up to 2 decimals."""
    return format_exact(value) or str(round_half_up(value))


def result_text(value: Fraction) -> str:
    """Write '= 87.45', '= 87.455 ≈ 87.46' or '≈ 87.33' for the result of a calculation."""
    exact = format_exact(value)
    if exact is None:
        return f"≈ {round_half_up(value)}"
    if 100 % value.denominator == 0:
        return f"= {exact}"
    return f"= {exact} ≈ {round_half_up(value)}"
