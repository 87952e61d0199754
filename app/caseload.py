"""What a specialist reads: the caseload with what is due next, and a programme's timeline.

What is due next comes from the rules engine (``rules.next_due``) and is stored on the programme at every commit
that touched its facts (the programme, its measures, control events or decisions), so "My cases" reads a page of a
region's open programmes in that order from an index instead of computing it for all of them on every view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, event, func, select, update
from sqlalchemy import inspect as sa_inspect
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
    programme: Programme  # with citizen and specialist
    next: rules.DueItem | None
    overdue: bool


def _held(kind: str):
    return (
        select(func.max(ControlEvent.held_on))
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == kind)
        .scalar_subquery()
    )


def _facts():
    """What ``rules.next_due`` needs of programmes, a row each: (id, status, start, end, interim held on, monitoring
    held on, extended on, earliest open measure)."""
    return select(
        Programme.id,
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
    )


def next_due_of(status, start, end, interim, monitoring, extended, measure_due) -> rules.DueItem | None:
    """The rules engine's next item for one row of ``_facts``."""
    facts = rules.ProgrammeFacts(
        status=status,
        start_date=start,
        end_date=end,
        interim_held_on=interim,
        monitoring_held_on=monitoring,
        extended_on=extended,
        next_measure_due=measure_due,
    )
    items = rules.pending_items(facts)  # what is next does not depend on the day, only whether it is overdue
    return items[0] if items else None


_NEXT_DUE = (
    update(Programme.__table__)
    .where(Programme.__table__.c.id == bindparam("pid"))
    .values(next_due_on=bindparam("due"), next_due_kind=bindparam("kind"))
)


def refresh_next_due(connection, programme_ids) -> None:
    """Store what is due next for these programmes (``Programme.next_due_on``), from the rules engine."""
    ids = sorted({pid for pid in programme_ids if pid is not None})
    for first in range(0, len(ids), 500):
        rows = connection.execute(_facts().where(Programme.id.in_(ids[first : first + 500])))
        values = []
        for pid, *facts in rows:
            item = next_due_of(*facts)
            values.append({"pid": pid, "due": item.due_date if item else None, "kind": item.kind if item else None})
        if values:
            connection.execute(_NEXT_DUE, values)


_CHANGED = "next_due_changed"  # session.info: programmes whose next due item may have moved since the last commit


def _note_changes(session, flush_context) -> None:
    """After a flush: the programmes touched directly, or through a measure, a control event or a decision."""
    changed = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Programme):
            changed.add(obj.id)
        elif isinstance(obj, Measure | ControlEvent | CommitteeDecision):
            changed.add(obj.programme_id)
            history = sa_inspect(obj).attrs.programme_id.history
            changed.update(history.deleted or ())  # a measure moved to another programme leaves the first one


def _refresh_before_commit(session) -> None:
    session.flush()
    changed = session.info.pop(_CHANGED, None)
    if changed:
        refresh_next_due(session.connection(), changed)


def _forget_changes(session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)


def init_app(app) -> None:
    """Keep every programme's next due item current: recomputed at each commit that touched its facts."""
    with app.app_context():
        if not event.contains(db.session, "after_flush", _note_changes):
            event.listen(db.session, "after_flush", _note_changes)
            event.listen(db.session, "before_commit", _refresh_before_commit)
            event.listen(db.session, "after_soft_rollback", _forget_changes)


def _open_cases(mine: bool, scope: Scope | None):
    scope = scope or current_scope()
    query = select(Programme).where(Programme.status.in_(OPEN_PROGRAMMES))
    if mine:
        query = query.where(Programme.specialist_id == scope.user_id)
    return restrict(query, Programme, scope)


def caseload(
    today: date,
    *,
    mine: bool,
    scope: Scope | None = None,
    offset: int = 0,
    limit: int | None = None,
    due_from: date | None = None,
    due_before: date | None = None,
) -> list[Case]:
    """Open programmes of the user (``mine``) or of the whole scope, by what is due next: the overdue ones come
    first, as theirs are the earliest dates. Read in that order from the index, a page at a time."""
    query = _open_cases(mine, scope).options(joinedload(Programme.citizen), joinedload(Programme.specialist))
    if due_from is not None:
        query = query.where(Programme.next_due_on >= due_from)
    if due_before is not None:
        query = query.where(Programme.next_due_on < due_before)
    query = query.order_by(Programme.next_due_on, Programme.number).offset(offset).limit(limit)
    cases = []
    for programme in db.session.scalars(query):
        item = None
        if programme.next_due_on is not None:
            item = rules.DueItem(rules.DueKind(programme.next_due_kind), programme.next_due_on)
        cases.append(Case(programme, item, item is not None and item.overdue(today)))
    return cases


def caseload_counts(today: date, *, mine: bool, scope: Scope | None = None) -> tuple[int, int]:
    """(open programmes, overdue among them) of the user or of the scope."""
    counted = _open_cases(mine, scope).with_only_columns(
        func.count(), func.count(case((Programme.next_due_on < today, 1)))
    )
    total, overdue = db.session.execute(counted).one()
    return total, overdue


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
