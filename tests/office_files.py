"""The roster files in tests/files/office/, as offices send them (made once by make_files.py there, committed, and
read by the tests without LibreOffice): where they are, and the people and employer they hold."""
from pathlib import Path

from tests.builders import credit_code, id_number

FOLDER = Path(__file__).resolve().parent / "files" / "office"
EMPLOYER = credit_code(880_001)  # the enterprise every file names; a test creates it with make_enterprise
TITLE = "吴江区2026年职业技能联赛 电工 报名表"


def _ending_in_x(birth: str) -> str:
    """The first valid ID number born on `birth` whose check character is X (to be typed full-width)."""
    return next(number for seed in range(499) if (number := id_number(seed, birth=birth)).endswith("X"))


# (name, ID number, mobile): every file holds some of these rows, spelt the way its case needs
PEOPLE = [
    ("王小明", id_number(701, birth="19900315"), "13900000701"),
    ("李秀英", id_number(702, birth="19850620", female=True), "13900000702"),
    ("阿依古丽·买买提", id_number(703, birth="19920101", female=True), "13900000703"),
    ("张伟", _ending_in_x("19880808"), "13900000704"),
]


def office_file(name: str) -> bytes:
    """The bytes of one committed file."""
    return (FOLDER / name).read_bytes()


def full_width(text: str) -> str:
    """ASCII digits and letters as their full-width forms (０-９, Ａ-Ｚ, ａ-ｚ), as some input methods type them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)
