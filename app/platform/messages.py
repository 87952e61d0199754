"""Messages for the codes ``app.domain.rules`` raises, merged into ``app.platform.labels.RULE_MESSAGES``.

English source strings through Babel (translated to Russian in ``translations/``). Placeholders are the
``RuleViolation`` params, already strings (dates as dd.mm.yyyy). Written for specialists: say what blocks
the action and what to do.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

WORKFLOW_MESSAGES = {
    # dates
    "date_in_future": _l("The date cannot be in the future."),
    # term (S1 §6.1.1–6.1.2)
    "date_before_start": _l("The date cannot be earlier than the start."),
    "term_too_long": _l(
        "The term of a programme is at most 6 months: the end date can be %(max_end)s at the latest. "
        "A longer term needs a decision of the extension commission."
    ),
    "extension_too_long": _l(
        "The programme cannot be extended beyond one year from its start: the end date can be %(limit)s at the latest."
    ),
    # stages (S1 §5.3)
    "unknown_checklist_item": _l("Unknown checklist item: %(item)s."),
    "stage_order": _l(
        "Stages are carried out in order: an item of stage %(stage)s cannot be ticked "
        "until stage %(current)s is complete."
    ),
    "stage_untick_order": _l(
        "An item of stage %(stage)s cannot be unticked while items of a later stage are ticked: untick those first."
    ),
    # status changes
    "transition_not_allowed": _l("This change of the programme's status is not allowed."),
    "programme_closed": _l("The programme is closed (completed or terminated): its record can no longer be changed."),
    # activation (S1 §5.2, S2, 152-ФЗ)
    "activate_wrong_status": _l("Only a draft programme can be activated."),
    "appeal_required": _l(
        "The programme cannot be activated: it is not linked to an appeal in the journal of appeals."
    ),
    "appeal_refused": _l("The programme cannot be activated: the appeal was refused or redirected."),
    "application_required": _l(
        "The programme cannot be activated: the appeal has no personal application of the citizen."
    ),
    "need_assessment_required": _l(
        "The programme cannot be activated: the appeal has no act of assessment of individual need."
    ),
    "consent_required": _l(
        "The programme cannot be activated: the citizen has no consent to the processing of personal data in the "
        "centre in force today (signed, not revoked, within its term)."
    ),
    "term_already_ended": _l(
        "The programme cannot be activated: its term ended on %(end)s. Correct the start and end dates."
    ),
    # extension (S1 §6.1.2–6.1.3)
    "extend_wrong_status": _l("Only an active or extended programme can be extended."),
    "extension_consent_required": _l(
        "The programme cannot be extended: the citizen's consent to the processing of personal data is not valid. "
        "Terminate the programme with the reason «consent revoked»."
    ),
    "extension_decision_required": _l(
        "The programme can be extended only by a decision of the centre's extension commission: "
        "record the commission's decision first."
    ),
    "extension_wrong_committee": _l(
        "The programme can be extended only by a decision of an extension commission, not of a working group."
    ),
    "extension_other_centre": _l(
        "The decision was taken by the extension commission of another centre: "
        "only the programme's own centre can extend it."
    ),
    "extension_protocol_required": _l("An extension decision needs the number of the commission's protocol."),
    "extension_meeting_in_future": _l(
        "The commission's meeting date %(meeting_date)s is in the future: a programme is extended "
        "only after the commission has met."
    ),
    "extension_meeting_before_start": _l(
        "The commission's meeting date %(meeting_date)s is before the programme started (%(start)s): "
        "a programme is extended by a meeting held during its term."
    ),
    "extension_term_lapsed": _l(
        "The term of the programme ended on %(end)s, before the commission met on %(meeting_date)s: "
        "a lapsed term is not extended. Close this programme and draw up a new one."
    ),
    # monitoring inspection (S1 §6.4)
    "monitoring_required": _l(
        "The decision to complete or extend the programme rests on a monitoring inspection of the current term "
        "(order 425-р, §6.4; due %(due)s): record it on the case page first."
    ),
    "extend_to_required": _l("An extension decision needs the new end date."),
    "extension_not_later": _l("The new end date must be later than the current end date, %(end)s."),
    # completion (S1 §5.3.3)
    "complete_wrong_status": _l("Only an active or extended programme can be completed."),
    "stages_incomplete": _l(
        "The programme cannot be completed: stage %(stage)s is not finished. Tick all items of all three stages."
    ),
    "results_required": _l("The programme cannot be completed: fill in the analysis of results."),
    "overdue_measures_open": _l(
        "The programme cannot be completed: a measure due on %(due)s is still open. Mark the overdue measures done "
        "or cancel them first."
    ),
    # the monthly report (DOMAIN.md §5)
    "report_month_not_ended": _l(
        "A report is prepared for a month that has ended: the month %(month)s is not over yet."
    ),
    # measures (programme form §3)
    "measure_due_outside_term": _l("The due date must lie within the programme's term, from %(start)s to %(end)s."),
    "measure_done_date_required": _l("A measure marked done needs the date it was done."),
    # termination (S2 closure reasons, voluntariness S1 §3.1)
    "terminate_wrong_status": _l("The programme is already closed and cannot be terminated."),
    "closure_reason_required": _l("Choose the reason for closing the programme."),
    "terminate_resolved": _l("A resolved situation is closed by completing the programme, not by terminating it."),
    "term_not_ended": _l(
        "The reason «term ended without resolution» can be chosen only after the end of the term, %(end)s."
    ),
    # completion outcome (S2 closure criteria)
    "outcome_required": _l("Mark at least one criterion of the result that the citizen has reached."),
    "unknown_outcome": _l("Unknown criterion of the result: %(criterion)s."),
    # editing a programme
    "term_via_extension": _l(
        "The term of an active programme is changed only by an extension decision of the commission."
    ),
    # control events (S1 §6.3–6.4)
    "control_wrong_status": _l("Control events are recorded only for an active or extended programme."),
    "control_kind_required": _l("Choose the kind of the control event."),
    "control_decision_required": _l("Choose the decision taken after the control event."),
    "interim_already_held": _l("The interim assessment was already held on %(held_on)s."),
    # checklist
    "already_ticked": _l("This item is already ticked."),
    "not_ticked": _l("This item is not ticked."),
    "untick_not_allowed": _l("Only the specialist who ticked the item or the director can untick it."),
    # committee decisions
    "decision_applied": _l(
        "An extension decision has been applied to the programme: it cannot be changed or deleted. "
        "Record a new decision of the commission instead."
    ),
}
