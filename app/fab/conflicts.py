"""What the database refused, said without the database's words.

Two users may save at the same moment what each alone could: the same SNILS, the same journal number, a tick of the
same item, an activation of the same draft. The database settles it (a unique index, the version a record was read
with) and the loser gets ``409 Conflict`` with a sentence that says what happened; the database's own message, with
the statement and the values it quotes, never leaves the server. A value the database cannot store is a 400.

``conflict_of(error)`` turns any SQLAlchemy error into a ``Conflict`` (a ``DatabaseException``, so FAB's own handlers
take it where they expect one); the data interface (``app.fab.interface``), the actions of custom pages
(``app.fab.actions``), the REST API (``app.fab.api``) and the last-resort error handler (``install``) all use it.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, jsonify, request
from flask_appbuilder.exceptions import DatabaseException
from flask_babel import lazy_gettext as _l
from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import default_exceptions

from app.extensions import db
from app.platform.labels import COLUMN_LABELS, RULE_MESSAGES

log = logging.getLogger(__name__)

RULE_MESSAGES.update(
    {
        "conflict": _l(
            "Somebody else changed this record at the same moment, so your change was not saved. Reload the page "
            "and try again."
        ),
        "duplicate": _l("«%(label)s»: this value is already used by another record."),
        "value_refused": _l("A value could not be stored: check its length and format."),
        "in_use": _l("Other records refer to this one: it cannot be deleted or point elsewhere while they do."),
    }
)


class Conflict(DatabaseException):
    """A refusal of the database, told as a rule: ``rule``, ``field``, ``status`` and a message to show."""

    def __init__(self, rule: str, field: str | None = None, status: int = 409, **params) -> None:
        self.rule, self.field, self.status, self.params = rule, field, status, params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return str(RULE_MESSAGES[self.rule]) % self.params

    def __str__(self) -> str:
        return self.message


def _unique_columns(error: IntegrityError) -> list[str] | None:
    """The columns of the unique index the statement broke, from the driver's report: PostgreSQL names the
    constraint (an unnamed one is ``<table>_<column>_key``), SQLite names the columns."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    if constraint:
        for table in db.metadata.tables.values():
            for item in (*table.indexes, *table.constraints):
                if item.name == constraint and (isinstance(item, UniqueConstraint) or getattr(item, "unique", False)):
                    return [column.name for column in item.columns]
            for column in table.columns:
                if column.unique and constraint == f"{table.name}_{column.name}_key":
                    return [column.name]
        return None
    found = re.search(r"UNIQUE constraint failed: ([\w., ]+)", str(error.orig))
    return [part.strip().split(".")[-1] for part in found.group(1).split(",")] if found else None


def _is_foreign_key(error: IntegrityError) -> bool:
    """A reference the database refused (PostgreSQL's SQLSTATE 23503, SQLite's own words)."""
    state = getattr(getattr(error.orig, "diag", None), "sqlstate", None) or getattr(error.orig, "sqlstate", None)
    return state == "23503" or "FOREIGN KEY constraint failed" in str(error.orig)


def conflict_of(error: Exception) -> Conflict:
    """The refusal a database error means for the user (see the module's docstring)."""
    if isinstance(error, Conflict):
        return error
    if error is None or isinstance(error, StaleDataError):
        return Conflict("conflict")
    if isinstance(error, IntegrityError):
        columns = _unique_columns(error)
        if columns:
            # the column the user typed: a journal number is unique within its centre, a tick within its programme
            name = [c for c in columns if not c.endswith("_id")][-1:] or columns[-1:]
            name = name[0]
            return Conflict("duplicate", name, label=str(COLUMN_LABELS.get(name, name)))
        if _is_foreign_key(error):
            return Conflict("in_use")
        return Conflict("conflict")
    if isinstance(error, OperationalError):  # a lock held by another writer: trying again helps
        return Conflict("conflict")
    # a value of the wrong type or range for its column (PostgreSQL names it a data or programming error)
    return Conflict("value_refused", status=400)


def install(app: Flask) -> None:
    """The last resort: a database refusal no view handled is a 409 (or 400), never a 500 with the database's
    text; under ``/api/`` in the API's one error shape."""

    @app.errorhandler(SQLAlchemyError)
    def database_refused(error):
        db.session.rollback()
        conflict = conflict_of(error)
        log.info("database refused %s %s: %s", request.method, request.path, type(error).__name__)
        if request.path.startswith("/api/"):
            return jsonify(message=conflict.message, rule=conflict.rule, field=conflict.field), conflict.status
        return default_exceptions[conflict.status](conflict.message)
