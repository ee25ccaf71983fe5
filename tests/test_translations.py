"""The English catalog: every string in the code and templates is translated, placeholders survive, the .mo is current.

When a test here fails, rerun the procedure in babel.cfg (extract, update, translate, compile).
"""
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "competition" / "translations" / "en" / "LC_MESSAGES"
PO, MO = CATALOG / "messages.po", CATALOG / "messages.mo"

# %(name)s conversions, the escaped %% and any lone % (templates always apply `% variables`, so each must survive).
PERCENT = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|%")
BRACE = re.compile(r"\{\w*\}")


def read_catalog(path: Path):
    """A .po file as a babel Catalog."""
    with path.open("rb") as handle:
        return read_po(handle, locale="en")


def texts(message) -> tuple[str, ...]:
    """A message's id or string as a tuple (plural messages have several)."""
    value = message if isinstance(message, (tuple, list)) else (message,)
    return tuple(part or "" for part in value)


@pytest.fixture(scope="module")
def po():
    return read_catalog(PO)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The msgids in the code and templates now, extracted as babel.cfg says (into a temporary .pot)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-k", "Message", "-o", str(pot), str(ROOT)],
        check=True, capture_output=True, timeout=60,
    )
    catalog = read_catalog(pot)
    return {message.id: message for message in catalog if message.id}


def test_the_extraction_finds_the_strings(extracted):
    assert len(extracted) > 500
    assert "用户名" in extracted and "%(year)s 年度" in extracted  # one from Python, one from a template


def test_every_extracted_string_has_an_english_translation(extracted, po):
    missing = []
    for msgid in extracted:
        message = po.get(msgid)
        if message is None or message.fuzzy or not all(part.strip() for part in texts(message.string)):
            missing.append(msgid)
    assert not missing, (
        f"{len(missing)} msgid(s) have no English translation in {PO.relative_to(ROOT)} "
        "(new, empty or fuzzy; rerun the procedure in babel.cfg):\n" + "\n".join(map(repr, missing)))


def test_no_fuzzy_or_obsolete_entries(po):
    fuzzy = [message.id for message in po if message.id and message.fuzzy]
    assert not fuzzy, f"fuzzy entries are not compiled into the .mo; check and unflag them: {fuzzy}"
    assert not po.obsolete, f"obsolete (#~) entries to remove: {list(po.obsolete)}"


def test_placeholders_match(po):
    wrong = []
    for message in po:
        if not message.id or not message.string:
            continue
        source = " ".join(texts(message.id))
        for translated in texts(message.string):
            if sorted(PERCENT.findall(source)) != sorted(PERCENT.findall(translated)):
                wrong.append((message.id, translated))
            elif "python-brace-format" in message.flags and sorted(BRACE.findall(source)) != sorted(BRACE.findall(translated)):
                wrong.append((message.id, translated))
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(f"{a!r} → {b!r}" for a, b in wrong)


def test_the_committed_mo_matches_the_po(po):
    compiled = io.BytesIO()
    write_mo(compiled, po)  # what `pybabel compile` writes (fuzzy entries left out)
    compiled.seek(0)
    with MO.open("rb") as handle:
        committed = read_mo(handle)
    expected = {message.id: message.string for message in read_mo(compiled) if message.id}
    actual = {message.id: message.string for message in committed if message.id}
    stale = sorted({msgid for msgid in expected.keys() | actual.keys() if expected.get(msgid) != actual.get(msgid)},
                   key=str)
    assert not stale, (f"{MO.relative_to(ROOT)} is out of date with the .po "
                       f"(run: .venv/bin/pybabel compile -d competition/translations): {stale[:20]}")
