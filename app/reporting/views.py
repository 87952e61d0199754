"""Monthly reports (annex 3): drafts computed from the data, edited, submitted, reopened; the status board of the
territory and the department; workbook downloads and the consolidated export (a job when large)."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, g, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import rules
from app.domain.choices import ReportStatus
from app.domain.errors import RuleViolation
from app.domain.roles import may_reopen_reports
from app.extensions import db
from app.fab.actions import run_action
from app.fab.interface import eager
from app.fab.registry import ACCOMPANIMENT, Menu
from app.fab.views import ConsoleModelView
from app.models import MonthlyReport
from app.platform.clock import today
from app.platform.identity import current_account, role_names
from app.platform.labels import rule_message
from app.reminders import request_scan
from app.reporting import exports, monthly
from app.security.scope import current_scope, restrict
from reports.monthly import build_monthly_workbook

TIMELINESS_LABELS = {
    rules.Timeliness.ON_TIME: _l("on time"),
    rules.Timeliness.LATE: _l("late"),
    rules.Timeliness.MISSING: _l("not submitted"),
    rules.Timeliness.NOT_DUE: _l("not due yet"),
}


def _month_arg() -> date:
    raw = request.args.get("month") or request.form.get("month") or ""
    try:
        year, month = (int(part) for part in raw.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return rules.reporting_month(today())


def not_editable_reason(report: MonthlyReport | None) -> str | None:
    """Why a report cannot be recomputed or submitted now (its buttons are shown disabled with this), or ``None``."""
    if report is None or report.status in monthly.EDITABLE:
        return None
    return rule_message(RuleViolation("report_submitted", "status"))


def not_submittable_reason(report: MonthlyReport | None) -> str | None:
    if report is None or rules.report_month_end(report.month) < today():
        return None
    return rule_message(RuleViolation("report_month_not_over", "month"))


def xlsx_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype=exports.XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MonthlyReportView(ConsoleModelView):
    """A centre's report for a month. Adding one computes it from the data; the director edits the texts."""

    datamodel = eager(MonthlyReport, "centre")
    menu = Menu("Monthly reports", _l("Monthly reports"), "fa-table", ACCOMPANIMENT)
    list_title = _l("Monthly reports")
    show_title = _l("Monthly report")
    show_template = "reports/show.html"
    list_columns = ["month", "centre", "status", "need_count", "enrolled_count", "submitted_at"]
    add_columns = ["centre", "month", "preparer_name", "preparer_phone"]
    edit_columns = ["measures_info", "result_info", "note", "preparer_name", "preparer_phone"]
    show_columns = [
        "centre",
        "month",
        "status",
        "need_count",
        "enrolled_count",
        "measures_info",
        "result_info",
        "note",
        "preparer_name",
        "preparer_phone",
        "submitted_at",
        "submitted_by",
    ]
    search_columns = ["month", "status", "centre"]
    base_order = ("month", "desc")

    def render_template(self, template, **kwargs):
        if template == self.show_template:
            kwargs["may_reopen"] = may_reopen_reports(role_names(current_account()))
            report = db.session.get(MonthlyReport, int(kwargs["pk"])) if kwargs.get("pk") else None
            kwargs["not_editable"] = not_editable_reason(report)
            kwargs["not_submittable"] = kwargs["not_editable"] or not_submittable_reason(report)
        return super().render_template(template, **kwargs)

    def _report(self, pk: int) -> MonthlyReport:
        report = self.datamodel.get(pk)
        if report is None:
            abort(404)
        return report

    @expose("/refresh/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def refresh(self, pk: int):
        """Recompute the figures and texts of an unsubmitted report from today's data."""
        report = self._report(pk)
        run_action(lambda: monthly.fill(report, today()), _("The report is recomputed from the data."))
        return redirect(url_for(".show", pk=pk))

    @expose("/submit/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def submit(self, pk: int):
        report = self._report(pk)
        run_action(lambda: monthly.submit(report, g.user, today()), _("The report is submitted."), then=request_scan)
        return redirect(url_for(".show", pk=pk))

    @expose("/reopen/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("show")
    def reopen(self, pk: int):
        """The department's correction request; the role is checked by app.reporting.monthly.reopen."""
        report = self._report(pk)
        run_action(
            lambda: monthly.reopen(report, g.user, request.form.get("reason", "")),
            _("The report is reopened."),
            then=request_scan,
        )
        return redirect(url_for(".show", pk=pk))

    @expose("/download/<int:pk>")
    @has_access
    @permission_name("show")
    def download(self, pk: int):
        report = self._report(pk)
        content = build_monthly_workbook(monthly.report_data(report))
        exports.audit_export("monthly_report", report.month, report.centre_id)
        return xlsx_response(content, f"otchet-{report.centre_id}-{report.month:%Y-%m}.xlsx")

    @expose("/board")
    @has_access
    @permission_name("list")
    def board(self):
        """Which centres submitted on time, late or not at all for a month."""
        month = _month_arg()
        day = today()
        reports = {
            r.centre_id: r
            for r in db.session.scalars(
                restrict(select(MonthlyReport), MonthlyReport).where(MonthlyReport.month == month)
            )
        }
        rows = []
        for centre_id, name in exports.centre_names(current_scope()):
            report = reports.get(centre_id)
            submitted = report.submitted_at if report is not None and report.status == ReportStatus.SUBMITTED else None
            on = rules.local_today(submitted) if submitted else None
            rows.append((name, report, rules.report_timeliness(month, on, day)))
        months = [rules.add_months(rules.reporting_month(day), -k) for k in range(12)]
        return self.render_template(
            "reports/board.html",
            title=_("Monthly reports: who submitted"),
            month=month,
            months=months,
            rows=rows,
            labels=TIMELINESS_LABELS,
            due=rules.report_due(month),
        )

    @expose("/consolidated", methods=["POST"])
    @has_access
    @permission_name("list")
    def consolidated(self):
        """The consolidated workbook, a row per centre: at once, or as a job when large and Redis is there."""
        month = _month_arg()
        scope = current_scope()
        if current_app.config.get("REDIS_URL") and exports.programmes_in(month, scope) > exports.SYNC_LIMIT:
            token = exports.start_consolidated(month, g.user)
            return redirect(url_for(".export_status", token=token))
        content = exports.consolidated_workbook(month, scope)
        exports.audit_export("consolidated_report", month)
        return xlsx_response(content, exports.consolidated_name(month))

    @expose("/export/<token>")
    @has_access
    @permission_name("list")
    def export_status(self, token: str):
        status = self._own_export(token)
        return self.render_template("reports/export.html", title=_("Consolidated report"), token=token, status=status)

    @expose("/export/<token>/file")
    @has_access
    @permission_name("list")
    def export_file(self, token: str):
        status = self._own_export(token)
        path = exports.file_of(token)
        if status.get("status") != "done" or not path.exists():
            abort(404)
        return send_file(path, mimetype=exports.XLSX, as_attachment=True, download_name=status.get("name"))

    def _own_export(self, token: str) -> dict:
        try:
            status = exports.read_status(token)
        except ValueError:
            abort(404)
        if not status or status.get("user_id") != current_scope().user_id:
            abort(404)  # somebody else's export does not exist for this user
        return status
