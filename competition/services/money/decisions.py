"""What every money decision checks the same way (subsidy claims, rewards): a rejection's reason and a payment's
date and voucher. One home, so that a claim and a reward refuse the same input with the same words."""
from datetime import date, datetime

from ...errors import Invalid
from ...models.types import beijing_day
from ...rules.messages import Message, clauses
from ..marking.facts import beijing_today


def clean_reason(reason: str | None) -> str:
    """A rejection's reason, trimmed: 2 to 500 characters (400 otherwise)."""
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 500:
        raise Invalid(Message("请填写驳回理由（2至500个字符）。"),
                      details=[{"field": "reason", "message": Message("请填写驳回理由。")}])
    return reason


def clean_payment(paid_on, voucher: str | None, decided_at: datetime | None) -> str:
    """Check a payment: the date (not before the approval, not in the future) and the voucher number; returns the
    voucher trimmed (400 naming each wrong field otherwise)."""
    voucher = (voucher or "").strip()
    problems = []
    if not 1 <= len(voucher) <= 60:
        problems.append({"field": "voucher", "message": Message("请填写凭证号（最多60个字符）。")})
    approved_on = beijing_day(decided_at)
    if not isinstance(paid_on, date):
        problems.append({"field": "paid_on", "message": Message("请填写拨付日期。")})
    elif paid_on > beijing_today():
        problems.append({"field": "paid_on", "message": Message("拨付日期 %(date)s 还没到：只能登记已经拨付的款项，"
                                                                "日期不能晚于今天（%(today)s）。",
                                                                date=paid_on.isoformat(),
                                                                today=beijing_today().isoformat())})
    elif approved_on is not None and paid_on < approved_on:
        problems.append({"field": "paid_on", "message": Message("拨付日期 %(date)s 早于批准日期（%(approved)s）："
                                                                "款项只能在批准之后拨付。", date=paid_on.isoformat(),
                                                                approved=approved_on.isoformat())})
    if problems:
        raise Invalid(clauses(p["message"] for p in problems), details=problems)
    return voucher
