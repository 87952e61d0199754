"""Administration and the records the system itself keeps: staff profiles, audit, reminders."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models import AuditEntry, Reminder, StaffProfile
from app.views.base import ConsoleModelView, eager

READ_ONLY = {"can_list", "can_show"}


class StaffProfileView(ConsoleModelView):
    datamodel = eager(StaffProfile, "user", "centre", "unit", "territory")
    list_title = _l("Staff profiles")
    list_columns = ["user", "centre", "unit", "territory", "position", "phone"]
    add_columns = edit_columns = show_columns = ["user", "centre", "unit", "territory", "position", "phone"]
    search_columns = ["position", "centre", "territory"]


class AuditEntryView(ConsoleModelView):
    """Read-only: the audit log is append-only, nobody edits or deletes an entry."""

    datamodel = eager(AuditEntry)
    base_permissions = READ_ONLY
    list_title = _l("Audit log")
    list_columns = ["at", "username", "remote_addr", "action", "object_type", "object_id"]
    show_columns = ["at", "username", "remote_addr", "action", "object_type", "object_id", "centre_id", "changes"]
    search_columns = ["username", "action", "object_type", "at"]
    base_order = ("at", "desc")


class ReminderView(ConsoleModelView):
    """Read-only: reminders are written by the scan job from the rules, not by hand."""

    datamodel = eager(Reminder, "recipient", "programme")
    base_permissions = READ_ONLY
    list_title = _l("Reminders")
    list_columns = ["due_date", "kind", "programme", "recipient", "read_at", "closed_at"]
    show_columns = ["due_date", "kind", "programme", "measure", "recipient", "created_at", "read_at", "closed_at"]
    search_columns = ["kind", "due_date"]
    base_order = ("due_date", "asc")
