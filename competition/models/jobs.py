"""Background jobs (e.g. an event's certificates as one PDF): their state, progress and result, in the database, so
any process of the app can answer "how far is it" and hand out the result."""
import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import enum_column


class JobState(str, enum.Enum):
    """queued → running → done | failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One piece of long work, its owner, its progress (done of total) and its result (a file) or error."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint("done >= 0 AND total >= 0", name="progress_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(60), index=True)  # what it works on, e.g. "event:12"
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED, index=True)
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    result_name: Mapped[str | None] = mapped_column(String(200))
    result_type: Mapped[str | None] = mapped_column(String(80))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_finished(self) -> bool:
        """Done or failed: nothing will change any more."""
        return self.state in (JobState.DONE, JobState.FAILED)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state.value} {self.done}/{self.total}>"
