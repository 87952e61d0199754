"""The dashboard's tally: a region's caseload counted per centre, kept current by every commit that changes it.

The dashboard shows a region's programmes by status, stage, category and centre, the citizens in accompaniment and
the enrolments and closures of twelve months. Counted from the programmes on every view, that is a pass over
100,000 programmes (and growing with the years); read from here it is a few hundred rows whatever the history.
``app.reporting.tally`` recounts a centre's rows at the commit that changed its programmes (or a citizen's
category), from the programmes themselves; nobody writes these tables otherwise.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.policy import ByCentre, Policy

# read by the dashboard only, through the centre scope; never edited, not audited (it is recounted, not entered)
_TALLY = Policy({}, rows=ByCentre(), case_data=True, audited=False, read_only=True)


class CaseloadTally(Base):
    """A centre's programmes of one status, stage and citizen's category (no row where there are none)."""

    __tablename__ = "caseload_tally"
    __policy__ = _TALLY
    __table_args__ = (Index("ix_caseload_tally_centre", "centre_id", "status", "stage", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(code())
    stage: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[Optional[int]] = mapped_column(Integer)  # the citizen's category; a category in use stays
    programmes: Mapped[int] = mapped_column(Integer)


class CaseloadMonth(Base):
    """A centre's enrolments (activations) and closures of one month (no row for a month without either)."""

    __tablename__ = "caseload_month"
    __policy__ = _TALLY
    __table_args__ = (Index("ix_caseload_month_centre", "centre_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # its first day
    enrolled: Mapped[int] = mapped_column(Integer)
    closed: Mapped[int] = mapped_column(Integer)


class CaseloadCentre(Base):
    """A centre's citizens in accompaniment (with at least one open programme of the centre), and when the centre's
    tally was last recounted."""

    __tablename__ = "caseload_centre"
    __policy__ = _TALLY

    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"), primary_key=True)
    citizens: Mapped[int] = mapped_column(Integer)
    counted_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
