"""Mark entry, correction, submission, progress, history and spread (RULES.md §5-§8), through the services."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, text

from competition.errors import Invalid, InvalidState, NotAllowed
from competition.models import AuditEntry, Mark, MarkChange, PanelMember, Role
from competition.services.marking import marks as marks_service
from competition.services.audit import SYSTEM, Actor, record
from competition.services.marking.reports import judge_seats, mark_history, marks_for, progress, spread
from competition.services.marking.marks import save_marks, submit_marks
from tests.builders import make_enterprise, make_event, make_user
from tests.counting import count, statements
from tests.marking_builders import fill, make_world


def test_entering_and_changing_marks_logs_every_change_and_one_audit_row_per_save(db):
    world = make_world()
    t, q, s = world.criteria
    assert not marks_service.has_marks(world.event)
    cells = save_marks(world.actor(1), world.event, [("001", str(q), "50.5", None), ("001", s, 30, None),
                                                     ("001", t, Decimal("88.50"), None)])
    assert [(c.judge_id, c.value, c.version) for c in cells] == [
        (world.judges[1].id, Decimal("50.50"), 1), (world.judges[1].id, Decimal("30.00"), 1), (None, Decimal("88.50"), 1)]
    changed = save_marks(world.actor(1), world.event, [("001", q, "52", "50.50"), ("001", s, "30", "30")])
    assert [(c.value, c.version) for c in changed] == [(Decimal("52.00"), 2), (Decimal("30.00"), 1)]
    assert marks_service.has_marks(world.event)
    history = mark_history(world.entries["001"])
    assert [(h.old_value, h.new_value) for h in history] == [
        (None, Decimal("50.50")), (None, Decimal("30.00")), (None, Decimal("88.50")), (Decimal("50.50"), Decimal("52.00"))]
    db.session.commit()  # PostgreSQL appends a save's audit row, sealed, at commit (services/audit_sealed.py)
    audit = list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("mark.%")).order_by(AuditEntry.id)))
    assert [a.action for a in audit] == ["mark.enter", "mark.change"]
    assert audit[1].after["cells"] == [["001", q, world.judges[1].id, "50.50", "52.00"]]


def test_a_stale_edit_is_refused_and_overwrites_nothing(db):
    world = make_world()
    _, q, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    for seen in (None, "45"):
        with pytest.raises(InvalidState) as caught:
            save_marks(world.actor(1), world.event, [("001", q, "55", seen)])
        assert caught.value.code == "stale_mark"
        assert "参赛号 001「工艺质量」" in caught.value.details[0]["message"]
    assert [c.value for c in marks_for(world.event)] == [Decimal("50.00")]


def test_two_saves_of_the_same_empty_cell_one_wins_the_other_is_stale(db):
    world = make_world()
    t, _, _ = world.criteria
    event_id, entry_id, winner = world.event.id, world.entries["001"].id, world.judges[1].id
    db.session.commit()
    with db.engine.begin() as other:  # another judge's request, committed first
        other.execute(insert(Mark).values(event_id=event_id, entry_id=entry_id, criterion_id=t, judge_key=0,
                                          entered_by_id=winner, value=Decimal("90"), version=1))
    with pytest.raises(InvalidState) as caught:
        save_marks(world.actor(2), world.event, [("001", t, "80", None)])
    assert caught.value.code == "stale_mark" and "90.00" in caught.value.details[0]["message"]
    assert [c.value for c in marks_for(world.event)] == [Decimal("90.00")]


def test_a_lost_insert_race_is_stale_and_the_transaction_survives(db, monkeypatch):
    world = make_world()
    t, q, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", t, "90", None), ("001", q, "50", None)])
    monkeypatch.setattr(marks_service, "_stored", lambda event, targets: {})  # read before the other commit
    with pytest.raises(InvalidState) as caught:
        save_marks(world.actor(2), world.event, [("001", t, "80", None)])
    assert caught.value.code == "stale_mark"
    assert count(db, Mark) == 2 and count(db, MarkChange) == 2  # the savepoint kept the earlier work


def test_a_lost_update_race_is_stale(db, monkeypatch):
    world = make_world()
    _, q, _ = world.criteria
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    real = marks_service._stored

    def stored_then_changed_elsewhere(event, targets):
        found = real(event, targets)
        db.session.connection().execute(text("UPDATE marks SET value = 41, version = version + 1"))
        return found

    monkeypatch.setattr(marks_service, "_stored", stored_then_changed_elsewhere)
    with pytest.raises(InvalidState) as caught:
        save_marks(world.actor(1), world.event, [("001", q, "55", "50")])
    assert caught.value.code == "stale_mark"
    assert count(db, MarkChange) == 1


def test_conflict_of_interest_is_refused_with_its_code(db):
    employer = make_enterprise()
    world = make_world(2, judge_employers=[None, employer], entry_employers=[employer])
    t, q, _ = world.criteria
    with pytest.raises(NotAllowed) as caught:
        save_marks(world.actor(1), world.event, [("002", q, "50", None), ("001", t, "90", None)])
    assert caught.value.code == "conflict_of_interest" and "回避" in caught.value.message
    assert count(db, Mark) == 0
    save_marks(world.actor(0), world.event, [("001", q, "50", None)])  # a judge of another employer may


@pytest.mark.parametrize("value, expected_range", [("60.01", "0 至 60"), ("-1", "0 至 60"), ("50.123", "0 至 60"),
                                                   (50.5, "0 至 60"), ("abc", "0 至 60"), (True, "0 至 60")])
def test_bad_values_are_refused_naming_the_criterion_and_range(db, value, expected_range):
    world = make_world()
    _, q, _ = world.criteria
    with pytest.raises(Invalid) as caught:
        save_marks(world.actor(1), world.event, [("001", q, value, None)])
    detail = caught.value.details[0]
    assert detail["field"] == "marks[0]" and "工艺质量" in detail["message"] and expected_range in detail["message"]


@pytest.mark.parametrize("value, parsed", [
    ("85.5", "85.50"), ("85.500", "85.50"), (" 7 ", "7.00"), (3, "3.00"), (Decimal("7.25"), "7.25"), ("1E+1", "10.00"),
    ("-0", "0.00"), ("0E-1000", "0.00"), ("50.123", None), (50.5, None), (True, None), (None, None), ("", None),
    ("NaN", None), ("Infinity", None), ("1e-999999999", None), ("1e999999999", None), ("1" * 21, None)])
def test_parse_mark_takes_exact_values_with_two_decimals_at_most(value, parsed):
    assert marks_service.parse_mark(value) == (None if parsed is None else Decimal(parsed))


def test_a_batch_is_all_or_nothing_and_reports_every_bad_item(db):
    world = make_world(2, statuses=["present", "absent"])
    t, q, s = world.criteria
    with pytest.raises(Invalid) as caught:
        save_marks(world.actor(1), world.event, [("001", q, "50", None), ("001", s, "41", None),
                                                 ("002", q, "50", None), ("999", q, "1", None),
                                                 ("001", 99999, "1", None), ("001", q, "51", None)])
    assert [d["field"] for d in caught.value.details] == ["marks[1]", "marks[2]", "marks[3]", "marks[4]", "marks[5]"]
    assert count(db, Mark) == 0 and count(db, MarkChange) == 0


def test_who_may_enter_marks(db):
    world = make_world()
    _, q, _ = world.criteria
    outsider = make_user(Role.JUDGE)
    for actor in (Actor(world.organiser), Actor(outsider), Actor(None)):
        with pytest.raises(NotAllowed):
            save_marks(actor, world.event, [("001", q, "50", None)])
    with pytest.raises(NotAllowed):  # correcting before any sign-off is not a correction at all
        save_marks(Actor(outsider), world.event, [("001", q, "50", "40")], judge=world.judges[1], reason="x")
    world.event.status = world.event.status.__class__("signed_off")
    with pytest.raises(InvalidState):
        save_marks(world.actor(1), world.event, [("001", q, "50", None)])


def test_submit_needs_the_judges_own_cells_and_makes_them_read_only(db):
    employer = make_enterprise()
    world = make_world(2, judges=3, judge_employers=[None, employer], entry_employers=[None, employer])
    t, q, s = world.criteria
    save_marks(world.actor(1), world.event, [("001", q, "50", None)])
    with pytest.raises(InvalidState) as caught:
        submit_marks(world.actor(1), world.event)
    assert caught.value.code == "marks_incomplete"
    assert [d["number"] for d in caught.value.details] == ["001"] and "安全文明" in caught.value.details[0]["message"]
    save_marks(world.actor(1), world.event, [("001", s, "30", None)])
    member = submit_marks(world.actor(1), world.event)  # 002 is a colleague's: not this judge's to mark
    assert member.submitted_at is not None
    with pytest.raises(InvalidState) as caught:
        save_marks(world.actor(1), world.event, [("001", t, "90", None)])
    assert caught.value.code == "marks_submitted"
    with pytest.raises(InvalidState):
        submit_marks(world.actor(1), world.event)
    assert [a.action for a in db.session.scalars(db.select(AuditEntry))].count("mark.submit") == 1


def test_progress_counts_each_judges_cells_and_lists_what_is_missing(db):
    employer = make_enterprise()
    world = make_world(3, judges=2, statuses=["present", "present", "withdrawn"],
                       judge_employers=[employer], entry_employers=[None, employer])
    fill(world, "001", "88", [("50", "30"), ("51", "31")])
    report = progress(world.event)
    chief, second = report.judges
    assert (chief.marked, chief.expected, chief.is_chief) == (2, 2, True)  # 002 is the chief's colleague
    assert (second.marked, second.expected) == (2, 4)
    assert (report.measured, report.measurements_expected) == (1, 2)
    assert [(m.judge_id, m.number, m.criterion_name) for m in report.missing] == [
        (None, "002", "理论考试"), (world.judges[1].id, "002", "工艺质量"), (world.judges[1].id, "002", "安全文明")]
    assert not report.complete


def test_progress_runs_the_same_queries_for_any_number_of_entries(db):
    small, large = make_world(2, judges=3), make_world(20, judges=3)
    for world in (small, large):
        for number in world.entries:
            fill(world, number, "80", [("50", "30")] * 3)
    progress(small.event), progress(large.event)  # warm: the events' own rows are loaded
    assert statements(db, lambda: progress(small.event)) == statements(db, lambda: progress(large.event)) == 5


def test_a_judges_seats_count_progress_as_the_scoring_panel_does_and_put_scoring_first(db):
    """The judge's home page lists their panels; for events in scoring, marked/expected must agree with the chief
    judge's panel (present entries only, 回避 excluded, measurements not the judge's), in constant queries."""
    employer = make_enterprise()
    world = make_world(4, judges=2, statuses=["present", "present", "withdrawn", "disqualified"],
                       judge_employers=[None, employer], entry_employers=[None, employer])
    fill(world, "001", "88", [("50", "30"), ("51", "31")])
    fill(world, "004", None, [("40", "20"), ("41", "21")])  # disqualified: marked, but not expected of anyone
    other = make_world(3, judges=1)
    fill(other, "001", None, [("50", "30")])
    chief, second = world.judges
    later, sooner, done = (make_event(status, event_date=day, registration_deadline=day.replace(day=1) - timedelta(days=1),
                                      name=f"{day.month}月赛项")
                           for status, day in (("drawn", date(2026, 9, 9)), ("open", date(2026, 7, 9)),
                                               ("final", date(2026, 3, 9))))
    for event in (later, sooner, done, other.event):
        event.panel.append(PanelMember(user_id=second.id, is_chief=event is later))
    db.session.flush()
    expected = {j.judge_id: (j.marked, j.expected) for j in progress(world.event).judges}
    assert expected == {chief.id: (2, 4), second.id: (2, 2)}  # 002 is the second judge's colleague (回避)

    seats = judge_seats(second)
    # in scoring (same day: by id), then to come (soonest first), then the rest (latest first)
    assert [s.event.id for s in seats] == [world.event.id, other.event.id, sooner.id, later.id, done.id]
    by_event = {s.event.id: s for s in seats}
    assert (by_event[world.event.id].marked, by_event[world.event.id].expected) == expected[second.id]
    assert (by_event[other.event.id].marked, by_event[other.event.id].expected) == (0, 6)
    assert (by_event[later.id].marked, by_event[later.id].expected, by_event[later.id].is_chief) == (None, None, True)
    assert [(s.marked, s.expected) for s in judge_seats(chief)] == [expected[chief.id]]
    submit_marks(world.actor(1), world.event)
    assert [s.submitted_at is not None for s in judge_seats(second)] == [True, False, False, False, False]
    one_scoring = statements(db, lambda: judge_seats(chief))
    assert one_scoring == statements(db, lambda: judge_seats(second)) == 4


def test_a_save_runs_the_same_statements_for_one_cell_or_a_whole_grid(db):
    """The busiest write is set-based: entering or changing 1 cell or 40 costs the same statements."""
    record(SYSTEM, "test.chain")
    db.session.commit()  # the audit chain has its head, as in any database in use
    world = make_world(20, judges=2)
    _, q, s = world.criteria
    judge = world.actor(1)

    def save(items) -> int:
        """Statements of one save, its audit row included on SQLite (written at the flush; PostgreSQL writes it
        sealed at commit: services/audit_sealed.py)."""
        return statements(db, lambda: (save_marks(judge, world.event, items), db.session.flush()))

    rest = [(number, c, "20", None) for number in list(world.entries)[1:] for c in (q, s)]
    entering = save([("001", q, "50", None)]), save(rest)
    changing = save([("001", q, "51", "50")]), save([(n, c, "21", "20") for n, c, _, _ in rest])
    assert len(rest) == 38 and entering[0] == entering[1] and changing[0] == changing[1], (entering, changing)
    # SQLite: the event (locked, with its status), criteria, entries, stored cells, insert or update, history, audit;
    # PostgreSQL (store.py): one read of all that (the event locked) and one write
    assert entering[0] == changing[0] == (2 if db.engine.dialect.name == "postgresql" else 7)
    assert len(marks_for(world.event, world.judges[1])) == 39


def test_a_judge_reads_their_own_marks_and_the_measurements(db):
    world = make_world(judges=2)
    fill(world, "001", "88", [("50", "30"), ("51", "31")])
    mine = marks_for(world.event, world.judges[1])
    assert [(c.criterion_id, c.judge_id, c.value) for c in mine] == [
        (world.criteria[0], None, Decimal("88.00")),
        (world.criteria[1], world.judges[1].id, Decimal("51.00")), (world.criteria[2], world.judges[1].id, Decimal("31.00"))]
    assert len(marks_for(world.event)) == 5


def test_spread_flags_judges_who_disagree(db):
    world = make_world(2, judges=3)
    fill(world, "001", "88", [("50", "30"), ("51", "31"), ("40", "30")])
    fill(world, "002", "88", [("50", "30"), ("51", "31"), ("52", "30")])
    found = spread(world.event, "10")
    assert [(s.number, s.label, s.spread, s.flagged) for s in found] == [
        ("001", "操作技能（评价小计）", Decimal("12.00"), True), ("002", "操作技能（评价小计）", Decimal("2.00"), False)]
    world.event.aggregation_level = world.event.aggregation_level.__class__("criterion")
    assert [(s.label, s.spread) for s in spread(world.event, "10") if s.number == "001"] == [
        ("工艺质量", Decimal("11.00")), ("安全文明", Decimal("1.00"))]
    with pytest.raises(Invalid):
        spread(world.event, "abc")


def test_a_judges_progress_counts_present_entries_without_conflicts_like_the_panel(db):
    from competition.services.marking.reports import judge_progress
    from competition.services.marking.facts import load_facts

    firm = make_enterprise()
    world = make_world(3, judges=2, judge_employers=(None, firm), entry_employers=(firm,),
                       statuses=("present", "present", "disqualified"))
    fill(world, "002", "80", [("50", "30"), ("40", "20")])
    facts = load_facts(world.event)
    judge = next(j for j in facts.judges if j.user_id == world.judges[1].id)
    # 001 is 回避 for judge 2, 003 is disqualified: only 002 counts, two judgement criteria.
    assert judge_progress(world.event, facts, judge) == (2, 2)
    panel = {j.judge_id: (j.marked, j.expected) for j in progress(world.event).judges}
    assert panel[world.judges[1].id] == (2, 2)
