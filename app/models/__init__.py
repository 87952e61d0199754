"""Domain models, one module per aggregate. Importing this package registers every table."""

from app.models.accounts import AccessGrant, AccountState
from app.models.appeals import Appeal, AppealDocument
from app.models.audit import AuditEntry
from app.models.centres import Centre, Organisation, StaffProfile, Territory, Unit
from app.models.citizens import Citizen, Consent, HouseholdMember
from app.models.committees import Committee, CommitteeDecision, CommitteeMember
from app.models.jobs import JobRun
from app.models.programmes import ChecklistItem, ControlEvent, Measure, MeasureReport, Programme, ProgrammeOutcome
from app.models.reference import Category, Circumstance
from app.models.reminders import Reminder
from app.models.reports import MonthlyReport

__all__ = [
    "AccessGrant",
    "AccountState",
    "Appeal",
    "AppealDocument",
    "AuditEntry",
    "Category",
    "Centre",
    "ChecklistItem",
    "Circumstance",
    "Citizen",
    "Committee",
    "CommitteeDecision",
    "CommitteeMember",
    "Consent",
    "ControlEvent",
    "HouseholdMember",
    "JobRun",
    "Measure",
    "MeasureReport",
    "MonthlyReport",
    "Organisation",
    "Programme",
    "ProgrammeOutcome",
    "Reminder",
    "StaffProfile",
    "Territory",
    "Unit",
]
