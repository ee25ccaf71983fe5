"""League-scale data (issue 22, item 5): `flask --app competition seed-scale --seasons 3 --events 300 --entries 30000
--marks 3000000` writes a realistic league fast, for benches on PostgreSQL (SQLite works, slower).

What it writes, in bulk (rows built in memory with their ids, then one COPY per table on PostgreSQL, executemany
elsewhere): seasons after any existing one, enterprises spread over the towns, five judges per event from a pool,
events spread over the seasons (district and enterprise ones, every occupation and level), each with the usual two
modules (theory: one measurement; practical: as many judgement criteria as the marks allow), entries of distinct
people with their employers, and every mark. Then, through the services, each event is signed off (its results
computed and frozen as any event's are) and made final with its prize certificates, so results, standings,
dashboards and public pages have what a real league would give them.
"""
import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, text

from ..extensions import db
from ..models import (Criterion, Enterprise, Entry, Event, EventStatus, Mark, Module, PanelMember, Person, Season,
                      User, utcnow)
from ..rules.identity import credit_check_char, id_check_char
from ..services.accounts import hash_password
from ..services.audit import SYSTEM
from ..services.certificates.issue import issue_event_certificates
from ..services.results.lifecycle import sign_off
from ..services.towns import ensure_founding_towns, town_names

OCCUPATIONS = ("电工", "焊工", "车工", "数控车工", "钳工", "络筒工", "化纤纺丝工", "光纤熔接工", "电线电缆制造工",
               "汽车维修工", "养老护理员", "中式烹调师")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌波宁晨欣怡浩然雨婷佳琪子轩梓涵一诺"
JUDGES_PER_EVENT = 5
PASSWORD = "Caipan-2026"


@dataclass
class ScaleReport:
    """What seed-scale wrote and how long each part took (seconds)."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _next_id(model) -> int:
    return (db.session.scalar(db.select(func.max(model.id))) or 0) + 1


def _bulk(model, rows: list[dict]) -> None:
    """Insert rows (ids included): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    table = model.__table__
    columns = list(rows[0])
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(table.insert(), rows)
        return
    types = {c.name: c.type for c in table.columns}
    processors = {name: types[name].bind_processor(connection.dialect) for name in columns}
    buffer = io.StringIO()
    for row in rows:
        values = []
        for name in columns:
            value = row[name]
            if processors[name] is not None and value is not None:
                value = processors[name](value)
            values.append(r"\N" if value is None else _copy_text(value))
        buffer.write("\t".join(values) + "\n")
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:
            copy.write(buffer.getvalue())


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _reset_sequences(*models) -> None:
    """PostgreSQL: the id sequences continue after the ids written here."""
    if db.session.connection().dialect.name != "postgresql":
        return
    for model in models:
        name = model.__tablename__
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))


def _id_number(rng: random.Random, serial: int) -> str:
    """A valid, unique 居民身份证号码 (serial makes it unique; the birth date is 1965-2002)."""
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 37))
    first17 = f"3205{serial // 1000 % 100:02d}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def seed_scale(seasons: int, events: int, entries: int, marks: int, *, seed: int = 2026,
               progress=lambda message: None) -> ScaleReport:
    """Write the league (see the module's docstring); commits as it goes. Returns counts and timings."""
    rng = random.Random(seed)
    report = ScaleReport()
    started = time.perf_counter()
    ensure_founding_towns()
    towns = town_names()
    first_year = max(2030, (db.session.scalar(db.select(func.max(Season.year))) or 2029) + 1)
    season_rows = [Season(year=first_year + i, name=f"{first_year + i}年吴江职业技能联赛（规模测试）", budget=50_000_000)
                   for i in range(seasons)]
    db.session.add_all(season_rows)
    db.session.flush()

    firms = max(10, entries // 100)
    enterprise_id = _next_id(Enterprise)
    enterprise_rows = []
    for n in range(firms):
        body = f"91320584MB{enterprise_id + n:07d}"
        enterprise_rows.append({"id": enterprise_id + n, "name": f"吴江规模测试{enterprise_id + n:05d}号有限公司",
                                "credit_code": body + credit_check_char(body), "town": towns[n % len(towns)],
                                "created_at": utcnow()})
    _bulk(Enterprise, enterprise_rows)
    firm_ids = [row["id"] for row in enterprise_rows]

    pool = max(JUDGES_PER_EVENT * 2, events // 10)
    user_id = _next_id(User)
    password = hash_password(PASSWORD)
    _bulk(User, [{"id": user_id + n, "username": f"scale_judge_{user_id + n}", "display_name": f"规模裁判{n + 1}",
                  "password_hash": password, "role": "judge", "employer_id": None, "enterprise_id": None,
                  "is_disabled": False, "session_generation": 0, "created_at": utcnow()} for n in range(pool)])
    judge_ids = list(range(user_id, user_id + pool))
    report.seconds["organisation"] = time.perf_counter() - started
    progress(f"enterprises {firms}, judges {pool}")

    per_event = max(1, entries // max(events, 1))
    per_entry = max(2, marks // max(entries, 1))
    judgements = max(1, (per_entry - 1) // JUDGES_PER_EVENT)
    event_id, module_id, criterion_id = _next_id(Event), _next_id(Module), _next_id(Criterion)
    person_id, entry_id, mark_id = _next_id(Person), _next_id(Entry), _next_id(Mark)
    event_rows, module_rows, criterion_rows, panel_rows, person_rows, entry_rows = [], [], [], [], [], []
    now = utcnow()
    criteria_of: dict[int, tuple[int, list[int]]] = {}
    for n in range(events):
        # The k-th event of its season: every season gets every occupation, level and kind, March to November.
        season, k = season_rows[n % seasons], n // seasons
        occupation = OCCUPATIONS[k % len(OCCUPATIONS)]
        enterprise_event = k % 3 == 2
        held = date(season.year, 3 + k % 9, 1 + k % 27)
        eid = event_id + n
        event_rows.append({
            "id": eid, "season_id": season.id, "name": f"{season.year}年{occupation}技能竞赛（第{n + 1}场）",
            "occupation": occupation, "level": 1 + k % 5, "kind": "enterprise" if enterprise_event else "district",
            "host_enterprise_id": firm_ids[n % firms] if enterprise_event else None, "status": "scoring",
            "event_date": held, "registration_deadline": held - timedelta(days=14), "venue": "吴江区职业技能实训基地",
            "aggregation": "mean", "aggregation_level": "judge_total", "tie_breaks": ["practical", "time_used"],
            "strict_ranking": False, "nomination_quota": 3, "open_to": "all", "draw_seed": f"scale-{eid}",
            "drawn_at": now, "created_at": now, "updated_at": now})
        theory, practical = module_id + 2 * n, module_id + 2 * n + 1
        module_rows += [{"id": theory, "event_id": eid, "name": "理论知识", "kind": "theory", "weight": 30, "position": 0},
                        {"id": practical, "event_id": eid, "name": "操作技能", "kind": "practical", "weight": 70,
                         "position": 1}]
        measured = criterion_id
        criterion_rows.append({"id": measured, "module_id": theory, "name": "理论考试", "max_score": Decimal(100),
                               "kind": "measurement", "position": 0})
        judged = []
        share, rest = divmod(100, judgements)
        for k in range(judgements):
            judged.append(criterion_id + 1 + k)
            criterion_rows.append({"id": criterion_id + 1 + k, "module_id": practical, "name": f"操作评分项{k + 1}",
                                   "max_score": Decimal(share + (rest if k == 0 else 0)), "kind": "judgement",
                                   "position": k})
        criteria_of[eid] = (measured, judged)
        criterion_id += 1 + judgements
        panel = rng.sample(judge_ids, JUDGES_PER_EVENT)
        panel_rows += [{"event_id": eid, "user_id": judge, "is_chief": k == 0, "submitted_at": now, "created_at": now}
                       for k, judge in enumerate(panel)]
        for k in range(per_event):
            number = _id_number(rng, person_id)
            person_rows.append({"id": person_id, "id_number": number, "gender": "男" if int(number[16]) % 2 else "女",
                                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                                "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                                "phone": None, "created_at": now})
            entry_rows.append({"id": entry_id, "event_id": eid, "person_id": person_id,
                               "employer_id": firm_ids[rng.randrange(firms)], "status": "present",
                               "number": f"{k + 1:03d}", "checked_in_at": now, "created_at": now})
            person_id += 1
            entry_id += 1
    _bulk(Event, event_rows)
    _bulk(Module, module_rows)
    _bulk(Criterion, criterion_rows)
    _bulk(PanelMember, panel_rows)
    _bulk(Person, person_rows)
    _bulk(Entry, entry_rows)
    db.session.commit()
    report.seconds["events_and_entries"] = time.perf_counter() - started - report.seconds["organisation"]
    progress(f"events {events}, entries {len(entry_rows)}")

    panels: dict[int, list[int]] = {}
    for row in panel_rows:
        panels.setdefault(row["event_id"], []).append(row["user_id"])
    mark_started = time.perf_counter()
    maxima = {row["id"]: row["max_score"] for row in criterion_rows}
    batch: list[dict] = []
    written = 0
    for entry in entry_rows:
        measured, judged = criteria_of[entry["event_id"]]
        skill = rng.uniform(0.55, 0.98)
        batch.append({"id": mark_id, "event_id": entry["event_id"], "entry_id": entry["id"], "criterion_id": measured,
                      "judge_key": 0, "entered_by_id": panels[entry["event_id"]][0],
                      "value": Decimal(round(100 * skill, 1)).quantize(Decimal("0.01")), "version": 1,
                      "updated_at": now})
        mark_id += 1
        for criterion in judged:
            top = maxima[criterion]
            for judge in panels[entry["event_id"]]:
                value = min(top, max(Decimal(0), Decimal(round(float(top) * rng.gauss(skill, 0.04), 1))))
                batch.append({"id": mark_id, "event_id": entry["event_id"], "entry_id": entry["id"],
                              "criterion_id": criterion, "judge_key": judge, "entered_by_id": judge,
                              "value": value.quantize(Decimal("0.01")), "version": 1, "updated_at": now})
                mark_id += 1
        if len(batch) >= 50_000:
            _bulk(Mark, batch)
            written += len(batch)
            batch = []
    _bulk(Mark, batch)
    written += len(batch)
    _reset_sequences(Enterprise, User, Event, Module, Criterion, PanelMember, Person, Entry, Mark)
    db.session.commit()
    report.seconds["marks"] = time.perf_counter() - mark_started
    progress(f"marks {written}")

    final_started = time.perf_counter()
    for row in event_rows:
        event = db.session.get_one(Event, row["id"])
        sign_off(SYSTEM, event)
        published = datetime.combine(event.event_date + timedelta(days=3), datetime.min.time(), timezone.utc)
        event.status, event.published_at = EventStatus.FINAL, published
        event.notice_ends_on, event.finalised_at = event.event_date + timedelta(days=10), published + timedelta(days=8)
        db.session.flush()
        issue_event_certificates(SYSTEM, event)
        db.session.commit()
    report.seconds["results"] = time.perf_counter() - final_started
    report.counts = {"seasons": seasons, "events": len(event_rows), "entries": len(entry_rows), "marks": written,
                     "enterprises": firms, "judges": pool}
    report.seconds["total"] = time.perf_counter() - started
    return report

