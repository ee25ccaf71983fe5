"""Shared bench helpers: a throwaway SQLite app, bulk-built events, percentiles and the JSON reports in bench/out/."""
import json
import math
import os
import random
import sys
from datetime import date
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from sqlalchemy import insert  # noqa: E402

from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Entry, EntryStatus, Mark, PanelMember, Person, Role, utcnow  # noqa: E402
from competition.rules.events import CriterionSpec, ModuleSpec  # noqa: E402
from tests.builders import credit_code, make_enterprise, make_event, make_user  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌"


def app_for(url: str, folder: str):
    """The real app factory bound to a database URL, with a fixed secret and the instance in `folder`."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench" * 8})


def scheme(judged: int) -> tuple:
    """Theory 30% (one measurement /100) and practical 70% of `judged` judgement criteria summing to 100."""
    share = 100 // judged
    maxima = [share] * (judged - 1) + [100 - share * (judged - 1)]
    return (ModuleSpec("理论知识", "theory", 30, (CriterionSpec("理论考试", "100", "measurement"),)),
            ModuleSpec("操作技能", "practical", 70,
                       tuple(CriterionSpec(f"评分项{i + 1}", str(m), "judgement") for i, m in enumerate(maxima))))


def person_name(i: int) -> str:
    """A plausible two- or three-character Chinese name."""
    return SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + (GIVEN[(i // 600) % len(GIVEN)] if i % 3 else "")


def build_event(status: str, *, entries: int, judges: int, judged: int, marked: bool, season=None,
                employers: int = 20, tag: str = "") -> tuple:
    """An event with `judges` panel judges (the first chief) and `entries` present entries numbered 0001…,
    built with bulk inserts; with `marked` every mark is entered and every judge has submitted.
    Returns (event, judge users)."""
    rng = random.Random(2012 + entries)
    event = make_event(status, season=season, modules=scheme(judged), name=f"基准赛项{tag}")
    panel = [make_user(Role.JUDGE) for _ in range(judges)]
    submitted = utcnow() if marked else None
    event.panel.extend(PanelMember(user_id=j.id, is_chief=i == 0, submitted_at=submitted) for i, j in enumerate(panel))
    companies = [make_enterprise(credit_code=credit_code(90_000 + event.id * 100 + n), name=f"吴江{tag}基准企业{n}有限公司")
                 for n in range(employers)]
    prefix = f"E{event.id:05d}"
    db.session.execute(insert(Person), [{"id_number": f"{prefix}{i:012d}", "name": person_name(i),
                                         "birth_date": date(1990, 1, 1), "gender": "男"} for i in range(entries)])
    people = db.session.scalars(db.select(Person.id).where(Person.id_number.like(f"{prefix}%")).order_by(Person.id))
    db.session.execute(insert(Entry), [
        {"event_id": event.id, "person_id": pid, "status": EntryStatus.PRESENT, "number": f"{i + 1:04d}",
         "employer_id": companies[i % employers].id if employers else None, "time_used_seconds": rng.randint(600, 660)}
        for i, pid in enumerate(people.all())])
    if marked:
        _mark_all(event, panel, rng)
    db.session.flush()
    return event, panel


def _mark_all(event, panel, rng: random.Random) -> None:
    """Every mark of every present entry, bulk inserted: the theory value and each judge's judgements."""
    entry_ids = db.session.scalars(db.select(Entry.id).where(Entry.event_id == event.id)).all()
    theory, practical = sorted(event.modules, key=lambda m: m.position)
    rows = []
    for entry_id in entry_ids:
        rows.append(_mark(event.id, entry_id, theory.criteria[0].id, 0, rng.randint(6000, 10000)))
        rows += [_mark(event.id, entry_id, c.id, judge.id, rng.randint(int(c.max_score) * 60, int(c.max_score) * 100))
                 for judge in panel for c in practical.criteria]
    db.session.execute(insert(Mark), rows)


def _mark(event_id: int, entry_id: int, criterion_id: int, key: int, cents: int) -> dict:
    """One raw mark row for a bulk insert."""
    return {"event_id": event_id, "entry_id": entry_id, "criterion_id": criterion_id, "judge_key": key,
            "value": Decimal(cents).scaleb(-2), "version": 1}


def percentile(values, p: float) -> float:
    """The p-th percentile (nearest rank) of a list of numbers; 0.0 when empty."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def verdict(ok: bool) -> str:
    """OK or MISSED, as every table prints it."""
    return "OK" if ok else "MISSED"


def save_report(name: str, report: dict) -> str:
    """Write a script's JSON report to bench/out/<name>.json (read by bench/summary.py); returns the path."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"{name}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=1)
    return path
