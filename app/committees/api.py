"""REST resources of the commissions and their decisions (an extension is a decision with ``extend_to``)."""

from __future__ import annotations

from app.fab.api import ConsoleRestApi
from app.fab.interface import eager
from app.models import Committee, CommitteeDecision


class CommitteeApi(ConsoleRestApi):
    resource_name = "committee"
    datamodel = eager(Committee, "centre", "territory")
    list_columns = ["id", "kind", "name", "centre.id", "territory.id", "order_number", "order_date"]
    show_columns = list_columns
    add_columns = edit_columns = ["kind", "name", "centre", "territory", "order_number", "order_date"]


class DecisionApi(ConsoleRestApi):
    resource_name = "decision"
    datamodel = eager(CommitteeDecision, "committee", "programme")
    list_columns = ["id", "committee.id", "programme.id", "meeting_date", "protocol_number", "decision", "extend_to"]
    show_columns = [*list_columns, "reason"]
    add_columns = edit_columns = [
        "committee",
        "programme",
        "meeting_date",
        "protocol_number",
        "decision",
        "extend_to",
        "reason",
    ]
    order_columns = ["meeting_date", "id"]
    base_order = ("meeting_date", "desc")
