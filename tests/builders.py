"""Test builders with defaults: make_*(**overrides) returns a flushed row."""
import functools
import itertools
from datetime import date, timedelta

from competition.extensions import db
from competition.models import Enterprise, Entry, EntryStatus, Person, Role, Season, User
from competition.rules.identity import CREDIT_ALPHABET, credit_check_char, id_check_char

PASSWORD = "Passw0rd123"
_counter = itertools.count(1)
_entry_counter = itertools.count(1)


@functools.lru_cache(maxsize=None)
def _hash(password: str) -> str:
    """scrypt is deliberately slow; hash each test password once per run."""
    from competition.services.accounts import hash_password

    return hash_password(password)


def credit_code(seed: int) -> str:
    """A valid 统一社会信用代码 derived from a number."""
    digits, n = [], seed
    for _ in range(9):  # seed in base 31: distinct for every seed below 31**9
        n, rest = divmod(n, 31)
        digits.append(CREDIT_ALPHABET[rest])
    body = "91320509" + "".join(reversed(digits))
    return body + credit_check_char(body)


def id_number(seed: int, *, birth: str = "19900101", female: bool = False) -> str:
    """A valid 居民身份证号码 for a Wujiang resident born on `birth`."""
    serial = (seed % 499) * 2 + (0 if female else 1)
    first17 = f"320584{birth}{serial:03d}"
    return first17 + id_check_char(first17)


def make_enterprise(**overrides) -> Enterprise:
    """An enterprise with a valid, unique credit code."""
    n = next(_counter)
    values = {"name": f"测试企业{n}有限公司", "credit_code": credit_code(n), "town": "松陵街道"}
    values.update(overrides)
    enterprise = Enterprise(**values)
    db.session.add(enterprise)
    db.session.flush()
    return enterprise


def make_user(role: Role | str = Role.ORGANISER, password: str = PASSWORD, **overrides) -> User:
    """A user of the given role; enterprise users get an enterprise unless one is given."""
    role = Role(role)
    n = next(_counter)
    values = {"username": f"{role.value}{n}", "display_name": f"{role.label}{n}", "role": role,
              "password_hash": _hash(password)}
    if role is Role.ENTERPRISE and "enterprise_id" not in overrides and "enterprise" not in overrides:
        values["enterprise"] = make_enterprise()
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def make_season(**overrides) -> Season:
    """A season with a budget; without a year, one of 2041-2100, so that it never takes a year a test asks for by
    name (2025-2040, today's): seasons' years are unique, and a collision made tests fail now and then."""
    n = next(_counter)
    values = {"name": f"测试联赛年度{n}", "budget": 1_000_000}
    if "year" not in overrides:  # the next free one of 2041-2100 (the counter is shared: a year may come round again)
        taken = set(db.session.scalars(db.select(Season.year).where(Season.year.between(2041, 2100))))
        values["year"] = next(2041 + (n + k) % 60 for k in range(60) if 2041 + (n + k) % 60 not in taken)
    values.update(overrides)
    season = Season(**values)
    db.session.add(season)
    db.session.flush()
    return season


def default_modules():
    """Theory 30% (one measurement out of 100) and practical 70% (two judgement criteria, 60 + 40)."""
    from competition.rules.events import CriterionSpec, ModuleSpec

    return (
        ModuleSpec("理论知识", "theory", 30, (CriterionSpec("理论考试", "100", "measurement"),)),
        ModuleSpec("操作技能", "practical", 70, (CriterionSpec("工艺质量", "60", "judgement"),
                                                CriterionSpec("安全文明", "40", "judgement"))),
    )


def event_data(season, **overrides):
    """EventData for a district event on 2026-06-15 with the default scheme."""
    from datetime import date

    from competition.services.events.lifecycle import EventData

    values = {"season_id": season.id, "name": "电工技能竞赛", "occupation": "电工", "level": 3,
              "kind": "district", "event_date": date(2026, 6, 15), "registration_deadline": date(2026, 6, 1),
              "venue": "吴江区职业技能鉴定中心", "modules": default_modules()}
    values.update(overrides)
    return EventData(**values)


def make_event(status: str = "draft", season=None, **overrides):
    """An event in the given status (set directly, for tests that start mid-lifecycle)."""
    from competition.models import EventStatus
    from competition.services.audit import SYSTEM
    from competition.services.events.lifecycle import create_event

    event, _ = create_event(SYSTEM, event_data(season or make_season(), **overrides))
    event.status = EventStatus(status)
    db.session.flush()
    return event


def seat_panel(event, judges: int = 3):
    """Seat `judges` new judges on an event's panel, the first as chief: scoring needs 3 for a trimmed mean."""
    from competition.models import PanelMember

    seated = [make_user(Role.JUDGE) for _ in range(judges)]
    event.panel.extend(PanelMember(user_id=judge.id, is_chief=i == 0) for i, judge in enumerate(seated))
    db.session.flush()
    return seated


def make_entry(event, number: str | None, status: str = "present", employer=None, time_used=None) -> Entry:
    """An entry of a new person, checked in with the given status and competition number."""
    n = next(_entry_counter)
    person = Person(id_number=id_number(n, birth=f"{1970 + n // 400:04d}0101"), name=f"选手{n}",
                    birth_date=date(1970 + n // 400, 1, 1), gender="男")
    entry = Entry(event_id=event.id, person=person, status=EntryStatus(status), number=number,
                  employer_id=employer.id if employer else None, time_used_seconds=time_used)
    db.session.add(entry)
    db.session.flush()
    return entry


def make_open_event(**overrides):
    """An open event whose registration closes in ten days (so enrolment works whatever today is)."""
    today = date.today()
    values = {"event_date": today + timedelta(days=30), "registration_deadline": today + timedelta(days=10)}
    return make_event("open", **(values | overrides))


def add_entry(event, name: str, seed: int, employer=None, status: EntryStatus | None = None,
              phone: str | None = "13912345678") -> Entry:
    """Enrol a contestant through the service, then set a check-in state directly."""
    from competition.services.audit import SYSTEM
    from competition.services.events.entries import EntryData, enrol

    entry = enrol(SYSTEM, event, EntryData(name, id_number(seed), phone, employer.id if employer else None))
    if status is not None:
        entry.status = status
    return entry


def build_season(db, scoring_events: int = 1, year: int = 2026):
    """March: an open 电工 event (5 registered, 3 present); October: `scoring_events` 焊工 events in scoring;
    a cancelled event that counts nowhere."""
    from competition.models import EventStatus, PanelMember

    season = make_season(year=year, budget=100_000)
    shengze, qidu = make_enterprise(town="盛泽镇"), make_enterprise(town="七都镇")
    march = make_event("open", season=season, occupation="电工", event_date=date(year, 3, 20),
                       registration_deadline=date(year, 3, 1))
    for status, employer in (("present", shengze), ("present", shengze), ("present", qidu), ("absent", qidu),
                             ("withdrawn", shengze)):
        make_entry(march, None, status, employer)
    scoring = []
    for _ in range(scoring_events):
        event = make_event("open", season=season, occupation="焊工", event_date=date(year, 10, 9),
                           registration_deadline=date(year, 9, 20))
        plain, conflicted = make_user(Role.JUDGE), make_user(Role.JUDGE, employer=shengze)
        event.panel.extend([PanelMember(user_id=plain.id, is_chief=True), PanelMember(user_id=conflicted.id)])
        for number, status, employer in (("001", "present", shengze), ("002", "present", None),
                                         ("003", "disqualified", qidu)):
            make_entry(event, number, status, employer)
        event.status = EventStatus.SCORING
        db.session.flush()
        scoring.append((event, plain))
    cancelled = make_event("open", season=season, occupation="钳工", event_date=date(year, 3, 25),
                           registration_deadline=date(year, 3, 10))
    make_entry(cancelled, None, "present", shengze)
    cancelled.status = EventStatus.CANCELLED
    db.session.flush()
    return season, march, scoring, (shengze, qidu)
