"""The subsidy rule (RULES.md §10): every check, at and around the threshold, as plain tables."""
import pytest

from competition.models import FOUNDING_FIGURES
from competition.rules.subsidy import SubsidyFacts, count_participants, decide_subsidy

POLICY = dict(FOUNDING_FIGURES)


def facts(**overrides) -> SubsidyFacts:
    """An eligible final enterprise event with 50 participants frozen at sign-off, unless overridden."""
    values = dict(kind="enterprise", status="final", claimant_is_host=True, frozen_participants=50)
    values.update(overrides)
    return SubsidyFacts(**values)


def check(decision, rule):
    """The check with the given code."""
    return next(c for c in decision.checks if c.rule == rule)


def test_every_check_is_reported_in_order_and_an_eligible_event_earns_the_amount():
    decision = decide_subsidy(facts(), POLICY)
    assert [c.rule for c in decision.checks] == ["enterprise_event", "claimant_is_host", "approved",
                                                 "results_final", "participants", "host_year_cap",
                                                 "event_unclaimed"]
    assert decision.eligible and decision.amount == 20000 and not decision.failed
    assert all(c.message for c in decision.checks)


@pytest.mark.parametrize("participants, eligible", [(48, False), (49, False), (50, True), (51, True), (0, False)])
def test_threshold_includes_fifty(participants, eligible):
    """"50人以上" includes 50 (民法典 第一千二百五十九条)."""
    decision = decide_subsidy(facts(frozen_participants=participants), POLICY)
    assert decision.eligible is eligible
    assert decision.amount == (20000 if eligible else 0)
    assert check(decision, "participants").message.startswith(f"参赛人数 {participants}/50")
    assert decision.participants == participants and decision.threshold == 50


def test_failed_participants_say_how_many_are_missing():
    assert "还差 2 人" in check(decide_subsidy(facts(frozen_participants=48), POLICY), "participants").message


@pytest.mark.parametrize("counts, expected", [
    ({"present": 50}, 50),
    ({"present": 49, "absent": 1}, 49),  # registered but absent
    ({"present": 49, "withdrawn": 3}, 49),  # withdrawn
    ({"present": 49, "disqualified": 1}, 50),  # disqualified after check-in still participated
    ({"registered": 80}, 0),  # registrations alone never count
    ({"present": 10, "registered": 5, "absent": 5, "withdrawn": 5, "disqualified": 2}, 12),
])
def test_participants_are_present_at_check_in(counts, expected):
    live = facts(frozen_participants=None, entry_counts=counts)
    assert count_participants(live) == expected
    assert check(decide_subsidy(live, POLICY), "participants").passed is (expected >= 50)


def test_the_count_frozen_at_sign_off_wins_over_the_live_count():
    frozen = facts(frozen_participants=50, entry_counts={"present": 10})
    assert count_participants(frozen) == 50
    assert "签核时确定" in check(decide_subsidy(frozen, POLICY), "participants").message
    live = facts(frozen_participants=None, entry_counts={"present": 51}, status="scoring")
    assert "按当前到场人数" in check(decide_subsidy(live, POLICY), "participants").message


@pytest.mark.parametrize("overrides, rule, message", [
    (dict(kind="district"), "enterprise_event", "区级赛不享受企业竞赛经费补贴"),
    (dict(claimant_is_host=False), "claimant_is_host", "申请单位不是本赛项的举办企业"),
    (dict(status="submitted"), "approved", "未纳入竞赛计划（当前：待审核）"),
    (dict(status="rejected"), "approved", "未纳入竞赛计划（当前：未通过）"),
    (dict(status="draft"), "approved", "未纳入竞赛计划（当前：草稿）"),
    (dict(status="cancelled"), "approved", "未纳入竞赛计划（当前：已取消）"),
    (dict(status="notice"), "results_final", "成绩尚未最终确认（当前：公示中）"),
    (dict(status="signed_off"), "results_final", "成绩尚未最终确认（当前：已签核）"),
    (dict(status="scoring"), "results_final", "成绩尚未最终确认（当前：评分中）"),
    (dict(host_claim_states=("submitted",)), "host_year_cap", "本年度已有 1 项其他赛项的补贴申请（每年限 1 项）"),
    (dict(host_claim_states=("approved",)), "host_year_cap", "本年度已有 1 项其他赛项的补贴申请（每年限 1 项）"),
    (dict(host_claim_states=("paid",)), "host_year_cap", "本年度已有 1 项其他赛项的补贴申请（每年限 1 项）"),
    (dict(event_claim_states=("submitted",)), "event_unclaimed", "本赛项已申请补贴（待审核）"),
    (dict(event_claim_states=("rejected", "paid")), "event_unclaimed", "本赛项已申请补贴（已拨付）"),
])
def test_each_failing_check_says_why(overrides, rule, message):
    decision = decide_subsidy(facts(**overrides), POLICY)
    assert not decision.eligible and decision.amount == 0
    assert [c.rule for c in decision.failed] == [rule] or rule in [c.rule for c in decision.failed]
    assert check(decision, rule).message == message


def test_a_district_event_fails_only_the_kind_and_approval_checks():
    decision = decide_subsidy(facts(kind="district"), POLICY)
    assert [c.rule for c in decision.failed] == ["enterprise_event", "approved"]


@pytest.mark.parametrize("status", ["approved", "open", "closed", "drawn", "scoring", "signed_off", "notice", "final"])
def test_an_enterprise_event_past_approval_counts_as_approved(status):
    assert check(decide_subsidy(facts(status=status), POLICY), "approved").passed


def test_rejected_claims_free_the_event_and_the_host_year():
    """A rejected earlier claim (for this event or another of the host's) blocks nothing."""
    decision = decide_subsidy(facts(event_claim_states=("rejected",), host_claim_states=("rejected", "rejected")),
                              POLICY)
    assert decision.eligible


def test_a_policy_allowing_two_subsidies_a_year_counts_the_host_claims():
    two = {**POLICY, "subsidies_per_enterprise_year": 2}
    assert decide_subsidy(facts(host_claim_states=("paid",)), two).eligible
    decision = decide_subsidy(facts(host_claim_states=("paid", "approved")), two)
    assert check(decision, "host_year_cap").message == "本年度已有 2 项其他赛项的补贴申请（每年限 2 项）"


def test_policy_figures_are_arguments():
    later = {**POLICY, "participant_threshold": 60, "subsidy_amount": 30000}
    assert not decide_subsidy(facts(frozen_participants=59), later).eligible
    decision = decide_subsidy(facts(frozen_participants=60), later)
    assert decision.eligible and decision.amount == 30000
    assert check(decision, "participants").message.startswith("参赛人数 60/60")


def test_everything_wrong_reports_every_failure():
    decision = decide_subsidy(facts(kind="district", claimant_is_host=False, status="scoring", frozen_participants=None,
                                    entry_counts={"registered": 3}, host_claim_states=("approved",),
                                    event_claim_states=("submitted",)), POLICY)
    assert len(decision.failed) == 7
