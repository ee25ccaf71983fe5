"""Accounts, roles and API tokens."""
import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.messages import Message
from .types import UTCDateTime, utcnow


class Role(str, enum.Enum):
    """What an account may do (RULES.md §3)."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    JUDGE = "judge"
    ENTERPRISE = "enterprise"
    TOWN = "town"  # 镇区人社: read-only, its own town (RULES.md §3, §17)

    @property
    def label(self) -> str:
        """Chinese name of the role."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: Message("系统管理员"),
    Role.ORGANISER: Message("组委会"),
    Role.JUDGE: Message("裁判"),
    Role.ENTERPRISE: Message("企业用户"),
    Role.TOWN: Message("镇区人社"),
}


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column storing the values (no native PostgreSQL type to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class User(db.Model):
    """A person who logs in: organiser, judge, enterprise HR, or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    town: Mapped[str | None] = mapped_column(String(40), index=True)  # a town officer's town (one of the league's)
    is_disabled: Mapped[bool] = mapped_column(default=False)
    # Bumped on logout and password change: every session carrying an older value ends.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    enterprise = relationship("Enterprise", foreign_keys=[enterprise_id], lazy="joined")
    employer = relationship("Enterprise", foreign_keys=[employer_id], lazy="joined")
    throttles: Mapped[list["LoginThrottle"]] = relationship(back_populates="user", passive_deletes=True,
                                                             order_by="LoginThrottle.id")

    @property
    def locked_until(self) -> datetime | None:
        """The end of the latest lock still running from any client address, or None."""
        now = utcnow()
        running = [t.locked_until for t in self.throttles if t.locked_until is not None and t.locked_until > now]
        return max(running, default=None)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        """Disabled accounts cannot log in or keep a session."""
        return not self.is_disabled

    @property
    def is_authenticated(self) -> bool:
        """A loaded user is authenticated."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """A loaded user is never anonymous."""
        return False

    def get_id(self) -> str:
        """Session identity: id and generation, so a bump ends old sessions."""
        return f"{self.id}:{self.session_generation}"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class LoginThrottle(db.Model):
    """Failed logins of one account from one client address, and the lock they earned there: an attacker
    elsewhere can not lock the account's owner out (issue 14)."""

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("user_id", "client_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_address: Mapped[str] = mapped_column(String(64))  # "" when the address is unknown
    failures: Mapped[int] = mapped_column(Integer, default=0)  # since the last lock or success
    locks: Mapped[int] = mapped_column(Integer, default=0)  # locks in a row: each doubles the next one
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="throttles")


class ApiToken(db.Model):
    """A bearer token for the JSON API, stored only as its SHA-256 hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")
