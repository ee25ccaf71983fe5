"""Identity checks and masking (RULES.md §2).

Contract: every `check_*` function takes raw user text and returns a `Checked` holding either the
normalised value or a Chinese reason. Nothing raises for bad input; nothing here touches Flask
or the database.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .messages import Message
from .text import identifier_text

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB/T 2260 province-level codes (the first two digits of an ID number), and 81-83 of the residence permits
# for Hong Kong, Macao and Taiwan residents (港澳台居民居住证, numbered like an ID card since 2018).
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
# Han characters: the CJK Unified Ideographs block and every extension, so that a name from the 通用规范汉字表
# is accepted whichever block its characters come from (赵孟𫖯: 𫖯 is U+2B5AF, Extension C), and the
# compatibility ideographs (NFKC turns most of them into unified ones before the check).
# Raw strings: `re` reads the escapes, so the source holds no Han text of its own.
HAN = "".join((
    r"\u3400-\u4dbf",  # Extension A
    r"\u4e00-\u9fff",  # the basic block
    r"\uf900-\ufaff",  # Compatibility Ideographs
    r"\U00020000-\U0002a6df",  # Extension B
    r"\U0002a700-\U0002ee5f",  # Extensions C, D, E, F and I, one after the other
    r"\U0002f800-\U0002fa1f",  # Compatibility Ideographs Supplement
    r"\U00030000-\U000323af",  # Extensions G and H
))
NAME_RE = re.compile(f"^[A-Za-z{HAN}·]+( [A-Za-z·]+)*$")
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
ID_RE = re.compile(r"[0-9]{17}[0-9X]")


@dataclass(frozen=True)
class Checked:
    """The outcome of a check: the normalised value, or the reason it was refused."""

    value: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the input passed."""
        return self.error is None

    @property
    def passed_value(self) -> str:
        """The value of a check that passed; only check_mobile passes blank input without one."""
        if self.value is None:
            raise ValueError(f"no checked value to use: {self.error or 'blank input'}")
        return self.value


@dataclass(frozen=True)
class Person:
    """What an ID number says about its holder."""

    id_number: str
    birth_date: date
    gender: str  # "男" or "女"


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def check_id_number(raw: str | None, *, today: date | None = None) -> Checked:
    """Validate an 18-character 居民身份证号码 (its first two digits a province, its birth date real, its check
    character right); lower-case x is accepted and stored upper-case."""
    text = identifier_text(raw)
    if not text:
        return Checked(None, Message("请填写身份证号码。"))
    if not text.isascii():
        return Checked(None, Message(
            "身份证号码只能由半角数字 0-9 和字母 X 组成，请检查是否混入了其他文字的数字或符号。"))
    if len(text) == 15 and re.fullmatch(r"[0-9]{15}", text):
        return Checked(None, Message("不接受15位旧身份证号码，请填写18位号码。"))
    if not ID_RE.fullmatch(text):
        return Checked(None, Message("身份证号码应为18位：17位数字加1位校验码（数字或X）。"))
    if text[:2] not in PROVINCE_CODES:
        return Checked(None, Message("身份证号码前两位（%(code)s）不是有效的省级行政区划代码。", code=text[:2]))
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return Checked(None, Message("身份证号码中的出生日期 %(digits)s 不是有效日期。", digits=text[6:14]))
    if born > (today or date.today()) or born.year < 1900:
        return Checked(None, Message("身份证号码中的出生日期 %(date)s 不合理。", date=born.isoformat()))
    if id_check_char(text[:17]) != text[17]:
        return Checked(None, Message("身份证号码校验位不正确，请核对。"))
    return Checked(text)


def person_from_id(id_number: str) -> Person:
    """Derive birth date and gender from a valid ID number (never typed by users)."""
    born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    gender = Message("男") if int(id_number[16]) % 2 == 1 else Message("女")
    return Person(id_number, born, gender)


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on a given day."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def credit_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(raw: str | None) -> Checked:
    """Validate an 18-character 统一社会信用代码: the alphabet, the 6-digit administrative division code in
    characters 3-8, the check character."""
    text = identifier_text(raw)
    if not text:
        return Checked(None, Message("请填写统一社会信用代码。"))
    if len(text) != 18:
        return Checked(None, Message("统一社会信用代码应为18位，当前为%(count)s位。", count=len(text)))
    bad = sorted({c for c in text if c not in CREDIT_ALPHABET})
    if bad:
        return Checked(None, Message("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。",
                                     chars="".join(bad)))
    if not re.fullmatch(r"[0-9]{6}", text[2:8]):
        return Checked(None, Message("统一社会信用代码第3至8位（%(code)s）应为6位数字的登记管理机关行政区划码。",
                                     code=text[2:8]))
    if credit_check_char(text[:17]) != text[17]:
        return Checked(None, Message("统一社会信用代码校验位不正确，请核对。"))
    return Checked(text)


def check_person_name(raw: str | None) -> Checked:
    """Validate a name: 2-30 characters (code points), Chinese of any CJK block or Latin letters, the middle dot
    allowed."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw or "").strip()).replace("•", "·").replace("・", "·")
    if not text:
        return Checked(None, Message("请填写姓名。"))
    if not 2 <= len(text) <= 30:
        return Checked(None, Message("姓名应为2至30个字符。"))
    if not NAME_RE.match(text) or text.startswith("·") or text.endswith("·"):
        return Checked(None, Message("姓名只能包含中文、英文字母和间隔号“·”。"))
    return Checked(text)


def check_mobile(raw: str | None) -> Checked:
    """Validate an 11-digit mainland mobile number starting 13-19; empty is allowed."""
    text = re.sub(r"[\s-]", "", identifier_text(raw))
    if not text:
        return Checked(None)
    if not MOBILE_RE.fullmatch(text):
        return Checked(None, Message("手机号码应为11位数字，以13至19开头。"))
    return Checked(text)


def mask_id_number(id_number: str | None) -> str:
    """Show the first 4 and last 4 characters only: 3205**********123X."""
    if not id_number:
        return ""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_name(name: str | None) -> str:
    """Keep the first and last character (张三丰 → 张*丰, 赵孟𫖯 → 赵*𫖯: characters are code points, never
    UTF-16 halves); two characters keep the first (张三 → 张*)."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_mobile(mobile: str | None) -> str:
    """Keep the first 3 and last 4 digits."""
    if not mobile:
        return ""
    return mobile[:3] + "****" + mobile[-4:]
