"""Identity details against the standards (issue 16, item 5): the province of an ID number (GB 11643, GB/T 2260),
the division code inside a 统一社会信用代码 (GB 32100), names written with characters beyond the BMP."""
from datetime import date

import pytest

from competition.rules.identity import (
    check_credit_code,
    check_id_number,
    check_person_name,
    credit_check_char,
    id_check_char,
    mask_name,
)
from tests.builders import credit_code, id_number

TODAY = date(2026, 11, 23)
PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"]


def with_province(code: str) -> str:
    """RULES.md §2's example number moved to another province, with its check character recomputed."""
    first17 = code + "010519491231002"
    return first17 + id_check_char(first17)


@pytest.mark.parametrize("code", PROVINCES)
def test_every_province_and_the_residence_permits_of_hong_kong_macao_and_taiwan_are_accepted(code):
    assert check_id_number(with_province(code), today=TODAY).value == with_province(code)


@pytest.mark.parametrize("code", ["00", "10", "16", "19", "20", "24", "30", "38", "40", "47", "49", "55", "60", "66",
                                  "70", "72", "80", "84", "90", "99"])
def test_a_number_whose_first_two_digits_name_no_province_is_refused(code):
    checked = check_id_number(with_province(code), today=TODAY)
    assert not checked.ok
    assert checked.error == f"身份证号码前两位（{code}）不是有效的省级行政区划代码。"


def test_the_province_is_checked_on_the_normalised_number():
    """Full-width digits are normalised first; the province is read from the ASCII number."""
    wide = with_province("99").translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert "（99）" in check_id_number(wide, today=TODAY).error


@pytest.mark.parametrize("number", ["11010519491231002X", id_number(1), id_number(7, female=True)])
def test_the_examples_and_the_builders_give_valid_numbers(number):
    assert check_id_number(number, today=TODAY).ok


def credit(body17: str) -> str:
    """A code with the right check character for its first 17 characters."""
    return body17 + credit_check_char(body17)


@pytest.mark.parametrize("division", ["ABCDEF", "32050A", "Y20509", "3205MX", "10000L"])
def test_a_credit_code_whose_characters_3_to_8_are_not_six_digits_is_refused(division):
    code = credit(f"91{division}MA1M7Q4K0")
    checked = check_credit_code(code)
    assert not checked.ok
    assert checked.error == f"统一社会信用代码第3至8位（{division}）应为6位数字的登记管理机关行政区划码。"


@pytest.mark.parametrize("code", ["91350100M000100Y43", credit("91320509MA1M7Q4K0"), credit("11100000MB0143163"),
                                  credit_code(1), credit_code(31 ** 8)])
def test_credit_codes_with_a_six_digit_division_code_pass(code):
    assert check_credit_code(code).value == code


def test_the_division_code_check_comes_before_the_check_character():
    """A code with letters in the division code is refused for them even with a wrong check character."""
    right = credit_check_char("91ABCDEFMA1M7Q4K0")
    wrong = next(c for c in "0123456789" if c != right)
    assert "第3至8位" in check_credit_code("91ABCDEFMA1M7Q4K0" + wrong).error


@pytest.mark.parametrize("name", [
    "赵孟𫖯",  # U+2B5AF, Extension C
    "\U00020000\U0002a6df",  # Extension B, first and last
    "王\U0002a700",  # Extension C, first
    "李\U0002b740",  # Extension D, first
    "张\U0002b820",  # Extension E, first
    "陈\U0002ceb0",  # Extension F, first
    "刘\U0002ebf0",  # Extension I, first
    "黄\U00030000",  # Extension G, first
    "周\U00031350",  # Extension H, first
    "吴\u3400",  # Extension A, first
    "阿依古丽·买买提",
])
def test_names_with_characters_of_every_cjk_block_are_accepted(name):
    assert check_person_name(name).value == name


def test_a_compatibility_ideograph_of_the_supplement_is_accepted_as_its_unified_form():
    assert check_person_name("李\U0002f800").value == "李丽"


@pytest.mark.parametrize("name, ok", [
    ("𫖯" * 30, True),  # 30 code points (60 UTF-16 units): within the limit
    ("𫖯" * 31, False),
    ("𫖯", False),  # one character
    ("𫖯·", False),
    ("赵孟\U0001f600", False),  # an emoji is no letter
    ("赵\U0002a6e0", False),  # unassigned, between Extensions B and C
])
def test_length_counts_code_points_and_other_astral_characters_stay_refused(name, ok):
    assert check_person_name(name).ok is ok


@pytest.mark.parametrize("name, masked", [
    ("赵孟𫖯", "赵*𫖯"), ("𫖯孟赵", "𫖯*赵"), ("𫖯𫖯", "𫖯*"), ("𠀀𫖯𫖯𠀀", "𠀀**𠀀"),
])
def test_masking_keeps_whole_astral_characters(name, masked):
    assert mask_name(name) == masked
