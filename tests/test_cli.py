"""Command-line interface: create-user and seed-demo, as operators run them."""
from competition.models import AuditEntry, Enterprise, Entry, EntryStatus, Event, Role, Season, User
from competition.rules.identity import check_credit_code, check_id_number


def test_create_user_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--username", "ops", "--password", "Secret-2026", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "已创建用户 ops" in result.output
    user = db.session.scalar(db.select(User).where(User.username == "ops"))
    assert user.role is Role.ADMIN and user.password_hash.startswith("scrypt:")


def test_create_user_command_refuses_bad_input_with_reasons(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--username", "ops", "--password", "short", "--role", "enterprise"])
    assert result.exit_code != 0
    assert "密码至少需要10个字符" in result.output and "企业用户必须属于一家企业" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_seed_demo_loads_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    for username in ("admin", "organiser", "judge", "enterprise"):
        assert username in first.output
    assert db.session.scalar(db.select(db.func.count(Enterprise.id))) == 5
    assert all(check_credit_code(e.credit_code).ok for e in db.session.scalars(db.select(Enterprise)))
    assert db.session.scalar(db.select(Season)).year == 2026
    statuses = {e.status.value: e for e in db.session.scalars(db.select(Event))}
    assert {"drawn", "open", "submitted", "rejected", "draft"} <= set(statuses)
    drawn = statuses["drawn"]
    assert drawn.kind.value == "enterprise" and len(drawn.modules) == 2
    entries = list(db.session.scalars(db.select(Entry).where(Entry.event_id == drawn.id)))
    assert len(entries) >= 60
    assert all(check_id_number(e.person.id_number).ok for e in entries)
    numbers = [e.number for e in entries if e.status is EntryStatus.PRESENT]
    assert len(numbers) == len(set(numbers)) >= 50
    assert len(drawn.panel) == 5 and sum(m.is_chief for m in drawn.panel) == 1
    audited = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "跳过" in second.output
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == audited


def _lathe_state() -> str:
    """The demo publishes the 车工 event today: under notice, unless today's notice would run into a year the working
    calendar lacks (late December before chinesecalendar knows the next year), when it waits signed off."""
    from competition.errors import InvalidState
    from competition.services.calendar import notice_end
    from competition.services.marking.facts import beijing_today

    try:
        notice_end(beijing_today(), 5)
    except InvalidState:
        return "signed_off"
    return "notice"


def test_seed_demo_scores_events_through_the_marking_journey(app, db):
    from competition.models import Mark, PanelMember, ResultSnapshot
    from competition.services.results.rows import published_results

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    scored = {e.occupation: e for e in db.session.scalars(db.select(Event).where(Event.participants.is_not(None)))}
    winding, lathe, cable = scored["络筒工"], scored["车工"], scored["电线电缆制造工"]
    assert (winding.status.value, lathe.status.value, cable.status.value) == ("final", _lathe_state(), "final")
    # 52 present of 56 registered, one of them disqualified after check-in: still a participant (§10).
    assert winding.participants == 52 and cable.participants == 36
    assert winding.kind.value == "enterprise" and winding.host.name.startswith("江苏恒力")
    for event in (winding, lathe):
        panel = list(db.session.scalars(db.select(PanelMember).where(PanelMember.event_id == event.id)))
        assert len(panel) == 5 and all(m.submitted_at is not None for m in panel)
        judges = db.session.scalars(db.select(Mark.judge_key).where(Mark.event_id == event.id).distinct())
        assert len(set(judges) - {0}) == 5
        assert db.session.scalar(db.select(db.func.count(ResultSnapshot.id))
                                 .where(ResultSnapshot.event_id == event.id)) == 1
    rows = published_results(winding).rows
    ranked = [r for r in rows if r["rank"] is not None]
    assert len(ranked) == 51 and [r["status"] for r in rows].count("disqualified") == 1
    assert lathe.status.value == "signed_off" or lathe.notice_ends_on > lathe.published_at.date()
    assert winding.finalised_at.date() > winding.notice_ends_on
