"""The REST resources. Input passes the same rules as the forms; a broken rule is a 400 with the reason."""

from __future__ import annotations

from flask import request
from flask_appbuilder.api import ModelRestApi
from marshmallow import ValidationError
from marshmallow.validate import OneOf
from sqlalchemy import String
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import BadRequest

from app.api.actions import ProgrammeActionsMixin
from app.domain.errors import RuleViolation
from app.extensions import db
from app.guards import check_version, vet_delete, vet_save
from app.labels import rule_message
from app.models import Appeal, Centre, Citizen, Committee, CommitteeDecision, Measure, Programme
from app.validation import clean_item
from app.views.base import eager


class ConsoleRestApi(ModelRestApi):
    """Base of every resource: validates with ``app.validation`` before a write."""

    allow_browser_login = True
    page_size = 25
    max_page_size = 100

    def __init__(self) -> None:
        # A code column accepts only the codes of its list (``info={"choices": ...}``).
        self.validators_columns = dict(self.validators_columns or {})
        for column in sa_inspect(self.datamodel.obj).columns:
            enum_cls = column.info.get("choices")
            if enum_cls is not None:
                self.validators_columns.setdefault(column.key, OneOf([m.value for m in enum_cls]))
            elif not column.nullable and isinstance(column.type, String):
                # A required text is required in substance, as the HTML form's InputRequired has it.
                self.validators_columns.setdefault(column.key, _not_blank)
        super().__init__()

    def put_headless(self, pk):
        """Refuse a PUT based on an outdated ``version`` before FAB loads it into the record."""
        sent = (request.get_json(silent=True) or {}).get("version") if request.is_json else None
        try:
            check_version(self.datamodel.obj, pk, sent)
        except RuleViolation as violation:
            return self.response_400(message=f"version: {rule_message(violation)}")
        return super().put_headless(pk)

    def pre_add(self, item) -> None:
        self._vet(item, check_related_exist, clean_item, vet_save)

    def pre_update(self, item) -> None:
        self._vet(item, check_related_exist, clean_item, vet_save)

    def pre_delete(self, item) -> None:
        self._vet(item, vet_delete)

    @staticmethod
    def _vet(item, *checks) -> None:
        try:
            for check in checks:
                check(item)
        except RuleViolation as violation:
            field = violation.field or "_schema"
            raise BadRequest(description=f"{field}: {rule_message(violation)}") from None


def _not_blank(value) -> None:
    if isinstance(value, str) and not value.strip():
        raise ValidationError("Field may not be blank.")


def check_related_exist(item) -> None:
    """Refuse a foreign id that matches no row.

    marshmallow-sqlalchemy's ``Related`` field turns an unknown id into a *new* related object, which the
    commit then tries to insert (an IntegrityError, answered 500, or a stray row). Such an object has no
    identity; it is reported as out of reach, like an id of another centre. ``no_autoflush``: loading the
    other relations must not flush the stray object first.
    """
    with db.session.no_autoflush:
        for rel in sa_inspect(type(item)).relationships:
            if rel.key not in sa_inspect(item).dict:
                continue  # not sent: nothing to check, and no lazy load
            value = getattr(item, rel.key)
            targets = value if rel.uselist else [value]
            if any(target is not None and not sa_inspect(target).has_identity for target in targets):
                raise RuleViolation("wrong_centre", rel.key)


class CentreApi(ConsoleRestApi):
    resource_name = "centre"
    datamodel = eager(Centre, "territory")
    list_columns = ["id", "name", "short_name", "territory.id", "territory.name", "phone", "email"]
    show_columns = [
        "id",
        "name",
        "short_name",
        "territory.id",
        "territory.name",
        "address",
        "phone",
        "email",
        "director_name",
    ]
    add_columns = edit_columns = ["name", "short_name", "territory", "address", "phone", "email", "director_name"]


CITIZEN_FIELDS = [
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "address",
    "phone",
    "snils",
    "category",
    "disability_group",
    "work_limitation",
    "family_status",
    "family_status_other",
    "representative_name",
    "representative_relation",
    "representative_phone",
    "centre",
]


class CitizenApi(ConsoleRestApi):
    resource_name = "citizen"
    datamodel = eager(Citizen, "centre")
    list_columns = ["id", "surname", "first_name", "patronymic", "birth_date", "centre.id", "centre.short_name"]
    show_columns = [
        "id",
        *[f for f in CITIZEN_FIELDS if f not in ("category", "centre")],
        "category.id",
        "category.name",
        "centre.id",
        "centre.short_name",
    ]
    add_columns = edit_columns = CITIZEN_FIELDS
    search_columns = ["surname", "first_name", "snils", "birth_date", "centre"]
    order_columns = ["surname", "birth_date", "id"]


class AppealApi(ConsoleRestApi):
    resource_name = "appeal"
    datamodel = eager(Appeal, "citizen")
    list_columns = ["id", "journal_number", "appeal_date", "citizen.id", "channel", "decision", "centre.id"]
    show_columns = [
        "id",
        "journal_number",
        "appeal_date",
        "citizen.id",
        "centre.id",
        "channel",
        "reason",
        "problems",
        "decision",
    ]
    add_columns = edit_columns = [
        "centre",
        "journal_number",
        "appeal_date",
        "citizen",
        "channel",
        "reason",
        "problems",
        "decision",
    ]
    order_columns = ["appeal_date", "journal_number", "id"]


class ProgrammeApi(ProgrammeActionsMixin, ConsoleRestApi):
    """Programmes; their status moves only by the workflow endpoints of ``app.api.actions``."""

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
    ]
    edit_columns = [*add_columns, "version"]  # checked in put_headless, equal to the stored one by then
    order_columns = ["start_date", "end_date", "number", "id"]


class MeasureApi(ConsoleRestApi):
    resource_name = "measure"
    datamodel = eager(Measure, "programme")
    list_columns = ["id", "programme.id", "programme.number", "title", "kind", "due_date", "status", "done_on"]
    show_columns = [
        "id",
        "version",
        "programme.id",
        "title",
        "kind",
        "participants_text",
        "due_date",
        "status",
        "done_on",
        "result_note",
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
    ]
    edit_columns = [*add_columns, "version"]  # checked in put_headless, equal to the stored one by then
    order_columns = ["due_date", "status", "id"]


class CommitteeApi(ConsoleRestApi):
    resource_name = "committee"
    datamodel = eager(Committee, "centre", "territory")
    list_columns = ["id", "kind", "name", "centre.id", "territory.id", "order_number", "order_date"]
    show_columns = list_columns
    add_columns = edit_columns = ["kind", "name", "centre", "territory", "order_number", "order_date"]


class DecisionApi(ConsoleRestApi):
    resource_name = "decision"
    datamodel = eager(CommitteeDecision, "committee", "programme")
    list_columns = ["id", "committee.id", "programme.id", "meeting_date", "protocol_number", "decision", "extend_to"]
    show_columns = [*list_columns, "reason"]
    add_columns = edit_columns = [
        "committee",
        "programme",
        "meeting_date",
        "protocol_number",
        "decision",
        "extend_to",
        "reason",
    ]
    order_columns = ["meeting_date", "id"]


APIS = [CentreApi, CitizenApi, AppealApi, ProgrammeApi, MeasureApi, CommitteeApi, DecisionApi]
