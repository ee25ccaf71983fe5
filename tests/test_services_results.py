"""Results through the services: compute, sign-off, tie orders, reopen and corrections, publish, finalise."""
from datetime import date
from decimal import Decimal

import pytest

from competition.errors import Invalid, InvalidState, NotAllowed
from competition.models import AuditEntry, EventStatus, MarkChange, PolicyVersion
from competition.services.audit import Actor
from competition.services.marking.marks import save_marks, submit_marks
from competition.services.marking.facts import compute_event_results
from competition.services.results.rows import published_results
from competition.services.results.lifecycle import finalize, publish, record_tie_order, reopen, sign_off
from competition.services.results.snapshots import current_snapshot, snapshot_history
from tests.builders import make_entry
from tests.counting import statements
from tests.marking_builders import WORKED, fill, make_world, submit_all

FRIDAY = date(2026, 6, 19)


def scored(entries: dict, **world) -> object:
    """A world whose entries are fully marked: {number: (theory, [(quality, safety) per judge])}; all submitted."""
    world = make_world(len(entries), judges=len(next(iter(entries.values()))[1]), **world)
    for number, (theory, pairs) in entries.items():
        fill(world, number, theory, pairs)
    submit_all(world)
    return world


def signed(world) -> object:
    """Sign the world's event off as its chief judge."""
    return sign_off(world.actor(0), world.event)


def test_the_worked_example_through_the_services(db):
    world = scored({"001": WORKED})
    row = compute_event_results(world.event).rows[0]
    assert (row.rank, str(row.total), [str(m.score) for m in row.modules]) == (1, "87.45", ["88.50", "87.00"])
    text = row.explanation.text
    assert "去掉最高分 95（裁判 5）、最低分 80（裁判 1），(85+86+90)/3 = 87" in text
    assert "88.5×30% + 87×70% = 87.45" in text


def test_compute_runs_the_same_queries_for_5_and_50_entries(db):
    worlds = [scored({f"{i:03d}": ("80", [("50", "30")] * 3) for i in range(1, n + 1)}) for n in (5, 50)]
    for world in worlds:
        compute_event_results(world.event)  # warm: the events' own rows are loaded
    small, large = (statements(db, lambda w=w: compute_event_results(w.event)) for w in worlds)
    assert small == large == 6


def test_sign_off_is_refused_with_the_missing_list_and_unsubmitted_judges(db):
    world = make_world(2, judges=3)
    fill(world, "001", "88", [("50", "30")] * 3)
    fill(world, "002", None, [("50", "30")] * 3, judges={0, 1})
    submit_marks(world.actor(0), world.event)
    with pytest.raises(InvalidState) as caught:
        signed(world)
    assert caught.value.code == "marks_incomplete"
    details = caught.value.details
    assert {d["judge_id"] for d in details if d["field"] == "judges"} == {world.judges[1].id, world.judges[2].id}
    missing = [(d["judge_id"], d["number"], d["message"].split("「")[1][:-4]) for d in details if d["field"] == "marks"]
    assert missing == [(None, "002", "理论考试"), (world.judges[2].id, "002", "工艺质量"),
                       (world.judges[2].id, "002", "安全文明")]
    assert world.event.status is EventStatus.SCORING and current_snapshot(world.event) is None


def test_an_organiser_may_sign_off_for_the_chief(db):
    world = scored({"001": WORKED})  # who may not is the pages' and the API's check: test_boundary_refusals.py
    sign_off(Actor(world.organiser), world.event)
    assert world.event.status is EventStatus.SIGNED_OFF


def test_a_strict_tie_blocks_sign_off_until_an_organiser_orders_it(db):
    same = ("80", [("50", "30")] * 3)
    world = scored({"001": same, "002": same, "003": ("90", [("50", "30")] * 3)}, strict_ranking=True)
    first, second = world.entries["001"].id, world.entries["002"].id
    with pytest.raises(InvalidState) as caught:
        signed(world)
    assert caught.value.code == "unresolved_tie" and caught.value.details[0]["numbers"] == ["001", "002"]
    with pytest.raises(Invalid):
        record_tie_order(Actor(world.organiser), world.event, [second], "抽签决定")
    with pytest.raises(Invalid):
        record_tie_order(Actor(world.organiser), world.event, [second, first], " ")
    record_tie_order(Actor(world.organiser), world.event, [second, first], "现场加赛，002号用时更短")
    snapshot = signed(world)
    rows = snapshot.payload["rows"]
    assert [(r["number"], r["rank"], r["shared"]) for r in rows] == [("003", 1, False), ("002", 2, False), ("001", 3, False)]
    assert snapshot.payload["tie_orders"] == [{"entry_ids": [second, first], "reason": "现场加赛，002号用时更短"}]


def test_ties_share_a_rank_when_not_strict(db):
    same = ("80", [("50", "30")] * 3)
    world = scored({"001": same, "002": same})
    assert [(r.rank, r.shared) for r in compute_event_results(world.event).rows] == [(1, True), (1, True)]
    with pytest.raises(InvalidState):
        record_tie_order(Actor(world.organiser), world.event, [world.entries["001"].id, world.entries["002"].id], "x")


def test_participants_are_present_and_disqualified_entries_only(db):
    world = scored({"001": WORKED})
    for status in ("disqualified", "absent", "withdrawn", "registered"):
        make_entry(world.event, None, status)
    snapshot = signed(world)
    assert snapshot.participants == world.event.participants == 2
    assert [r["status"] for r in snapshot.payload["rows"]] == ["present", "disqualified", "withdrawn", "absent", "absent"]
    assert snapshot.payload["rows"][0]["total"] == "87.45" and snapshot.payload["method"] == "trimmed_mean"
    assert world.event.signed_off_at is not None
    assert db.session.scalar(db.select(AuditEntry.after).where(AuditEntry.action == "event.sign_off"))["participants"] == 2


def test_reopen_needs_a_reason_keeps_the_frozen_snapshot_and_allows_corrections(db):
    world = scored({"001": WORKED})
    make_entry(world.event, "002", "disqualified")  # no marks: an empty cell to (not) correct
    _, q, _ = world.criteria
    first = signed(world)
    with pytest.raises(Invalid):
        reopen(world.actor(0), world.event, "  ")
    reopen(world.actor(0), world.event, "裁判 2 录入有误")
    assert world.event.status is EventStatus.SCORING and first.superseded_reason == "裁判 2 录入有误"
    with pytest.raises(Invalid):  # a correction after a reopen needs its reason
        save_marks(world.actor(1), world.event, [("001", q, "55", "51")])
    save_marks(world.actor(1), world.event, [("001", q, "55", "51")], reason="看错评分表")
    with pytest.raises(InvalidState):  # the chief corrects existing marks only
        save_marks(world.actor(0), world.event, [("002", q, "55", None)], judge=world.judges[1], reason="x")
    save_marks(Actor(world.organiser), world.event, [("001", q, "56", "52")], judge=world.judges[2], reason="复核")
    db.session.expire(first)
    assert first.payload["rows"][0]["total"] == "87.45"  # frozen: later marks never change it
    submit_all(world)
    second = signed(world)
    assert second.sequence == 2 and second.payload["rows"][0]["total"] != "87.45"
    assert [s.sequence for s in snapshot_history(world.event)] == [1, 2] and current_snapshot(world.event) is second
    reasons = [c.reason for c in db.session.scalars(db.select(MarkChange).where(MarkChange.old_value.is_not(None)))]
    assert reasons == ["看错评分表", "复核"]


def test_corrections_for_another_judge_need_a_reopen_and_a_chief_or_organiser(db):
    world = scored({"001": WORKED})
    _, q, _ = world.criteria
    with pytest.raises(InvalidState):
        save_marks(world.actor(0), world.event, [("001", q, "55", "51")], judge=world.judges[1], reason="x")
    signed(world)
    reopen(Actor(world.organiser), world.event, "复核")
    with pytest.raises(NotAllowed):
        save_marks(world.actor(2), world.event, [("001", q, "55", "51")], judge=world.judges[1], reason="x")
    with pytest.raises(Invalid):
        save_marks(world.actor(0), world.event, [("001", q, "55", "51")], judge=world.judges[1])
    save_marks(world.actor(0), world.event, [("001", q, "55", "51")], judge=world.judges[1], reason="复核")


def test_publish_ends_the_notice_after_the_policys_working_days(db):
    world = scored({"001": WORKED})
    with pytest.raises(InvalidState):
        publish(Actor(world.organiser), world.event, today=FRIDAY)
    signed(world)
    assert publish(Actor(world.organiser), world.event, today=FRIDAY) == date(2026, 6, 26)
    assert world.event.status is EventStatus.NOTICE and world.event.published_at is not None


def test_publish_uses_the_policy_version_in_force_on_the_event_date(db):
    db.session.add(PolicyVersion(effective_from=date(2026, 1, 1), participant_threshold=50, subsidy_amount=20000,
                                 subsidies_per_enterprise_year=1, expert_subsidy=2000, nomination_quota=3,
                                 pass_mark=60, notice_working_days=3))
    db.session.add(PolicyVersion(effective_from=date(2026, 7, 1), participant_threshold=50, subsidy_amount=20000,
                                 subsidies_per_enterprise_year=1, expert_subsidy=2000, nomination_quota=3,
                                 pass_mark=60, notice_working_days=10))
    world = scored({"001": WORKED})  # the event is on 2026-06-15
    signed(world)
    assert publish(Actor(world.organiser), world.event, today=date(2026, 7, 3)) == date(2026, 7, 8)


def test_finalise_only_after_the_notice_ends(db):
    world = scored({"001": WORKED})
    signed(world)
    publish(Actor(world.organiser), world.event, today=FRIDAY)
    for day in (FRIDAY, date(2026, 6, 26)):
        with pytest.raises(InvalidState) as caught:
            finalize(Actor(world.organiser), world.event, today=day)
        assert "公示期至 2026-06-26 结束，之后才能确认最终成绩" in caught.value.message
    finalize(Actor(world.organiser), world.event, today=date(2026, 6, 27))
    assert world.event.status is EventStatus.FINAL and world.event.finalised_at is not None
    with pytest.raises(InvalidState):
        reopen(Actor(world.organiser), world.event, "太晚了")
    actions = [a.action for a in db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("event.%")))]
    assert actions[-3:] == ["event.sign_off", "event.publish", "event.finalize"]


def test_reopening_a_published_event_withdraws_the_notice(db):
    world = scored({"001": WORKED})
    signed(world)
    publish(Actor(world.organiser), world.event, today=FRIDAY)
    reopen(world.actor(0), world.event, "异议成立")
    assert (world.event.notice_ends_on, world.event.published_at, world.event.participants) == (None, None, None)
    assert all(m.submitted_at is None for m in world.event.panel)
    with pytest.raises(InvalidState):
        published_results(world.event)


def test_published_results_are_the_snapshot_rows_with_names(db):
    world = scored({"001": WORKED})
    with pytest.raises(InvalidState):
        published_results(world.event)
    signed(world)
    publish(Actor(world.organiser), world.event, today=FRIDAY)
    published = published_results(world.event)
    row = published.rows[0]
    assert (published.status, published.participants, row["number"], row["total"]) == ("notice", 1, "001", "87.45")
    assert row["name"] == world.entries["001"].person.name and row["modules"][1]["score"] == "87.00"
    assert Decimal(row["practical"]) == Decimal("60.90")
