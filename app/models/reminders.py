"""Reminders of due dates, computed by the scan job from the rules engine."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Date, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import choices
from app.domain.roles import DEPARTMENT, DIRECTOR, PARTNER, READ, REGISTRAR, SPECIALIST, TERRITORY
from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.policy import ByRecipient, Policy


class Reminder(Base):
    """One reminder to one person about one thing; ``subject_key`` makes the scan idempotent."""

    __tablename__ = "reminder"
    __policy__ = Policy(
        {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: READ, SPECIALIST: READ, REGISTRAR: READ, PARTNER: READ},
        rows=ByRecipient(partner_measure="measure_id"),
        case_data=True,
        audited=False,
        read_only=True,
    )
    __table_args__ = (
        Index("uq_reminder_subject", "recipient_id", "kind", "subject_key", "due_date", unique=True),
        # the open reminders: a person's, by due date, for My reminders, the navbar counter and the digest; all of
        # them, with their keys, for the scan to compare with what is due, however many closed ones the years leave
        # behind (PostgreSQL reads the 30,000 keys of a region from the table in 10 ms)
        Index(
            "ix_reminder_open",
            "recipient_id",
            "due_date",
            postgresql_where=text("closed_at IS NULL"),
        ).ddl_if(dialect="postgresql"),
        # SQLite: the keys and ``closed_at`` (always empty here) in the index too, so that the scan reads its keys
        # from the index alone rather than looking up each of 30,000 rows in the table (a fifth of an hourly scan).
        # Not on PostgreSQL, where the wider entries made the day's first scan, writing 30,000 of them, a fifth
        # slower (1,150 ms instead of 900 in alternating runs)
        Index(
            "ix_reminder_open_keys",
            "recipient_id",
            "due_date",
            "kind",
            "subject_key",
            "closed_at",
            sqlite_where=text("closed_at IS NULL"),
        ).ddl_if(dialect="sqlite"),
        # a deleted report takes its reminders along (app.reminders.steps)
        Index(
            "ix_reminder_report",
            "report_id",
            sqlite_where=text("report_id IS NOT NULL"),
            postgresql_where=text("report_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whom and what the reminder is about, without foreign keys: a scan records tens of thousands of reminders at
    # once, and PostgreSQL checks each foreign key of each row with a query and a lock of the row it points to (five
    # of them cost twice as much as writing the rows). A deleted user, programme, measure, report or centre takes
    # its reminders along in the same transaction (app.reminders.steps); the scan closes one whose cause is gone.
    recipient_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(code(), info={"choices": choices.ReminderKind})
    subject_key: Mapped[str] = mapped_column(String(64))
    programme_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    measure_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    report_id: Mapped[Optional[int]] = mapped_column(Integer)
    centre_id: Mapped[Optional[int]] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)
    closed_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)  # done by the recipient, or cause gone
    # closed by the scan (cause gone), not by the recipient
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notified_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)  # sent in an e-mail digest

    recipient = relationship("User", primaryjoin="foreign(Reminder.recipient_id) == User.id")
    programme = relationship("Programme", primaryjoin="foreign(Reminder.programme_id) == Programme.id")
    measure = relationship("Measure", primaryjoin="foreign(Reminder.measure_id) == Measure.id")
    centre = relationship("Centre", primaryjoin="foreign(Reminder.centre_id) == Centre.id")

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date:%d.%m.%Y}"
