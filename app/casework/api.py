"""The programmes and measures over the REST API, with the programme's workflow: the same actions as the case page,
through ``app.casework.workflow``.

``/api/v1/programme/<id>/activate|complete|terminate|checklist|control-events|timeline``. Writes need the
``can_put`` permission of the programme resource, reads ``can_get``; the programme is looked up in the user's
scope (404 outside it). A broken rule answers 400 with ``message`` (in the user's language), ``rule`` (its code) and
``field``. An extension is recorded as a committee decision: ``POST /api/v1/decision/`` with
``decision: "extend"`` and ``extend_to``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_appbuilder.api import expose, protect
from flask_appbuilder.security.decorators import permission_name
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy.exc import SQLAlchemyError

from app.casework import timeline, workflow
from app.domain import rules
from app.domain.choices import CHECKLIST, ControlDecision, ControlKind, OutcomeCriterion
from app.domain.errors import RuleViolation
from app.domain.partners import PARTNER_FIELDS
from app.extensions import db
from app.fab.api import ConsoleRestApi, refusal, violation_response
from app.fab.conflicts import conflict_of
from app.fab.interface import eager
from app.models import ChecklistItem, Measure, Programme
from app.platform import audit
from app.platform.clock import today
from app.platform.labels import RULE_MESSAGES
from app.reminders import request_scan
from app.security.scope import current_scope


class CompleteSchema(Schema):
    results_analysis = fields.String(load_default=None)
    citizen_words = fields.String(load_default=None)
    recommendations = fields.String(load_default=None)
    outcomes = fields.List(fields.String(validate=validate.OneOf([c.value for c in OutcomeCriterion])), required=True)


class TerminateSchema(Schema):
    closure_reason = fields.String(required=True)
    note = fields.String(load_default=None)


class TickSchema(Schema):
    item = fields.String(required=True)
    done_on = fields.Date(load_default=None)
    note = fields.String(load_default=None)


class ControlEventSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ControlKind]))
    held_on = fields.Date(required=True)
    findings = fields.String(load_default=None)
    decision = fields.String(required=True, validate=validate.OneOf([d.value for d in ControlDecision]))


def programme_state(programme: Programme) -> dict:
    term = programme.term
    extension = None
    if term.extension is not None:
        ext_start, ext_end, ext_months = term.extension
        extension = {"start": ext_start.isoformat(), "end": ext_end.isoformat(), "months": ext_months}
    return {
        "id": programme.id,
        "version": programme.version,
        "status": programme.status,
        "stage": programme.stage,
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "original_end_date": term.end.isoformat(),  # the end before any extension, as the form's §4 prints it
        "extension": extension,
        "activated_on": _iso(programme.activated_on),
        "closed_on": _iso(programme.closed_on),
        "closure_reason": programme.closure_reason,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


class ProgrammeActionsMixin:
    """Workflow endpoints of ``ProgrammeApi``."""

    def _act(self, pk: int, schema: Schema | None, action: Callable[[Programme, dict], object], status: int = 200):
        programme = self.datamodel.get(pk)
        if programme is None:
            return self.response_404()
        try:
            data = schema.load(request.get_json(silent=True) or {}) if schema is not None else {}
        except ValidationError as error:
            return self.response_400(message=error.messages)
        try:
            action(programme, data)
            db.session.commit()
        except RuleViolation as violation:
            db.session.rollback()
            return violation_response(self, violation)
        except SQLAlchemyError as error:  # the same action by somebody else at the same moment
            db.session.rollback()
            return self._conflict(conflict_of(error))
        request_scan()
        return self.response(status, result=programme_state(programme))

    @expose("/<int:pk>/activate", methods=["POST"])
    @protect()
    @permission_name("put")
    def activate(self, pk: int):
        """Draft → active, when the appeal, the application, the need assessment and the consent are in place."""
        return self._act(pk, None, lambda p, _: workflow.activate(p, today()))

    @expose("/<int:pk>/complete", methods=["POST"])
    @protect()
    @permission_name("put")
    def complete(self, pk: int):
        """Close as resolved: all three stages done, results analysed, criteria of the result named."""
        return self._act(pk, CompleteSchema(), lambda p, d: workflow.complete(p, today=today(), **d))

    @expose("/<int:pk>/terminate", methods=["POST"])
    @protect()
    @permission_name("put")
    def terminate(self, pk: int):
        """Close early for a reason (the citizen's withdrawal is ``refused``)."""
        return self._act(
            pk,
            TerminateSchema(),
            lambda p, d: workflow.terminate(p, reason=d["closure_reason"], note=d["note"], today=today()),
        )

    @expose("/<int:pk>/checklist", methods=["POST"])
    @protect()
    @permission_name("put")
    def tick(self, pk: int):
        """Tick a checklist item (``done_on`` defaults to today)."""
        return self._act(
            pk,
            TickSchema(),
            lambda p, d: workflow.tick(p, d["item"], done_on=d["done_on"] or today(), note=d["note"], today=today()),
        )

    @expose("/<int:pk>/checklist/<item>", methods=["DELETE"])
    @protect()
    @permission_name("put")
    def untick(self, pk: int, item: str):
        return self._act(pk, None, lambda p, _: workflow.untick(p, item))

    @expose("/<int:pk>/control-events", methods=["POST"])
    @protect()
    @permission_name("put")
    def control_event(self, pk: int):
        """Record an interim assessment or a monitoring inspection with its findings and decision."""
        return self._act(
            pk,
            ControlEventSchema(),
            lambda p, d: workflow.record_control_event(p, today=today(), **d),
            status=201,
        )

    @expose("/<int:pk>/checklist", methods=["GET"])
    @protect()
    @permission_name("get")
    def checklist(self, pk: int):
        """Stages with their items, the control items with due dates, and what is due next."""
        programme = self.datamodel.get(pk)
        if programme is None:
            return self.response_404()
        facts = workflow.facts_for(programme, today())
        ticks = {t.item: t for t in db.session.query(ChecklistItem).filter_by(programme_id=programme.id)}
        stages = [
            {
                "stage": stage,
                "complete": rules.stage_complete(stage, facts.done_items),
                "items": [
                    {
                        "item": item,
                        "done_on": _iso(ticks[item].done_on) if item in ticks else None,
                        "done_by": ticks[item].done_by_id if item in ticks else None,
                        "note": ticks[item].note if item in ticks else None,
                    }
                    for item in items
                ],
            }
            for stage, items in CHECKLIST.items()
        ]
        due = [{"kind": str(i.kind), "due_date": i.due_date.isoformat()} for i in rules.pending_items(facts)]
        return self.response(
            200,
            result={
                **programme_state(programme),
                "current_stage": rules.current_stage(facts.done_items),
                "stages": stages,
                "due": due,
                "interim_due": rules.interim_due(facts.start_date).isoformat(),
                "monitoring_due": rules.monitoring_due(facts.end_date, facts.start_date).isoformat(),
            },
        )

    @expose("/<int:pk>/timeline", methods=["GET"])
    @protect()
    @permission_name("get")
    def timeline(self, pk: int):
        """The case in date order: appeal, documents, consent, activation, ticks, measures, events, closure."""
        programme = self.datamodel.get(pk)
        if programme is None:
            return self.response_404()
        events = [
            {"date": e.on.isoformat(), "kind": e.kind, "subject": e.subject, "actor": e.actor}
            for e in timeline.timeline(programme)
        ]
        return self.response(200, result=events)


class ProgrammeApi(ProgrammeActionsMixin, ConsoleRestApi):
    """Programmes; their status moves only by the workflow endpoints of above."""

    resource_name = "programme"
    datamodel = eager(Programme, "citizen")
    list_columns = ["id", "number", "citizen.id", "centre.id", "start_date", "end_date", "status", "stage"]
    show_columns = [
        "id",
        "version",
        "number",
        "citizen.id",
        "centre.id",
        "specialist.id",
        "appeal.id",
        "start_date",
        "end_date",
        "status",
        "stage",
        "goals",
        "results_analysis",
        "citizen_words",
        "note",
        "recommendations",
        "closed_on",
        "closure_reason",
        "ippsu_number",
        "ippsu_date",
    ]
    add_columns = [
        "number",
        "citizen",
        "centre",
        "specialist",
        "appeal",
        "start_date",
        "end_date",
        "goals",
        "results_analysis",
        "citizen_words",
        "note",
        "recommendations",
        "ippsu_number",
        "ippsu_date",
    ]
    edit_columns = [*add_columns, "version"]  # checked in put_headless, equal to the stored one by then
    order_columns = ["start_date", "end_date", "number", "id"]
    base_order = ("start_date", "desc")  # as the list of programmes


# What a partner organisation's user reads of a measure: the measure itself and who carries it out, never the
# programme (its number leads to the case) nor what the centre notes about the participants
PARTNER_SHOWN = frozenset(
    {"id", "version", "title", "kind", "due_date", "status", "done_on", "result_note", "organisations"}
)


class MeasureApi(ConsoleRestApi):
    """Measures. A partner organisation's user lists and reads the measures of its organisation (the row scope of
    ``app.security.scope``), without the programme, every row a read in the audit log, and reports on them with a
    ``PUT`` of ``status``, ``done_on`` and ``result_note`` only (anything else: 403)."""

    resource_name = "measure"
    partners = "also"
    datamodel = eager(Measure, "programme", "organisations")
    list_columns = ["id", "programme.id", "programme.number", "title", "kind", "due_date", "status", "done_on"]
    show_columns = [
        "id",
        "version",
        "programme.id",
        "title",
        "kind",
        "participants_text",
        "organisations.id",
        "organisations.name",
        "due_date",
        "status",
        "done_on",
        "result_note",
        "decision.id",
    ]
    add_columns = [
        "programme",
        "title",
        "kind",
        "participants_text",
        "organisations",
        "due_date",
        "status",
        "done_on",
        "result_note",
        "decision",
    ]
    edit_columns = [*add_columns, "version"]  # checked in put_headless, equal to the stored one by then
    order_columns = ["due_date", "status", "id"]
    base_order = ("due_date", "asc")  # as the list of measures: each centre's measures by date, from an index

    # --- a partner's view of the resource ------------------------------------------------------------------------

    def pre_get(self, data: dict) -> None:
        if current_scope().partner:
            data["result"] = {k: v for k, v in data["result"].items() if k in PARTNER_SHOWN}

    def pre_get_list(self, data: dict) -> None:
        super().pre_get_list(data)
        scope = current_scope()
        if scope.partner:
            data["result"] = [{k: v for k, v in row.items() if k in PARTNER_SHOWN} for row in data["result"]]
            data["list_columns"] = [c for c in data.get("list_columns", []) if c in PARTNER_SHOWN]
            for pk in data.get("ids") or []:
                audit.note_read_of(Measure, pk, None)

    def put_headless(self, pk):
        """A partner sends its report only: ``status``, ``done_on``, ``result_note`` (and the ``version`` read)."""
        if current_scope().partner:
            body = request.get_json(silent=True) if request.is_json else None
            if isinstance(body, dict):
                extra = sorted(set(body) - {*PARTNER_FIELDS, "version"})
                if extra:
                    return refusal(self, 403, RULE_MESSAGES["partner_field"], "partner_field", extra[0])
            response = super().put_headless(pk)
            answer = response.get_json(silent=True) if response.status_code == 200 else None
            if isinstance(answer, dict) and isinstance(answer.get("result"), dict):
                answer["result"] = {k: v for k, v in answer["result"].items() if k in PARTNER_SHOWN}
                return self.response(200, **answer)
            return response
        return super().put_headless(pk)
