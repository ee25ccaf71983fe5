"""Text at the boundary (issue 14): identifiers normalised to ASCII whatever digits they were typed in, control
and direction characters refused, download names made safe, whole numbers parsed without `int()`'s surprises."""
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.rules.identity import check_credit_code, check_id_number, check_mobile, id_check_char
from competition.rules.text import MAX_INT, ascii_int, download_name, identifier_text, text_problem
from tests.builders import credit_code, id_number

TODAY = __import__("datetime").date(2026, 12, 4)
# Every character Python takes for a decimal digit, by value: Arabic-Indic, Devanagari, full-width, Thai, …
DIGITS = {value: [chr(c) for c in range(sys.maxunicode + 1)
                  if unicodedata.category(chr(c)) == "Nd" and unicodedata.decimal(chr(c)) == value]
          for value in range(10)}
VALID = id_number(42)  # 320584199001010839-like: a real check character


def respelt(text: str, draw) -> str:
    """The text with each digit replaced by some character Python reads as the same digit."""
    return "".join(draw(st.sampled_from(DIGITS[int(ch)])) if ch in "0123456789" else ch for ch in text)


@st.composite
def respellings(draw, text: str) -> str:
    """A spelling of `text` in mixed scripts' digits."""
    return respelt(text, draw)


@pytest.mark.parametrize("spelling", [
    "３２０５８４" + VALID[6:],  # full-width
    "\u3000" + VALID + "\u3000",  # full-width spaces around
    VALID.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
])
def test_full_width_spellings_are_the_same_person(spelling):
    assert check_id_number(spelling, today=TODAY).value == VALID


@pytest.mark.parametrize("spelling", [
    VALID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),  # Arabic-Indic
    VALID.translate(str.maketrans("0123456789", "०१२३४५६७८९")),  # Devanagari
    "३" + VALID[1:],
])
def test_digits_of_other_scripts_are_refused_with_a_reason(spelling):
    checked = check_id_number(spelling, today=TODAY)
    assert not checked.ok and "半角数字" in checked.error


def test_a_superscript_digit_is_an_answer_not_a_crash():
    # ² is 2 under NFKC: either the number it spells or a clear refusal, never an exception (it was a 500).
    checked = check_id_number("²" + VALID[1:], today=TODAY)
    assert checked.value == ("2" + VALID[1:] if checked.ok else None)
    assert check_id_number("²" * 18, today=TODAY).error


@given(st.data())
def test_no_spelling_of_a_number_is_accepted_as_another_number(data):
    """Whatever digits an ID number is typed in, it is either the one ASCII number or refused: one person can
    never become two."""
    spelling = data.draw(respellings(VALID))
    checked = check_id_number(spelling, today=TODAY)
    assert checked.value in (None, VALID)
    assert checked.value is None or checked.value.isascii()


@given(st.text(max_size=24))
def test_any_text_is_checked_without_raising_and_accepted_only_in_ascii(text):
    for check in (lambda t: check_id_number(t, today=TODAY), check_credit_code, check_mobile):
        checked = check(text)
        assert checked.value is None or (checked.value.isascii() and checked.value == checked.value.strip())


@given(st.data())
def test_credit_codes_and_mobiles_normalise_the_same_way(data):
    code, mobile = credit_code(77), "13912345678"
    code_checked = check_credit_code(data.draw(respellings(code)))
    mobile_checked = check_mobile(data.draw(respellings(mobile)))
    assert code_checked.value in (None, code) and mobile_checked.value in (None, mobile)


def test_identifier_text_is_nfkc_trimmed_and_upper_case():
    assert identifier_text(" １１０１０５１９４９１２３１００２ｘ ") == "11010519491231002X"
    assert identifier_text(None) == ""
    assert id_check_char(identifier_text("１１０１０５１９４９１２３１００２")) == "X"


@pytest.mark.parametrize("raw, expected", [
    ("42", 42), (" 7 ", 7), ("+3", 3), ("-3", -3), (5, 5),
    ("²", None), ("٣", None), ("３", None), ("1.5", None), ("", None), (None, None), (True, None),
    (str(MAX_INT), MAX_INT), (str(MAX_INT + 1), None), ("99999999999999999999", None), ("9" * 40, None),
])
def test_ascii_int_reads_only_ascii_whole_numbers_in_range(raw, expected):
    assert ascii_int(raw) == expected


def test_ascii_int_bounds():
    assert ascii_int("0", low=1) is None and ascii_int("5", high=4) is None and ascii_int("4", low=1, high=4) == 4


@pytest.mark.parametrize("text, multiline, refused", [
    ("电工技能竞赛", False, None),
    ("电工\r\n竞赛", False, "换行"),
    ("电工\t竞赛", False, "换行"),
    ("invoice\u202excod.exe", False, "U+202E"),
    ("a\u2066b", True, "U+2066"),
    ("a\x00b", True, "U+0000"),
    ("a\x1bb", False, "U+001B"),
    ("a\u0085b", False, "U+0085"),
    ("第一行\n第二行\r\n\t缩进", True, None),
    ("line\u2028sep", False, "U+2028"),
    ("", False, None),
    (None, False, None),
])
def test_text_policy(text, multiline, refused):
    problem = text_problem(text, multiline=multiline)
    assert (problem is None) if refused is None else (refused in problem)


@given(st.text())
def test_a_download_name_never_carries_what_breaks_a_header_or_spoofs_a_name(name):
    safe = download_name(name + ".xlsx")
    assert safe and text_problem(safe) is None
    assert not set(safe) & set('\\/:*?"<>|;') and len(safe) <= 120
    assert safe.endswith(".xlsx")


@pytest.mark.parametrize("name, expected", [
    ("报名名单-电工\r\n竞赛.xlsx", "报名名单-电工竞赛.xlsx"),
    ("成绩册\u202excod.exe", "成绩册xcod.exe"),
    ("\t.xlsx", "download.xlsx"),
    ("..\\..\\etc/passwd", "etcpasswd"),
    ("成绩册 - 车工.xlsx", "成绩册 - 车工.xlsx"),
])
def test_download_names(name, expected):
    assert download_name(name) == expected
