"""The citizen (programme form §1), household, legal representative and consent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, String, Table, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import choices
from app.domain.search import citizen_key
from app.models.base import TIMESTAMP, AttachedFile, Base, code, utcnow
from app.models.centres import Centre, Organisation
from app.models.policy import REGISTRY_ACCESS, ByCentre, ByParent, Policy
from app.models.reference import Category, Circumstance
from app.models.search import SearchKey, search_index

citizen_circumstance = Table(
    "citizen_circumstance",
    Base.metadata,
    Column("citizen_id", ForeignKey("citizen.id", ondelete="CASCADE"), primary_key=True),
    Column("circumstance_id", ForeignKey("circumstance.id", ondelete="RESTRICT"), primary_key=True),
)


class Citizen(SearchKey, Base):
    """A citizen in a difficult life situation, registered by a centre."""

    __tablename__ = "citizen"
    __policy__ = Policy(REGISTRY_ACCESS, rows=ByCentre(), case_data=True, identifiers=("snils",))
    __table_args__ = (
        Index("ix_citizen_centre_surname", "centre_id", "surname", "first_name"),
        # a centre's citizens of one category in id order: the first rows of each, for a sort by category
        Index("ix_citizen_centre_category", "centre_id", "category_id", "id"),
        # a citizen's category read from the index alone, for counts of many programmes by category
        Index("ix_citizen_category_of", "id", "category_id"),
        search_index("citizen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="RESTRICT"), index=True)
    surname: Mapped[str] = mapped_column(String(100), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[Optional[str]] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[Optional[str]] = mapped_column(code(8), info={"choices": choices.Sex})
    address: Mapped[Optional[str]] = mapped_column(String(300))
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    snils: Mapped[Optional[str]] = mapped_column(String(14), unique=True)
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("category.id", ondelete="RESTRICT"), index=True)
    disability_group: Mapped[str] = mapped_column(code(), info={"choices": choices.DisabilityGroup}, default="none")
    work_limitation: Mapped[str] = mapped_column(code(), info={"choices": choices.WorkLimitation}, default="none")
    family_status: Mapped[Optional[str]] = mapped_column(code(), info={"choices": choices.FamilyStatus})
    family_status_other: Mapped[Optional[str]] = mapped_column(String(200))
    representative_name: Mapped[Optional[str]] = mapped_column(String(200))
    representative_relation: Mapped[Optional[str]] = mapped_column(String(100))
    representative_phone: Mapped[Optional[str]] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    centre: Mapped[Centre] = relationship()
    category: Mapped[Optional[Category]] = relationship()
    circumstances: Mapped[list[Circumstance]] = relationship(secondary=citizen_circumstance)
    household: Mapped[list[HouseholdMember]] = relationship(
        back_populates="citizen", cascade="all, delete-orphan", passive_deletes=True
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="citizen", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """ "Иванова А. П.": enough to recognise a case in a reminder, no more personal data than needed."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.surname} {initials}".strip()

    search_parts = ("surname", "first_name", "patronymic")

    def search_key(self) -> str:
        """Any part of the name, the birth date as typed (дд.мм.гггг), the SNILS's digits (app.domain.search)."""
        return citizen_key(self.surname, self.first_name, self.patronymic, self.birth_date, self.snils)

    def __str__(self) -> str:
        born = self.birth_date.strftime("%d.%m.%Y") if self.birth_date else ""
        return f"{self.full_name} ({born})" if born else self.full_name


class HouseholdMember(Base):
    """A member of the citizen's household (relation, name, birth date, work or study)."""

    __tablename__ = "household_member"
    __policy__ = Policy(REGISTRY_ACCESS, rows=ByParent("citizen"), case_data=True)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[Optional[date]] = mapped_column(Date)
    work_or_study: Mapped[Optional[str]] = mapped_column(String(200))

    citizen: Mapped[Citizen] = relationship(back_populates="household")

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"


consent_organisation = Table(
    "consent_organisation",
    Base.metadata,
    Column("consent_id", ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Consent(AttachedFile, Base):
    """Consent to personal-data processing: a separate document since 01.09.2025 (152-ФЗ), with its purposes —
    processing in the centre, transfer to named partner organisations, transfer to the members of the territory's
    interagency working group (a transfer to a third party needs consent to it: ``app.domain.partners``)."""

    __tablename__ = "consent"
    __policy__ = Policy(REGISTRY_ACCESS, rows=ByParent("citizen"), case_data=True)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(Text)
    revoked_on: Mapped[Optional[date]] = mapped_column(Date)
    valid_until: Mapped[Optional[date]] = mapped_column(Date)  # the last day it is given for; empty: until revoked
    in_centre: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    to_working_group: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the transfer includes the citizen's contact phone (otherwise the partner gets the name and birth date only)
    with_phone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    citizen: Mapped[Citizen] = relationship(back_populates="consents")
    organisations: Mapped[list[Organisation]] = relationship(secondary=consent_organisation)

    def __str__(self) -> str:
        return f"{self.citizen} {self.signed_on:%d.%m.%Y}"
