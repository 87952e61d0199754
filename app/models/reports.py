"""The monthly report of a centre (annex 3 of order 425-р)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import choices
from app.domain.roles import ADMIN, DEPARTMENT, DIRECTOR, FULL, READ, SPECIALIST, TERRITORY, WRITE
from app.models.base import TIMESTAMP, Base, code
from app.models.centres import Centre
from app.models.policy import ByCentre, Policy


class MonthlyReport(Base):
    """A centre's report for a month: a draft computed from data, then a frozen snapshot."""

    __tablename__ = "monthly_report"
    __policy__ = Policy(
        {ADMIN: FULL, DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: WRITE, SPECIALIST: READ}, rows=ByCentre()
    )
    __table_args__ = (
        UniqueConstraint("centre_id", "month", name="uq_report_centre_month"),
        Index("ix_report_month_status", "month", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="RESTRICT"))
    month: Mapped[date] = mapped_column(Date, info={"month": True})  # first day of the reporting month: мм.гггг
    status: Mapped[str] = mapped_column(code(), info={"choices": choices.ReportStatus}, default="draft")
    need_count: Mapped[int] = mapped_column(Integer, default=0)
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0)
    measures_info: Mapped[Optional[str]] = mapped_column(Text)
    result_info: Mapped[Optional[str]] = mapped_column(Text)
    note: Mapped[Optional[str]] = mapped_column(Text)
    preparer_name: Mapped[Optional[str]] = mapped_column(String(200))
    preparer_phone: Mapped[Optional[str]] = mapped_column(String(32))
    submitted_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    # what the report froze, programme list included: read only to build a submitted report's workbook, never by a
    # list, the board or the dashboard (a region's month of snapshots is megabytes of JSON)
    snapshot: Mapped[Optional[dict]] = mapped_column(JSON, deferred=True)
    history: Mapped[Optional[list]] = mapped_column(JSON)
    # optimistic locking: of two submissions (or edits) at the same moment, one wins and the other is told
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    centre: Mapped[Centre] = relationship()
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return f"{self.centre} {self.month:%m.%Y}"
