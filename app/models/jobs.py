"""The journal of background jobs: what ran, what failed, what could not even be queued (Redis down)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain import choices
from app.domain.roles import ADMIN, READ
from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.policy import Policy


class JobRun(Base):
    """One run (or one failed attempt to queue) of a background job, for the administrator's page."""

    __tablename__ = "job_run"
    __policy__ = Policy({ADMIN: READ}, audited=False, read_only=True)
    __table_args__ = (Index("ix_job_run_started", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(code(), info={"choices": choices.JobStatus})
    started_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(TIMESTAMP)
    detail: Mapped[Optional[str]] = mapped_column(Text)

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%d.%m.%Y %H:%M}"
