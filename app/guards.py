"""Rules that protect case history and concurrent work, shared by the console and the API.

* A citizen with programmes or appeals is never deleted (case history stays).
* A programme that was ever activated is never deleted: it is terminated instead.
* A save based on an outdated copy (another user saved first) is refused.
* A save stays inside the accompaniment workflow (``app.workflow.before_save``).
"""

from __future__ import annotations

from sqlalchemy import exists, inspect, select

from app.domain.choices import ProgrammeStatus
from app.domain.errors import RuleViolation
from app.duplicates import check_snils_free
from app.extensions import db
from app.models import Appeal, Citizen, MonthlyReport, Programme
from app.security.scope import check_responsibility, check_write_scope
from app.timeutil import today
from app.workflow import before_delete, before_save


def check_delete(item) -> None:
    if isinstance(item, Citizen):
        has_case = db.session.scalar(select(exists().where(Programme.citizen_id == item.id))) or db.session.scalar(
            select(exists().where(Appeal.citizen_id == item.id))
        )
        if has_case:
            raise RuleViolation("citizen_has_history")
    if isinstance(item, Programme) and item.status != ProgrammeStatus.DRAFT:
        raise RuleViolation("programme_has_history")


def check_version(model: type, pk, sent) -> None:
    """Optimistic locking: the ``version`` a form or API client read must still be the stored one.

    Checked before the sent values touch the ORM object: populating a form may autoflush.
    ``sent=None`` (an API client that did not send it) means "last write wins".
    """
    if sent is None or sent == "" or "version" not in inspect(model).columns:
        return
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return  # no such record: the view answers 404
    stored = db.session.scalar(select(model.version).where(model.id == pk))
    try:
        outdated = stored is not None and int(sent) != stored
    except (TypeError, ValueError):
        outdated = True
    if outdated:
        raise RuleViolation("stale_version", "version")


def vet_save(item) -> None:
    """Everything a save must pass besides field rules and freshness: scope, responsibility, workflow.

    Without autoflush: the checks compare the sent values with the stored ones, which a flush would overwrite.
    """
    with db.session.no_autoflush:
        check_write_scope(item)
        check_responsibility(item)
        if isinstance(item, Citizen):
            check_snils_free(item.snils, item.id)
        if isinstance(item, MonthlyReport):
            _before_report_save(item)
        before_save(item, today())


def _before_report_save(report: MonthlyReport) -> None:
    """A new report is computed from the data; a submitted one is frozen (app.monthly)."""
    from app import monthly

    if inspect(report).persistent:
        monthly.check_editable(report)
    else:
        monthly.fill(report, today())


def vet_delete(item) -> None:
    check_responsibility(item)
    check_delete(item)
    if isinstance(item, MonthlyReport):
        from app import monthly

        monthly.check_editable(item)
    before_delete(item)
