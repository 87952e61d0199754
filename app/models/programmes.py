"""The accompaniment programme (annex 2 of order 425-р), its measures, checklist and control events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TextClause,
    UniqueConstraint,
    bindparam,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import choices, partners, rules
from app.domain.roles import PARTNER, REPORT
from app.models.appeals import Appeal
from app.models.base import TIMESTAMP, Base, code, utcnow
from app.models.centres import Centre, Organisation
from app.models.citizens import Citizen
from app.models.policy import CASE_ACCESS, ByCentre, ByParent, ForPartner, Policy
from app.models.search import SearchKey, search_index


def _status_in(*statuses: str) -> TextClause:
    """The predicate of a partial index; a query uses the index only if it writes the same list as literals."""
    listed = ", ".join(f"'{status}'" for status in statuses)
    return text(f"status IN ({listed})")


_OPEN_PROGRAMME = _status_in(*choices.OPEN_STATUSES)
_OPEN_MEASURE = _status_in(choices.MeasureStatus.PLANNED, choices.MeasureStatus.IN_PROGRESS)

# For queries over open rows: ``Programme.status.in_(OPEN_PROGRAMMES)`` writes the list into the SQL rather than
# binding it, so that the partial indexes above apply (neither SQLite nor a generic PostgreSQL plan can match a
# bound list to an index predicate).
OPEN_PROGRAMMES = bindparam(
    "open_programme", [s.value for s in choices.OPEN_STATUSES], expanding=True, literal_execute=True
)
OPEN_MEASURES = bindparam(
    "open_measure",
    [choices.MeasureStatus.PLANNED.value, choices.MeasureStatus.IN_PROGRESS.value],
    expanding=True,
    literal_execute=True,
)

measure_organisation = Table(
    "measure_organisation",
    Base.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Programme(SearchKey, Base):
    """A citizen's programme of social accompaniment."""

    __tablename__ = "programme"
    __policy__ = Policy(CASE_ACCESS, rows=ByCentre(), case_data=True)
    __table_args__ = (
        UniqueConstraint("centre_id", "number", name="uq_programme_centre_number"),
        search_index("programme"),  # «псс», «12»: any part of the number
        # the dashboard's caseload by centre, status and stage, read from the index alone
        Index("ix_programme_centre_status", "centre_id", "status", "stage"),
        Index("ix_programme_status_end", "status", "end_date"),
        Index("ix_programme_status_start", "status", "start_date"),
        # the list's default order (newest first) and its sort by number, for the region's users
        Index("ix_programme_start", "start_date", "id"),
        Index("ix_programme_number", "number"),
        # open programmes with what the reminder scan and the dashboard read of them (status included so that
        # SQLite sees the index as covering): looked up by id from open measures, scanned for the interim and
        # monitoring candidates, and for the region's citizens in accompaniment and their categories. The only
        # covering path to the open programmes: with a second one (status, citizen_id) SQLite's choice between them
        # hung on the order the indexes were created in, and a wrong one cost ten times as much
        Index(
            "ix_programme_open",
            "id",
            "status",
            "specialist_id",
            "centre_id",
            "start_date",
            "end_date",
            "citizen_id",
            sqlite_where=_OPEN_PROGRAMME,
            postgresql_where=_OPEN_PROGRAMME,
        ),
        # My cases: open programmes by what is due next (overdue first, as their dates are the earliest); status
        # included so that SQLite counts the region's open and overdue programmes from the index alone
        Index(
            "ix_programme_next_due",
            "next_due_on",
            "number",
            "status",
            sqlite_where=_OPEN_PROGRAMME,
            postgresql_where=_OPEN_PROGRAMME,
        ),
        # the monthly report: a centre's programmes open or closed since a day, counted without reading the table
        Index(
            "ix_programme_month",
            "centre_id",
            "closed_on",
            "status",
            "activated_on",
            "start_date",
            "citizen_id",
            "stage",
            "closure_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="RESTRICT"), index=True)
    # the centre it had is kept when it changes (active history), for the dashboard's tally of the centre it leaves
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="RESTRICT"), active_history=True)
    specialist_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"), index=True)
    appeal_id: Mapped[Optional[int]] = mapped_column(ForeignKey("appeal.id", ondelete="SET NULL"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(code(), default="draft", info={"choices": choices.ProgrammeStatus})
    stage: Mapped[int] = mapped_column(Integer, default=1)
    activated_on: Mapped[Optional[date]] = mapped_column(Date, index=True)  # enrolments by month
    extended_from: Mapped[Optional[date]] = mapped_column(Date)  # the end date before the first extension
    goals: Mapped[Optional[str]] = mapped_column(Text)
    results_analysis: Mapped[Optional[str]] = mapped_column(Text)
    citizen_words: Mapped[Optional[str]] = mapped_column(Text)
    note: Mapped[Optional[str]] = mapped_column(Text)
    recommendations: Mapped[Optional[str]] = mapped_column(Text)
    closed_on: Mapped[Optional[date]] = mapped_column(Date, index=True)
    # what is due next by the rules engine (rules.next_due), kept current at every commit (app.casework.caseload):
    # My cases orders the region's open programmes by it without computing it for each of them on every view
    next_due_on: Mapped[Optional[date]] = mapped_column(Date)
    next_due_kind: Mapped[Optional[str]] = mapped_column(code(16))
    closure_reason: Mapped[Optional[str]] = mapped_column(code(), info={"choices": choices.ClosureReason})
    director_signature: Mapped[Optional[str]] = mapped_column(String(200))
    specialist_signature: Mapped[Optional[str]] = mapped_column(String(200))
    citizen_signature: Mapped[Optional[str]] = mapped_column(String(200))
    signed_on: Mapped[Optional[date]] = mapped_column(Date)
    # the citizen's individual programme of social services (ИППСУ) into which the measures are entered
    # (442-ФЗ art. 22): its number and date
    ippsu_number: Mapped[Optional[str]] = mapped_column(String(50))
    ippsu_date: Mapped[Optional[date]] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    citizen: Mapped[Citizen] = relationship()
    centre: Mapped[Centre] = relationship(active_history=True)
    specialist = relationship("User", foreign_keys=[specialist_id])
    appeal: Mapped[Optional[Appeal]] = relationship()
    measures: Mapped[list[Measure]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True, order_by="Measure.due_date"
    )
    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True
    )
    control_events: Mapped[list[ControlEvent]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True
    )
    outcomes: Mapped[list[ProgrammeOutcome]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}

    search_parts = ("number",)

    def search_key(self) -> str:
        return self.number or ""

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def term(self) -> rules.TermLines:
        """The original term and the extension period, as the programme form prints them (``rules.term_lines``)."""
        return rules.term_lines(self.start_date, self.end_date, self.extended_from)

    @property
    def extension_period(self) -> tuple[date, date] | None:
        """ "Срок продлён с … по …": the extension's first and last day, or ``None``."""
        extension = self.term.extension
        return extension[:2] if extension else None


class ProgrammeOutcome(Base):
    """An outcome criterion met by a closed programme (S2 closure criteria)."""

    __tablename__ = "programme_outcome"
    __policy__ = Policy({}, rows=ByParent("programme"), case_data=True, audited=False)

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True)
    criterion: Mapped[str] = mapped_column(code(), info={"choices": choices.OutcomeCriterion}, primary_key=True)

    programme: Mapped[Programme] = relationship(back_populates="outcomes")


class Measure(SearchKey, Base):
    """A measure of the programme (form §3): what, by whom, by when."""

    __tablename__ = "measure"
    __policy__ = Policy(
        {**CASE_ACCESS, PARTNER: REPORT},
        rows=ByCentre(),
        case_data=True,
        partner=ForPartner(fields=partners.PARTNER_FIELDS),
    )
    __table_args__ = (
        # a centre's list in its default order, walked in the index: the first page reads 25 measures
        Index("ix_measure_centre_due", "centre_id", "due_date", "id"),
        Index("ix_measure_programme_due", "programme_id", "due_date"),
        Index("ix_measure_status_due", "status", "due_date"),
        Index("ix_measure_due", "due_date", "id"),  # the list's default order, for the region's users
        # open measures by due date, covering the reminder scan's candidates (then the programme by id); the id
        # written out, as PostgreSQL's indexes do not hold it (SQLite's hold the rowid anyway): read from the index
        # alone there too, rather than visiting the table's page of each of the day's thirteen thousand measures
        Index(
            "ix_measure_open_due",
            "due_date",
            "programme_id",
            "status",
            "id",
            sqlite_where=_OPEN_MEASURE,
            postgresql_where=_OPEN_MEASURE,
        ),
        # a centre's open measures by due date: the director's dashboard counts the overdue ones of the centre
        Index(
            "ix_measure_open_centre_due",
            "centre_id",
            "due_date",
            "programme_id",
            sqlite_where=_OPEN_MEASURE,
            postgresql_where=_OPEN_MEASURE,
        ),
        # the monthly report: the measures done in a month; the done measures of a programme
        Index("ix_measure_done", "done_on", "status", "centre_id", "kind", "id"),  # a month's by centre and kind
        Index("ix_measure_programme_done", "programme_id", "status", "done_on", "kind"),
        search_index("measure"),  # a word of the recommended measure
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    # the programme's centre, copied on every save (``app.casework.steps``): a region's million measures are
    # scoped to a centre and sorted within it by one index, not through a subquery of the centre's programmes
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(code(), index=True, info={"choices": choices.MeasureKind})
    participants_text: Mapped[Optional[str]] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(code(), default="planned", info={"choices": choices.MeasureStatus})
    done_on: Mapped[Optional[date]] = mapped_column(Date)
    result_note: Mapped[Optional[str]] = mapped_column(Text)
    # the interagency working group's decision «утвердить мероприятия» that approved it, if any
    decision_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("committee_decision.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    programme: Mapped[Programme] = relationship(back_populates="measures")
    organisations: Mapped[list[Organisation]] = relationship(secondary=measure_organisation)
    decision = relationship("CommitteeDecision", foreign_keys=[decision_id], back_populates="measures")

    __mapper_args__ = {"version_id_col": version}

    search_parts = ("title",)

    def search_key(self) -> str:
        return self.title or ""

    def __str__(self) -> str:
        return self.title[:80]


class ChecklistItem(Base):
    """A ticked item of the stage checklist (S1 §5.3); an unticked item has no row."""

    __tablename__ = "checklist_item"
    __policy__ = Policy(CASE_ACCESS, rows=ByParent("programme"), case_data=True, read_only=True)
    __table_args__ = (
        UniqueConstraint("programme_id", "item", name="uq_checklist_programme_item"),
        # the monthly report: a programme's ticks of each stage up to a day, read from the index alone
        Index("ix_checklist_programme_done", "programme_id", "done_on", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    stage: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(code(40))
    done_on: Mapped[date] = mapped_column(Date)
    done_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    note: Mapped[Optional[str]] = mapped_column(Text)

    programme: Mapped[Programme] = relationship(back_populates="checklist")
    done_by = relationship("User", foreign_keys=[done_by_id])

    def __str__(self) -> str:
        return f"{self.stage}: {self.item}"


class ControlEvent(Base):
    """Interim assessment (3 months) or monitoring inspection (before the end)."""

    __tablename__ = "control_event"
    __policy__ = Policy(CASE_ACCESS, rows=ByParent("programme"), case_data=True, read_only=True)
    __table_args__ = (
        Index("ix_control_event_programme_kind", "programme_id", "kind"),
        # PostgreSQL: the reminder scan's open programmes without an interim assessment, merged with the programmes
        # that had one from this index (72,000 entries of one column) rather than from every control event's
        # (programme, kind) entry: 15 ms instead of 23 at 100,000 programmes. SQLite looks up each programme.
        Index("ix_control_event_interim", "programme_id", postgresql_where=text("kind = 'interim'")).ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(code(), info={"choices": choices.ControlKind})
    held_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[Optional[str]] = mapped_column(Text)
    decision: Mapped[Optional[str]] = mapped_column(code(), info={"choices": choices.ControlDecision})
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship(back_populates="control_events")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on:%d.%m.%Y}"


class MeasureReport(Base):
    """A partner organisation's report on a measure: «в работе», «выполнено» with the date and the result, or «не
    может быть выполнено» with the reason; who reported, for which organisation, when. Written by the partner's
    save (``app.partners``), read by the case's timeline and the monthly report."""

    __tablename__ = "measure_report"
    __policy__ = Policy({}, rows=ByParent("measure"), case_data=True, read_only=True)
    __table_args__ = (
        Index("ix_measure_report_measure", "measure_id", "reported_at"),
        # the monthly report: results reported in a month, by organisation
        Index("ix_measure_report_done", "done_on", "status", "organisation_id"),
        Index("ix_measure_report_reported_on", "reported_on"),  # the scan: the reports of the last days
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    reported_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    reported_on: Mapped[date] = mapped_column(Date)  # the region's day of the report
    status: Mapped[str] = mapped_column(code(), info={"choices": choices.MeasureStatus})
    done_on: Mapped[Optional[date]] = mapped_column(Date)
    note: Mapped[Optional[str]] = mapped_column(Text)

    measure: Mapped[Measure] = relationship()
    organisation: Mapped[Organisation] = relationship()
    reported_by = relationship("User", foreign_keys=[reported_by_id])

    def __str__(self) -> str:
        return f"{self.organisation}: {self.status}"
