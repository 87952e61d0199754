"""Territories, centres and their units, partner organisations, staff profiles."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.domain import choices
from app.domain.roles import ADMIN, FULL
from app.models.base import Base, code
from app.models.policy import REFERENCE_ACCESS, ByCentre, Policy
from app.models.search import SearchKey, search_index


class Territory(Base):
    """A social-protection administration (УСЗН) and the municipalities it controls."""

    __tablename__ = "territory"
    __policy__ = Policy(REFERENCE_ACCESS)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    centres: Mapped[list[Centre]] = relationship(back_populates="territory")

    def __str__(self) -> str:
        return self.name


class Centre(Base):
    """A comprehensive social-service centre (КЦСОН)."""

    __tablename__ = "centre"
    __policy__ = Policy(REFERENCE_ACCESS, rows=ByCentre("id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str] = mapped_column(String(100))
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"), index=True)
    address: Mapped[Optional[str]] = mapped_column(String(300))
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    email: Mapped[Optional[str]] = mapped_column(String(120))
    director_name: Mapped[Optional[str]] = mapped_column(String(200))

    territory: Mapped[Territory] = relationship(back_populates="centres")
    units: Mapped[list[Unit]] = relationship(back_populates="centre", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.short_name or self.name


class Unit(Base):
    """A unit of a centre (консультативное отделение, отделение срочного социального обслуживания…)."""

    __tablename__ = "unit"
    __policy__ = Policy(REFERENCE_ACCESS, rows=ByCentre())

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    centre: Mapped[Centre] = relationship(back_populates="units")

    def __str__(self) -> str:
        return self.name


class Organisation(SearchKey, Base):
    """A member organisation of the interagency working group."""

    __tablename__ = "organisation"
    __policy__ = Policy(REFERENCE_ACCESS)
    __table_args__ = (search_index("organisation"),)  # any word of the name

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(code(), info={"choices": choices.OrganisationKind}, index=True)
    territory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id", ondelete="SET NULL"), index=True)

    territory: Mapped[Optional[Territory]] = relationship()

    search_parts = ("name",)

    def search_key(self) -> str:
        return self.name or ""

    def __str__(self) -> str:
        return self.name


class StaffProfile(Base):
    """Where a console user works: centre (or territory, or the whole region), unit, position, and the confirmed
    grant that lets the user's roles open case data there.

    A user without a centre, territory or regional role sees no case data, nor one whose grant is not confirmed.
    """

    __tablename__ = "staff_profile"
    __policy__ = Policy({ADMIN: FULL}, rows=ByCentre())

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), unique=True)
    centre_id: Mapped[Optional[int]] = mapped_column(ForeignKey("centre.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    territory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id", ondelete="SET NULL"))
    # a partner's user: the member organisation he or she works for (its measures, in its territory's centres)
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    position: Mapped[Optional[str]] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    # the confirmed grant in effect (four eyes, app.security.grants): set only by a confirmation, never by a form
    grant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("access_grant.id", ondelete="SET NULL"))

    user = relationship("User", backref=backref("staff_profile", uselist=False, passive_deletes=True))
    centre: Mapped[Optional[Centre]] = relationship()
    unit: Mapped[Optional[Unit]] = relationship()
    territory: Mapped[Optional[Territory]] = relationship()
    organisation: Mapped[Optional[Organisation]] = relationship()
    grant = relationship("AccessGrant", foreign_keys=[grant_id])

    def __str__(self) -> str:
        return f"{self.user} — {self.position or ''}".strip(" —")
