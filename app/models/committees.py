"""Extension commissions of centres and interagency working groups of territories."""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import Date, ForeignKey, Index, String, Text, exists
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from app.domain import choices
from app.domain.roles import DEPARTMENT, DIRECTOR, FULL, READ, SPECIALIST, TERRITORY
from app.models.base import Base, code
from app.models.centres import Centre, Organisation, Territory
from app.models.policy import REFERENCE_ACCESS, ByCentreOrTerritory, ByParent, Policy
from app.models.programmes import Programme


class Committee(Base):
    """A collegial body: a centre's extension commission or a territory's working group."""

    __tablename__ = "committee"
    __policy__ = Policy({**REFERENCE_ACCESS, DIRECTOR: FULL}, rows=ByCentreOrTerritory())

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(code(), info={"choices": choices.CommitteeKind})
    name: Mapped[str] = mapped_column(String(300))
    centre_id: Mapped[Optional[int]] = mapped_column(ForeignKey("centre.id", ondelete="RESTRICT"), index=True)
    territory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"), index=True)
    order_number: Mapped[Optional[str]] = mapped_column(String(50))
    order_date: Mapped[Optional[date]] = mapped_column(Date)

    centre: Mapped[Optional[Centre]] = relationship()
    territory: Mapped[Optional[Territory]] = relationship()
    members: Mapped[list[CommitteeMember]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", passive_deletes=True
    )

    def __str__(self) -> str:
        return self.name


class CommitteeMember(Base):
    __tablename__ = "committee_member"
    __policy__ = Policy({**REFERENCE_ACCESS, DIRECTOR: FULL}, rows=ByParent("committee"))

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[Optional[str]] = mapped_column(String(200))
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(code(), info={"choices": choices.MemberRole}, default="member")

    committee: Mapped[Committee] = relationship(back_populates="members")
    organisation: Mapped[Optional[Organisation]] = relationship()

    def __str__(self) -> str:
        return self.full_name


class CommitteeDecision(Base):
    """A decision of a committee on a programme (extend, approve measures, close)."""

    __tablename__ = "committee_decision"
    __policy__ = Policy(
        {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: FULL, SPECIALIST: READ},
        rows=ByParent("programme"),
        case_data=True,
    )
    __table_args__ = (Index("ix_decision_programme_date", "programme_id", "meeting_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="RESTRICT"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="RESTRICT"))
    meeting_date: Mapped[date] = mapped_column(Date)
    protocol_number: Mapped[str] = mapped_column(String(50))
    decision: Mapped[str] = mapped_column(code(), info={"choices": choices.DecisionKind})
    extend_to: Mapped[Optional[date]] = mapped_column(Date)
    reason: Mapped[Optional[str]] = mapped_column(Text)

    committee: Mapped[Committee] = relationship()
    programme: Mapped[Programme] = relationship()
    # a decision «утвердить мероприятия» of the territory's working group: the measures it approved
    measures = relationship("Measure", back_populates="decision", foreign_keys="Measure.decision_id")

    def __str__(self) -> str:
        return f"№ {self.protocol_number} от {self.meeting_date:%d.%m.%Y}"


def seated_in_working_group(organisation_id, territory_id):
    """SQL: the organisation sits in an interagency working group of the territory (a member names it). Asked by the
    partners' transfer scope and by the confirmation of a partner's account; its tables are aliased, so it may stand
    in a query over the same tables."""
    committee, member = aliased(Committee), aliased(CommitteeMember)
    return exists().where(
        member.organisation_id == organisation_id,
        committee.id == member.committee_id,
        committee.kind == choices.CommitteeKind.WORKING_GROUP.value,
        committee.territory_id == territory_id,
    )
