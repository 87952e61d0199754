"""What a specialist reads: the caseload with what is due next, and a programme's timeline.

Due dates come from the rules engine (``rules.next_due``); the database only supplies the facts, for a whole
caseload in one statement (correlated aggregates per programme), so "My cases" costs the same for 5 or 500
programmes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain import rules
from app.domain.choices import (
    ClosureReason,
    ControlDecision,
    ControlKind,
    DecisionKind,
    DocumentKind,
    MeasureStatus,
)
from app.extensions import db
from app.labels import CHECKLIST_LABELS, choice_label
from app.models import (
    AppealDocument,
    ChecklistItem,
    CommitteeDecision,
    Consent,
    ControlEvent,
    Measure,
    Programme,
)
from app.models.programmes import OPEN_MEASURES, OPEN_PROGRAMMES
from app.security.scope import Scope, current_scope, restrict


@dataclass(frozen=True)
class Case:
    programme_id: int
    number: str
    next: rules.DueItem | None
    overdue: bool
    programme: Programme | None = None  # with citizen and specialist, for the cases a page shows (``shown``)


def _held(kind: str):
    return (
        select(func.max(ControlEvent.held_on))
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == kind)
        .scalar_subquery()
    )


def caseload(today: date, *, mine: bool, scope: Scope | None = None) -> list[Case]:
    """Open programmes of the user (``mine``) or of the whole scope, overdue first, then by the next due date.

    The order needs every open programme's next due date from the rules engine, so every open programme is read,
    as plain columns: a region's sixteen thousand in well under a second, where loading them as records took more.
    The records themselves are loaded for the page shown (``shown``).
    """
    scope = scope or current_scope()
    query = select(
        Programme.id,
        Programme.number,
        Programme.status,
        Programme.start_date,
        Programme.end_date,
        _held(ControlKind.INTERIM),
        _held(ControlKind.MONITORING),
        select(func.max(CommitteeDecision.meeting_date))
        .where(CommitteeDecision.programme_id == Programme.id, CommitteeDecision.decision == DecisionKind.EXTEND)
        .scalar_subquery(),
        select(func.min(Measure.due_date))
        .where(Measure.programme_id == Programme.id, Measure.status.in_(OPEN_MEASURES))
        .scalar_subquery(),
    ).where(Programme.status.in_(OPEN_PROGRAMMES))
    if mine:
        query = query.where(Programme.specialist_id == scope.user_id)
    cases = []
    for pid, number, status, start, end, interim, monitoring, extended, measure_due in db.session.connection().execute(
        restrict(query, Programme, scope)
    ):
        facts = rules.ProgrammeFacts(
            status=status,
            start_date=start,
            end_date=end,
            interim_held_on=interim,
            monitoring_held_on=monitoring,
            extended_on=extended,
            next_measure_due=measure_due,
        )
        item = rules.next_due(facts, today)
        cases.append(Case(pid, number, item, item is not None and item.overdue(today)))
    cases.sort(key=lambda c: (not c.overdue, c.next.due_date if c.next else date.max, c.number))
    return cases


def shown(cases: list[Case]) -> list[Case]:
    """The cases with their programmes, citizens and specialists, loaded in one statement."""
    if not cases:
        return []
    programmes = {
        p.id: p
        for p in db.session.scalars(
            select(Programme)
            .where(Programme.id.in_([c.programme_id for c in cases]))
            .options(joinedload(Programme.citizen), joinedload(Programme.specialist))
        )
    }
    return [replace(case, programme=programmes[case.programme_id]) for case in cases]


# --- the timeline -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # a key of app.labels.TIMELINE_LABELS
    subject: str
    actor: str = ""


_ORDER = (
    "appeal",
    "document",
    "consent",
    "consent_revoked",
    "activated",
    "tick",
    "measure_done",
    "control_event",
    "decision",
    "closed",
)


def timeline(programme: Programme, *, ticks: list | None = None, control_events: list | None = None) -> list[Event]:
    """Appeal, documents, consent, activation, measures done, ticks, control events, decisions and closure,
    in date order (same-day events in the order the case moves). A page that has loaded the ticks and the control
    events (with their users) passes them in."""
    events: list[Event] = []
    appeal = programme.appeal
    if appeal is not None:
        events.append(Event(appeal.appeal_date, "appeal", f"№ {appeal.journal_number}"))
        documents = db.session.scalars(select(AppealDocument).where(AppealDocument.appeal_id == appeal.id))
        events += [Event(d.document_date, "document", choice_label(DocumentKind, d.kind)) for d in documents]
    for consent in db.session.scalars(select(Consent).where(Consent.citizen_id == programme.citizen_id)):
        events.append(Event(consent.signed_on, "consent", consent.scope or ""))
        if consent.revoked_on is not None:
            events.append(Event(consent.revoked_on, "consent_revoked", ""))
    if programme.activated_on is not None:
        events.append(Event(programme.activated_on, "activated", _term(programme.start_date, programme.end_date)))
    if ticks is None:
        ticks = db.session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.programme_id == programme.id)
            .options(joinedload(ChecklistItem.done_by))
        )
    events += [Event(t.done_on, "tick", str(CHECKLIST_LABELS.get(t.item, t.item)), _name(t.done_by)) for t in ticks]
    measures = db.session.scalars(
        select(Measure).where(Measure.programme_id == programme.id, Measure.status == MeasureStatus.DONE)
    )
    events += [Event(m.done_on, "measure_done", m.title) for m in measures if m.done_on is not None]
    controls = control_events
    if controls is None:
        controls = db.session.scalars(
            select(ControlEvent)
            .where(ControlEvent.programme_id == programme.id)
            .options(joinedload(ControlEvent.recorded_by))
        )
    events += [
        Event(
            c.held_on,
            "control_event",
            f"{choice_label(ControlKind, c.kind)}: {choice_label(ControlDecision, c.decision)}",
            _name(c.recorded_by),
        )
        for c in controls
    ]
    decisions = db.session.scalars(
        select(CommitteeDecision)
        .where(CommitteeDecision.programme_id == programme.id)
        .options(joinedload(CommitteeDecision.committee))
    )
    for d in decisions:
        subject = f"{choice_label(DecisionKind, d.decision)}, {d.committee}, № {d.protocol_number}"
        if d.extend_to is not None:
            subject += f" → {rules.format_date(d.extend_to)}"
        events.append(Event(d.meeting_date, "decision", subject))
    if programme.closed_on is not None:
        events.append(Event(programme.closed_on, "closed", choice_label(ClosureReason, programme.closure_reason)))
    return sorted(events, key=lambda e: (e.on, _ORDER.index(e.kind)))


def _term(start: date, end: date) -> str:
    return f"{rules.format_date(start)} – {rules.format_date(end)}"


def _name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() if user is not None else ""
