"""Certificates as PDF (RULES.md §15): A4 landscape, one page each, Chinese text that a reader can extract, the league,
the full name, event, occupation and level, prize or title, issuer, date, number and a QR code to /verify/<number>.
Pages are drawn with pdftoppm and read back with pdftotext (poppler-utils; skipped with a notice without it, except
in CI: tests/pdf_fixtures.py)."""
import subprocess

import pytest
from PIL import Image

from competition.models import Nomination, NominationState
from competition.pdf import render_certificates, verify_url
from competition.services.audit import Actor
from competition.services.certificates.queries import card, event_certificates
from competition.services.titles.nominations import approve
from tests.certificate_builders import NAMES, certificate_world, pdf_pages, pdf_pngs, pdf_text

BASE = "https://league.example.cn"


@pytest.fixture
def printed(db, pdf_tools):
    """The certificates of a final event (six prizes and the title of its winner) as one PDF."""
    world, users = certificate_world()
    nomination = db.session.scalar(db.select(Nomination).where(
        Nomination.event_id == world.event.id, Nomination.state == NominationState.PROPOSED, Nomination.rank == 1))
    approve(Actor(users["organiser"]), nomination)
    cards = [card(c) for c in event_certificates(world.event)]
    return render_certificates(cards, BASE, title="电工技能竞赛-证书", chunk=4), cards


def test_one_a4_landscape_page_per_certificate_drawn_by_pdftoppm(printed, tmp_path):
    data, cards = printed
    assert data.startswith(b"%PDF") and len(cards) == 7
    assert pdf_pages(data, tmp_path) == 7  # four, then three: two chunks joined in order
    pages = pdf_pngs(data, tmp_path, 1, 2)
    assert len(pages) == 2
    for page in pages:
        with Image.open(page) as image:
            width, height = image.size
            assert abs(width / height - 297 / 210) < 0.01  # A4 landscape
            darkest, lightest = image.convert("L").getextrema()
            assert darkest < 80 and lightest > 200  # drawn: dark text and frame on white paper


def test_the_text_is_chinese_a_reader_can_extract(printed, tmp_path):
    data, _cards = printed
    first = pdf_text(data, tmp_path, 1, 1)
    for expected in (NAMES[0], "一等奖", "WJ2026-000001", "电工技能竞赛", "电工", "三级/高级工",
                     "吴江区职业技能联赛组委会", verify_url(BASE, "WJ2026-000001")):
        assert expected in first, expected
    assert "吴江职业技能联赛" in first.replace(" ", "")  # the heading is letter-spaced
    second = pdf_text(data, tmp_path, 2, 2)
    assert NAMES[1] in second and "二等奖" in second and "WJ2026-000002" in second
    assert "获奖证书" in first.replace(" ", "")
    title = pdf_text(data, tmp_path, 7, 7)
    assert "荣誉证书" in title.replace(" ", "") and "吴江区技术能手" in title and NAMES[0] in title and "WJ2026-000007" in title


def test_the_fonts_are_embedded_noto_cjk(printed, tmp_path):
    data, _cards = printed
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, timeout=60).stdout.decode()
    assert "Noto-Serif-CJK-SC" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())  # embedded


def test_the_qr_code_points_at_the_verification_page(db):
    from competition.pdf import certificates_html

    world, _ = certificate_world()
    html = certificates_html([card(c) for c in event_certificates(world.event)][:1], BASE)
    assert 'src="data:image/png;base64,' in html and f"{BASE}/verify/WJ2026-000001" in html
    assert world.entries["001"].person.id_number not in html
