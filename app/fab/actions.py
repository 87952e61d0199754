"""Actions of custom pages (a case's activation, a report's submission…): run, commit, say what happened."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab.conflicts import conflict_of
from app.platform import audit
from app.platform.labels import rule_message
from app.security.scope import restrict


def run_action(
    action: Callable[[], object],
    success: str,
    field_errors: dict | None = None,
    then: Callable[[], object] | None = None,
) -> bool:
    """Run an action and commit; ``then`` runs after a successful commit. A refusal rolls back and is flashed, or put
    on the form's field it concerns (``field_errors``: the refusal's field name → the form's field). The same action
    done by somebody else at the same moment (a double activation, a tick of the same item) is such a refusal too."""
    try:
        action()
        db.session.commit()
    except (RuleViolation, SQLAlchemyError) as refusal:
        db.session.rollback()
        if isinstance(refusal, RuleViolation):
            message, field_name = rule_message(refusal), refusal.field
        else:
            conflict = conflict_of(refusal)
            message, field_name = conflict.message, conflict.field
        field = field_errors.get(field_name) if field_errors else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "danger")
        return False
    if then is not None:
        then()
    flash(success, "success")
    return True


def get_or_404(model: type, pk: int, *options):
    """A record of the user's centres, or 404: another centre's record does not exist for the user. Reading it is
    a read of personal data where it is one (audited once per request)."""
    record = db.session.scalar(restrict(select(model).where(model.id == pk).options(*options), model))
    if record is None:
        abort(404)
    audit.note_read(record)
    return record
