"""Issuing certificates (RULES.md §15): one per prize when an event becomes final and one per 技术能手 title, numbered
per year in order, never renumbered, unique in the database; what the public may read of one."""
import pytest
from sqlalchemy.exc import IntegrityError

from competition.models import AuditEntry, Certificate, CertificateKind, EventStatus, Nomination, NominationState
from competition.rules.identity import mask_name
from competition.services.audit import SYSTEM, Actor
from competition.services.certificates import queries
from competition.services.certificates.issue import (ensure_event_certificates, issue_event_certificates,
                                                     issue_missing, issue_title_certificate)
from competition.services.titles.nominations import approve
from tests.builders import make_season
from tests.certificate_builders import NAMES, PRIZES, certificate_world, prize_certificates
from tests.marking_builders import give_title


def test_finalising_numbers_a_certificate_for_every_prize_in_ranking_order(db):
    world, _users = certificate_world()
    certificates = prize_certificates(world.event)
    assert {number: c.prize_name for number, c in certificates.items()} == PRIZES
    assert [certificates[n].number for n in sorted(certificates)] == [f"WJ2026-{i:06d}" for i in range(1, 7)]
    first = certificates["001"]
    assert (first.kind, first.year, first.serial, first.event_id) == (CertificateKind.PRIZE, 2026, 1, world.event.id)
    assert first.person.name == NAMES[0] and first.enterprise_id == world.entries["001"].employer_id
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "certificate.issue"))
    assert audit.object_id == world.event.id and audit.after["certificates"][0] == {
        "number": "WJ2026-000001", "entry_id": first.entry_id, "prize": "一等奖"}


def test_issuing_again_changes_nothing_and_a_later_event_continues_the_year(db):
    season = make_season(year=2026)
    first, _ = certificate_world(season=season)
    before = {n: c.number for n, c in prize_certificates(first.event).items()}
    assert issue_event_certificates(SYSTEM, first.event) == [] and ensure_event_certificates(SYSTEM, first.event) == []
    second, _ = certificate_world(season=season)
    assert {n: c.number for n, c in prize_certificates(first.event).items()} == before
    assert sorted(c.serial for c in prize_certificates(second.event).values()) == list(range(7, 13))
    other_year, _ = certificate_world(season=make_season(year=2027))
    assert sorted(c.number for c in prize_certificates(other_year.event).values())[0] == "WJ2027-000001"


def test_nothing_is_issued_before_an_event_is_final(db):
    world, _ = certificate_world()
    world.event.status = EventStatus.NOTICE
    db.session.execute(db.delete(Certificate))
    assert issue_event_certificates(SYSTEM, world.event) == []
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_the_database_refuses_a_second_certificate_with_a_number_or_for_a_prize(db):
    world, _ = certificate_world()
    taken = prize_certificates(world.event)["001"]
    for clash in ({"number": taken.number, "serial": 99, "entry_id": world.entries["007"].id},
                  {"number": "WJ2026-000099", "serial": 99, "entry_id": taken.entry_id},
                  {"number": "WJ2026-000098", "serial": taken.serial, "entry_id": world.entries["008"].id}):
        db.session.add(Certificate(year=2026, kind=CertificateKind.PRIZE, event_id=world.event.id,
                                   person_id=taken.person_id, prize_name="一等奖", **clash))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_an_awarded_title_gets_its_certificate_after_the_years_prizes(db):
    world, users = certificate_world()
    nomination = db.session.scalar(db.select(Nomination).where(
        Nomination.event_id == world.event.id, Nomination.state == NominationState.PROPOSED, Nomination.rank == 1))
    title = approve(Actor(users["organiser"]), nomination)
    certificate = issue_title_certificate(SYSTEM, title)  # the one approval issued: never a second
    assert (certificate.kind, certificate.number, certificate.title_id) == (CertificateKind.TITLE, "WJ2026-000007",
                                                                            title.id)
    assert certificate.entry_id == world.entries["001"].id and certificate.event_id == world.event.id
    assert [c.number for c in queries.event_certificates(world.event)][-1] == "WJ2026-000007"
    assert queries.card(certificate).prize == "吴江区技术能手"


def test_titles_and_prizes_from_before_certificates_are_issued_on_first_need(db):
    world, _ = certificate_world()
    person = world.entries["009"].person
    db.session.execute(db.delete(Certificate))
    title = give_title(person.id, year=2025)  # last year's register, no event
    made = issue_missing(SYSTEM)
    assert sorted(c.number for c in made) == ["WJ2025-000001"] + [f"WJ2026-{i:06d}" for i in range(1, 7)]
    certificate = queries.by_number("wj2025-000001")
    assert certificate.title_id == title.id and certificate.event is None
    assert issue_missing(SYSTEM) == []


def test_the_public_reads_the_masked_name_and_never_an_id_number(db):
    world, _ = certificate_world()
    certificate = prize_certificates(world.event)["001"]
    shown = queries.verification(certificate)
    assert shown == {"number": "WJ2026-000001", "name": mask_name(NAMES[0]), "event": "电工技能竞赛",
                     "occupation": "电工", "level": 3, "prize": "一等奖", "year": 2026}
    assert certificate.person.id_number not in str(shown) and NAMES[0] not in str(shown)
    assert queries.by_number("WJ2026-999999") is None and queries.by_number("nonsense") is None


def test_result_rows_carry_the_prize_certificate_numbers(db):
    world, _ = certificate_world()
    numbers = queries.numbers_by_entry(world.event)
    assert numbers == {world.entries[n].id: c.number for n, c in prize_certificates(world.event).items()}
    assert world.entries["007"].id not in numbers
