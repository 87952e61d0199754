"""The base of every REST resource: the same save pipeline as the forms, and one shape for every refusal.

A refusal of any kind — a broken rule, a field that does not parse, an id outside the user's centres, a version
read before somebody else's save, a record that does not exist, a conflict with a record saved at the same time —
answers ``{"message": …, "rule": …, "field": …}``: the message in the request's language, the rule's code, and the
field it concerns (``null`` when it concerns the request as a whole).
"""

from __future__ import annotations

import sys

from flask import request
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.exceptions import DatabaseException
from flask_babel import gettext as _
from marshmallow import ValidationError
from marshmallow.validate import OneOf
from sqlalchemy import String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError

from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab import pipeline
from app.fab.conflicts import Conflict, conflict_of
from app.fab.guards import valid_id
from app.platform import audit
from app.platform.labels import RULE_MESSAGES, rule_message


def refusal(api, status: int, message: str, rule: str, field: str | None = None):
    """The one error shape of the API."""
    return api.response(status, message=str(message), rule=rule, field=field)


def violation_response(api, violation: RuleViolation, status: int = 400):
    return refusal(api, status, rule_message(violation), violation.code, violation.field)


class ConsoleRestApi(ModelRestApi):
    """Base of every resource: the save pipeline (``app.fab.pipeline``) before a write, one error shape."""

    allow_browser_login = True
    page_size = 25
    # pages of a list follow one another only in a fixed order: by id unless a resource names its own
    base_order = ("id", "asc")
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

    def pre_get_list(self, data: dict) -> None:
        """A list counts up to a cap (``app.fab.interface.count_cap``): ``count`` is exact when ``count_exact`` is
        true; otherwise there are more than ``count - 1`` records, and the pages go on."""
        data["count_exact"] = not getattr(data["count"], "capped", False)
        data["count"] = int(data["count"])

    # --- reads ---------------------------------------------------------------------------------------------------

    def get_list_headless(self, **kwargs):
        """A search by a column that identifies a person (SNILS) is audited with its term and what it found."""
        response = super().get_list_headless(**kwargs)
        identifiers = audit.identifiers_of(self.datamodel.obj)
        filters = (kwargs.get("rison") or {}).get("filters") if isinstance(kwargs.get("rison"), dict) else None
        if identifiers and response.status_code == 200 and isinstance(filters, list):
            found = (response.get_json(silent=True) or {}).get("ids") or []
            for flt in filters:
                if isinstance(flt, dict) and flt.get("col") in identifiers:
                    audit.note_search(self.datamodel.obj, flt["col"], str(flt.get("value")), found)
        return response

    # --- writes through the pipeline ---------------------------------------------------------------------------

    def post_headless(self):
        wrong = self._wrongly_typed_relation(self.add_columns)
        return wrong if wrong is not None else self._refusing(super().post_headless)

    def put_headless(self, pk):
        """Refuse a PUT based on an outdated ``version`` before FAB loads it into the record."""
        wrong = self._wrongly_typed_relation(self.edit_columns)
        if wrong is not None:
            return wrong
        sent = (request.get_json(silent=True) or {}).get("version") if request.is_json else None
        try:
            pipeline.check_version(self.datamodel.obj, pk, sent if not isinstance(sent, dict | list) else "")
        except RuleViolation as violation:
            return violation_response(self, violation, 409)
        return self._refusing(super().put_headless, pk)

    def delete_headless(self, pk):
        return self._refusing(super().delete_headless, pk)

    def _refusing(self, call, *args):
        try:
            return call(*args)
        except RuleViolation as violation:
            db.session.rollback()
            return violation_response(self, violation)

    def _wrongly_typed_relation(self, columns):
        """A relation takes an id (a whole number) or, for several, a list of ids: anything else is refused before
        FAB's schema would try to build a record out of it (``app.fab.guards`` has refused what no database
        stores)."""
        body = request.get_json(silent=True) if request.is_json else None
        if not isinstance(body, dict):
            return None
        relationships = sa_inspect(self.datamodel.obj).relationships
        for name in columns:
            if name not in body or name not in relationships:
                continue
            value = body[name]
            if relationships[name].uselist:
                ok = isinstance(value, list) and all(_is_id(v) for v in value)
            else:
                ok = value is None or _is_id(value)
            if not ok:
                return refusal(self, 400, RULE_MESSAGES["wrong_type"], "wrong_type", name)
        return None

    def pre_add(self, item) -> None:
        pipeline.save(item)

    def pre_update(self, item) -> None:
        pipeline.save(item)

    def pre_delete(self, item) -> None:
        pipeline.delete(item)

    # --- FAB's own answers in the one shape ------------------------------------------------------------------------

    def response_400(self, message=None):
        return self._shaped(400, message, "invalid")

    def response_422(self, message=None):
        if isinstance(message, str) and message.startswith("Database exception"):
            # FAB hands over the database's text (and the values it quotes): it never leaves the server
            db.session.rollback()
            return self._conflict(conflict_of(sys.exc_info()[1] or Conflict("conflict")))
        return self._shaped(422, message, "invalid")

    def response_500(self, message=None):
        """FAB's last resort for an exception in a view: a database refusal is a conflict or a refused value; anything
        else is logged and answered without its text."""
        error = sys.exc_info()[1]
        db.session.rollback()
        if isinstance(error, SQLAlchemyError | DatabaseException | OverflowError | UnicodeEncodeError):
            return self._conflict(conflict_of(error))
        return refusal(self, 500, _("The server could not answer the request. The error is logged."), "server_error")

    def _conflict(self, conflict: Conflict):
        return refusal(self, conflict.status, conflict.message, conflict.rule, conflict.field)

    def response_401(self):
        return refusal(self, 401, _("Sign in first."), "not_signed_in")

    def response_403(self):
        return refusal(self, 403, _("You have no access to this."), "forbidden")

    def response_404(self):
        return refusal(self, 404, _("No such record."), "not_found")

    def _shaped(self, status: int, message, rule: str):
        """FAB says what is wrong as a string, or as ``{field: [messages]}`` from marshmallow."""
        if isinstance(message, dict) and message:
            field, errors = next(iter(message.items()))
            while isinstance(errors, dict) and errors:  # nested: {"outcomes": {0: ["…"]}}
                errors = next(iter(errors.values()))
            text = errors[0] if isinstance(errors, list) and errors else errors
            return refusal(self, status, str(text), rule, None if field == "_schema" else str(field))
        return refusal(self, status, str(message or _("The request is not correct.")), rule)


def _is_id(value) -> bool:
    return isinstance(value, int) and valid_id(value)


def _not_blank(value) -> None:
    if isinstance(value, str) and not value.strip():
        raise ValidationError("Field may not be blank.")
