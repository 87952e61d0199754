"""The append-only audit log of reads and changes of personal data (152-ФЗ)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain import choices
from app.domain.roles import DEPARTMENT, DIRECTOR, READ
from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.policy import ByCentre, Policy


class AuditEntry(Base):
    """Who did what to which object, when and from where. Never updated, never deleted."""

    __tablename__ = "audit_entry"
    __policy__ = Policy({DEPARTMENT: READ, DIRECTOR: READ}, rows=ByCentre(), audited=False, read_only=True)
    __table_args__ = (
        Index("ix_audit_centre_at", "centre_id", "at"),
        Index("ix_audit_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    username: Mapped[Optional[str]] = mapped_column(String(100))
    remote_addr: Mapped[Optional[str]] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(code(), info={"choices": choices.AuditAction})
    object_type: Mapped[Optional[str]] = mapped_column(String(50))
    object_id: Mapped[Optional[int]]
    centre_id: Mapped[Optional[int]] = mapped_column(ForeignKey("centre.id", ondelete="SET NULL"))
    changes: Mapped[Optional[dict]] = mapped_column(JSON)

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"
