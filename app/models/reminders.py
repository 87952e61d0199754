"""Reminders of due dates, computed by the scan job from the rules engine."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import choices
from app.domain.roles import DEPARTMENT, DIRECTOR, READ, REGISTRAR, SPECIALIST, TERRITORY
from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.policy import ByRecipient, Policy


class Reminder(Base):
    """One reminder to one person about one thing; ``subject_key`` makes the scan idempotent."""

    __tablename__ = "reminder"
    __policy__ = Policy(
        {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: READ, SPECIALIST: READ, REGISTRAR: READ},
        rows=ByRecipient(),
        case_data=True,
        audited=False,
        read_only=True,
    )
    __table_args__ = (
        Index("uq_reminder_subject", "recipient_id", "kind", "subject_key", "due_date", unique=True),
        Index("ix_reminder_recipient_open", "recipient_id", "closed_at", "read_at"),
        # the open reminders the scan compares with what is due, however many closed ones the years leave behind
        # (closed_at included so that SQLite sees the index as covering)
        Index(
            "ix_reminder_open",
            "recipient_id",
            "kind",
            "subject_key",
            "due_date",
            "closed_at",
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(code(), info={"choices": choices.ReminderKind})
    subject_key: Mapped[str] = mapped_column(String(64))
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[Optional[int]] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"))
    centre_id: Mapped[Optional[int]] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)
    closed_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)  # done by the recipient, or cause gone
    # closed by the scan (cause gone), not by the recipient
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notified_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)  # sent in an e-mail digest

    recipient = relationship("User", foreign_keys=[recipient_id])
    programme = relationship("Programme")
    measure = relationship("Measure")
    centre = relationship("Centre")

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date:%d.%m.%Y}"
