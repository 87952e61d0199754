"""The journal of appeals (журнал учёта обращений) and the document pack."""

from __future__ import annotations

from datetime import date
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import choices
from app.models.base import AttachedFile, Base, code, in_words
from app.models.centres import Centre
from app.models.citizens import Citizen
from app.models.policy import REGISTRY_ACCESS, ByCentre, ByParent, Policy
from app.models.search import SearchKey, search_index


class Appeal(SearchKey, Base):
    """An entry in a centre's journal of appeals."""

    __tablename__ = "appeal"
    __policy__ = Policy(REGISTRY_ACCESS, rows=ByCentre(), case_data=True)
    __table_args__ = (
        UniqueConstraint("centre_id", "journal_number", name="uq_appeal_centre_number"),
        Index("ix_appeal_centre_date", "centre_id", "appeal_date"),
        search_index("appeal"),  # the journal number
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="RESTRICT"))
    journal_number: Mapped[str] = mapped_column(String(32))
    appeal_date: Mapped[date] = mapped_column(Date)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="RESTRICT"), index=True)
    channel: Mapped[str] = mapped_column(code(), info={"choices": choices.AppealChannel})
    reason: Mapped[str] = mapped_column(Text)
    problems: Mapped[Optional[str]] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(
        code(), info={"choices": choices.AppealDecision}, default="pending", index=True
    )

    centre: Mapped[Centre] = relationship()
    citizen: Mapped[Citizen] = relationship()
    documents: Mapped[list[AppealDocument]] = relationship(
        back_populates="appeal", cascade="all, delete-orphan", passive_deletes=True
    )

    search_parts = ("journal_number",)

    def search_key(self) -> str:
        return self.journal_number or ""

    def __str__(self) -> str:
        """«№ 12/2026 от 01.02.2026» in Russian, «No. 12/2026 of 01.02.2026» in English."""
        day = f"{self.appeal_date:%d.%m.%Y}"
        return in_words(
            _l("No. %(number)s of %(date)s", number=self.journal_number, date=day),
            f"№ {self.journal_number} от {day}",
        )


class AppealDocument(AttachedFile, Base):
    """A document of the pack: application, need assessment act, living conditions act."""

    __tablename__ = "appeal_document"
    __policy__ = Policy(REGISTRY_ACCESS, rows=ByParent("appeal"), case_data=True)
    # the monthly report's identified need: the need assessment acts of a year up to a day, by their date
    __table_args__ = (Index("ix_appeal_document_kind_date", "kind", "document_date", "appeal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(code(), info={"choices": choices.DocumentKind})
    document_date: Mapped[date] = mapped_column(Date)
    note: Mapped[Optional[str]] = mapped_column(String(300))

    appeal: Mapped[Appeal] = relationship(back_populates="documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.document_date:%d.%m.%Y}"
