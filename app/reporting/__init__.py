"""Reporting: the monthly report of annex 3 (figures from the data, draft, submission, reopening), the board of who
submitted, the consolidated export, and the home page's dashboard.

Other features use what this package exports here, never its modules.
"""

from __future__ import annotations

from app.reporting.monthly import fill as fill_report
from app.reporting.monthly import submit as submit_report

__all__ = ["fill_report", "init_app", "submit_report"]


def init_app(app, appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    from app.fab.registry import ACCOMPANIMENT, Link, register
    from app.models import MonthlyReport
    from app.reporting import cli, steps
    from app.reporting.views import MonthlyReportView

    steps.register()
    register(
        appbuilder,
        Link(
            "Report board",
            _l("Who submitted the report"),
            "fa-flag-checkered",
            ACCOMPANIMENT,
            "MonthlyReportView.board",
            MonthlyReport,
        ),
        MonthlyReportView,
    )
    app.cli.add_command(cli.report_cli)
