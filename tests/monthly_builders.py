"""A constructed month for the monthly feedback tests (RULES.md §17): March 2026 in two towns, with known participants,
prizes, titles and money, and what lies around it (February: the year to date; April: outside)."""
from dataclasses import dataclass
from datetime import date, datetime, timezone

from competition.extensions import db
from competition.models import (Certificate, CertificateKind, Enterprise, EventStatus, ExpertTitle, NominationRoute,
                                PolicyVersion, Reward, RewardKind, RewardState, Role, SubsidyClaim, User)
from competition.models.subsidy import ClaimState
from tests.builders import make_enterprise, make_entry, make_event, make_season, make_user

MARCH = date(2026, 3, 1)
TONGLI, PINGWANG = "同里镇", "平望镇"


@dataclass
class Month:
    """The constructed month's enterprises, users and the people whose names the lists mask."""

    tongli: Enterprise
    pingwang: Enterprise
    organiser: User
    officer: User  # 同里镇's officer
    other_officer: User  # 平望镇's officer
    enterprise_user: User
    title_holder: str
    prize_winner: str


_serial = iter(range(1, 10_000))


def _certificate(entry, event, employer, name: str, tier: int) -> Certificate:
    """A prize certificate of a final event's entry."""
    serial = next(_serial)
    certificate = Certificate(number=f"WJ2026-{serial:06d}", year=2026, serial=serial, kind=CertificateKind.PRIZE,
                              event_id=event.id, entry_id=entry.id, person_id=entry.person_id,
                              enterprise_id=employer.id, prize_name=name, prize_tier=tier)
    db.session.add(certificate)
    return certificate


def _utc(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def build_month() -> Month:
    """March 2026: 同里镇 (A) and 平望镇 (B), and an enterprise with no town.

    Events held in March: E1 (district, final, 10 March): A 2 present + 1 absent, B 1 present + 1 disqualified, the
    townless enterprise 1 present; prizes A 一等奖, B 二等奖. E2 (enterprise event hosted by A, signed off, 20 March): B 1
    present. Not held: a draft dated 15 March with an A entry. February: E4 (final) A 1 present, A 三等奖; a subsidy
    of 3,000 paid to B. April: E5 with A 1 present. Titles: A one awarded 31 March 23:30 Beijing (counted), A one
    awarded 1 April 00:30 Beijing (not). Money in March: a subsidy of 5,000 paid to A; a reward of 1,000 to A's
    employee; 2,000 to 平望镇 itself; a rejected reward of 9,000 to A (never counted).
    """
    tongli, pingwang = make_enterprise(town=TONGLI), make_enterprise(town=PINGWANG)
    nowhere = make_enterprise(town=None)
    season = make_season(year=2026)
    e1 = make_event("final", season=season, name="三月区级电工竞赛", event_date=date(2026, 3, 10),
                    registration_deadline=date(2026, 3, 1))
    a1, _a2 = make_entry(e1, "001", employer=tongli), make_entry(e1, "002", employer=tongli)
    make_entry(e1, None, "absent", employer=tongli)
    b1 = make_entry(e1, "003", employer=pingwang)
    make_entry(e1, "004", "disqualified", employer=pingwang)
    make_entry(e1, "005", employer=nowhere)
    _certificate(a1, e1, tongli, "一等奖", 1)
    _certificate(b1, e1, pingwang, "二等奖", 2)
    e2 = make_event("signed_off", season=season, name="同里企业焊工比武", kind="enterprise",
                    host_enterprise_id=tongli.id, event_date=date(2026, 3, 20), registration_deadline=date(2026, 3, 10))
    make_entry(e2, "001", employer=pingwang)
    draft = make_event("draft", season=season, name="三月草稿赛项", event_date=date(2026, 3, 15),
                       registration_deadline=date(2026, 3, 5))
    make_entry(draft, "001", employer=tongli)
    e4 = make_event("final", season=season, name="二月钳工竞赛", event_date=date(2026, 2, 10),
                    registration_deadline=date(2026, 2, 1))
    a4 = make_entry(e4, "001", employer=tongli)
    _certificate(a4, e4, tongli, "三等奖", 3)
    e5 = make_event("final", season=season, name="四月车工竞赛", event_date=date(2026, 4, 5),
                    registration_deadline=date(2026, 3, 25))
    make_entry(e5, "001", employer=tongli)
    a1.person.name, a4.person.name = "欧阳娜娜", "张三丰"
    title_person = _a2.person
    title_person.name = "李小明"
    db.session.add(ExpertTitle(person_id=title_person.id, season_id=season.id, year=2026,
                               route=NominationRoute.COMPETITION, event_id=e1.id, enterprise_id=tongli.id,
                               subsidy=3000, awarded_at=_utc(2026, 3, 31, 15, 30)))
    db.session.add(ExpertTitle(person_id=a4.person_id, season_id=season.id, year=2026,
                               route=NominationRoute.COMPETITION, event_id=e4.id, enterprise_id=tongli.id,
                               subsidy=3000, awarded_at=_utc(2026, 3, 31, 16, 30)))
    policy = db.session.scalar(db.select(PolicyVersion.id).order_by(PolicyVersion.id))
    for event, host, amount, paid_on in ((e2, tongli, 5000, date(2026, 3, 5)), (e4, pingwang, 3000, date(2026, 2, 1))):
        db.session.add(SubsidyClaim(event_id=event.id, season_id=season.id, host_enterprise_id=host.id,
                                    policy_version_id=policy, state=ClaimState.PAID, amount=amount, participants=1,
                                    paid_on=paid_on, voucher=f"PZ-{amount}"))
    db.session.add_all([
        Reward(season_id=season.id, kind=RewardKind.INDIVIDUAL, person_id=a1.person_id, enterprise_id=tongli.id,
               amount=1000, basis="省赛一等奖", state=RewardState.PAID, paid_on=date(2026, 3, 20), voucher="JL-1"),
        Reward(season_id=season.id, kind=RewardKind.ORGANISING_UNIT, town=PINGWANG, amount=2000, basis="组织参赛",
               state=RewardState.PAID, paid_on=date(2026, 3, 12), voucher="JL-2"),
        Reward(season_id=season.id, kind=RewardKind.SENDING_UNIT, enterprise_id=tongli.id, amount=9000, basis="驳回",
               state=RewardState.REJECTED, reason="不符合条件"),
    ])
    for event in (e1, e2, e4, e5):
        assert event.status in (EventStatus.FINAL, EventStatus.SIGNED_OFF)
    month = Month(tongli, pingwang, make_user(Role.ORGANISER), make_user(Role.TOWN, town=TONGLI),
                  make_user(Role.TOWN, town=PINGWANG), make_user(Role.ENTERPRISE, enterprise=tongli),
                  "李小明", "欧阳娜娜")
    db.session.commit()
    return month
