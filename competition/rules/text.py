"""Text at the boundary (RULES.md §2; issue 14): one home for what typed text may hold.

Contract: pure functions of plain strings; nothing raises for bad input.

- Identifiers (ID numbers, credit codes, mobiles, competition numbers) are normalised with NFKC, so that a
  full-width ３ or a superscript ² is the ASCII 3 or 2, and must then be plain ASCII. `str.isdigit()` and
  `int()` accept Arabic-Indic, Devanagari and other digits: one person could be spelt many ways, so every
  check here uses the ASCII class [0-9] instead, and the suite refuses `isdigit()` anywhere else.
- Typed text refuses control characters (line breaks only where a field is multi-line) and the invisible
  characters that reverse or isolate the direction of text (U+202E turns "exe.xslx" into "xlsx.exe").
- Download names go through one sanitiser, and go out as RFC 6266 asks: a plain ASCII `filename` that every
  client reads beside the UTF-8 `filename*` that modern ones prefer.
"""
import re
import unicodedata
from urllib.parse import quote

from .messages import Message

MAX_INT = 2**31 - 1  # PostgreSQL's integer: every id, count and amount the league stores fits in it

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional formatting characters.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SINGLE_LINE_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_MULTI_LINE_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_BIDI_RE = re.compile(f"[{_BIDI}]")
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,19}")
_UNSAFE_IN_NAMES = re.compile(f'[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}\\\\/:*?"<>|;]')
_NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")
_ATTR_CHARS = "!#$&+-.^_`|~"  # RFC 5987 attr-char besides letters and digits: left as they are in filename*


def identifier_text(raw: str | None) -> str:
    """An identifier as typed, normalised: NFKC (full-width and superscript digits become ASCII), outer
    whitespace (full-width spaces too) trimmed, letters upper-case. It may still hold non-ASCII characters,
    which the identifier's check refuses."""
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


def is_ascii_digits(text: str) -> bool:
    """Whether a text is one or more of the ASCII digits 0-9, and nothing else."""
    return bool(text) and text.isascii() and text.isdecimal()


def ascii_int(raw, *, low: int = -MAX_INT, high: int = MAX_INT) -> int | None:
    """A typed whole number in ASCII digits within [low, high], or None (never raises: "²", "٣" or a
    20-digit number are simply not a number here)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw or "").strip()
        if not _ASCII_INT.fullmatch(text):
            return None
        value = int(text)
    return value if low <= value <= high else None


def text_problem(text: str | None, *, multiline: bool = False) -> str | None:
    """Why a typed text is refused, or None: control characters (line breaks and tabs only in multi-line
    fields) and direction overrides."""
    if not text:
        return None
    found = (_MULTI_LINE_FORBIDDEN if multiline else _SINGLE_LINE_FORBIDDEN).search(text)
    if found is None:
        return None
    char = found.group()
    if _BIDI_RE.fullmatch(char):
        return Message("不能包含改变文字方向的不可见控制字符（U+%(code)s）。", code=format(ord(char), "04X"))
    if char in "\r\n\t":
        return Message("不能包含换行符或制表符，请在一行内填写。")
    return Message("不能包含不可见的控制字符（U+%(code)s）。", code=format(ord(char), "04X"))


def download_name(name: str, *, fallback: str = "download") -> str:
    """A file name safe to send in Content-Disposition and to save on any system: no control, direction
    or path characters, spaces collapsed, at most 120 characters with the extension kept."""
    text = " ".join(_UNSAFE_IN_NAMES.sub("", unicodedata.normalize("NFC", name or "")).split())
    stem, dot, extension = text.rpartition(".")
    if not dot or not extension.isalnum() or len(extension) > 8:
        stem, extension = text, ""
    stem = stem.strip(" .")[:120 - len(extension) - 1].strip(" .") or fallback
    return f"{stem}.{extension}" if extension else stem


def ascii_download_name(name: str, *, fallback: str = "download") -> str:
    """The plain fallback of a download name: ASCII letters and digits in words joined by '-', the extension
    kept, never empty (the fallback's stem when nothing ASCII is left, as of an all-Chinese name), never a quote,
    a line break or a non-ASCII character."""
    text = unicodedata.normalize("NFKD", download_name(name, fallback=fallback))
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    slug = _NOT_SLUG.sub("-", stem.encode("ascii", "ignore").decode()).strip("-")[:100].strip("-")
    extension = _NOT_SLUG.sub("", extension.encode("ascii", "ignore").decode())
    slug = slug or _NOT_SLUG.sub("-", fallback.partition(".")[0]).strip("-") or "download"
    return f"{slug}.{extension}" if extension else slug


def content_disposition(name: str, *, ascii_name: str | None = None, fallback: str = "download") -> str:
    """`attachment; filename="plain.xlsx"; filename*=UTF-8''…` (RFC 6266, RFC 5987): the sanitised name in UTF-8,
    and an ASCII name for older clients (`ascii_name`, else the name's own ASCII words)."""
    shown = download_name(name, fallback=fallback)
    plain = ascii_download_name(ascii_name or shown, fallback=fallback)
    value = f'attachment; filename="{plain}"'
    if shown != plain:
        value += f"; filename*=UTF-8''{quote(shown, safe=_ATTR_CHARS)}"
    return value
