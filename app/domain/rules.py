"""The rules engine: every date and state rule of DOMAIN.md §3, in plain Python.

Views, the API, the reminder jobs and the monthly report ask this module; none of them re-implements a date
rule. It works on dates, codes and two small frozen dataclasses (``ProgrammeFacts``, ``ExtensionDecision``)
that the caller fills from the database, so it has no Flask or SQLAlchemy import and is unit-tested alone.

A refusal is a ``RuleViolation(code, field, **params)``; every code has a message in ``app.platform.messages``.
Params are strings ready for the message (dates as ``dd.mm.yyyy``).

Sources: S1 = order of Depsotsrazvitiya Yugry No. 425-р of 04.05.2013, annex 1 (§…), annex 3 (report);
S2 = practice note of the Surgut centre «Зазеркалье»; [D] = our decision where the sources are silent.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo

from app.domain.choices import (
    CHECKLIST,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AppealDecision,
    ClosureReason,
    CommitteeKind,
    ControlDecision,
    ControlKind,
    MeasureStatus,
    OutcomeCriterion,
    ProgrammeStatus,
)
from app.domain.errors import RuleViolation

# --- constants -------------------------------------------------------------------------------------------------

MAX_TERM_MONTHS = 6  # S1 §6.1.1: the term "не должен превышать шести месяцев"
MAX_EXTENDED_MONTHS = 12  # S1 §6.1.2: may be extended "до одного года" in total from the start
INTERIM_MONTHS = 3  # S1 §6.3: interim assessment "по истечении трех месяцев"
MONITORING_LEAD_DAYS = 14  # S1 §6.4 "при приближении завершения срока"; 14 days is [D]
REPORT_DUE_DAY = 10  # S1 annex 3: "ежемесячно до 10 числа следующего за отчетным"
REPORT_WARNING_DAY = 5  # [D] a reminder five days before the deadline
REGION_TZ = ZoneInfo("Asia/Yekaterinburg")  # Yugra lives at UTC+5; "today" is its date, not the server's

STAGES: tuple[int, ...] = tuple(sorted(CHECKLIST))
FINAL_STAGE = STAGES[-1]
_ITEM_STAGE: dict[str, int] = {item: stage for stage, items in CHECKLIST.items() for item in items}

# The programme's life (DOMAIN.md §2): draft → active → (extended …) → completed | terminated.
# An extended programme may be extended again while the one-year limit allows (S1 §6.1.2).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ProgrammeStatus.DRAFT: frozenset({ProgrammeStatus.ACTIVE, ProgrammeStatus.TERMINATED}),
    ProgrammeStatus.ACTIVE: frozenset(
        {ProgrammeStatus.EXTENDED, ProgrammeStatus.COMPLETED, ProgrammeStatus.TERMINATED}
    ),
    ProgrammeStatus.EXTENDED: frozenset(
        {ProgrammeStatus.EXTENDED, ProgrammeStatus.COMPLETED, ProgrammeStatus.TERMINATED}
    ),
    ProgrammeStatus.COMPLETED: frozenset(),
    ProgrammeStatus.TERMINATED: frozenset(),
}

# A completed programme closes with "situation resolved"; every other reason is a termination [D].
COMPLETION_REASON = ClosureReason.RESOLVED
_CLOSURE_REASONS: frozenset[str] = frozenset(ClosureReason)
TERMINATION_REASONS: frozenset[str] = _CLOSURE_REASONS - {COMPLETION_REASON}


def format_date(value: date) -> str:
    """``dd.mm.yyyy``, as Russian documents write dates; used for message params."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


# --- dates and time zone ---------------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later (or earlier); a day the target month lacks becomes its last day (31.08 + 6 → 28.02)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def local_today(now_utc: datetime, tz: ZoneInfo = REGION_TZ) -> date:
    """The regional date of an instant: 20:30 UTC on the 31st is already the 1st in Yekaterinburg time.

    A naive datetime is taken as UTC (SQLite hands timestamps back without a zone). Works for any instant,
    e.g. ``local_today(report.submitted_at)`` gives the date a report was filed.
    """
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=UTC)
    return now_utc.astimezone(tz).date()


# --- term (rules 2 and 3) --------------------------------------------------------------------------------------


def term_end(start: date, months: int) -> date:
    """Inclusive end of a term of ``months`` from ``start`` ("с 15.01.2026 по 14.07.2026")."""
    return add_months(start, months) - timedelta(days=1)


def max_end_date(start: date) -> date:
    """Latest end of a programme without extension (S1 §6.1.1: at most six months)."""
    return term_end(start, MAX_TERM_MONTHS)


def max_extended_end_date(start: date) -> date:
    """Latest end after extensions: one year in total from the start (S1 §6.1.2)."""
    return term_end(start, MAX_EXTENDED_MONTHS)


def term_months(start: date, end: date) -> int:
    """Whole months of the term for "срок: N мес.", a started month counted in full; 0 when end is before start.

    It is the smallest N whose N-month term reaches ``end``, so ``term_months(s, e) <= 6`` exactly when
    ``check_term(s, e)`` passes.
    """
    if end < start:
        return 0
    months = max(0, (end.year - start.year) * 12 + end.month - start.month - 1)
    while term_end(start, months) < end:
        months += 1
    return months


def check_term(start: date, end: date, *, extended: bool = False) -> None:
    """End not before start and within six months (S1 §6.1.1), or one year for an extended programme (§6.1.2)."""
    if end < start:
        raise RuleViolation("date_before_start", "end_date")
    if extended:
        limit = max_extended_end_date(start)
        if end > limit:
            raise RuleViolation("extension_too_long", "end_date", limit=format_date(limit))
    else:
        limit = max_end_date(start)
        if end > limit:
            raise RuleViolation("term_too_long", "end_date", max_end=format_date(limit))


def can_extend_further(start: date, end: date) -> bool:
    """False once the end has reached the one-year limit: no commission may extend it any more."""
    return end < max_extended_end_date(start)


# --- control events (rules 4 and 5) ----------------------------------------------------------------------------


def interim_due(start: date) -> date:
    """Interim assessment when three months have passed (S1 §6.3)."""
    return add_months(start, INTERIM_MONTHS)


def interim_required(start: date, end: date) -> bool:
    """A programme ending before its third month is over has no interim assessment [D]."""
    return interim_due(start) <= end


def monitoring_due(end: date, start: date | None = None) -> date:
    """Monitoring inspection 14 days before the end (S1 §6.4, lead time [D]); follows the end after an extension.

    With ``start`` given, a very short programme gets its monitoring no earlier than its first day.
    """
    due = end - timedelta(days=MONITORING_LEAD_DAYS)
    return max(due, start) if start is not None else due


def monitoring_held_in_term(held_on: date | None, extended_on: date | None) -> date | None:
    """The monitoring inspection that counts for the current term: one held on or before the latest extension
    belongs to the previous term, so a new one falls due before the new end [D from S1 §6.4]."""
    if held_on is None or (extended_on is not None and held_on <= extended_on):
        return None
    return held_on


# --- what the term looks like on the programme form ---------------------------------------------------------------


class TermLines(NamedTuple):
    """§4 of the programme form: «с … по …, кол-во месяцев» and the extension line «продление … на период с … по …,
    кол-во месяцев»; ``extension`` is ``None`` for a programme never extended."""

    start: date
    end: date  # the end of the original term
    months: int
    extension: tuple[date, date, int] | None


def term_lines(start: date, end: date, extended_from: date | None) -> TermLines:
    """The original term and the extension period of a programme whose current end is ``end`` and whose end before
    its first extension was ``extended_from``: the extension runs from the day after the original end."""
    if extended_from is None:
        return TermLines(start, end, term_months(start, end), None)
    ext_start = extended_from + timedelta(days=1)
    return TermLines(
        start, extended_from, term_months(start, extended_from), (ext_start, end, term_months(ext_start, end))
    )


# --- measures --------------------------------------------------------------------------------------------------

_FINISHED_MEASURES = frozenset({MeasureStatus.DONE, MeasureStatus.CANCELLED, MeasureStatus.CANNOT_BE_DONE})


def measure_overdue(due_date: date, status: str, today: date) -> bool:
    """A measure is overdue the day after its due date unless done or cancelled."""
    return status not in _FINISHED_MEASURES and due_date < today


def days_overdue(due_date: date, today: date) -> int:
    """Days past a due date (0 when not yet past)."""
    return max((today - due_date).days, 0)


# --- reminders [D] ------------------------------------------------------------------------------------------------

DUE_SOON_DAYS = 7  # interim assessment and monitoring inspection: the specialist is reminded a week ahead
MEASURE_SOON_DAYS = 3  # a measure: three days ahead (the responsible specialist and the partner organisation)
# a partner organisation's report on a measure is news for the responsible specialist for a week [D]
PARTNER_REPORT_NOTICE_DAYS = 7
ESCALATION_DAYS = 7  # the director hears of an item overdue by more than a week


def escalates(due_date: date, today: date) -> bool:
    """An overdue item goes up to the centre's director once it is overdue by more than a week."""
    return days_overdue(due_date, today) > ESCALATION_DAYS


# --- monthly report (rule 9) -----------------------------------------------------------------------------------


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"


def month_start(d: date) -> date:
    """First day of the month of ``d``; report functions accept any day of the reporting month."""
    return d.replace(day=1)


def reporting_month(today: date) -> date:
    """The month whose report is being collected now: the previous calendar month."""
    return add_months(month_start(today), -1)


def report_month_end(month: date) -> date:
    """The "as of" date of the report: the last day of the reporting month (S1 annex 3 «по состоянию на»)."""
    return add_months(month_start(month), 1) - timedelta(days=1)


def check_report_month_ended(month: date, today: date) -> None:
    """A report is drawn up for a month that is over: its figures are "as of" the month's last day (DOMAIN.md §5)."""
    if report_month_end(month) >= today:
        raise RuleViolation("report_month_not_ended", "month", month=f"{month.month:02d}.{month.year:04d}")


def report_due(month: date) -> date:
    """Deadline: the 10th of the following month (S1 annex 3); filing on the 10th is on time."""
    return add_months(month_start(month), 1).replace(day=REPORT_DUE_DAY)


def report_warning_date(month: date) -> date:
    """Centres that have not filed by the 5th of the following month get a reminder [D]."""
    return add_months(month_start(month), 1).replace(day=REPORT_WARNING_DAY)


def report_timeliness(month: date, submitted_on: date | None, today: date) -> Timeliness:
    """On time (by the 10th), late, missing (not filed and the 10th has passed) or not due yet.

    ``submitted_on`` is the regional date of submission: pass ``local_today(report.submitted_at)``.
    """
    due = report_due(month)
    if submitted_on is not None:
        return Timeliness.ON_TIME if submitted_on <= due else Timeliness.LATE
    return Timeliness.MISSING if today > due else Timeliness.NOT_DUE


# --- stages (rule 6) -------------------------------------------------------------------------------------------


def stage_of(item: str) -> int:
    """Stage of a checklist item of S1 §5.3; an unknown code is refused (the API may send anything)."""
    try:
        return _ITEM_STAGE[item]
    except KeyError:
        raise RuleViolation("unknown_checklist_item", "item", item=str(item)) from None


def stage_complete(stage: int, done_items: Collection[str]) -> bool:
    """A stage is complete when all its items are done (DOMAIN.md rule 6, from S1 §5.3)."""
    return set(CHECKLIST[stage]) <= set(done_items)


def current_stage(done_items: Collection[str]) -> int:
    """The first incomplete stage; the last stage when everything is done (S1 §5.3.1–5.3.3 run in order)."""
    done = set(done_items)
    return stage_of_counts({stage: len(done.intersection(items)) for stage, items in CHECKLIST.items()})


def stage_of_counts(done_per_stage: Mapping[int, int]) -> int:
    """``current_stage`` from how many items of each stage are done: the monthly report counts the ticks dated up to
    its day, so that a stage is the stage the programme was at on that day."""
    for stage in STAGES:
        if done_per_stage.get(stage, 0) < len(CHECKLIST[stage]):
            return stage
    return FINAL_STAGE


def all_stages_complete(done_items: Collection[str]) -> bool:
    """Every item of every stage is done: the condition for completing a programme (S1 §5.3.3)."""
    return all(stage_complete(stage, done_items) for stage in STAGES)


def check_tick(stage_of_item: int, current: int) -> None:
    """Items of a stage after the current one cannot be ticked: stages run 1 → 2 → 3 (S1 §5.3)."""
    if stage_of_item > current:
        raise RuleViolation("stage_order", "item", stage=str(stage_of_item), current=str(current))


def check_untick(item: str, done_items: Collection[str]) -> None:
    """An item cannot be unticked while a later stage has ticked items, or the order of stages would break [D]."""
    stage = stage_of(item)
    if any(_ITEM_STAGE.get(other, 0) > stage for other in done_items):
        raise RuleViolation("stage_untick_order", "item", stage=str(stage))


def stage_progress(done_items: Collection[str]) -> dict[int, tuple[int, int]]:
    """``{stage: (done, total)}`` for the checklist page and the report's "programmes by stage"."""
    done = set(done_items)
    return {stage: (len(done.intersection(items)), len(items)) for stage, items in CHECKLIST.items()}


# --- lifecycle (rules 1, 3, 7, 8) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeFacts:
    """What the lifecycle rules need to know about a programme, read from the database by the caller.

    ``has_valid_consent``: a signed, unrevoked consent to personal-data processing (see ``consent_valid``).
    ``extended_on``: meeting date of the latest extension decision; a monitoring inspection held on or before
    it belongs to the previous term, so a new one falls due before the new end.
    ``next_measure_due``: earliest due date among the measures not yet done or cancelled.
    """

    status: str
    start_date: date
    end_date: date
    has_appeal: bool = False
    appeal_decision: str | None = None
    has_application_document: bool = False
    has_need_assessment: bool = False
    has_valid_consent: bool = False
    done_items: frozenset[str] = field(default_factory=frozenset)
    has_results_analysis: bool = False
    interim_held_on: date | None = None
    monitoring_held_on: date | None = None
    extended_on: date | None = None
    next_measure_due: date | None = None


@dataclass(frozen=True)
class ExtensionDecision:
    """The collegial decision an extension needs (S1 §6.1.3): who decided, for which centre, when, protocol."""

    committee_kind: str
    committee_centre_id: int | None
    programme_centre_id: int
    meeting_date: date
    protocol_number: str | None


def consent_in_force(
    signed_on: date | None, revoked_on: date | None, today: date, valid_until: date | None = None
) -> bool:
    """Signed by today, not revoked by today, and today within the term it is given for (152-ФЗ art. 9, a separate
    document since 01.09.2025). Whatever its purposes: ``consent_valid`` and the transfer rule of
    ``app.domain.partners`` ask it."""
    return (
        signed_on is not None
        and signed_on <= today
        and (revoked_on is None or revoked_on > today)
        and (valid_until is None or valid_until >= today)
    )


def consent_valid(
    signed_on: date | None,
    revoked_on: date | None,
    today: date,
    valid_until: date | None = None,
    in_centre: bool = True,
) -> bool:
    """A consent to processing in the centre in force today: what a programme's activation and extension rest on."""
    return bool(in_centre) and consent_in_force(signed_on, revoked_on, today, valid_until)


def check_transition(current: str, target: str) -> None:
    """Generic guard for any status change (e.g. an edit form); the actions below say more precisely why."""
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise RuleViolation("transition_not_allowed", "status", current=str(current), target=str(target))


def check_editable(status: str) -> None:
    """A completed or terminated programme is a closed record: measures and checklist are frozen [D]."""
    if status in CLOSED_STATUSES:
        raise RuleViolation("programme_closed", "status", status=str(status))


def check_activate(facts: ProgrammeFacts, today: date) -> None:
    """A draft becomes active only on the citizen's personal application (S1 §5.2, S2), with the need assessed
    (S2 document pack), a valid consent (152-ФЗ art. 10) and a term of at most six months (S1 §6.1.1).

    A start in the future is fine; an end already past is refused so that no programme is born overdue [D].
    """
    if facts.status != ProgrammeStatus.DRAFT:
        raise RuleViolation("activate_wrong_status", "status", status=str(facts.status))
    if not (facts.has_appeal or facts.has_application_document):  # a document always belongs to an appeal
        raise RuleViolation("appeal_required", "appeal")
    if facts.appeal_decision in (AppealDecision.REFUSED, AppealDecision.REDIRECTED):
        raise RuleViolation("appeal_refused", "appeal", decision=str(facts.appeal_decision))
    if not facts.has_application_document:
        raise RuleViolation("application_required", "appeal")
    if not facts.has_need_assessment:
        raise RuleViolation("need_assessment_required", "appeal")
    if not facts.has_valid_consent:
        raise RuleViolation("consent_required", "citizen")
    check_term(facts.start_date, facts.end_date)
    if facts.end_date < today:
        raise RuleViolation("term_already_ended", "end_date", end=format_date(facts.end_date))


def check_monitoring_held(facts: ProgrammeFacts) -> None:
    """The decision to continue or to complete rests on a monitoring inspection held as the term ends (S1 §6.4): one
    held in the current term (``monitoring_held_in_term``) must be on record before a programme is completed or
    extended [D from §6.4]."""
    if monitoring_held_in_term(facts.monitoring_held_on, facts.extended_on) is None:
        raise RuleViolation("monitoring_required", "monitoring", due=format_date(monitoring_due(facts.end_date)))


def check_extend(facts: ProgrammeFacts, new_end: date | None, decision: ExtensionDecision | None, today: date) -> None:
    """Extension only by a decision of the centre's own extension commission (S1 §6.1.3), taken no later than
    today, to a later end within one year of the start (S1 §6.1.2); processing needs a valid consent (152-ФЗ).

    The commission meets within the programme's term: not before it started, and not after it ended (a lapsed term
    is not extended, a new programme is drawn up [D]); its decision rests on a monitoring inspection of the current
    term (S1 §6.4, ``check_monitoring_held``).
    """
    if facts.status not in OPEN_STATUSES:
        raise RuleViolation("extend_wrong_status", "status", status=str(facts.status))
    if not facts.has_valid_consent:
        raise RuleViolation("extension_consent_required", "citizen")
    if decision is None:
        raise RuleViolation("extension_decision_required", "decision")
    if decision.committee_kind != CommitteeKind.EXTENSION_COMMISSION:
        raise RuleViolation("extension_wrong_committee", "committee")
    if decision.committee_centre_id != decision.programme_centre_id:
        raise RuleViolation("extension_other_centre", "committee")
    if not (decision.protocol_number or "").strip():
        raise RuleViolation("extension_protocol_required", "protocol_number")
    if decision.meeting_date > today:
        raise RuleViolation(
            "extension_meeting_in_future", "meeting_date", meeting_date=format_date(decision.meeting_date)
        )
    if decision.meeting_date < facts.start_date:
        raise RuleViolation(
            "extension_meeting_before_start",
            "meeting_date",
            meeting_date=format_date(decision.meeting_date),
            start=format_date(facts.start_date),
        )
    if decision.meeting_date > facts.end_date:
        raise RuleViolation(
            "extension_term_lapsed",
            "meeting_date",
            meeting_date=format_date(decision.meeting_date),
            end=format_date(facts.end_date),
        )
    if new_end is None:
        raise RuleViolation("extend_to_required", "extend_to")
    if new_end <= facts.end_date:
        raise RuleViolation("extension_not_later", "extend_to", end=format_date(facts.end_date))
    limit = max_extended_end_date(facts.start_date)
    if new_end > limit:
        raise RuleViolation("extension_too_long", "extend_to", limit=format_date(limit))
    check_monitoring_held(facts)


def next_status_after_extension(status: str) -> ProgrammeStatus:
    """Active or extended → extended (S1 §6.1.2); anything else cannot be extended."""
    check_transition(status, ProgrammeStatus.EXTENDED)
    return ProgrammeStatus.EXTENDED


def check_complete(facts: ProgrammeFacts, today: date) -> None:
    """Completion closes the third stage (S1 §5.3.3): all items done and the results analysed in writing, and the
    decision to complete rests on a monitoring inspection of the current term (S1 §6.4)."""
    if facts.status not in OPEN_STATUSES:
        raise RuleViolation("complete_wrong_status", "status", status=str(facts.status))
    if today < facts.start_date:
        raise RuleViolation("date_before_start", "closed_on")
    if not all_stages_complete(facts.done_items):
        raise RuleViolation("stages_incomplete", "stage", stage=str(current_stage(facts.done_items)))
    if not facts.has_results_analysis:
        raise RuleViolation("results_required", "results_analysis")
    check_monitoring_held(facts)
    if facts.next_measure_due is not None and facts.next_measure_due < today:
        # a measure left open past its date is either done or cancelled before the case is summed up [D]
        raise RuleViolation("overdue_measures_open", "measures", due=format_date(facts.next_measure_due))


def check_outcomes(criteria: Collection[str]) -> None:
    """A completed programme names at least one closure criterion of S2 that was met (e.g. stable income) [D]."""
    known = set(OutcomeCriterion)
    if not criteria:
        raise RuleViolation("outcome_required", "outcomes")
    unknown = sorted(set(criteria) - known)
    if unknown:
        raise RuleViolation("unknown_outcome", "outcomes", criterion=", ".join(unknown))


def check_term_change(status: str, old: tuple[date, date], new: tuple[date, date]) -> None:
    """The term of a draft is edited freely within six months; once active it changes only by extension [D].

    Otherwise an edit form could stretch a programme past six months without the commission (S1 §6.1.3).
    """
    check_editable(status)
    if status == ProgrammeStatus.DRAFT:
        check_term(*new)
    elif old != new:
        raise RuleViolation("term_via_extension", "end_date")


def check_measure(
    due_date: date | None, status: str, done_on: date | None, start: date, end: date, today: date
) -> None:
    """A measure of the programme form (§3): due within the programme's term; «выполнено» only with the date it was
    done, and not a future one (DOMAIN.md §2: "completion date (required when done)")."""
    if due_date is not None and not start <= due_date <= end:
        raise RuleViolation("measure_due_outside_term", "due_date", start=format_date(start), end=format_date(end))
    if status == MeasureStatus.DONE and done_on is None:
        raise RuleViolation("measure_done_date_required", "done_on")
    if done_on is not None and done_on > today:
        raise RuleViolation("date_in_future", "done_on")


def check_tick_date(done_on: date, today: date) -> None:
    """A tick records what was done: not on a future date."""
    if done_on > today:
        raise RuleViolation("date_in_future", "done_on")


def check_control_event(facts: ProgrammeFacts, kind: str, held_on: date, decision: str | None, today: date) -> None:
    """Interim assessment and monitoring inspection (S1 §6.3–6.4) belong to an open programme, on a date within
    its term and not in the future, and end with a decision (continue, change, extend, complete).

    The interim assessment is held once; a monitoring inspection again after each extension [D].
    """
    if facts.status not in OPEN_STATUSES:
        raise RuleViolation("control_wrong_status", "status", status=str(facts.status))
    if kind not in set(ControlKind):
        raise RuleViolation("control_kind_required", "kind")
    if held_on > today:
        raise RuleViolation("date_in_future", "held_on")
    if held_on < facts.start_date:
        raise RuleViolation("date_before_start", "held_on")
    if decision not in set(ControlDecision):
        raise RuleViolation("control_decision_required", "decision")
    if kind == ControlKind.INTERIM and facts.interim_held_on is not None:
        raise RuleViolation("interim_already_held", "kind", held_on=format_date(facts.interim_held_on))


def check_terminate(facts: ProgrammeFacts, reason: str | None, today: date | None = None) -> None:
    """Early closure for one of the S2 reasons (DOMAIN.md rule 8); a draft may be cancelled the same way [D].

    "Situation resolved" is not a termination: it is reached by completing the programme, which checks the stages.
    "Term ended" needs the term to have ended (checked when ``today`` is given).
    """
    if ProgrammeStatus.TERMINATED not in ALLOWED_TRANSITIONS.get(facts.status, frozenset()):
        raise RuleViolation("terminate_wrong_status", "status", status=str(facts.status))
    if reason not in _CLOSURE_REASONS:
        raise RuleViolation("closure_reason_required", "closure_reason")
    if reason == COMPLETION_REASON:
        raise RuleViolation("terminate_resolved", "closure_reason")
    if reason == ClosureReason.TERM_ENDED and today is not None and today <= facts.end_date:
        raise RuleViolation("term_not_ended", "closure_reason", end=format_date(facts.end_date))


def termination_on_consent_revoked() -> ClosureReason:
    """A revoked consent stops processing (152-ФЗ art. 9 §2), so the programme ends with its own reason."""
    return ClosureReason.CONSENT_REVOKED


# --- what is due next ("My cases") -----------------------------------------------------------------------------


class DueKind(StrEnum):
    INTERIM = "interim"  # = ControlKind.INTERIM
    MONITORING = "monitoring"  # = ControlKind.MONITORING
    END = "end"  # the programme's end date: complete, extend or terminate
    MEASURE = "measure"  # the earliest open measure


class DueItem(NamedTuple):
    kind: DueKind
    due_date: date

    def overdue(self, today: date) -> bool:
        return self.due_date < today


_KIND_ORDER = {kind: n for n, kind in enumerate(DueKind)}  # same-day items in the order the case moves


def _due_order(item: DueItem) -> tuple[date, int]:
    return item.due_date, _KIND_ORDER[item.kind]


def pending_items(facts: ProgrammeFacts) -> list[DueItem]:
    """Control items still to do for an open programme, earliest first (S1 §6.3, §6.4, the end of the term,
    and the earliest open measure)."""
    if facts.status not in OPEN_STATUSES:
        return []
    items: list[DueItem] = []
    if facts.interim_held_on is None and interim_required(facts.start_date, facts.end_date):
        items.append(DueItem(DueKind.INTERIM, interim_due(facts.start_date)))
    if monitoring_held_in_term(facts.monitoring_held_on, facts.extended_on) is None:
        items.append(DueItem(DueKind.MONITORING, monitoring_due(facts.end_date, facts.start_date)))
    items.append(DueItem(DueKind.END, facts.end_date))
    if facts.next_measure_due is not None:
        items.append(DueItem(DueKind.MEASURE, facts.next_measure_due))
    return sorted(items, key=_due_order)


def next_due(facts: ProgrammeFacts) -> DueItem | None:
    """The next control item of an open programme; an overdue one comes first (earliest overdue wins).

    Pending items are kept in date order, so an overdue item always precedes an upcoming one. ``None`` for drafts
    and closed programmes. "My cases" is sorted by it; ``DueItem.overdue(today)`` marks what is overdue.
    """
    items = pending_items(facts)
    return items[0] if items else None
