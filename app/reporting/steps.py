"""The reporting's steps in the save pipeline (``app.fab.pipeline``): a new report is computed from the data
(DOMAIN.md §5), a submitted one is frozen until the department reopens it; the dashboard's tally of a centre is
recounted at the commit that changed the centre's caseload (``app.reporting.tally``)."""

from __future__ import annotations

from sqlalchemy import inspect

from app.domain import rules
from app.fab import pipeline
from app.models import MonthlyReport
from app.platform.clock import today
from app.reporting import monthly, tally


def compute_new_report(report: MonthlyReport) -> None:
    """A new report is for a month that is over, computed from the data; a saved one is edited while not frozen."""
    if inspect(report).persistent:
        monthly.check_editable(report)
    else:
        if report.month is not None:
            rules.check_report_month_ended(rules.month_start(report.month), today())
        monthly.fill(report, today())


def register() -> None:
    pipeline.on_save(MonthlyReport)(compute_new_report)
    pipeline.on_delete(MonthlyReport)(monthly.check_editable)
    pipeline.after_flush(tally.note_changed_centres)
    pipeline.at_commit(tally.recount_changed_centres)
    pipeline.after_rollback(tally.forget_changed_centres)
