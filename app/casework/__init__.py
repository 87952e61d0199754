"""Casework: the programme and its measures, the case page (stages, control events, actions, timeline), "My cases",
the programme form of annex 2, and the workflow every page, API and job goes through to change a case.

Other features use what this package exports here, never its modules.
"""

from __future__ import annotations

from app.casework.case import act, action_form_page, load_programme
from app.casework.caseload import Case, caseload_counts, open_cases
from app.casework.labels import DUE_LABELS
from app.casework.workflow import apply_extension, facts_for, record_extension

__all__ = [
    "DUE_LABELS",
    "Case",
    "act",
    "action_form_page",
    "apply_extension",
    "caseload_counts",
    "facts_for",
    "init_app",
    "load_programme",
    "open_cases",
    "record_extension",
]


def init_app(app, appbuilder) -> None:
    from flask_babel import lazy_gettext as _l
    from sqlalchemy.orm import contains_eager

    from app.casework import api, case, steps, views
    from app.domain.choices import ControlDecision, ControlKind, MeasureStatus, ProgrammeStatus
    from app.fab.lookups import Lookup, register_lookup
    from app.fab.registry import ACCOMPANIMENT, Link, register
    from app.models import Citizen, Programme
    from app.platform.labels import choice_label

    steps.register()
    register_lookup(
        "programme",
        Lookup(
            Programme,
            "ProgrammeView",
            Programme.number,
            lambda p: f"{p} — {p.citizen.short_name}",
            keys=(Programme.search, Citizen.search),
            joins=(Programme.citizen,),
            options=(contains_eager(Programme.citizen),),
        ),
    )
    register(
        appbuilder,
        case.CaseView,
        Link("My cases", _l("My cases"), "fa-briefcase", ACCOMPANIMENT, "CaseView.mine", Programme),
        views.ProgrammeView,
        views.MeasureView,
        views.ChecklistItemView,
        views.ControlEventView,
        api.ProgrammeApi,
        api.MeasureApi,
    )
    app.jinja_env.globals.update(
        status_label=lambda code: choice_label(ProgrammeStatus, code),
        control_kind_label=lambda code: choice_label(ControlKind, code),
        control_decision_label=lambda code: choice_label(ControlDecision, code),
        measure_status_label=lambda code: choice_label(MeasureStatus, code),
    )
