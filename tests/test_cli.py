"""Command-line interface: create-user and seed-demo, as operators run them."""
from competition.models import AuditEntry, Enterprise, Role, Season, User
from competition.rules.identity import check_credit_code


def test_create_user_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--username", "ops", "--password", "Secret123", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "已创建用户 ops" in result.output
    user = db.session.scalar(db.select(User).where(User.username == "ops"))
    assert user.role is Role.ADMIN and user.password_hash.startswith("scrypt:")


def test_create_user_command_refuses_bad_input_with_reasons(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--username", "ops", "--password", "short", "--role", "enterprise"])
    assert result.exit_code != 0
    assert "密码至少需要8个字符" in result.output and "企业用户必须属于一家企业" in result.output
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
    audited = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "跳过" in second.output
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == audited
