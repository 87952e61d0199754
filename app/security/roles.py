"""Roles, declared once: role → [(view regex, permission regex)].

Flask-AppBuilder checks these "builtin" roles in memory (no permission queries per
request). ``flask roles sync`` creates the role rows users are attached to. Each
pattern is matched with ``re.match`` and anchored with ``$`` here.
"""

from __future__ import annotations

ADMIN = "Admin"
DEPARTMENT = "Department"
TERRITORY = "Territory"
DIRECTOR = "Director"
SPECIALIST = "Specialist"
REGISTRAR = "Registrar"

ALL_ROLES = (ADMIN, DEPARTMENT, TERRITORY, DIRECTOR, SPECIALIST, REGISTRAR)

READ = r"(can_list|can_show|can_get|can_info|can_download|menu_access)$"
WRITE = r"(can_list|can_show|can_get|can_info|can_download|can_add|can_edit|can_post|can_put|menu_access)$"
FULL = r"(can_list|can_show|can_get|can_info|can_download|can_add|can_edit|can_delete|can_post|can_put|menu_access)$"


def _names(*names: str) -> str:
    return "(" + "|".join(names) + ")$"


# Menu entries and categories are permission "views" too (menu_access).
MENUS = _names(
    "Citizens",
    "Accompaniment",
    "Committees",
    "Reference",
    "Administration",
    "Citizens list",
    "Consents",
    "Appeals",
    "Appeal documents",
    "Household members",
    "Programmes",
    "Measures",
    "Checklist items",
    "Control events",
    "Committees list",
    "Committee members",
    "Decisions",
    "Territories",
    "Centres",
    "Units",
    "Organisations",
    "Categories",
    "Circumstances",
    "Reminders",
    "Monthly reports",
    "Audit log",
    "Staff profiles",
)
CASE_VIEWS = _names(
    "CitizenView",
    "HouseholdMemberView",
    "ConsentView",
    "AppealView",
    "AppealDocumentView",
    "ProgrammeView",
    "MeasureView",
    "ChecklistItemView",
    "ControlEventView",
    "DecisionView",
    "CitizenApi",
    "AppealApi",
    "ProgrammeApi",
    "MeasureApi",
    "DecisionApi",
)
ORG_VIEWS = _names(
    "TerritoryView",
    "CentreView",
    "UnitView",
    "OrganisationView",
    "CategoryView",
    "CircumstanceView",
    "CommitteeView",
    "CommitteeMemberView",
    "CentreApi",
    "CommitteeApi",
)
REGISTRY_VIEWS = _names(
    "CitizenView", "HouseholdMemberView", "ConsentView", "AppealView", "AppealDocumentView", "CitizenApi", "AppealApi"
)
OWN_VIEWS = _names("ReminderView", "MonthlyReportView")

# What every signed-in user needs: own profile, password, menu API, language switch.
SELF_SERVICE = [
    ["UserDBModelView", r"can_userinfo$"],
    ["UserInfoEditView", r"can_this_form_(get|post)$"],
    ["ResetMyPasswordView", r"can_this_form_(get|post)$"],
    ["MenuApi", r"can_get$"],
    ["OpenApi", r"can_get$"],
    ["SwaggerView", r"can_show$"],
    [MENUS, r"menu_access$"],
]

ROLES: dict[str, list[list[str]]] = {
    ADMIN: [[".*", ".*"]],
    DEPARTMENT: [*SELF_SERVICE, [CASE_VIEWS, READ], [ORG_VIEWS, READ], [OWN_VIEWS, READ], ["AuditEntryView", READ]],
    TERRITORY: [*SELF_SERVICE, [CASE_VIEWS, READ], [ORG_VIEWS, READ], [OWN_VIEWS, READ]],
    DIRECTOR: [
        *SELF_SERVICE,
        [CASE_VIEWS, FULL],
        [ORG_VIEWS, READ],
        [_names("CommitteeView", "CommitteeMemberView", "CommitteeApi"), FULL],
        [OWN_VIEWS, WRITE],
        ["AuditEntryView", READ],
    ],
    SPECIALIST: [*SELF_SERVICE, [CASE_VIEWS, WRITE], [ORG_VIEWS, READ], [OWN_VIEWS, READ]],
    REGISTRAR: [*SELF_SERVICE, [REGISTRY_VIEWS, WRITE], [ORG_VIEWS, READ]],
}
