"""Programmes of accompaniment and what hangs on them: measures, checklist, control events."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.casework.labels import CHECKLIST_LABELS
from app.domain.numbers import PROGRAMME_PREFIX
from app.fab.interface import eager
from app.fab.numbers import prefill_register
from app.fab.registry import ACCOMPANIMENT, Menu
from app.fab.views import ConsoleModelView
from app.models import ChecklistItem, ControlEvent, Measure, Programme
from app.platform.clock import today
from app.platform.labels import format_period
from app.security.scope import transfer_gaps


class MeasureView(ConsoleModelView):
    datamodel = eager(Measure, "programme")
    menu = Menu("Measures", _l("Measures"), "fa-tasks", ACCOMPANIMENT)
    lookups = {"programme": "programme", "organisations": "organisation", "decision": "committee_decision"}
    list_title = _l("Measures")
    show_title = _l("Measure")
    show_template = "measure/show.html"  # adds the organisations the consent does not cover
    list_columns = ["title", "programme", "kind", "due_date", "status", "done_on"]
    add_columns = edit_columns = [
        "programme",
        "title",
        "kind",
        "organisations",
        "participants_text",
        "due_date",
        "status",
        "done_on",
        "result_note",
        "decision",
    ]
    show_columns = add_columns
    search_columns = ["title", "kind", "status", "due_date"]
    order_columns = ["title", "programme", "kind", "due_date", "status", "done_on"]
    related_order = {"programme": "programme.number"}
    base_order = ("due_date", "asc")

    def render_template(self, template, **kwargs):
        """The card says to which of its organisations the citizen's consent does not let the data go."""
        if template == self.show_template and str(kwargs.get("pk") or "").isdigit():
            kwargs["transfer_gaps"] = transfer_gaps([int(kwargs["pk"])], today()).get(int(kwargs["pk"]), [])
        return super().render_template(template, **kwargs)

    def saved_url(self, item) -> str:
        """A saved measure opens its programme's case page, where the measures are worked."""
        return url_for("CaseView.page", pk=item.programme_id, _anchor="measures")


class ChecklistItemView(ConsoleModelView):
    """Read-only journal of ticks; ticking happens on the programme's case page, where the stage rules apply."""

    datamodel = eager(ChecklistItem, "programme", "done_by")
    menu = Menu("Checklist items", _l("Checklist items"), "fa-check-square", ACCOMPANIMENT)
    formatters_columns = {"item": lambda code: CHECKLIST_LABELS.get(code, code)}
    list_title = _l("Checklist items")
    list_columns = ["programme", "stage", "item", "done_on", "done_by"]
    add_columns = edit_columns = ["programme", "stage", "item", "done_on", "note"]
    show_columns = ["programme", "stage", "item", "done_on", "done_by", "note"]
    search_columns = ["stage", "done_on"]


class ControlEventView(ConsoleModelView):
    """Read-only journal; control events are recorded on the programme's case page."""

    datamodel = eager(ControlEvent, "programme", "recorded_by")
    menu = Menu("Control events", _l("Control events"), "fa-clipboard-check", ACCOMPANIMENT)
    list_title = _l("Control events")
    list_columns = ["programme", "kind", "held_on", "decision", "recorded_by"]
    add_columns = edit_columns = ["programme", "kind", "held_on", "findings", "decision"]
    show_columns = ["programme", "kind", "held_on", "findings", "decision", "recorded_by"]
    search_columns = ["kind", "held_on", "decision"]
    base_order = ("held_on", "desc")


class ProgrammeView(ConsoleModelView):
    """The programme form of annex 2: citizen, appeal, measures, term, results, recommendations, signatures."""

    datamodel = eager(Programme, "citizen", "centre", "specialist")
    menu = Menu("Programmes", _l("Programmes"), "fa-route", ACCOMPANIMENT)
    lookups = {"citizen": "citizen", "appeal": "appeal"}
    show_template = "programme/show.html"  # adds the link to the case page
    formatters_columns = {"extension_period": lambda period: format_period(period) if period else ""}
    list_title = _l("Programmes of accompaniment")
    show_title = _l("Programme of social accompaniment")
    list_columns = ["number", "citizen", "centre", "specialist", "start_date", "end_date", "status", "stage"]
    search_columns = ["number", "status", "stage", "start_date", "end_date", "centre"]
    order_columns = ["number", "citizen", "start_date", "end_date", "status", "stage"]
    related_order = {"citizen": "citizen.surname"}
    base_order = ("start_date", "desc")
    _form = [
        (_l("Citizen"), {"fields": ["number", "citizen", "centre", "specialist"]}),
        (_l("Appeal"), {"fields": ["appeal"]}),
        (_l("Individual programme of social services"), {"fields": ["ippsu_number", "ippsu_date"]}),
        (_l("Term of the programme"), {"fields": ["start_date", "end_date"]}),
        (_l("Goals"), {"fields": ["goals"]}),
        (_l("Results"), {"fields": ["results_analysis", "citizen_words", "note"]}),
        (_l("Recommendations"), {"fields": ["recommendations"]}),
        (
            _l("Signatures"),
            {"fields": ["director_signature", "specialist_signature", "citizen_signature", "signed_on"]},
        ),
    ]
    add_fieldsets = edit_fieldsets = _form
    show_fieldsets = [
        (_l("Citizen"), {"fields": ["number", "citizen", "centre", "specialist"]}),
        (_l("Appeal"), {"fields": ["appeal"]}),
        (_l("Individual programme of social services"), {"fields": ["ippsu_number", "ippsu_date"]}),
        (
            _l("Term of the programme"),
            {"fields": ["start_date", "end_date", "extension_period", "activated_on", "status", "stage"]},
        ),
        (_l("Goals"), {"fields": ["goals"]}),
        (_l("Results"), {"fields": ["results_analysis", "citizen_words", "note"]}),
        (_l("Recommendations"), {"fields": ["recommendations"]}),
        (_l("Closure"), {"fields": ["closed_on", "closure_reason"]}),
        (
            _l("Signatures"),
            {"fields": ["director_signature", "specialist_signature", "citizen_signature", "signed_on"]},
        ),
    ]
    # Ticks and control events live on the case page (with the stage rules and the timeline), not here twice.
    related_views = ["MeasureView", "DecisionView"]
    description_columns = {"number": _l("The next free number of the year is proposed; it may be changed.")}

    def prefill_add_form(self, form) -> None:
        prefill_register(form, Programme, "number", PROGRAMME_PREFIX)

    def saved_url(self, item) -> str:
        """A saved programme opens its case page, the specialist's workspace."""
        return url_for("CaseView.page", pk=item.id)
