"""The casework's own words: the checklist of S1 §5.3, the stages, what is due next, the lines of the timeline."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHECKLIST_LABELS = {
    "collect_information": _l("Collect primary information (interview, documents, questionnaire)"),
    "define_problems": _l("Define and specify the citizen's problems"),
    "find_resources": _l("Find the citizen's own capacities and resources"),
    "name_difficulties": _l("Name the citizen's weak points and external difficulties"),
    "develop_measures": _l("Develop the set of measures"),
    "carry_out_measures": _l("Carry out the measures (subjects of accompaniment)"),
    "coordinate_control": _l("Coordinate and control the effectiveness of services and help"),
    "analyse_results": _l("Sum up and analyse the results"),
    "give_recommendations": _l("Give practical recommendations to the citizen"),
}

# The three stages of S1 §5.3.
STAGE_TITLES = {
    1: _l("Stage 1. Assessment of the situation"),
    2: _l("Stage 2. Measures and coordination"),
    3: _l("Stage 3. Results and recommendations"),
}

# rules.DueKind → what is due next on "My cases".
DUE_LABELS = {
    "interim": _l("interim assessment"),
    "monitoring": _l("monitoring inspection"),
    "end": _l("end of the term"),
    "measure": _l("measure"),
}

# app.casework.timeline.Event.kind → the line of the case timeline.
TIMELINE_LABELS = {
    "appeal": _l("Appeal registered"),
    "document": _l("Document of the appeal"),
    "consent": _l("Consent to data processing signed"),
    "consent_revoked": _l("Consent revoked"),
    "activated": _l("Programme activated"),
    "tick": _l("Checklist item done"),
    "measure_done": _l("Measure done"),
    "partner_report": _l("Report of a partner organisation"),
    "control_event": _l("Control event"),
    "decision": _l("Committee decision"),
    "closed": _l("Programme closed"),
}
