"""The timeline of a case: what happened to the programme and its citizen, in date order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.casework.labels import CHECKLIST_LABELS
from app.domain import rules
from app.domain.choices import ClosureReason, ControlDecision, ControlKind, DecisionKind, DocumentKind, MeasureStatus
from app.extensions import db
from app.models import (
    AppealDocument,
    ChecklistItem,
    CommitteeDecision,
    Consent,
    ControlEvent,
    Measure,
    MeasureReport,
    Programme,
)
from app.platform.clock import zone
from app.platform.labels import choice_label


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # a key of app.casework.labels.TIMELINE_LABELS
    subject: str
    actor: str = ""


_ORDER = (
    "appeal",
    "document",
    "consent",
    "consent_revoked",
    "activated",
    "tick",
    "partner_report",
    "measure_done",
    "control_event",
    "decision",
    "closed",
)


def timeline(
    programme: Programme,
    *,
    ticks: list | None = None,
    control_events: list | None = None,
    documents: list | None = None,
    measures: list | None = None,
    reports: list | None = None,
) -> list[Event]:
    """Appeal, documents, consent, activation, measures done, ticks, control events, decisions and closure,
    in date order (same-day events in the order the case moves). A page that has loaded the ticks, the control
    events (with their users), the appeal's documents, the measures or the partners' reports (with their
    organisations and users) passes them in."""
    events: list[Event] = []
    appeal = programme.appeal
    if appeal is not None:
        events.append(Event(appeal.appeal_date, "appeal", f"№ {appeal.journal_number}"))
        if documents is None:
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
    if measures is None:
        measures = db.session.scalars(
            select(Measure).where(Measure.programme_id == programme.id, Measure.status == MeasureStatus.DONE)
        )
    done = [m for m in measures if m.status == MeasureStatus.DONE and m.done_on is not None]
    events += [Event(m.done_on, "measure_done", m.title) for m in done]
    if reports is None:
        reports = db.session.scalars(
            select(MeasureReport)
            .join(Measure, Measure.id == MeasureReport.measure_id)
            .where(Measure.programme_id == programme.id)
            .options(
                joinedload(MeasureReport.measure).load_only(Measure.title),
                joinedload(MeasureReport.organisation),
                joinedload(MeasureReport.reported_by),
            )
            .order_by(MeasureReport.reported_at)
        )
    events += [
        Event(
            r.reported_on,
            "partner_report",
            " — ".join(
                p
                for p in (
                    f"{r.measure.title}: {choice_label(MeasureStatus, r.status)}",
                    rules.format_date(r.done_on) if r.done_on else "",
                    r.note or "",
                )
                if p
            ),
            f"{_name(r.reported_by)} ({r.organisation}), {_local(r.reported_at):%d.%m.%Y %H:%M}",
        )
        for r in reports
    ]
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


def _local(moment):
    """A stored moment in the region's time (SQLite hands it back without its zone: it was stored in UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def _term(start: date, end: date) -> str:
    return f"{rules.format_date(start)} – {rules.format_date(end)}"


def _name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() if user is not None else ""
