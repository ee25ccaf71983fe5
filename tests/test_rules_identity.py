"""Identity rules (RULES.md §2): ID numbers, credit codes, names, mobiles, masking."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.rules.identity import (
    age_on,
    check_credit_code,
    check_id_number,
    check_mobile,
    check_person_name,
    credit_check_char,
    id_check_char,
    mask_id_number,
    mask_mobile,
    mask_name,
    person_from_id,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("raw, expected", [
    ("11010519491231002X", "11010519491231002X"),
    ("11010519491231002x", "11010519491231002X"),  # lower-case x stored upper-case
    (" 11010519491231002X ", "11010519491231002X"),
])
def test_valid_id_numbers(raw, expected):
    assert check_id_number(raw, today=TODAY).value == expected


@pytest.mark.parametrize("raw, reason", [
    ("", "请填写"),
    (None, "请填写"),
    ("110105491231002", "15位"),             # old 15-digit numbers refused
    ("11010519491231002", "18位"),           # 17 characters
    ("1101051949123100XX", "18位"),
    ("110105194912310021", "校验位"),         # wrong check character
    ("110105194902300023", "出生日期"),       # 30 February
    ("110105203001010012", "不合理"),         # born in the future
])
def test_invalid_id_numbers(raw, reason):
    checked = check_id_number(raw, today=TODAY)
    assert not checked.ok and reason in checked.error


def test_gender_and_birth_are_derived():
    person = person_from_id("11010519491231002X")
    assert person.birth_date == date(1949, 12, 31)
    assert person.gender == "女"  # 17th digit 2 is even


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_exactly_one_check_character_is_valid(first17):
    """For any 17 digits, the computed character passes the check and no other does."""
    right = id_check_char(first17)
    for char in "0123456789X":
        verdict = check_id_number(first17 + char, today=date(9999, 1, 1))
        if verdict.ok:
            assert char == right


@pytest.mark.parametrize("born, day, age", [
    (date(2000, 6, 15), date(2026, 6, 14), 25),
    (date(2000, 6, 15), date(2026, 6, 15), 26),
    (date(2000, 2, 29), date(2026, 2, 28), 25),
])
def test_age_on_event_date(born, day, age):
    assert age_on(born, day) == age


@pytest.mark.parametrize("raw, ok", [
    ("91350100M000100Y43", True),
    ("91350100m000100y43", True),    # normalised to upper case
    ("91350100M000100Y44", False),   # wrong check character
    ("91350100M000100Y4", False),    # 17 characters
    ("91350100M000100I43", False),   # I is not in the alphabet
    ("", False),
])
def test_credit_codes(raw, ok):
    assert check_credit_code(raw).ok is ok


def test_credit_check_character_example():
    assert credit_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("raw, ok", [
    ("张三", True), ("阿依古丽·买买提", True), ("John Smith", True), ("张", False),
    ("张3", False), ("·张三", False), ("a" * 31, False), ("", False),
])
def test_person_names(raw, ok):
    assert check_person_name(raw).ok is ok


@pytest.mark.parametrize("raw, ok", [
    ("13912345678", True), ("139 1234 5678", True), ("12912345678", False), ("1391234567", False), ("", True),
])
def test_mobiles(raw, ok):
    assert check_mobile(raw).ok is ok


@pytest.mark.parametrize("name, masked", [
    ("张三丰", "张*丰"), ("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("", ""),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_id_and_mobile():
    assert mask_id_number("32058419900101123X") == "3205**********123X"
    assert mask_mobile("13912345678") == "139****5678"
