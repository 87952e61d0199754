"""REST resource of the centres (reference data)."""

from __future__ import annotations

from app.fab.api import ConsoleRestApi
from app.fab.interface import eager
from app.models import Centre


class CentreApi(ConsoleRestApi):
    resource_name = "centre"
    datamodel = eager(Centre, "territory")
    list_columns = ["id", "name", "short_name", "territory.id", "territory.name", "phone", "email"]
    show_columns = [
        "id",
        "name",
        "short_name",
        "territory.id",
        "territory.name",
        "address",
        "phone",
        "email",
        "director_name",
    ]
    add_columns = edit_columns = ["name", "short_name", "territory", "address", "phone", "email", "director_name"]
