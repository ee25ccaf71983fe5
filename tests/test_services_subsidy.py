"""Subsidy claims through the services (RULES.md §10, §12): claim, decide, pay, budget, caps, policy versions."""
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from competition.errors import Duplicate, Invalid, InvalidState
from competition.extensions import db
from competition.models import AuditEntry, ClaimState, PolicyVersion, Role, SubsidyClaim
from competition.models.types import beijing_today
from competition.services import policy
from competition.services.money import budget, subsidy
from competition.services.audit import Actor
from competition.services.policy import PolicyData
from competition.services.money.subsidy_reports import (
    ClaimFilter,
    claim_form_workbook,
    claims_query,
    season_breakdown,
)
from tests.builders import make_enterprise, make_entry, make_season, make_user
from tests.subsidy_builders import host_user, make_claim, make_claimable, organiser_actor


def claim(event, user=None):
    """Claim as a host user."""
    return subsidy.claim_subsidy(Actor(user or host_user(event)), event)


def actions(claim_row) -> list[str]:
    """Audit actions written for a claim, oldest first."""
    return list(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "SubsidyClaim", AuditEntry.object_id == claim_row.id).order_by(AuditEntry.id)))


def test_an_eligible_event_is_claimed_with_its_checks_policy_and_amount(app):
    event = make_claimable(50)
    row = claim(event)
    assert row.state is ClaimState.SUBMITTED and row.amount == 20000 and row.participants == 50
    assert row.policy_version_id == policy.policy_for_event(event).id
    assert [c["rule"] for c in row.checks][:2] == ["enterprise_event", "claimant_is_host"]
    assert all(c["passed"] for c in row.checks)
    assert actions(row) == ["claim.submit"]


def test_below_the_threshold_is_refused_with_the_failed_check(app):
    event = make_claimable(49)
    with pytest.raises(InvalidState) as caught:
        claim(event)
    assert caught.value.code == "not_eligible"
    assert caught.value.details == [{"field": "participants", "message": "参赛人数 49/50（签核时确定，还差 1 人）"}]
    assert db.session.scalar(db.select(db.func.count(SubsidyClaim.id))) == 0


def test_the_live_count_before_sign_off_counts_present_and_disqualified(app):
    event = make_claimable(status="scoring")
    for status in ["present"] * 3 + ["disqualified", "absent", "withdrawn", "registered"]:
        make_entry(event, None, status)
    decision, _ = subsidy.check_subsidy(event)
    check = next(c for c in decision.checks if c.rule == "participants")
    assert decision.participants == 4 and check.message.startswith("参赛人数 4/50（按当前到场人数")
    assert [c.rule for c in decision.failed] == ["results_final", "participants"]


def test_a_second_claim_for_the_event_and_a_second_event_of_the_host_in_the_year_are_refused(app):
    host, season = make_enterprise(), make_season()
    first, second = make_claimable(host=host, season=season), make_claimable(host=host, season=season, name="第二项")
    claim(first)
    with pytest.raises(InvalidState) as again:
        claim(first)
    assert [d["field"] for d in again.value.details] == ["event_unclaimed"]
    with pytest.raises(InvalidState) as other:
        claim(second)
    assert [d["field"] for d in other.value.details] == ["host_year_cap"]
    next_year = make_claimable(host=host, name="下一年")
    assert claim(next_year).state is ClaimState.SUBMITTED


@pytest.mark.parametrize("which", ["event", "host_year"])
def test_the_database_refuses_a_duplicate_the_rule_did_not_see(app, monkeypatch, which):
    """A race: both claimants passed the rule; the partial unique index lets exactly one claim stand."""
    host, season = make_enterprise(), make_season()
    event = make_claimable(host=host, season=season)
    other = event if which == "event" else make_claimable(host=host, season=season, name="另一项")
    claim(event)
    monkeypatch.setattr(subsidy, "_claim_states", lambda *conditions: ())
    with pytest.raises(Duplicate) as caught:
        claim(other)
    assert caught.value.code == "duplicate_claim"
    db.session.commit()  # the savepoint was rolled back; the first claim is intact
    assert db.session.scalar(db.select(db.func.count(SubsidyClaim.id))) == 1


def test_a_rejected_claim_frees_the_event_and_the_host_year(app):
    host, season = make_enterprise(), make_season()
    event, second = make_claimable(host=host, season=season), make_claimable(host=host, season=season, name="第二项")
    first = claim(event)
    subsidy.reject_claim(organiser_actor(), first, "证明材料不全")
    assert first.state is ClaimState.REJECTED and first.reason == "证明材料不全"
    assert claim(second).state is ClaimState.SUBMITTED  # the host-year cap is free again
    subsidy.reject_claim(organiser_actor(), db.session.scalars(
        db.select(SubsidyClaim).where(SubsidyClaim.event_id == second.id)).one(), "重复申请")
    assert claim(event).state is ClaimState.SUBMITTED  # and the event may be claimed again
    assert actions(first) == ["claim.submit", "claim.reject"]


def test_approve_then_pay_is_audited_and_commits_the_budget(app):
    event = make_claimable()
    row, organiser = claim(event), organiser_actor()
    assert budget.committed(event.season_id) == 0
    subsidy.approve_claim(organiser, row)
    assert row.state is ClaimState.APPROVED and row.decided_by_id == organiser.user_id
    assert budget.committed(event.season_id) == 20000
    subsidy.record_payment(organiser, row, beijing_today(), "记账凭证 2026-07-015")  # approved today: paid today
    assert row.state is ClaimState.PAID and row.voucher == "记账凭证 2026-07-015"
    assert budget.committed(event.season_id) == 20000
    assert actions(row) == ["claim.submit", "claim.approve", "claim.pay"]
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "claim.approve")).one()
    assert audit.before["state"] == "submitted" and audit.after["state"] == "approved"


def test_approval_beyond_the_budget_is_refused(app):
    season = make_season(budget=30000)
    first, second = make_claimable(season=season), make_claimable(season=season)
    subsidy.approve_claim(organiser_actor(), claim(first))
    pending = claim(second)
    with pytest.raises(InvalidState) as caught:
        subsidy.approve_claim(organiser_actor(), pending)
    assert caught.value.code == "over_budget" and "剩余 10000 元" in caught.value.message
    assert pending.state is ClaimState.SUBMITTED


def test_exactly_the_budget_is_allowed(app):
    event = make_claimable(season=make_season(budget=20000))
    assert subsidy.approve_claim(organiser_actor(), claim(event)).state is ClaimState.APPROVED


@pytest.mark.parametrize("state, action", [("approved", "approve"), ("rejected", "approve"), ("paid", "reject"),
                                           ("submitted", "pay"), ("rejected", "pay")])
def test_decisions_need_the_right_state(app, state, action):
    row = make_claim(make_claimable(), state)
    calls = {"approve": lambda a: subsidy.approve_claim(a, row),
             "reject": lambda a: subsidy.reject_claim(a, row, "理由充分"),
             "pay": lambda a: subsidy.record_payment(a, row, date(2026, 7, 1), "V1")}
    with pytest.raises(InvalidState):
        calls[action](organiser_actor())


@pytest.mark.parametrize("reason", ["", " ", "x", "长" * 501])
def test_rejection_needs_a_reason(app, reason):
    row = claim(make_claimable())
    with pytest.raises(Invalid):
        subsidy.reject_claim(organiser_actor(), row, reason)


def test_payment_needs_a_voucher_and_a_date_not_in_the_future(app):
    row = make_claim(make_claimable(), "approved")
    with pytest.raises(Invalid) as caught:
        subsidy.record_payment(organiser_actor(), row, beijing_today() + timedelta(days=2), " ")
    assert {d["field"] for d in caught.value.details} == {"paid_on", "voucher"}
    assert "还没到" in caught.value.message and "凭证号" in caught.value.message


def test_a_payment_can_not_be_dated_before_the_approval(app):
    row = claim(make_claimable())
    subsidy.approve_claim(organiser_actor(), row)
    row.decided_at = datetime(2026, 9, 10, 2, 0, tzinfo=timezone.utc)  # approved on 2026-09-10, Beijing time
    with pytest.raises(Invalid) as caught:
        subsidy.record_payment(organiser_actor(), row, date(2026, 9, 9), "记-001")
    assert caught.value.details == [{"field": "paid_on", "message": caught.value.details[0]["message"]}]
    assert "早于批准日期（2026-09-10）" in caught.value.message
    assert subsidy.record_payment(organiser_actor(), row, date(2026, 9, 10), "记-001").state is ClaimState.PAID


def test_the_queue_filters_by_season_state_enterprise_and_search(app):
    season = make_season()
    a = make_claim(make_claimable(season=season, host=make_enterprise(name="华东电缆有限公司")))
    b = make_claim(make_claimable(season=season), "approved")
    c = make_claim(make_claimable())

    def ids(**wanted):
        return [row.id for row in db.session.scalars(claims_query(ClaimFilter(**wanted)))]

    assert set(ids()) == {a.id, b.id, c.id}
    assert set(ids(season_id=season.id)) == {a.id, b.id}
    assert ids(state="approved") == [b.id]
    assert ids(enterprise_id=c.host_enterprise_id) == [c.id]
    assert ids(search="华东") == [a.id]
    assert ids(search="%") == []
    assert set(ids(state="nonsense")) == {a.id, b.id, c.id}


def test_the_season_breakdown_counts_claims_by_state(app):
    season = make_season()
    make_claim(make_claimable(season=season))
    make_claim(make_claimable(season=season), "approved")
    make_claim(make_claimable(season=season), "paid", amount=15000)
    totals = season_breakdown(season.id)
    assert totals["submitted"] == {"count": 1, "amount": 20000}
    assert totals["paid"] == {"count": 1, "amount": 15000}
    assert totals["rejected"] == {"count": 0, "amount": 0}
    assert budget.committed(season.id) == 35000


def test_the_claim_form_holds_the_event_participants_and_amount_as_text(app):
    event = make_claimable(name="=HYPERLINK(\"x\")焊工竞赛")
    make_entry(event, "001", "present")
    make_entry(event, "002", "disqualified")
    make_entry(event, None, "absent")
    row = claim(event)
    book = load_workbook(io.BytesIO(claim_form_workbook(row)))
    form, people = book.worksheets
    values = [str(v) for r in form.iter_rows(values_only=True) for v in r if v is not None]
    assert "20,000 元" in values and "50 人" in values and '=HYPERLINK("x")焊工竞赛' in values
    assert all(cell.data_type == "s" for r in form.iter_rows() for cell in r if cell.value)
    numbers = [r[0] for r in people.iter_rows(min_row=4, values_only=True)]
    assert numbers == ["001", "002"]


def test_a_used_policy_version_can_not_be_edited_and_a_future_unused_one_can(app):
    admin = Actor(make_user(Role.ADMIN))
    figures = PolicyVersion.figures(policy.policy_in_force(date(2026, 1, 1)))
    future = policy.create_policy_version(admin, PolicyData(date(2099, 1, 1), {**figures, "participant_threshold": 40}))
    assert policy.editable(future, date(2026, 1, 1))
    policy.update_policy_version(admin, future, PolicyData(date(2099, 2, 1), {**figures, "pass_mark": 70}),
                                 today=date(2026, 1, 1))
    assert future.effective_from == date(2099, 2, 1) and future.pass_mark == 70
    founding = claim(make_claimable()).policy_version
    assert policy.policy_uses(founding.id) == 1 and not policy.editable(founding, date(2000, 1, 1))  # the event
    with pytest.raises(InvalidState) as caught:
        policy.update_policy_version(admin, founding, PolicyData(founding.effective_from, figures), date(2000, 1, 1))
    assert caught.value.code == "policy_used"


def test_a_version_in_force_can_not_be_edited_and_only_admins_add_versions(app):
    admin = Actor(make_user(Role.ADMIN))
    figures = policy.policy_in_force(date(2026, 1, 1)).figures()
    current = policy.create_policy_version(admin, PolicyData(date(2020, 1, 1), figures))
    with pytest.raises(InvalidState):
        policy.update_policy_version(admin, current, PolicyData(date(2020, 1, 1), figures), date(2026, 1, 1))
    with pytest.raises(Duplicate):
        policy.create_policy_version(admin, PolicyData(date(2020, 1, 1), figures))
    with pytest.raises(Invalid) as caught:
        policy.create_policy_version(admin, PolicyData(date(2010, 1, 1), {**figures, "pass_mark": 101}))
    assert {d["field"] for d in caught.value.details} == {"effective_from", "pass_mark"}


def test_events_use_the_version_in_force_on_their_date(app):
    admin = Actor(make_user(Role.ADMIN))
    figures = policy.policy_in_force(date(2026, 1, 1)).figures()
    policy.create_policy_version(admin, PolicyData(date(2026, 6, 1), {**figures, "participant_threshold": 40,
                                                                      "subsidy_amount": 25000}))
    before = make_claimable(45, event_date=date(2026, 5, 31), registration_deadline=date(2026, 5, 1))
    after = make_claimable(45, event_date=date(2026, 6, 1), registration_deadline=date(2026, 5, 1))
    assert not subsidy.check_subsidy(before)[0].eligible
    decision, version = subsidy.check_subsidy(after)
    assert decision.eligible and decision.amount == 25000 and version.effective_from == date(2026, 6, 1)
