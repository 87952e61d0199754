"""REST resources of the citizens and the journal of appeals: the same rules and scope as the forms."""

from __future__ import annotations

from app.fab.api import ConsoleRestApi
from app.fab.interface import eager
from app.models import Appeal, Citizen

CITIZEN_FIELDS = [
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "address",
    "phone",
    "snils",
    "category",
    "disability_group",
    "work_limitation",
    "family_status",
    "family_status_other",
    "representative_name",
    "representative_relation",
    "representative_phone",
    "centre",
]


class CitizenApi(ConsoleRestApi):
    resource_name = "citizen"
    datamodel = eager(Citizen, "centre")
    list_columns = ["id", "surname", "first_name", "patronymic", "birth_date", "centre.id", "centre.short_name"]
    show_columns = [
        "id",
        *[f for f in CITIZEN_FIELDS if f not in ("category", "centre")],
        "category.id",
        "category.name",
        "centre.id",
        "centre.short_name",
    ]
    add_columns = edit_columns = CITIZEN_FIELDS
    search_columns = ["search", "surname", "first_name", "snils", "birth_date", "centre"]
    order_columns = ["surname", "birth_date", "id"]
    base_order = ("surname", "asc")  # as the list of citizens


class AppealApi(ConsoleRestApi):
    resource_name = "appeal"
    datamodel = eager(Appeal, "citizen")
    list_columns = ["id", "journal_number", "appeal_date", "citizen.id", "channel", "decision", "centre.id"]
    show_columns = [
        "id",
        "journal_number",
        "appeal_date",
        "citizen.id",
        "centre.id",
        "channel",
        "reason",
        "problems",
        "decision",
    ]
    add_columns = edit_columns = [
        "centre",
        "journal_number",
        "appeal_date",
        "citizen",
        "channel",
        "reason",
        "problems",
        "decision",
    ]
    order_columns = ["appeal_date", "journal_number", "id"]
    base_order = ("appeal_date", "desc")  # as the journal of appeals
