"""Builders for certificates: a final event of ten contestants whose prizes (一等奖 1, 二等奖 2, 三等奖 3 under the
default tiers) got their certificates when it was finalised, with Chinese names, and the PDF tools the tests read
certificates with (poppler-utils' pdftoppm, pdftotext and pdfinfo; the `pdf_tools` fixture of tests/pdf_fixtures.py
skips a test without them)."""
import subprocess
from pathlib import Path

from competition.extensions import db
from competition.models import Certificate, CertificateKind, Entry, Role
from tests.builders import make_enterprise, make_season, make_user
from tests.marking_builders import final_world

# theory marks of 001 … 010 (practical 50 + 30 for all): the totals fall with the number, no ties
THEORIES = ("98", "95", "92", "89", "86", "83", "80", "77", "74", "71")
NAMES = ("欧阳建国", "张三丰", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一")
PRIZES = {"001": "一等奖", "002": "二等奖", "003": "二等奖", "004": "三等奖", "005": "三等奖", "006": "三等奖"}


def certificate_world(*, season=None):
    """A final event of ten (the odd numbers employed by `firm`, the even by `other`), its certificates issued at
    finalisation; an organiser, each firm's HR user and a judge. Committed. Returns (world, users)."""
    firm, other = make_enterprise(), make_enterprise()
    employers = tuple(firm if i % 2 == 0 else other for i in range(10))

    def rename(world):
        for name, entry in zip(NAMES, world.entries.values()):
            entry.person.name = name
        world.event.name, world.event.occupation, world.event.level = "电工技能竞赛", "电工", 3

    world = final_world({f"{i + 1:03d}": (theory, "50", "30") for i, theory in enumerate(THEORIES)},
                        employers=employers, season=season or make_season(year=2026), before_final=rename)
    users = {"organiser": world.organiser, "enterprise": make_user(Role.ENTERPRISE, enterprise=firm),
             "other": make_user(Role.ENTERPRISE, enterprise=other), "judge": world.judges[1]}
    db.session.commit()
    return world, users


def prize_certificates(event) -> dict[str, Certificate]:
    """The event's prize certificates by competition number."""
    numbers = {entry_id: number for number, entry_id in db.session.execute(
        db.select(Entry.number, Entry.id).where(Entry.event_id == event.id))}
    return {numbers[c.entry_id]: c for c in db.session.scalars(db.select(Certificate).where(
        Certificate.event_id == event.id, Certificate.kind == CertificateKind.PRIZE))}


def pdf_text(data: bytes, folder: Path, first: int = 1, last: int | None = None) -> str:
    """The text of a PDF's pages (pdftotext, layout kept), from `first` to `last`."""
    path = folder / "read.pdf"
    path.write_bytes(data)
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")


def pdf_pngs(data: bytes, folder: Path, first: int = 1, last: int = 2) -> list[Path]:
    """The PDF's pages `first`..`last` drawn as PNG images (pdftoppm, 50 dpi)."""
    path = folder / "draw.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "50", "-f", str(first), "-l", str(last), "-png", str(path),
                    str(folder / "page")], check=True, capture_output=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def pdf_pages(data: bytes, folder: Path) -> int:
    """How many pages a PDF has (pdfinfo)."""
    path = folder / "count.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, timeout=60).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
