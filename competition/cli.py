"""Command-line interface: create-user, seed-demo, unlock-user, audit-verify, issue-certificates, monthly-reports (db
upgrade comes from Flask-Migrate)."""
import click
from flask import Flask
from flask_babel import gettext as _

from .errors import AppError
from .extensions import db
from .i18n import as_text
from .models import Role, User
from .rules.messages import Message
from .services.accounts import NewUser, create_user
from .services.audit import SYSTEM, verify_chain
from .services.logins import unlock


def register_commands(app: Flask) -> None:
    """Attach the commands to `flask --app competition`."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(unlock_user_command)
    app.cli.add_command(audit_verify_command)
    app.cli.add_command(issue_certificates_command)
    app.cli.add_command(monthly_reports_command)
    app.cli.add_command(seed_scale_command)


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--display-name", default=None, help=Message("显示名称，默认同用户名"))
@click.option("--enterprise-id", type=int, default=None, help=Message("企业用户所属企业"))
@click.option("--employer-id", type=int, default=None, help=Message("裁判的工作单位（用于回避）"))
def create_user_command(username, password, role, display_name, enterprise_id, employer_id):
    """Create an account (roles: admin, organiser, judge, enterprise)."""
    data = NewUser(username=username, password=password, display_name=display_name or username,
                   role=role, enterprise_id=enterprise_id, employer_id=employer_id)
    try:
        user = create_user(SYSTEM, data)
        db.session.commit()
    except AppError as error:
        db.session.rollback()
        lines = [as_text(error.message)] + [f"  {d.get('field', '')}: {as_text(d['message'])}" for d in error.details]
        raise click.ClickException("\n".join(lines)) from error
    click.echo(_("已创建用户 %(username)s（%(role)s），编号 %(id)s。", username=user.username, role=as_text(user.role.label),
                 id=user.id))


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help=Message("数据库已有用户时不做任何事"))
def seed_demo_command(if_empty):
    """Load the demo league: a season, enterprises, and one account of each role (printed)."""
    from .demo import seed_demo

    try:
        accounts = seed_demo(if_empty=if_empty)
        db.session.commit()
    except AppError as error:
        db.session.rollback()
        raise click.ClickException(as_text(error.message)) from error
    if accounts is None:
        click.echo(_("数据库中已有数据，跳过演示数据。"))
        return
    click.echo(_("演示数据已载入。演示账户（用户名 / 密码 / 角色）："))
    for username, password, label in accounts:
        click.echo(f"  {username:<14} {password:<16} {as_text(label)}")


@click.command("unlock-user")
@click.option("--username", required=True)
@click.option("--address", default=None, help=Message("只解除来自该客户端地址的锁定；缺省解除全部"))
def unlock_user_command(username, address):
    """Lift an account's login locks (every client address, or one), e.g. when the only administrator is locked."""
    user = db.session.scalar(db.select(User).where(db.func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise click.ClickException(_("没有用户名为“%(username)s”的账户。", username=username))
    removed = unlock(SYSTEM, user, address)
    db.session.commit()
    click.echo(_("已解除 %(username)s 的登录锁定（%(removed)s 条失败记录已清除）。", username=user.username, removed=removed))


@click.command("audit-verify")
def audit_verify_command():
    """Recompute the audit log's hash chain; name the first broken link (exit status 1 when one is found)."""
    report = verify_chain()
    if not report.ok:
        where = _("（审计记录编号 %(id)s）", id=report.audit_id) if report.audit_id is not None else ""
        raise click.ClickException(_("审计日志校验失败：已核对 %(checked)s 条，第 %(broken_at)s 条%(where)s断链。%(problem)s",
                                     checked=report.checked, broken_at=report.broken_at, where=where,
                                     problem=as_text(report.problem)))
    if report.unsealed:
        raise click.ClickException(_("审计日志链完整（%(checked)s 条），但有 %(unsealed)s 条记录未经应用写入、"
                                     "未封存进哈希链，请核查。", checked=report.checked, unsealed=report.unsealed))
    click.echo(_("审计日志校验通过：%(checked)s 条记录，哈希链完整。", checked=report.checked))


@click.command("issue-certificates")
def issue_certificates_command():
    """Issue the certificates still missing: every prize of a final event, every 技术能手 title (after an upgrade)."""
    from .services.certificates.issue import issue_missing

    made = issue_missing(SYSTEM)
    db.session.commit()
    click.echo(_("已签发 %(count)s 张证书。", count=len(made)))


@click.command("monthly-reports")
@click.option("--month", default=None, metavar="YYYY-MM", help=Message("报告的月份；缺省时仅在每月第一个工作日生成上月的报告"))
def monthly_reports_command(month):
    """Write each town's monthly feedback (RULES.md §17): with --month, that month's; without, the month before, but
    only on the first working day of a month (China's calendar), so cron or a systemd timer may call it every day.
    Running it again for a month replaces that month's reports, never duplicates them."""
    from .rules.calendar import CalendarMissing
    from .services.reports import monthly

    try:
        if month is None:
            today = monthly.beijing_today()
            try:
                chosen = monthly.scheduled_month(today)
            except CalendarMissing as missing:
                raise click.ClickException(_(
                    "系统中还没有%(year)s年的法定节假日和调休安排，无法判断今天是否为本月第一个工作日。"
                    "请系统管理员在“工作日历”中录入%(year)s年的放假和调休上班日期，或用 --month 指定月份。",
                    year=missing.year)) from None
            if chosen is None:
                click.echo(_("今天（%(today)s）不是本月第一个工作日，无需生成月度反馈。", today=today.isoformat()))
                return
        else:
            chosen = monthly.parse_month(month)
        reports = monthly.generate_month(SYSTEM, chosen)
        db.session.commit()
    except AppError as error:
        db.session.rollback()
        raise click.ClickException(as_text(error.message)) from error
    click.echo(_("已生成%(month)s的月度反馈：%(count)s个镇（区）。", month=as_text(monthly.month_label(chosen)),
                 count=len(reports)))


@click.command("seed-scale")
@click.option("--seasons", type=click.IntRange(1, 20), default=3, show_default=True)
@click.option("--events", type=click.IntRange(1, 5000), default=300, show_default=True)
@click.option("--entries", type=click.IntRange(1, 1_000_000), default=30_000, show_default=True)
@click.option("--marks", type=click.IntRange(1, 50_000_000), default=3_000_000, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
def seed_scale_command(seasons, events, entries, marks, seed):
    """Write a league-scale data set for benches (PostgreSQL; issue 22): seasons after the existing ones, events with
    their entries and every mark, each event signed off and final with its certificates; prints the counts and how
    long each part took."""
    from .demo.scale import seed_scale

    report = seed_scale(seasons, events, entries, marks, seed=seed, progress=click.echo)
    click.echo(", ".join(f"{name} {count:,}" for name, count in report.counts.items()))
    click.echo(", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.seconds.items()))
