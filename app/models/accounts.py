"""What the console keeps about sign-in accounts beside Flask-AppBuilder's user row: the lock and the session
generation of an account, and the requests that open case data to a user with their confirmation (four eyes)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.domain import choices
from app.domain.roles import ADMIN, DEPARTMENT, DIRECTOR, READ
from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.centres import Centre, Organisation, Territory
from app.models.policy import ByCentre, Policy


class AccountState(Base):
    """An account's lock after failed sign-ins and the generation of its sessions and tokens.

    A session cookie and an API token carry the generation they were issued in; signing out, a password change,
    deactivation and a change of roles move the account to the next generation, and whatever was issued before
    stops working (``app.security.sessions``). Written by the system only.
    """

    __tablename__ = "account_state"
    __policy__ = Policy({}, audited=False, read_only=True)

    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)  # the account's own lock time

    user = relationship("User", backref=backref("account_state", uselist=False, passive_deletes=True))


class AccessGrant(Base):
    """A request to open case data to a user — the case roles, in a centre or territory — and its decision.

    A user's roles that open case data take effect only as far as a confirmed grant for the user's present centre
    and territory covers them (``app.security.grants``): the request is made by whoever changed the user (the
    administrator), the confirmation by a second person (``app.domain.roles.check_confirmation``).
    """

    __tablename__ = "access_grant"
    __policy__ = Policy({ADMIN: READ, DEPARTMENT: READ, DIRECTOR: READ}, rows=ByCentre(), read_only=True)
    __table_args__ = (Index("ix_access_grant_status", "status", "centre_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), index=True)
    roles: Mapped[str] = mapped_column(String(200))  # the case roles asked for, comma-separated in order
    centre_id: Mapped[Optional[int]] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"))
    territory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"))
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(code(), info={"choices": choices.GrantStatus}, default="pending")
    reason: Mapped[str] = mapped_column(code(), info={"choices": choices.GrantReason}, default="roles")
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)
    note: Mapped[Optional[str]] = mapped_column(Text)

    user = relationship("User", foreign_keys=[user_id])
    centre: Mapped[Optional[Centre]] = relationship()
    territory: Mapped[Optional[Territory]] = relationship()
    organisation: Mapped[Optional[Organisation]] = relationship()
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(role for role in (self.roles or "").split(",") if role)

    def __str__(self) -> str:
        return f"{self.user} — {self.roles}"
