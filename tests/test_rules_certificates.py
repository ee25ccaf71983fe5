"""Certificate numbers (rules/certificates.py) as a table: written once, read back as typed, nothing else accepted."""
import pytest

from competition.rules.certificates import canonical_number, certificate_number, parse_number


@pytest.mark.parametrize("year, serial, number", [
    (2026, 1, "WJ2026-000001"), (2026, 123, "WJ2026-000123"), (2027, 999_999, "WJ2027-999999"),
    (2026, 1_000_000, "WJ2026-1000000"),  # past six digits the serial simply grows
])
def test_numbers_are_written_with_the_year_and_six_digits(year, serial, number):
    assert certificate_number(year, serial) == number
    assert parse_number(number) == (year, serial)


@pytest.mark.parametrize("year, serial", [(2026, 0), (2026, -1), (999, 1), (10000, 1)])
def test_no_number_for_an_impossible_serial_or_year(year, serial):
    with pytest.raises(ValueError):
        certificate_number(year, serial)


@pytest.mark.parametrize("typed, canonical", [
    ("WJ2026-000123", "WJ2026-000123"), ("wj2026-000123", "WJ2026-000123"), ("  WJ2026-000123 \n", "WJ2026-000123"),
    ("WJ2026-1000000", "WJ2026-1000000"),
])
def test_a_number_is_read_as_people_type_it(typed, canonical):
    assert canonical_number(typed) == canonical


@pytest.mark.parametrize("typed", [
    None, "", "WJ2026-123", "WJ2026-0000123", "WJ2026-000000", "XJ2026-000123", "WJ26-000123", "WJ2026_000123",
    "WJ2026-000123x", "WJ0999-000123", "https://example.cn/verify/WJ2026-000123", "WJ2026-00012３", "x" * 100, 123,
])
def test_anything_else_is_not_a_number(typed):
    assert parse_number(typed) is None and canonical_number(typed) is None
