"""Extension commissions, interagency working groups, their members and decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models import Committee, CommitteeDecision, CommitteeMember
from app.views.base import ConsoleModelView, eager


class CommitteeMemberView(ConsoleModelView):
    datamodel = eager(CommitteeMember, "committee", "organisation")
    list_title = _l("Committee members")
    list_columns = ["full_name", "role", "position", "organisation", "committee"]
    add_columns = edit_columns = show_columns = ["committee", "full_name", "role", "position", "organisation"]
    search_columns = ["full_name", "role", "committee"]


class DecisionView(ConsoleModelView):
    datamodel = eager(CommitteeDecision, "committee", "programme")
    list_title = _l("Committee decisions")
    list_columns = ["meeting_date", "protocol_number", "committee", "programme", "decision", "extend_to"]
    add_columns = edit_columns = show_columns = [
        "committee",
        "programme",
        "meeting_date",
        "protocol_number",
        "decision",
        "extend_to",
        "reason",
    ]
    search_columns = ["protocol_number", "decision", "meeting_date"]
    base_order = ("meeting_date", "desc")


class CommitteeView(ConsoleModelView):
    datamodel = eager(Committee, "centre", "territory")
    list_title = _l("Commissions and working groups")
    list_columns = ["name", "kind", "centre", "territory", "order_number", "order_date"]
    add_columns = edit_columns = show_columns = [
        "kind",
        "name",
        "centre",
        "territory",
        "order_number",
        "order_date",
    ]
    search_columns = ["name", "kind", "centre", "territory"]
    related_views = [CommitteeMemberView, DecisionView]
