"""Policy versions (RULES.md §12): the figures in force on a date."""
from datetime import date

from ..extensions import db
from ..models import FIRST_POLICY_DATE, FOUNDING_FIGURES, PolicyVersion


def ensure_founding_policy() -> PolicyVersion:
    """The first version, effective 2012-12-05, created if missing (the migration also creates it)."""
    first = db.session.scalar(db.select(PolicyVersion).where(PolicyVersion.effective_from == FIRST_POLICY_DATE))
    if first is None:
        first = PolicyVersion(effective_from=FIRST_POLICY_DATE, note="吴政规字〔2012〕13号", **FOUNDING_FIGURES)
        db.session.add(first)
        db.session.flush()
    return first


def policy_in_force(on: date) -> PolicyVersion | None:
    """The version whose effective date is the latest on or before the given day."""
    return db.session.scalar(
        db.select(PolicyVersion).where(PolicyVersion.effective_from <= on)
        .order_by(PolicyVersion.effective_from.desc()).limit(1)
    )


def list_policy_versions() -> list[PolicyVersion]:
    """Every version, newest first."""
    return list(db.session.scalars(db.select(PolicyVersion).order_by(PolicyVersion.effective_from.desc())))
