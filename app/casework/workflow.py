"""The accompaniment workflow: a programme's actions, its stage checklist and its control events.

The layer between the rules engine (``app.domain.rules``: dates and states, no database) and the database:
each function reads the facts a rule needs, asks the rule, and applies the change to the session. The case page,
the REST API and the save steps of the generated forms (``app.casework.steps``) all call these functions, so an
action is checked the same way wherever it comes from. The caller commits (FAB commits its own saves; the action views
and API endpoints commit after a successful call), so a refused action changes nothing.

Who may act: the user's centre scope and, for a specialist, responsibility for the programme
(``app.security.scope``); a refusal is a ``RuleViolation`` like any broken rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import Date, String, case, func, literal_column, null, select, union_all

from app.domain import rules
from app.domain.choices import (
    OPEN_STATUSES,
    AppealDecision,
    ControlKind,
    DecisionKind,
    DocumentKind,
    MeasureStatus,
    ProgrammeStatus,
)
from app.domain.errors import RuleViolation
from app.extensions import db
from app.models import (
    AppealDocument,
    ChecklistItem,
    Committee,
    CommitteeDecision,
    Consent,
    ControlEvent,
    Measure,
    Programme,
    ProgrammeOutcome,
)
from app.security.scope import Scope, check_responsible, check_write_scope, current_scope

_UNFINISHED_MEASURES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


# --- facts ------------------------------------------------------------------------------------------------------


def done_items(programme: Programme) -> frozenset[str]:
    return frozenset(db.session.scalars(select(ChecklistItem.item).where(ChecklistItem.programme_id == programme.id)))


def facts_for(programme: Programme, today: date) -> rules.ProgrammeFacts:
    """Everything the lifecycle rules ask about one programme, in one round trip.

    The case page and every action need these facts: a UNION of small indexed reads, each row tagged with what it
    is (the appeal's documents, control events, consents, ticks, the latest extension, the next measure due).
    """
    appeal = programme.appeal
    no_code, no_date = null().cast(String), null().cast(Date)

    def tagged(tag: str, *columns):
        return select(literal_column(f"'{tag}'", String), *columns)

    parts = [
        tagged("held", ControlEvent.kind, func.max(ControlEvent.held_on), no_date, no_date)
        .where(ControlEvent.programme_id == programme.id)
        .group_by(ControlEvent.kind),
        tagged(
            "consent",
            case((Consent.in_centre.is_(True), literal_column("'in_centre'", String)), else_=no_code),
            Consent.signed_on,
            Consent.revoked_on,
            Consent.valid_until,
        ).where(Consent.citizen_id == programme.citizen_id),
        tagged("tick", ChecklistItem.item, no_date, no_date, no_date).where(ChecklistItem.programme_id == programme.id),
        tagged("extended", no_code, func.max(CommitteeDecision.meeting_date), no_date, no_date).where(
            CommitteeDecision.programme_id == programme.id, CommitteeDecision.decision == DecisionKind.EXTEND
        ),
        tagged("next_measure", no_code, func.min(Measure.due_date), no_date, no_date).where(
            Measure.programme_id == programme.id, Measure.status.in_(_UNFINISHED_MEASURES)
        ),
    ]
    if appeal is not None:
        parts.append(
            tagged("document", AppealDocument.kind, no_date, no_date, no_date).where(
                AppealDocument.appeal_id == appeal.id
            )
        )
    documents, ticks, held, consents, single = set(), set(), {}, [], {}
    for tag, code, first, second, third in db.session.execute(union_all(*parts)):
        if tag == "held":
            held[code] = first
        elif tag == "consent":
            consents.append((first, second, third, code == "in_centre"))
        elif tag == "tick":
            ticks.add(code)
        elif tag == "document":
            documents.add(code)
        else:
            single[tag] = first
    return rules.ProgrammeFacts(
        status=programme.status,
        start_date=programme.start_date,
        end_date=programme.end_date,
        has_appeal=appeal is not None,
        appeal_decision=appeal.decision if appeal is not None else None,
        has_application_document=DocumentKind.APPLICATION in documents,
        has_need_assessment=DocumentKind.NEED_ASSESSMENT in documents,
        has_valid_consent=any(
            rules.consent_valid(signed, revoked, today, *rest) for signed, revoked, *rest in consents
        ),
        done_items=frozenset(ticks),
        has_results_analysis=bool((programme.results_analysis or "").strip()),
        interim_held_on=held.get(ControlKind.INTERIM),
        monitoring_held_on=held.get(ControlKind.MONITORING),
        extended_on=single.get("extended"),
        next_measure_due=single.get("next_measure"),
    )


def check_can_change(programme: Programme, scope: Scope | None = None) -> None:
    """The user's centre, and for a specialist the programmes he or she is responsible for."""
    scope = scope or current_scope()
    check_write_scope(programme, scope)
    check_responsible(programme, scope)


# --- lifecycle ----------------------------------------------------------------------------------------------------


def activate(programme: Programme, today: date, scope: Scope | None = None) -> None:
    """Draft → active; a pending appeal becomes "enrolled" (the citizen is taken onto accompaniment)."""
    check_can_change(programme, scope)
    rules.check_activate(facts_for(programme, today), today)
    programme.status = ProgrammeStatus.ACTIVE
    programme.activated_on = today
    programme.stage = rules.current_stage(done_items(programme))
    if programme.appeal is not None and programme.appeal.decision == AppealDecision.PENDING:
        programme.appeal.decision = AppealDecision.ENROLLED


def apply_extension(decision: CommitteeDecision, today: date) -> None:
    """Extend the programme by a commission's decision (S1 §6.1.2–6.1.3): new end date, status "extended".

    Called when the decision is recorded, by the extension page, the decisions form or the API alike.
    """
    programme = decision.programme
    committee = decision.committee
    if programme is None or committee is None:
        raise RuleViolation("extension_decision_required", "decision")
    rules.check_extend(
        facts_for(programme, today),
        decision.extend_to,
        rules.ExtensionDecision(
            committee_kind=committee.kind,
            committee_centre_id=committee.centre_id,
            programme_centre_id=programme.centre_id,
            meeting_date=decision.meeting_date,
            protocol_number=decision.protocol_number,
        ),
        today,
    )
    programme.status = rules.next_status_after_extension(programme.status)
    if programme.extended_from is None:
        programme.extended_from = programme.end_date
    programme.end_date = decision.extend_to


def record_extension(
    programme: Programme,
    *,
    committee: Committee | None,
    protocol_number: str,
    meeting_date: date,
    extend_to: date | None,
    reason: str | None,
    today: date,
    scope: Scope | None = None,
) -> CommitteeDecision:
    """Record the commission's extension decision and apply it in one step."""
    check_write_scope(programme, scope or current_scope())
    if committee is not None:
        check_write_scope(committee, scope or current_scope())
    decision = CommitteeDecision(
        programme=programme,
        committee=committee,
        protocol_number=(protocol_number or "").strip(),
        meeting_date=meeting_date,
        decision=DecisionKind.EXTEND,
        extend_to=extend_to,
        reason=reason,
    )
    apply_extension(decision, today)  # a refused decision was never added to the session
    db.session.add(decision)
    return decision


def complete(
    programme: Programme,
    *,
    results_analysis: str | None,
    citizen_words: str | None,
    recommendations: str | None,
    outcomes: list[str],
    today: date,
    scope: Scope | None = None,
) -> None:
    """Close the programme as resolved (S1 §5.3.3): all stages done, results analysed, criteria met named."""
    check_can_change(programme, scope)
    results_analysis = (results_analysis or "").strip() or programme.results_analysis
    facts = replace(facts_for(programme, today), has_results_analysis=bool((results_analysis or "").strip()))
    rules.check_complete(facts, today)
    rules.check_outcomes(outcomes)
    programme.results_analysis = results_analysis
    programme.citizen_words = (citizen_words or "").strip() or programme.citizen_words
    programme.recommendations = (recommendations or "").strip() or programme.recommendations
    programme.outcomes = [ProgrammeOutcome(criterion=criterion) for criterion in dict.fromkeys(outcomes)]
    _close(programme, ProgrammeStatus.COMPLETED, rules.COMPLETION_REASON, today)


def terminate(
    programme: Programme,
    *,
    reason: str | None,
    note: str | None = None,
    today: date,
    scope: Scope | None = None,
    check_responsible: bool = True,
) -> None:
    """Early closure for one of the reasons of DOMAIN.md rule 8; the note says what happened."""
    if check_responsible:
        check_can_change(programme, scope)
    rules.check_terminate(facts_for(programme, today), reason, today)
    if note and note.strip():
        programme.note = f"{programme.note}\n{note.strip()}" if programme.note else note.strip()
    _close(programme, ProgrammeStatus.TERMINATED, reason, today)


def _close(programme: Programme, status: str, reason: str, today: date) -> None:
    """Closed today: never on a later day, not even when the programme had not started (a draft cancelled before
    its start is closed on the day it was cancelled, and the monthly report counts no future closure)."""
    programme.status = status
    programme.closure_reason = reason
    programme.closed_on = today


def terminate_on_consent_revoked(consent: Consent, today: date) -> list[Programme]:
    """A revoked consent stops the processing of the citizen's data (152-ФЗ art. 9): every programme of the
    citizen that is not closed yet is terminated with that reason, whoever revoked it and whoever is responsible.
    """
    citizen_id = consent.citizen.id if consent.citizen is not None else consent.citizen_id
    if consent.revoked_on is None or consent.revoked_on > today:
        return []
    others = select(Consent.signed_on, Consent.revoked_on, Consent.valid_until, Consent.in_centre).where(
        Consent.citizen_id == citizen_id, Consent.id != (consent.id or 0)
    )
    if any(rules.consent_valid(signed, revoked, today, *rest) for signed, revoked, *rest in db.session.execute(others)):
        return []  # another consent of the citizen is still valid
    programmes = db.session.scalars(
        select(Programme).where(
            Programme.citizen_id == citizen_id,
            Programme.status.in_((ProgrammeStatus.DRAFT, *OPEN_STATUSES)),
        )
    ).all()
    for programme in programmes:
        terminate(programme, reason=rules.termination_on_consent_revoked(), today=today, check_responsible=False)
    return list(programmes)


# --- stage checklist ----------------------------------------------------------------------------------------------


def tick(
    programme: Programme,
    item: str,
    *,
    done_on: date,
    note: str | None,
    today: date,
    scope: Scope | None = None,
) -> ChecklistItem:
    """Tick an item of the current (or an earlier) stage; the programme's stage follows the checklist."""
    scope = scope or current_scope()
    check_can_change(programme, scope)
    rules.check_editable(programme.status)
    stage = rules.stage_of(item)
    done = done_items(programme)
    if item in done:
        raise RuleViolation("already_ticked", "item")
    rules.check_tick(stage, rules.current_stage(done))
    rules.check_tick_date(done_on, today)
    row = ChecklistItem(
        programme=programme,
        stage=stage,
        item=item,
        done_on=done_on,
        done_by_id=scope.user_id,
        note=(note or "").strip() or None,
    )
    db.session.add(row)
    programme.stage = rules.current_stage(done | {item})
    return row


def mark_measure_done(
    programme: Programme,
    measure: Measure,
    *,
    done_on: date | None,
    result_note: str | None,
    today: date,
    scope: Scope | None = None,
) -> None:
    """«Выполнено» from the case page: the date it was done is required and not in the future."""
    check_can_change(programme, scope)
    rules.check_editable(programme.status)
    if measure.programme_id != programme.id:
        raise RuleViolation("wrong_centre", "measure")
    rules.check_measure(None, MeasureStatus.DONE, done_on, programme.start_date, programme.end_date, today)
    measure.status = MeasureStatus.DONE
    measure.done_on = done_on
    if result_note and result_note.strip():
        measure.result_note = result_note.strip()


def untick(programme: Programme, item: str, *, scope: Scope | None = None) -> None:
    """Undo a tick: its author or the director, and never under a ticked later stage."""
    scope = scope or current_scope()
    check_can_change(programme, scope)
    rules.check_editable(programme.status)
    rules.stage_of(item)
    row = db.session.scalar(
        select(ChecklistItem).where(ChecklistItem.programme_id == programme.id, ChecklistItem.item == item)
    )
    if row is None:
        raise RuleViolation("not_ticked", "item")
    if scope.responsible_only and row.done_by_id != scope.user_id:
        raise RuleViolation("untick_not_allowed", "item")
    done = done_items(programme)
    rules.check_untick(item, done)
    db.session.delete(row)
    programme.stage = rules.current_stage(done - {item})


# --- control events -----------------------------------------------------------------------------------------------


def record_control_event(
    programme: Programme,
    *,
    kind: str,
    held_on: date,
    findings: str | None,
    decision: str | None,
    today: date,
    scope: Scope | None = None,
) -> ControlEvent:
    """Interim assessment or monitoring inspection, with findings and the decision taken."""
    scope = scope or current_scope()
    check_can_change(programme, scope)
    rules.check_control_event(facts_for(programme, today), kind, held_on, decision, today)
    event = ControlEvent(
        programme=programme,
        kind=kind,
        held_on=held_on,
        findings=(findings or "").strip() or None,
        decision=decision,
        recorded_by_id=scope.user_id,
    )
    db.session.add(event)
    return event
