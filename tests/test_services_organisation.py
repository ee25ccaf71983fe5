"""Enterprise and season use cases: validation, uniqueness, audit."""
import pytest

from tests.builders import credit_code

from competition.errors import Duplicate, Invalid
from competition.models import AuditEntry, Enterprise
from competition.services.audit import SYSTEM
from competition.services.organisation import (
    EnterpriseData,
    SeasonData,
    create_enterprise,
    create_season,
    update_enterprise,
)


def test_enterprise_credit_code_is_checked_and_normalised(db):
    enterprise = create_enterprise(SYSTEM, EnterpriseData("福州某某有限公司", "91350100m000100y43", " 盛泽镇 "))
    assert enterprise.credit_code == "91350100M000100Y43" and enterprise.town == "盛泽镇"
    with pytest.raises(Invalid) as caught:
        create_enterprise(SYSTEM, EnterpriseData("另一家公司", "91350100M000100Y44"))
    assert caught.value.details[0]["field"] == "credit_code"


def test_duplicate_credit_code_and_name(db):
    create_enterprise(SYSTEM, EnterpriseData("福州某某有限公司", "91350100M000100Y43"))
    with pytest.raises(Duplicate):
        create_enterprise(SYSTEM, EnterpriseData("改名公司", "91350100M000100Y43"))
    with pytest.raises(Duplicate):
        create_enterprise(SYSTEM, EnterpriseData("福州某某有限公司", credit_code(5)))
    assert db.session.scalar(db.select(db.func.count(Enterprise.id))) == 1


def test_update_enterprise_audits_before_and_after(db):
    enterprise = create_enterprise(SYSTEM, EnterpriseData("福州某某有限公司", "91350100M000100Y43"))
    update_enterprise(SYSTEM, enterprise, EnterpriseData("福州新名称有限公司", "91350100M000100Y43", "平望镇"))
    row = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert row.action == "enterprise.update"
    assert row.before["name"] == "福州某某有限公司" and row.after["name"] == "福州新名称有限公司"


@pytest.mark.parametrize("data, field", [
    (SeasonData(2011, "太早的年度", 0), "year"),
    (SeasonData(2026, "x", 0), "name"),
    (SeasonData(2026, "2026年度", -1), "budget"),
    (SeasonData(2026, "2026年度", None), "budget"),
])
def test_season_validation(db, data, field):
    with pytest.raises(Invalid) as caught:
        create_season(SYSTEM, data)
    assert field in {d["field"] for d in caught.value.details}


def test_duplicate_season_year(db):
    create_season(SYSTEM, SeasonData(2026, "2026年度", 100))
    with pytest.raises(Duplicate):
        create_season(SYSTEM, SeasonData(2026, "又一个2026", 100))


def test_search_treats_percent_and_underscore_literally(db):
    from competition.services.organisation import enterprise_query

    create_enterprise(SYSTEM, EnterpriseData("百分百_科技有限公司", credit_code(7)))
    create_enterprise(SYSTEM, EnterpriseData("普通机械有限公司", credit_code(8)))
    names = lambda term: [e.name for e in db.session.scalars(enterprise_query(term))]  # noqa: E731
    assert names("%") == [] and names("_") == ["百分百_科技有限公司"]
