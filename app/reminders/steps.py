"""The reminders' step in the save pipeline (``app.fab.pipeline``): a deleted user, programme, measure, monthly
report or centre takes its reminders along, in the same transaction.

Reminders point at their recipient and subject without foreign keys (``app.models.reminders``), so the database
does not do it; a programme's measures, which the database deletes with it, are reached through the programme. A
reminder whose subject went some other way is closed by the next scan, which no longer finds it due.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import delete

from app.fab import pipeline
from app.models import Centre, Measure, MonthlyReport, Programme, Reminder

_SUBJECTS = {
    User: Reminder.recipient_id,
    Programme: Reminder.programme_id,
    Measure: Reminder.measure_id,
    MonthlyReport: Reminder.report_id,
    Centre: Reminder.centre_id,
}


def delete_reminders_of_deleted_subjects(session) -> None:
    """After a flush: the reminders of every user, programme, measure, report and centre it deleted."""
    gone: dict = {}
    for obj in session.deleted:
        column = _SUBJECTS.get(type(obj))
        if column is not None and obj.id is not None:
            gone.setdefault(column, set()).add(obj.id)
    for column, ids in gone.items():
        session.connection().execute(delete(Reminder).where(column.in_(sorted(ids))))


def register() -> None:
    pipeline.after_flush(delete_reminders_of_deleted_subjects)
