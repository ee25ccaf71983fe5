"""Policy figures, versioned by effective date (RULES.md §12)."""
import json
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..rules.league import DEFAULT_POINTS
from ..rules.prizes import default_tiers_data
from .types import UTCDateTime, utcnow

FIRST_POLICY_DATE = date(2012, 12, 5)  # 吴政规字〔2012〕13号
# The default tiers as JSON in ASCII (Chinese as \u escapes), for the column's server default.
DEFAULT_TIERS_JSON = json.dumps(default_tiers_data())
DEFAULT_POINTS_JSON = json.dumps(DEFAULT_POINTS.to_data())

# The founding figures; the first version carries them.
FOUNDING_FIGURES = {
    "participant_threshold": 50,
    "subsidy_amount": 20000,
    "subsidies_per_enterprise_year": 1,
    "expert_subsidy": 2000,
    "nomination_quota": 3,
    "pass_mark": 60,
    "notice_working_days": 5,
}


class PolicyVersion(db.Model):
    """The policy figures in force from one date until the next version's date."""

    __tablename__ = "policy_versions"
    __table_args__ = (
        CheckConstraint(
            "participant_threshold > 0 AND subsidy_amount >= 0 AND subsidies_per_enterprise_year >= 0"
            " AND expert_subsidy >= 0 AND nomination_quota > 0 AND pass_mark BETWEEN 0 AND 100"
            " AND notice_working_days >= 0",
            name="figures_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    participant_threshold: Mapped[int]
    subsidy_amount: Mapped[int]
    subsidies_per_enterprise_year: Mapped[int]
    expert_subsidy: Mapped[int]
    nomination_quota: Mapped[int]
    pass_mark: Mapped[int]
    notice_working_days: Mapped[int]
    # The default prize tiers (RULES.md §15) as [{"name", "share" | "count"}]; an event may set its own.
    prize_tiers: Mapped[list] = mapped_column(JSON, default=default_tiers_data,
                                              server_default=text(f"'{DEFAULT_TIERS_JSON}'"))
    # The league's standings points ({"prizes": [10, 6, 3], "participant": 1, "hosted_event": 5}, RULES.md §16) and the
    # reward schedule ([{"level", "prize", "individual", "sending_unit"}]; empty in the founding version).
    standing_points: Mapped[dict] = mapped_column(JSON, default=lambda: DEFAULT_POINTS.to_data(),
                                                  server_default=text(f"'{DEFAULT_POINTS_JSON}'"))
    rewards: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def figures(self) -> dict[str, int]:
        """The figures as a plain dict, for rules that take policy as arguments."""
        return {name: getattr(self, name) for name in FOUNDING_FIGURES}
