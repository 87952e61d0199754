"""The home page: a dashboard per role, drawn from one aggregate query per figure."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_appbuilder import IndexView, expose
from sqlalchemy import select

from app import casework
from app.domain import rules
from app.domain.choices import ReportStatus
from app.extensions import db
from app.models import MonthlyReport
from app.platform.clock import today
from app.platform.identity import current_account
from app.platform.labels import role_labels
from app.reporting import dashboard
from app.security import grants
from app.security.scope import current_scope, restrict

SHOWN = 8


class HomeView(IndexView):
    index_template = "home.html"

    @expose("/")
    def index(self):
        scope = current_scope()
        context = {"appbuilder": self.appbuilder, "board": None}
        # a new or moved user whose access to case data waits for a second person's confirmation is told so
        context["pending_access"] = [role_labels(g.roles) for g in grants.pending_for(current_account())]
        # a partner organisation's user works on one page: the organisation's measures
        partner = scope.partner and self.appbuilder.sm.has_access("can_list", "PartnerMeasureView")
        context["partner_page"] = url_for("PartnerMeasuresView.list") if partner else None
        # the figures are the programmes': only for those who may read programmes (a registrar keeps the journal of
        # appeals and sees no programme anywhere)
        may_read = scope.case_data and self.appbuilder.sm.has_access("can_list", "ProgrammeView")
        if may_read and (scope.unrestricted or scope.centre_ids):
            day = today()
            context.update(dashboard_context(scope, day))
        return self.render_template(self.index_template, **context)


def dashboard_context(scope, day) -> dict:
    """The figures every case-data role sees, plus the specialist's own items or the report board."""
    counts = dashboard.caseload(scope)
    attention = dashboard.attention(scope, day)
    context = {
        "day": day,
        "citizens": attention["citizens"],
        "by_status": counts.by_status,
        "by_category": counts.by_category,
        "by_stage": counts.by_stage,
        "per_month": dashboard.per_month(scope, day),
        "attention": attention,
        "per_centre": counts.per_centre,
        "due_labels": casework.DUE_LABELS,
    }
    if scope.responsible_only:
        total, overdue = casework.caseload_counts(day, mine=True, scope=scope)
        context["mine"] = {
            "total": total,
            "overdue": casework.open_cases(day, mine=True, scope=scope, due_before=day, limit=SHOWN),
            "overdue_count": overdue,
            "soon": casework.open_cases(
                day, mine=True, scope=scope, due_from=day, due_before=day + timedelta(days=8), limit=SHOWN
            ),
        }
    month = rules.reporting_month(day)
    reports = db.session.scalars(
        restrict(select(MonthlyReport), MonthlyReport).where(MonthlyReport.month == month)
    ).all()
    submitted = sum(1 for r in reports if r.status == ReportStatus.SUBMITTED)
    context["report"] = {"month": month, "due": rules.report_due(month), "submitted": submitted, "reports": reports}
    context["links"] = figure_links(day)
    return context


def figure_links(day) -> dict[str, str]:
    """The list behind each figure of the dashboard, filtered as the figure counts (dates in ISO, read by the
    lists' date filters; a choice "one of" by repeating ``_flt_2_<column>``)."""
    from urllib.parse import urlencode

    from app.domain.choices import OPEN_STATUSES, MeasureStatus

    open_ = [("_flt_2_status", str(s)) for s in OPEN_STATUSES]
    soon = day + timedelta(days=dashboard.SOON_DAYS)
    ending = [
        *open_,
        ("_flt_1_end_date", (day - timedelta(days=1)).isoformat()),
        ("_flt_2_end_date", (soon + timedelta(days=1)).isoformat()),
    ]
    overdue = [
        ("_flt_2_status", MeasureStatus.PLANNED.value),
        ("_flt_2_status", MeasureStatus.IN_PROGRESS.value),
        ("_flt_2_due_date", day.isoformat()),
    ]
    return {
        "ending_soon": f"{url_for('ProgrammeView.list')}?{urlencode(ending)}",
        "measures_overdue": f"{url_for('MeasureView.list')}?{urlencode(overdue)}",
        "open_programmes": f"{url_for('ProgrammeView.list')}?{urlencode(open_)}",
        "interim_soon": url_for("CaseView.mine"),
    }
