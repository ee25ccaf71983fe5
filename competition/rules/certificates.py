"""Certificate numbers (RULES.md §15): WJ<year>-<serial>, e.g. WJ2026-000123.

Contract: `certificate_number(year, serial)` writes a number: the prefix WJ (吴江), the league year, a hyphen and the
serial with at least six digits. The serial counts a year's certificates from 1, prizes and 技术能手 titles alike;
a number is issued once and never reused or renumbered (the services keep it, the database makes it unique).
`parse_number(text)` reads one back as (year, serial), or None for anything else, so a verification page can answer
404 without asking the database about text that can never be a number; surrounding spaces and a lower-case prefix
(wj2026-000123, as people type it from paper) are accepted, the canonical form is `certificate_number`'s.
No Flask, no database.
"""
import re

from .messages import Message

PREFIX = "WJ"
SERIAL_DIGITS = 6
MAX_SERIAL = 999_999_999
_NUMBER = re.compile(r"WJ([0-9]{4})-([0-9]{6,9})")

TITLE_NAME = Message("吴江区技术能手")  # what a title certificate awards, in the place of a prize


def certificate_number(year: int, serial: int) -> str:
    """The number of a year's serial-th certificate: certificate_number(2026, 123) == "WJ2026-000123"."""
    if not 1000 <= year <= 9999 or not 1 <= serial <= MAX_SERIAL:
        raise ValueError(f"no certificate number for year {year}, serial {serial}")
    return f"{PREFIX}{year}-{serial:0{SERIAL_DIGITS}d}"


def parse_number(text: str | None) -> tuple[int, int] | None:
    """(year, serial) of a certificate number as typed, or None when the text can not be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    found = _NUMBER.fullmatch(text.strip().upper())
    if found is None:
        return None
    year, serial = int(found.group(1)), int(found.group(2))
    if year < 1000 or serial < 1 or certificate_number(year, serial) != text.strip().upper():
        return None  # leading zeros beyond six digits (WJ2026-0000123) name no certificate
    return year, serial


def canonical_number(text: str | None) -> str | None:
    """The canonical form of a typed number (WJ2026-000123), or None."""
    parsed = parse_number(text)
    return certificate_number(*parsed) if parsed is not None else None
