"""Migration 0007 (issue 14, finding 1): rows stored before identifiers were normalised are brought into line.
One employee enrolled four times under four spellings, holding two titles and two live nominations, becomes
one person with one entry per event, one title and one live nomination; what was doubled is written to the
audit log with the money; an enterprise whose credit code collides is reported; and the chain verifies."""
from datetime import date, datetime, timezone

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from competition.extensions import db
from competition.services.audit import verify_chain
from tests.builders import credit_code, id_number

pytestmark = pytest.mark.db

NUMBER = id_number(5, birth="19880808")
SPELLINGS = [NUMBER, NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
             NUMBER.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
             NUMBER.translate(str.maketrans("0123456789", "०१२३४५६७८९"))]
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _insert(table: str, **values) -> int:
    """One row through plain SQL (the schema at revision 0006); its id."""
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return db.session.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"), values).scalar()


def _event(season_id: int, name: str) -> int:
    """An event with one module and criterion, enough for marks."""
    event = _insert("events", season_id=season_id, name=name, occupation="电工", level=3, kind="district",
                    status="scoring", event_date=date(2026, 6, 1), registration_deadline=date(2026, 5, 1),
                    aggregation="mean", aggregation_level="judge_total", tie_breaks="[]", strict_ranking=False,
                    nomination_quota=3, created_at=NOW, updated_at=NOW)
    module = _insert("modules", event_id=event, name="操作技能", kind="practical", weight=100, position=0)
    _insert("criteria", module_id=module, name="质量", max_score=100, kind="judgement", position=0)
    return event


def _before_0007():
    """The attack's leftovers: four persons for one employee, entries, marks, two titles, nominations."""
    s2025 = _insert("seasons", year=2025, name="2025", budget=100000, created_at=NOW)
    s2026 = _insert("seasons", year=2026, name="2026", budget=100000, created_at=NOW)
    firm = _insert("enterprises", name="恒力", credit_code=credit_code(3), created_at=NOW)
    _insert("enterprises", name="恒力（全角登记）",
            credit_code=credit_code(3).translate(str.maketrans("0123456789", "０１２３４５６７８９")), created_at=NOW)
    persons = [_insert("persons", id_number=n, name="钟敏", birth_date=date(1988, 8, 8), gender="男", created_at=NOW)
               for n in SPELLINGS]
    event, other_event = _event(s2026, "电工技能竞赛"), _event(s2026, "焊工技能竞赛")
    criterion = db.session.execute(text("SELECT min(id) FROM criteria")).scalar()
    entries = [_insert("entries", event_id=event, person_id=p, employer_id=firm, status="present", number=f"00{i}",
                       created_at=NOW) for i, p in enumerate(persons, 1)]
    _insert("entries", event_id=other_event, person_id=persons[1], employer_id=firm, status="registered",
            created_at=NOW)
    _insert("marks", event_id=event, entry_id=entries[3], criterion_id=criterion, judge_key=0, value=80, version=1,
            updated_at=NOW)
    first = _insert("nominations", season_id=s2025, person_id=persons[0], route="enterprise", state="approved",
                    enterprise_id=firm, created_at=NOW)
    second = _insert("nominations", season_id=s2026, person_id=persons[1], route="enterprise", state="approved",
                     enterprise_id=firm, created_at=NOW)
    _insert("nominations", season_id=s2025, person_id=persons[2], route="enterprise", state="proposed",
            enterprise_id=firm, created_at=NOW)
    _insert("expert_titles", person_id=persons[0], season_id=s2025, year=2025, route="enterprise", nomination_id=first,
            enterprise_id=firm, subsidy=2000, awarded_at=NOW)
    _insert("expert_titles", person_id=persons[1], season_id=s2026, year=2026, route="enterprise",
            nomination_id=second, enterprise_id=firm, subsidy=2000, awarded_at=NOW)
    db.session.commit()
    return persons, entries


def test_one_employee_in_four_spellings_becomes_one_person_and_the_doubles_are_reported(bare_app, capsys):
    app = bare_app
    with app.app_context():
        upgrade(revision="0006_snapshot_explanations")
        persons, entries = _before_0007()
        upgrade()
        one = lambda sql: db.session.execute(text(sql)).all()  # noqa: E731
        assert one("SELECT id, id_number FROM persons") == [(persons[0], NUMBER)]
        assert one("SELECT count(*) FROM entries WHERE person_id = %d" % persons[0]) == [(2,)]
        assert one("SELECT id FROM entries ORDER BY id")[0] == (entries[0],)  # the earliest entry stays
        assert one("SELECT count(*) FROM marks") == [(0,)]  # the removed entry's marks went with it
        assert one("SELECT year, subsidy FROM expert_titles") == [(2025, 2000)]
        states = dict(one("SELECT state, count(*) FROM nominations GROUP BY state"))
        assert states == {"approved": 1, "rejected": 2}
        reasons = [r for (r,) in one("SELECT reason FROM nominations WHERE state = 'rejected'")]
        assert all("数据迁移撤销" in r for r in reasons)
        audit = dict(one("SELECT action, count(*) FROM audit_entries WHERE action LIKE 'identity.%' "
                         "GROUP BY action"))
        assert audit == {"identity.merge": 1, "identity.duplicate_entry": 3, "identity.doubled_title": 1,
                         "identity.duplicate_nomination": 1, "identity.duplicate_enterprise": 1}
        doubled = one("SELECT message FROM audit_entries WHERE action = 'identity.doubled_title'")[0][0]
        assert "2000 元被重复计入" in doubled and "请追回" in doubled and NUMBER not in doubled
        assert verify_chain().ok
        db.session.remove()
        db.engine.dispose()
    printed = capsys.readouterr().out
    assert "重复授予" in printed and "实为同一家" in printed
