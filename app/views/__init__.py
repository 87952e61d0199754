"""Register every view in the menu a specialist reads.

Граждане, Сопровождение, Комиссии, Справочники, Администрирование.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.views.admin import AuditEntryView, ReminderView, StaffProfileView
from app.views.casework import CaseView
from app.views.citizens import AppealDocumentView, AppealView, CitizenView, ConsentView, HouseholdMemberView
from app.views.committees import CommitteeMemberView, CommitteeView, DecisionView
from app.views.lookups import LookupView
from app.views.programmes import ChecklistItemView, ControlEventView, MeasureView, ProgrammeView
from app.views.reference import (
    CategoryView,
    CentreView,
    CircumstanceView,
    OrganisationView,
    TerritoryView,
    UnitView,
)
from app.views.reminders import JobRunView, MyRemindersView
from app.views.reports import MonthlyReportView

# (view, or the endpoint of a custom page, menu name used in permissions, label, icon, category, category label)
MENU = [
    (CitizenView, "Citizens list", _l("Citizens"), "fa-user", "Citizens", _l("Citizens")),
    (ConsentView, "Consents", _l("Consents"), "fa-file-signature", "Citizens", _l("Citizens")),
    (AppealView, "Appeals", _l("Journal of appeals"), "fa-book", "Citizens", _l("Citizens")),
    (AppealDocumentView, "Appeal documents", _l("Documents of appeals"), "fa-file", "Citizens", _l("Citizens")),
    (HouseholdMemberView, "Household members", _l("Household members"), "fa-users", "Citizens", _l("Citizens")),
    ("CaseView.mine", "My cases", _l("My cases"), "fa-briefcase", "Accompaniment", _l("Accompaniment")),
    (ProgrammeView, "Programmes", _l("Programmes"), "fa-route", "Accompaniment", _l("Accompaniment")),
    (MeasureView, "Measures", _l("Measures"), "fa-tasks", "Accompaniment", _l("Accompaniment")),
    (
        ChecklistItemView,
        "Checklist items",
        _l("Checklist items"),
        "fa-check-square",
        "Accompaniment",
        _l("Accompaniment"),
    ),
    (
        ControlEventView,
        "Control events",
        _l("Control events"),
        "fa-clipboard-check",
        "Accompaniment",
        _l("Accompaniment"),
    ),
    ("MyRemindersView.mine", "My reminders", _l("My reminders"), "fa-bell", "Accompaniment", _l("Accompaniment")),
    (ReminderView, "Reminders", _l("Reminders"), "fa-bell", "Accompaniment", _l("Accompaniment")),
    (
        "MonthlyReportView.board",
        "Report board",
        _l("Who submitted the report"),
        "fa-flag-checkered",
        "Accompaniment",
        _l("Accompaniment"),
    ),
    (MonthlyReportView, "Monthly reports", _l("Monthly reports"), "fa-table", "Accompaniment", _l("Accompaniment")),
    (
        CommitteeView,
        "Committees list",
        _l("Commissions and working groups"),
        "fa-university",
        "Committees",
        _l("Committees"),
    ),
    (CommitteeMemberView, "Committee members", _l("Committee members"), "fa-user-tie", "Committees", _l("Committees")),
    (DecisionView, "Decisions", _l("Decisions"), "fa-gavel", "Committees", _l("Committees")),
    (TerritoryView, "Territories", _l("Territories"), "fa-map", "Reference", _l("Reference")),
    (CentreView, "Centres", _l("Centres"), "fa-building", "Reference", _l("Reference")),
    (UnitView, "Units", _l("Units"), "fa-sitemap", "Reference", _l("Reference")),
    (OrganisationView, "Organisations", _l("Partner organisations"), "fa-handshake", "Reference", _l("Reference")),
    (CategoryView, "Categories", _l("Categories of citizens"), "fa-tags", "Reference", _l("Reference")),
    (
        CircumstanceView,
        "Circumstances",
        _l("Circumstances of need"),
        "fa-exclamation-circle",
        "Reference",
        _l("Reference"),
    ),
    (StaffProfileView, "Staff profiles", _l("Staff profiles"), "fa-id-badge", "Administration", _l("Administration")),
    (AuditEntryView, "Audit log", _l("Audit log"), "fa-history", "Administration", _l("Administration")),
    (JobRunView, "Background jobs", _l("Background jobs"), "fa-cogs", "Administration", _l("Administration")),
]


def register_views(appbuilder) -> None:
    appbuilder.add_view_no_menu(CaseView)
    appbuilder.add_view_no_menu(MyRemindersView)
    appbuilder.add_view_no_menu(LookupView)
    for view, name, label, icon, category, category_label in MENU:
        where = {"label": label, "icon": icon, "category": category, "category_label": category_label}
        if isinstance(view, str):
            appbuilder.add_link(name, href=view, **where)
        else:
            appbuilder.add_view(view, name, **where)
