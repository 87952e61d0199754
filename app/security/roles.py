"""Roles, declared once: which role may do what on which resource.

``ACCESS`` is the single declaration: resource → {role: level}. From it come the
Flask-AppBuilder builtin roles (``ROLES``: [view regex, permission regex] pairs,
checked in memory without permission queries), the menus each role sees, and the
test matrix of tests/test_roles.py. ``flask roles sync`` creates the role rows users
are attached to. Row-level limits (which centre) live in ``app.security.scope``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ADMIN = "Admin"
DEPARTMENT = "Department"
TERRITORY = "Territory"
DIRECTOR = "Director"
SPECIALIST = "Specialist"
REGISTRAR = "Registrar"
PUBLIC = "Public"

ALL_ROLES = (ADMIN, DEPARTMENT, TERRITORY, DIRECTOR, SPECIALIST, REGISTRAR)

# Levels, each a superset of the previous one.
READ = "read"  # list, show, download
WRITE = "write"  # + add, edit
FULL = "full"  # + delete

PERMISSIONS = {
    READ: ("can_list", "can_show", "can_get", "can_info", "can_download"),
    WRITE: (
        "can_list",
        "can_show",
        "can_get",
        "can_info",
        "can_download",
        "can_add",
        "can_edit",
        "can_post",
        "can_put",
    ),
    FULL: (
        "can_list",
        "can_show",
        "can_get",
        "can_info",
        "can_download",
        "can_add",
        "can_edit",
        "can_post",
        "can_put",
        "can_delete",
    ),
}


@dataclass(frozen=True)
class Resource:
    """A console view, its REST API (if any) and its menu entry."""

    view: str
    menu: str
    category: str
    api: str | None = None
    case_data: bool = False  # personal data of citizens: never for Admin
    pages: tuple[str, ...] = ()  # menu links to custom pages guarded by this view's permissions

    @property
    def menus(self) -> tuple[str, ...]:
        return (self.menu, self.category, *self.pages)


R = Resource
RESOURCES: dict[str, Resource] = {
    "citizen": R("CitizenView", "Citizens list", "Citizens", "CitizenApi", True),
    "consent": R("ConsentView", "Consents", "Citizens", None, True),
    "appeal": R("AppealView", "Appeals", "Citizens", "AppealApi", True),
    "appeal_document": R("AppealDocumentView", "Appeal documents", "Citizens", None, True),
    "household_member": R("HouseholdMemberView", "Household members", "Citizens", None, True),
    "programme": R("ProgrammeView", "Programmes", "Accompaniment", "ProgrammeApi", True, pages=("My cases",)),
    "measure": R("MeasureView", "Measures", "Accompaniment", "MeasureApi", True),
    "checklist_item": R("ChecklistItemView", "Checklist items", "Accompaniment", None, True),
    "control_event": R("ControlEventView", "Control events", "Accompaniment", None, True),
    "reminder": R("ReminderView", "Reminders", "Accompaniment", None, True, pages=("My reminders",)),
    "monthly_report": R("MonthlyReportView", "Monthly reports", "Accompaniment", pages=("Report board",)),
    "committee": R("CommitteeView", "Committees list", "Committees", "CommitteeApi"),
    "committee_member": R("CommitteeMemberView", "Committee members", "Committees"),
    "decision": R("DecisionView", "Decisions", "Committees", "DecisionApi", True),
    "territory": R("TerritoryView", "Territories", "Reference"),
    "centre": R("CentreView", "Centres", "Reference", "CentreApi"),
    "unit": R("UnitView", "Units", "Reference"),
    "organisation": R("OrganisationView", "Organisations", "Reference"),
    "category": R("CategoryView", "Categories", "Reference"),
    "circumstance": R("CircumstanceView", "Circumstances", "Reference"),
    "staff_profile": R("StaffProfileView", "Staff profiles", "Administration"),
    "audit": R("AuditEntryView", "Audit log", "Administration"),
    "job_run": R("JobRunView", "Background jobs", "Administration"),
}

_CASE = {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: FULL, SPECIALIST: WRITE}
_REGISTRY = {**_CASE, REGISTRAR: WRITE}
_REFERENCE = {ADMIN: FULL, DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: READ, SPECIALIST: READ, REGISTRAR: READ}

ACCESS: dict[str, dict[str, str]] = {
    "citizen": _REGISTRY,
    "consent": _REGISTRY,
    "appeal": _REGISTRY,
    "appeal_document": _REGISTRY,
    "household_member": _REGISTRY,
    "programme": _CASE,
    "measure": _CASE,
    "checklist_item": _CASE,
    "control_event": _CASE,
    "reminder": {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: READ, SPECIALIST: READ, REGISTRAR: READ},
    "monthly_report": {ADMIN: FULL, DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: WRITE, SPECIALIST: READ},
    "committee": {**_REFERENCE, DIRECTOR: FULL},
    "committee_member": {**_REFERENCE, DIRECTOR: FULL},
    "decision": {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: FULL, SPECIALIST: READ},
    "territory": _REFERENCE,
    "centre": _REFERENCE,
    "unit": _REFERENCE,
    "organisation": _REFERENCE,
    "category": _REFERENCE,
    "circumstance": _REFERENCE,
    "staff_profile": {ADMIN: FULL},
    "audit": {DEPARTMENT: READ, DIRECTOR: READ},
    "job_run": {ADMIN: READ},
}

# DOMAIN.md §1 [D]: the IT team administers users and reference data, not citizens' cases.
ADMIN_CASE_ACCESS = False

# Views whose rows are never changed by anybody through the console (append-only or generated).
# Checklist ticks and control events are recorded on the programme's case page, where the workflow checks them.
READ_ONLY_RESOURCES = frozenset({"audit", "reminder", "checklist_item", "control_event", "job_run"})

# What every signed-in user needs: own profile, password, menu API, API docs.
SELF_SERVICE = [
    ["UserDBModelView", r"can_userinfo$"],
    ["UserInfoEditView", r"can_this_form_(get|post)$"],
    ["ResetMyPasswordView", r"can_this_form_(get|post)$"],
    ["MenuApi", r"can_get$"],
    ["OpenApi", r"can_get$"],
    ["SwaggerView", r"can_show$"],
]


def level(resource: str, role: str) -> str | None:
    """The access level of a role to a resource (``None``: no access)."""
    if resource in READ_ONLY_RESOURCES and role in ACCESS[resource]:
        return READ
    return ACCESS[resource].get(role)


def allowed(resource: str, role: str, permission: str) -> bool:
    lvl = level(resource, role)
    return lvl is not None and permission in PERMISSIONS[lvl]


def _alternatives(names) -> str:
    return "(" + "|".join(re.escape(n) for n in sorted(set(names))) + ")$"


def _role_pairs(role: str) -> list[list[str]]:
    pairs = [list(pair) for pair in SELF_SERVICE]
    menus: set[str] = set()
    for key, resource in RESOURCES.items():
        lvl = level(key, role)
        if lvl is None:
            continue
        names = [resource.view] + ([resource.api] if resource.api else [])
        pairs.append([_alternatives(names), _alternatives(PERMISSIONS[lvl])])
        menus.update(resource.menus)
    if menus:
        pairs.append([_alternatives(menus), r"menu_access$"])
    return pairs


def _admin_pairs() -> list[list[str]]:
    """Admin: the declared resources as ``ACCESS`` says, and everything of FAB's own security pages."""
    if ADMIN_CASE_ACCESS:
        return [[".*", ".*"]]
    ours = [n for r in RESOURCES.values() for n in (r.view, r.api, *r.menus) if n]
    return [*_role_pairs(ADMIN), [rf"(?!{_alternatives(ours)}).*", r".*"]]


ROLES: dict[str, list[list[str]]] = {
    ADMIN: _admin_pairs(),
    **{role: _role_pairs(role) for role in ALL_ROLES if role != ADMIN},
    PUBLIC: [],
}
