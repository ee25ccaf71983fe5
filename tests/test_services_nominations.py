"""技术能手 through the services: proposals at finalisation, enterprise recommendations, decisions, the budget."""
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from competition.errors import Duplicate, Invalid, InvalidState, NotAllowed
from competition.models import (AuditEntry, Nomination, NominationRoute, NominationState, Person, Role)
from competition.services.titles import nominations as service
from competition.services.audit import Actor
from competition.services.money.budget import committed
from tests.builders import id_number, make_enterprise, make_season, make_user
from tests.marking_builders import FOUR, final_world, give_title


def rows(db, event, state):
    """The event's nominations in a state, best rank first."""
    return list(db.session.scalars(db.select(Nomination).where(Nomination.event_id == event.id,
                                                               Nomination.state == state).order_by(Nomination.rank)))


def test_finalising_proposes_the_top_ranks_and_keeps_the_excluded_with_reasons(db):
    def holder(world):
        give_title(world.entries["002"].person_id)
    world = final_world(FOUR, before_final=holder)
    proposed = rows(db, world.event, NominationState.PROPOSED)
    assert [(n.entry_id, n.rank, str(n.total)) for n in proposed] == [(world.entries["001"].id, 1, "92.10")]
    excluded = {n.entry_id: (n.reason_code, n.reason) for n in rows(db, world.event, NominationState.EXCLUDED)}
    assert excluded[world.entries["002"].id][0] == "already_holder"
    assert excluded[world.entries["003"].id][0] == "module_below_pass"
    assert "理论知识" in excluded[world.entries["003"].id][1]
    assert excluded[world.entries["004"].id][0] == "outside_quota"  # places are not refilled
    assert all(n.route is NominationRoute.COMPETITION and n.season_id == world.event.season_id for n in proposed)
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "nomination.propose"))
    assert audit.object_id == world.event.id and len(audit.after["excluded"]) == 3


def test_proposing_again_changes_nothing(db):
    world = final_world(FOUR)
    before = db.session.scalar(db.select(db.func.count()).select_from(Nomination))
    service.propose_for_event(Actor(world.organiser), world.event)
    assert db.session.scalar(db.select(db.func.count()).select_from(Nomination)) == before == 4


def test_a_tie_at_the_cut_off_brings_in_both(db):
    world = final_world({"001": ("90", "55", "38"), "002": ("80", "50", "35"), "003": ("80", "50", "35")}, quota=2)
    assert len(rows(db, world.event, NominationState.PROPOSED)) == 3


def test_the_pass_mark_is_the_policys_on_the_event_date(db):
    from competition.models import PolicyVersion
    from competition.services.policy import policy_in_force
    figures = policy_in_force(date(2026, 1, 1)).figures() | {"pass_mark": 95}
    db.session.add(PolicyVersion(effective_from=date(2026, 1, 1), **figures))
    world = final_world({"001": ("90", "55", "38")})
    (excluded,) = rows(db, world.event, NominationState.EXCLUDED)
    assert excluded.reason_code == "module_below_pass" and "95" in excluded.reason


def test_a_person_nominated_by_an_employer_this_season_is_excluded_at_finalisation(db):
    employer = make_enterprise()
    hr = make_user(Role.ENTERPRISE, enterprise=employer)

    def recommended(world):
        person = db.session.get(Person, world.entries["001"].person_id)
        person.name = "赵六"
        service.recommend(Actor(hr), service.RecommendationData(person.id_number, person.name, "技术骨干",
                                                                world.event.season_id, True))
    world = final_world({"001": ("90", "55", "38")}, before_final=recommended)
    (excluded,) = rows(db, world.event, NominationState.EXCLUDED)
    assert excluded.reason_code == "already_nominated"


def recommendation(seed: int = 7, season=None, **overrides):
    """A valid recommendation of a new person."""
    values = {"id_number": id_number(seed), "name": "李四", "justification": "十年一线，带出多名高级工",
              "season_id": season.id if season else None, "confirmed_employee": True}
    values.update(overrides)
    return service.RecommendationData(**values)


def test_an_enterprise_recommends_an_employee(db):
    season = make_season(year=2026)
    hr = make_user(Role.ENTERPRISE)
    nomination = service.recommend(Actor(hr), recommendation(season=season, id_number=id_number(7).lower()))
    assert (nomination.route, nomination.state, nomination.enterprise_id) == (
        NominationRoute.ENTERPRISE, NominationState.PROPOSED, hr.enterprise_id)
    assert nomination.person.id_number == id_number(7) and nomination.person.gender == "男"
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.object_id == nomination.id)) \
        == "nomination.recommend"


def test_recommendations_are_refused_with_reasons(db):
    season = make_season(year=2026)
    hr, organiser = make_user(Role.ENTERPRISE), make_user(Role.ORGANISER)
    with pytest.raises(NotAllowed):
        service.recommend(Actor(organiser), recommendation(season=season))
    with pytest.raises(Invalid) as bad:
        service.recommend(Actor(hr), recommendation(season=season, id_number="320584199001011234",
                                                    justification=" "))
    assert {d["field"] for d in bad.value.details} == {"id_number", "justification"}
    first = service.recommend(Actor(hr), recommendation(season=season))
    with pytest.raises(Duplicate) as twice:
        service.recommend(Actor(make_user(Role.ENTERPRISE)), recommendation(season=season))
    assert twice.value.code == "already_nominated" and "本年度" in twice.value.message
    with pytest.raises(Invalid):
        service.recommend(Actor(hr), recommendation(season=make_season(year=2027), name="王五"))
    give_title(first.person_id, 2024)
    with pytest.raises(Duplicate) as holder:
        service.recommend(Actor(hr), recommendation(season=make_season(year=2028)))
    assert holder.value.code == "already_holder"


def test_approval_awards_the_title_and_the_subsidy_within_the_budget(db):
    season = make_season(year=2026, budget=3000)
    organiser = make_user(Role.ORGANISER)
    hr = make_user(Role.ENTERPRISE)
    first = service.recommend(Actor(hr), recommendation(1, season))
    second = service.recommend(Actor(hr), recommendation(2, season, name="王五"))
    title = service.approve(Actor(organiser), first)
    assert (title.year, title.subsidy, title.person_id, title.nomination_id) == (2026, 2000, first.person_id, first.id)
    assert first.state is NominationState.APPROVED and committed(season.id) == 2000
    with pytest.raises(InvalidState) as over:
        service.approve(Actor(organiser), second)
    assert over.value.code == "over_budget"
    with pytest.raises(InvalidState):
        service.approve(Actor(organiser), first)
    actions = list(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("nomination.%"))))
    assert actions.count("nomination.approve") == 1


def test_rejection_needs_a_reason_and_frees_the_season(db):
    season = make_season(year=2026)
    organiser, hr = make_user(Role.ORGANISER), make_user(Role.ENTERPRISE)
    nomination = service.recommend(Actor(hr), recommendation(3, season))
    with pytest.raises(Invalid):
        service.reject(Actor(organiser), nomination, "  ")
    service.reject(Actor(organiser), nomination, "材料不全")
    assert (nomination.state, nomination.reason) == (NominationState.REJECTED, "材料不全")
    with pytest.raises(InvalidState):
        service.approve(Actor(organiser), nomination)
    again = service.recommend(Actor(hr), recommendation(3, season))
    assert again.state is NominationState.PROPOSED


def test_the_database_refuses_a_second_title_and_a_second_live_nomination(db):
    season = make_season(year=2026)
    hr = make_user(Role.ENTERPRISE)
    nomination = service.recommend(Actor(hr), recommendation(4, season))
    db.session.commit()
    duplicate = Nomination(season_id=season.id, person_id=nomination.person_id, route=NominationRoute.ENTERPRISE,
                           state=NominationState.PROPOSED)
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    give_title(nomination.person_id, 2024)
    db.session.commit()
    with pytest.raises(IntegrityError):
        give_title(nomination.person_id, 2025)
    db.session.rollback()
    for state in (NominationState.REJECTED, NominationState.EXCLUDED):
        db.session.add(Nomination(season_id=season.id, person_id=nomination.person_id, state=state,
                                  route=NominationRoute.ENTERPRISE))
    db.session.flush()


def test_the_subsidy_is_the_policys_on_the_event_date(db):
    from competition.models import PolicyVersion
    from competition.services.policy import policy_in_force
    figures = policy_in_force(date(2026, 1, 1)).figures() | {"expert_subsidy": 3000}
    db.session.add(PolicyVersion(effective_from=date(2026, 7, 1), **figures))
    world = final_world({"001": ("90", "55", "38")})  # the event is on 2026-06-15, before the new version
    (nomination,) = rows(db, world.event, NominationState.PROPOSED)
    assert service.approve(Actor(world.organiser), nomination).subsidy == 2000
    later = make_season(year=2027)
    recommended = service.recommend(Actor(make_user(Role.ENTERPRISE)), recommendation(51, later))
    assert service.approve(Actor(world.organiser), recommended).subsidy == 3000
    assert committed(later.id) == 3000


def test_a_policy_version_that_governed_nominations_can_no_longer_be_edited(db):
    from datetime import date

    from competition.models import FIRST_POLICY_DATE, PolicyVersion
    from competition.services import policy

    founding = db.session.scalar(db.select(PolicyVersion).where(PolicyVersion.effective_from == FIRST_POLICY_DATE))
    later = PolicyVersion(effective_from=date(2090, 1, 1), **founding.figures())
    db.session.add(later)
    db.session.flush()
    before = policy.policy_uses(founding.id)
    final_world(FOUR)
    assert policy.policy_uses(founding.id) > before  # its pass mark and quota decided the proposals
    assert policy.policy_uses(later.id) == 0 and policy.editable(later, date(2026, 11, 24))
